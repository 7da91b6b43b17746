import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.validators import age_on, id_birth_date, id_check_digit, id_sex, validate_id_number

births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31))
areas = st.from_regex(r"[1-6]\d{5}", fullmatch=True)


def build(area, birth, seq):
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def test_known_id_number_check_digit():
    # The worked example of GB 11643-1999.
    assert id_check_digit("11010519491231002") == "X"
    validate_id_number("11010519491231002X")


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(area=areas, birth=births, seq=st.integers(0, 999))
def test_every_number_with_its_check_digit_is_valid(area, birth, seq):
    number = build(area, birth, seq)
    validate_id_number(number)
    assert id_birth_date(number) == birth
    assert id_sex(number) == ("M" if seq % 2 else "F")


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(area=areas, birth=births, seq=st.integers(0, 999), wrong=st.sampled_from("0123456789X"))
def test_any_other_check_character_is_rejected(area, birth, seq, wrong):
    number = build(area, birth, seq)
    if wrong == number[-1]:
        return
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number[:17] + wrong)
    assert exc.value.code == "id_check_digit"


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(area=areas, birth=births, seq=st.integers(0, 999), position=st.integers(0, 16), delta=st.integers(1, 9))
def test_a_single_mistyped_digit_is_caught(area, birth, seq, position, delta):
    number = build(area, birth, seq)
    digit = (int(number[position]) + delta) % 10
    typo = number[:position] + str(digit) + number[position + 1 :]
    with pytest.raises(ValidationError):
        validate_id_number(typo)


@pytest.mark.parametrize("bad", ["", "12345", "37179919900101123", "3717991990010112345", "37179919900230123X"])
def test_malformed_id_numbers_are_rejected(bad):
    with pytest.raises(ValidationError):
        validate_id_number(bad)


def test_lower_case_x_is_accepted():
    validate_id_number("11010519491231002x")


def test_age_counts_full_years():
    assert age_on(dt.date(1950, 6, 15), dt.date(2025, 6, 14)) == 74
    assert age_on(dt.date(1950, 6, 15), dt.date(2025, 6, 15)) == 75
