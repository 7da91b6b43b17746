from datetime import date
from decimal import Decimal

import pytest

from safecommunity.periods import Period, change, change_text, rate


def test_month_and_its_neighbours():
    p = Period.month(2026, 3)
    assert (p.start, p.end) == (date(2026, 3, 1), date(2026, 4, 1))
    assert p.same_period_last_year() == Period.month(2025, 3)
    assert p.previous() == Period.month(2026, 2)
    assert Period.month(2026, 1).previous() == Period.month(2025, 12)
    assert Period.year_to_date(2026, 10) == Period(date(2026, 1, 1), date(2026, 11, 1))


def test_leap_day_shifts_to_the_28th():
    assert Period(date(2024, 2, 29), date(2024, 3, 1)).same_period_last_year().start == date(2023, 2, 28)


@pytest.mark.parametrize(
    "cur, prev, text",
    [
        (33, 40, "下降17.5%"),
        (15, 18, "下降16.7%"),
        (16, 26, "下降38.5%"),
        (5, 15, "下降66.7%"),
        (12, 10, "上升20.0%"),
        (3, 0, "—"),
        (0, 0, "—"),
        (7, 7, "持平"),
    ],
)
def test_change_is_worded_as_briefings_are(cur, prev, text):
    assert change_text(cur, prev) == text


def test_change_is_none_without_an_earlier_figure_and_rate_without_denominator():
    assert change(5, 0) is None
    assert change(1, 3) == Decimal("-0.667")
    assert rate(1, 0) is None and rate(3, 4) == Decimal("0.7500")


def test_bad_month_gives_a_chinese_message():
    with pytest.raises(ValueError, match="YYYY-MM"):
        Period.parse_month("2026/10")
