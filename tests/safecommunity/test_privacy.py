from hypothesis import given
from hypothesis import strategies as st

from safecommunity.privacy import mask_id_number, mask_name, mask_phone


def test_masks_follow_the_portal_convention():
    assert mask_name("王小明") == "王**"
    assert mask_name("王明") == "王*"
    assert mask_id_number("371799199001011234") == "371799********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("") == "" and mask_id_number(None) == ""


@given(st.text(alphabet="0123456789X", min_size=11, max_size=18))
def test_a_masked_id_never_shows_the_birth_date(number):
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[6:-4] == "*" * (len(number) - 10)
