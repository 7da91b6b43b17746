"""Cell parsers of the records engine: what real Excel ledgers contain."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import models

from safecommunity.records import (
    RowError,
    clean_text,
    parse_choice,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


class InjuryCause(models.TextChoices):
    TRAFFIC = "traffic", "机动车车祸"
    FALL = "fall", "跌倒/坠落"
    BURN = "burn", "烧烫伤"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", dt.datetime(2024, 3, 5, 0, 0)),
        ("2024/3/5 14:30", dt.datetime(2024, 3, 5, 14, 30)),
        ("2024.3.5", dt.datetime(2024, 3, 5, 0, 0)),
        ("2024年3月5日", dt.datetime(2024, 3, 5, 0, 0)),
        ("2024年3月5日 14时30分", dt.datetime(2024, 3, 5, 14, 30)),
        ("2024年3月5日14:30", dt.datetime(2024, 3, 5, 14, 30)),
        ("２０２４－０３－０５　１４：３０", dt.datetime(2024, 3, 5, 14, 30)),
        ("  2024-03-05  ", dt.datetime(2024, 3, 5, 0, 0)),
        (45356, dt.datetime(2024, 3, 5, 0, 0)),
        (45356.6041666667, dt.datetime(2024, 3, 5, 14, 30)),
        ("45356", dt.datetime(2024, 3, 5, 0, 0)),
        (dt.datetime(2024, 3, 5, 14, 30), dt.datetime(2024, 3, 5, 14, 30)),
        (dt.date(2024, 3, 5), dt.datetime(2024, 3, 5, 0, 0)),
    ],
)
def test_parse_datetime_accepts_ledger_formats_as_shanghai_time(raw, expected):
    value = parse_datetime(raw)
    assert value.tzinfo is not None
    assert value.astimezone(SHANGHAI).replace(tzinfo=None) == expected


def test_parse_datetime_stores_aware_utc_offset_of_shanghai():
    value = parse_datetime("2024-03-05 08:00")
    assert value.astimezone(dt.timezone.utc) == dt.datetime(2024, 3, 5, 0, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(
    "raw", ["2024/3/5", "2024.03.05", "2024年3月5日", 45356, "２０２４年３月５日", dt.datetime(2024, 3, 5, 23, 0)]
)
def test_parse_date_accepts_ledger_formats(raw):
    assert parse_date(raw) == dt.date(2024, 3, 5)


@pytest.mark.parametrize("raw", ["2024-02-30", "昨天", "2024-13-01", "3/5/2024", -5, "2024", "12"])
def test_parse_datetime_rejects_what_is_not_a_date(raw):
    with pytest.raises(RowError):
        parse_datetime(raw)


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
def test_blank_cells_parse_to_none(raw):
    assert parse_datetime(raw) is None
    assert parse_int(raw) is None
    assert parse_choice(raw, InjuryCause) is None


def test_clean_text_normalises_full_width_and_stray_spaces():
    assert clean_text("  东关\u3000社区  ") == "东关 社区"
    assert clean_text("ＡＢＣ１２３") == "ABC123"
    assert clean_text("\ufeff名称\u200b") == "名称"
    assert clean_text(371799001001.0) == "371799001001"
    assert clean_text(None) == ""


def test_clean_text_enforces_max_length():
    with pytest.raises(RowError, match="10"):
        clean_text("一二三四五六七八九十十一", max_length=10)


def test_parse_int_and_decimal():
    assert parse_int("１,２３４") == 1234
    assert parse_int(12.0) == 12
    assert parse_decimal(" 3.50 ") == Decimal("3.50")
    assert parse_decimal(1.25) == Decimal("1.25")
    with pytest.raises(RowError):
        parse_int("1.5")
    with pytest.raises(RowError):
        parse_int("-1", min_value=0)
    with pytest.raises(RowError):
        parse_decimal("abc")


@pytest.mark.parametrize(
    "raw",
    ["traffic", "TRAFFIC", "机动车车祸", " 机动车 车祸 ", "1 机动车车祸", "1.机动车车祸", "1、机动车车祸", "1", "１"],
)
def test_parse_choice_by_value_label_or_number(raw):
    assert parse_choice(raw, InjuryCause) == InjuryCause.TRAFFIC


def test_parse_choice_bare_number_is_the_nth_code():
    assert parse_choice("3", InjuryCause) == InjuryCause.BURN
    assert parse_choice(2, InjuryCause) == InjuryCause.FALL


def test_parse_choice_prefers_an_integer_value_to_a_position():
    pairs = [(10, "十"), (1, "一")]
    assert parse_choice("1", pairs) == 1
    assert parse_choice("2", pairs) == 1  # no value 2: the second entry


def test_parse_choice_unknown_entry_lists_the_allowed_ones():
    with pytest.raises(RowError) as exc:
        parse_choice("溺水", InjuryCause)
    assert "溺水" in exc.value.reason
    assert "1.机动车车祸" in exc.value.reason
    with pytest.raises(RowError):
        parse_choice("4", InjuryCause)
