"""Periods and year-on-year figures, shared by statistics, dashboards, briefings and scorecards.

A ``Period`` is a half-open range of dates [start, end). ``change(current, previous)`` is the
relative change used for 同比/环比: ``None`` when the earlier figure is zero (no percentage
is given then), otherwise a Decimal rounded to one decimal of a percent (0.175 = 17.5%).
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # exclusive

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last) + timedelta(days=1))

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year + 1, 1, 1))

    @classmethod
    def year_to_date(cls, year: int, month: int) -> "Period":
        """1 January to the end of ``month`` (the "1-N月累计" of a briefing)."""
        return cls(date(year, 1, 1), cls.month(year, month).end)

    @classmethod
    def parse_month(cls, value: str) -> "Period":
        """ "2026-10" → October 2026; raises ValueError with a Chinese message otherwise."""
        try:
            y, m = value.split("-")
            return cls.month(int(y), int(m))
        except (ValueError, TypeError) as exc:
            raise ValueError(_("月份格式应为 YYYY-MM，例如 2026-10")) from exc

    def same_period_last_year(self) -> "Period":
        return Period(_shift_year(self.start, -1), _shift_year(self.end, -1))

    def previous(self) -> "Period":
        """The period just before (环比). A period that starts on the 1st is shifted back by whole
        months: a calendar month gives the previous month, and a month so far (1–2 December)
        gives the same days of the month before (1–2 November), so that equal spans are compared."""
        if self.start.day == 1:
            n = _months_between(self.start, self.end) + (0 if self.end.day == 1 else 1)
            if n >= 1:
                return Period(add_months(self.start, -n), add_months(self.end, -n))
        return Period(self.start - (self.end - self.start), self.start)

    def elapsed(self, today: date) -> "Period":
        """The part of the period up to and including ``today``: a month or year still running is
        compared (同比/环比) over the days that have passed, not against a whole earlier period.
        A period that has ended, or not begun, is returned unchanged."""
        if self.start <= today < self.last_day:
            return Period(self.start, today + timedelta(days=1))
        return self

    @property
    def is_whole_month(self) -> bool:
        return self.start.day == 1 and self.end.day == 1 and _months_between(self.start, self.end) == 1

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def start_datetime(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    def end_datetime(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.min))

    def __contains__(self, day: date) -> bool:
        return self.start <= day < self.end

    def __str__(self):
        if self.is_whole_month:
            return _("%(y)d年%(m)d月") % {"y": self.start.year, "m": self.start.month}
        return f"{self.start:%Y-%m-%d} – {self.last_day:%Y-%m-%d}"


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _shift_year(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


ONE_DECIMAL_PERCENT = Decimal("0.001")


def change(current, previous) -> Decimal | None:
    """Relative change, rounded to one decimal of a percent; None when ``previous`` is 0."""
    current, previous = Decimal(str(current or 0)), Decimal(str(previous or 0))
    if previous == 0:
        return None
    return ((current - previous) / previous).quantize(ONE_DECIMAL_PERCENT, rounding=ROUND_HALF_UP)


def change_text(current, previous) -> str:
    """ "上升17.5%", "下降30.0%", "持平", or "—" with no earlier figure: the wording of briefings."""
    value = change(current, previous)
    if value is None:
        return "—"
    if value > 0:
        return _("上升%(p)s%%") % {"p": f"{value * 100:.1f}"}
    if value < 0:
        return _("下降%(p)s%%") % {"p": f"{-value * 100:.1f}"}
    return _("持平")


def rate(numerator, denominator) -> Decimal | None:
    """A ratio (rectification rate, coverage), None when there is nothing to divide by."""
    denominator = Decimal(str(denominator or 0))
    if denominator == 0:
        return None
    return (Decimal(str(numerator or 0)) / denominator).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def month_label(month: int) -> str:
    """A month's name on an axis or a choice list, in the interface language: 1月 … 12月 in Chinese
    (the official style), Jan … Dec in English (Django's own month abbreviations)."""
    from django.utils.dates import MONTHS_3
    from django.utils.translation import get_language

    if (get_language() or "zh-hans").startswith("zh"):
        return f"{month}月"
    return str(MONTHS_3[month]).title()
