"""The national identifiers, checked with the standards' own example values."""

import pytest
from django.core.exceptions import ValidationError

from safecommunity.identifiers import (
    area_code_warning,
    convert_legacy_id,
    credit_code_check_char,
    id_check_digit,
    make_credit_code,
    organisation_code_check_char,
    township_code_word,
    upgrade_id_number,
    validate_credit_code,
    validate_id_number,
    village_code_word,
)

# --- GB 11643-1999 --------------------------------------------------------------------------------


def test_the_standards_examples_have_their_check_characters():
    # GB 11643-1999's examples: 11010519491231002X (Beijing 朝阳区, 1949-12-31, female) and
    # 440524188001010014 (广东 潮阳, 1880-01-01, male).
    assert id_check_digit("11010519491231002") == "X"
    assert id_check_digit("44052418800101001") == "4"
    validate_id_number("440524188001010014")


def test_legacy_15_digit_number_converts_by_inserting_19_and_the_check_character():
    # 110105 491231 002 → 110105 19491231 002 + X: Σ(a_i·W_i) of the 17 digits is
    # 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2 = 167; 167 mod 11 = 2 → "X".
    assert convert_legacy_id("110105491231002") == "11010519491231002X"
    assert upgrade_id_number(" 110105491231002 ") == ("11010519491231002X", True)
    assert upgrade_id_number("11010519491231002x") == ("11010519491231002X", False)
    assert upgrade_id_number("110105491331002") == ("110105491331002", False)  # no 13th month: left alone
    with pytest.raises(ValidationError) as exc:
        validate_id_number("110105491231002")
    assert exc.value.code == "id_legacy"


# --- GB 11714-1997 and GB 32100-2015 --------------------------------------------------------------


def test_the_gb32100_example_passes_all_three_checks():
    # GB 32100-2015's example 91350100M000100Y43:
    # organisation code M000100Y4 (GB 11714): M=22, Y=34; 22·3+0·7+0·9+0·10+1·5+0·8+0·4+34·2 = 139;
    # 139 mod 11 = 7; 11 − 7 = 4 → "4".
    assert organisation_code_check_char("M000100Y") == "4"
    # Final character (alphabet values, M=21, Y=30): 9·1+1·3+3·9+5·27+0·19+1·26+0·16+0·17+21·20+0·29+0·25
    # +0·13+1·8+0·24+0·10+30·30+4·28 = 1640; 1640 mod 31 = 28; 31 − 28 = 3 → "3".
    assert credit_code_check_char("91350100M000100Y4") == "3"
    validate_credit_code("91350100M000100Y43")
    validate_credit_code("91350100m000100y43 ")


@pytest.mark.parametrize(
    ("code", "what"),
    [
        ("91110108MA01C2F1X8", "组织机构代码"),  # MA01C2F1's GB 11714 check character is 2, not X
        ("91ABCDEFM000100Y4Y", "行政区划码"),  # characters 3–8 are not an area code
        ("91350100M000100Y44", "校验位"),  # final check character
        ("91350100I000100Y43", "18位"),  # I is not in the alphabet
    ],
)
def test_codes_failing_one_part_are_refused(code, what):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert what in exc.value.messages[0]


def test_built_codes_are_valid():
    # 12345678: 1·3+2·7+3·9+4·10+5·5+6·8+7·4+8·2 = 201; 201 mod 11 = 3; 11 − 3 = 8.
    code = make_credit_code(area="371702", body="12345678")
    assert code[:17] == "91371702123456788"
    validate_credit_code(code)


# --- 统计用区划代码 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "word"),
    [
        ("371799001", "街道"),
        ("371799099", "街道"),
        ("371799100", "镇"),
        ("371799199", "镇"),
        ("371799200", "乡"),
        ("371799399", "乡"),
        ("371799400", ""),
        ("371799600", None),
    ],
)
def test_township_code_ranges(code, word):
    assert township_code_word(code) == word


@pytest.mark.parametrize(
    ("code", "word"),
    [
        ("371799101001", "社区"),
        ("371799101199", "社区"),
        ("371799101200", "村"),
        ("371799101399", "村"),
        ("371799101400", ""),
        ("371799101000", None),
    ],
)
def test_village_code_ranges(code, word):
    assert village_code_word(code) == word


def test_a_name_contradicting_its_code_is_warned_about():
    assert "街道" in area_code_warning(code="371799002", name="青山镇", level="township")
    assert area_code_warning(code="371799101", name="青山镇", level="township") is None
    assert "社区" in area_code_warning(code="371799101001", name="青山村", level="village")
    assert area_code_warning(code="371799101201", name="青山村", level="village") is None
    assert area_code_warning(code="371799001001", name="东关社区", level="village") is None
    assert area_code_warning(code="371799001001", name="工业园", level="village") is None  # no level word
    assert "范围" in area_code_warning(code="371799001000", name="某村", level="village")
