"""Reads of the accountability records: the check-in schedule (who is behind this period) and the
county's figures for the dashboard and the briefing."""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum

from .choices import REQUIRED_FREQUENCY, Frequency, IssuanceKind, Rank
from .models import Issuance, Leader, OfficialInspection, Visit


def period_of(frequency: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The period ``day`` falls in: its month, or its half month (1–15, 16–end)."""
    last = calendar.monthrange(day.year, day.month)[1]
    if frequency == Frequency.MONTH:
        return day.replace(day=1), day.replace(day=last)
    if day.day <= 15:
        return day.replace(day=1), day.replace(day=15)
    return day.replace(day=16), day.replace(day=last)


def periods_between(frequency: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The periods from the one holding ``start`` to the one holding ``end``, in order."""
    periods, day = [], start
    while day <= end:
        period = period_of(frequency, day)
        periods.append(period)
        day = period[1] + dt.timedelta(days=1)
    return periods


@dataclass
class ScheduleRow:
    leader: Leader
    frequency: str
    period_start: dt.date
    period_end: dt.date
    visits_this_period: int
    last_visit: dt.date | None
    # Periods of the year so far (the current one excluded while it runs) without any visit.
    missed_periods: int
    required_periods: int

    @property
    def behind(self) -> bool:
        return self.visits_this_period == 0

    @property
    def frequency_label(self) -> str:
        return Frequency(self.frequency).label


def visit_schedule(*, leaders, today: dt.date) -> list[ScheduleRow]:
    """Each active leader against the frequency of their rank (县级每月一次, 科级每半月一次):
    visits in the current period, last visit, periods of this year missed so far. Behind ones
    first. Two queries whatever the number of leaders."""
    leaders = list(leaders.filter(is_active=True).order_by("rank", "name", "id"))
    year_start = dt.date(today.year, 1, 1)
    dates: dict[int, list[dt.date]] = {leader.pk: [] for leader in leaders}
    rows = Visit.objects.filter(leader__in=[leader.pk for leader in leaders], visited_on__range=(year_start, today))
    for leader_id, day in rows.values_list("leader_id", "visited_on"):
        dates[leader_id].append(day)
    last_visits = dict(
        Visit.objects.filter(leader__in=[leader.pk for leader in leaders], visited_on__lte=today)
        .values("leader_id")
        .annotate(last=Max("visited_on"))
        .values_list("leader_id", "last")
    )
    result = []
    for leader in leaders:
        frequency = REQUIRED_FREQUENCY[Rank(leader.rank)]
        start, end = period_of(frequency, today)
        periods = periods_between(frequency, year_start, today)
        done = periods[:-1]  # the current period is still running
        seen = dates[leader.pk]
        missed = sum(1 for a, b in done if not any(a <= d <= b for d in seen))
        result.append(
            ScheduleRow(
                leader=leader,
                frequency=frequency,
                period_start=start,
                period_end=end,
                visits_this_period=sum(1 for d in seen if start <= d <= end),
                last_visit=last_visits.get(leader.pk),
                missed_periods=missed,
                required_periods=len(periods),
            )
        )
    result.sort(key=lambda r: (not r.behind, r.leader.rank, r.leader.name))
    return result


def county_figures(*, county, start: dt.date, end: dt.date) -> dict:
    """The county's accountability figures for a period (the dashboard and the briefing read these):
    check-in visits (in all and by rank), 四不两直 inspections, manuals issued by kind and
    responsibility letters issued and signed."""
    county_id = getattr(county, "pk", county)
    visits = Visit.objects.filter(county_id=county_id, visited_on__range=(start, end)).aggregate(
        total=Count("id"),
        county_rank=Count("id", filter=Q(leader__rank=Rank.COUNTY)),
        section_rank=Count("id", filter=Q(leader__rank=Rank.SECTION)),
        leaders=Count("leader", distinct=True),
    )
    inspections = OfficialInspection.objects.filter(county_id=county_id, inspected_on__range=(start, end)).count()
    issued = {kind: {"issued": 0, "signed": 0} for kind in IssuanceKind.values}
    rows = (
        Issuance.objects.filter(county_id=county_id, issued_on__range=(start, end))
        .values("kind")
        .annotate(issued=Sum("issued_count"), signed=Sum("signed_count"))
    )
    for row in rows:
        issued[row["kind"]] = {"issued": row["issued"] or 0, "signed": row["signed"] or 0}
    return {
        "visits": visits["total"],
        "visits_by_rank": {Rank.COUNTY.value: visits["county_rank"], Rank.SECTION.value: visits["section_rank"]},
        "visiting_leaders": visits["leaders"],
        "official_inspections": inspections,
        "manuals": {
            "government": issued[IssuanceKind.GOVERNMENT_MANUAL]["issued"],
            "enterprise": issued[IssuanceKind.ENTERPRISE_MANUAL]["issued"],
        },
        "letters": issued[IssuanceKind.RESPONSIBILITY_LETTER],
        "by_kind": issued,
    }


def county_work_figures(*, county, period) -> list[dict]:
    """``county_figures`` as the county dashboard's and briefing's 县级工作 rows
    (``reports.county``: a list of {"key", "label", "value", "unit"}); ``period.end`` is exclusive."""
    from django.utils.translation import gettext as _

    f = county_figures(county=county, start=period.start, end=period.end - dt.timedelta(days=1))
    copies, times = _("份"), _("次")
    rows = [
        ("leader_visits", _("领导干部基层督导"), f["visits"], times),
        ("official_inspections", _("“四不两直”督查"), f["official_inspections"], times),
        ("manuals_government", IssuanceKind.GOVERNMENT_MANUAL.label, f["manuals"]["government"], copies),
        ("manuals_enterprise", IssuanceKind.ENTERPRISE_MANUAL.label, f["manuals"]["enterprise"], copies),
        ("letters_signed", _("签订安全生产责任书"), f["letters"]["signed"], copies),
    ]
    return [{"key": k, "label": str(label), "value": v, "unit": str(unit)} for k, label, v, unit in rows]
