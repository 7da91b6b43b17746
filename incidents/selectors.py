"""Every number of the incidents app comes from here: the statistics page now, the dashboards,
briefings, scorecards and project indicators later. ``townships`` is a queryset or list of
township Areas (or ids): the caller decides the scope.

Each function costs a fixed number of queries, whatever the amount of data: figures of
several periods and breakdowns on several dimensions use conditional aggregates in one query.
"""

import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecommunity.choices import AreaLevel
from safecommunity.datacache import cached, versioned
from safecommunity.models import Area
from safecommunity.periods import Period, change, change_text
from safecommunity.querysets import township_ids

from . import summary
from .choices import (
    AGE_BAND_BOUNDS,
    Activity,
    AgeBand,
    Cause,
    Domain,
    Outcome,
    Place,
    RateIndicator,
    Severity,
    Sex,
)
from .models import Incident, InjuryRecord, RateBaseline
from .summary import IncidentDay, InjuryDay, MonthlyCount

# Figure → label, in the order briefings give them.
FIGURE_LABELS = {
    "incidents": gettext_lazy("事故起数"),
    "deaths": gettext_lazy("死亡人数"),
    "injured": gettext_lazy("受伤人数"),
    "serious": gettext_lazy("重伤人数"),
    "poisoned": gettext_lazy("其中急性工业中毒"),
    "minor": gettext_lazy("轻伤人数"),
    "loss": gettext_lazy("直接经济损失(万元)"),
    "injuries": gettext_lazy("伤害监测例数"),
}

# Breakdown dimension → code list (None: computed separately).
BREAKDOWN_CHOICES = {
    "cause": Cause,
    "place": Place,
    "activity": Activity,
    "sex": Sex,
    "severity": Severity,
    "outcome": Outcome,
    "age_band": AgeBand,
}
BREAKDOWNS = (*BREAKDOWN_CHOICES, "village")


def _in_period(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start_datetime(), f"{field}__lt": period.end_datetime()})


def _span(periods) -> Period:
    return Period(min(p.start for p in periods), max(p.end for p in periods))


# Each figure of an incident period: (aggregate over raw incidents, over ``IncidentDay``).
_INCIDENT_SUMS = {
    "incidents": ("id", "incidents"),
    "deaths": ("deaths", "deaths"),
    "serious": ("serious_injuries", "serious"),
    "minor": ("minor_injuries", "minor"),
    "poisoned": ("acute_poisonings", "poisoned"),
    "loss": ("direct_loss", "loss"),
}


def _days(period: Period) -> Q:
    return Q(day__gte=period.start, day__lt=period.end)


def _incident_figures(townships, periods: dict[str, Period], by_township: bool = False) -> dict:
    """{name: {incidents, deaths, injured, serious, poisoned, minor, loss}} of each period, in one query
    (poisoned: 急性工业中毒, counted among the serious injuries by 493号令 article 3); with
    ``by_township``, {township id: that} (still one query). Read from ``IncidentDay`` where the
    summary tables are kept, else from the incidents."""
    use_summary = summary.enabled()
    aggregates = {}
    for name, period in periods.items():
        q = _days(period) if use_summary else _in_period("occurred_at", period)
        for key, (raw, summed) in _INCIDENT_SUMS.items():
            zero = Decimal("0") if key == "loss" else 0
            if use_summary:
                aggregates[f"{name}__{key}"] = Coalesce(Sum(summed, filter=q), zero)
            elif key == "incidents":
                aggregates[f"{name}__{key}"] = Count("id", filter=q)
            else:
                aggregates[f"{name}__{key}"] = Coalesce(Sum(raw, filter=q), zero)
    span = _span(periods.values())
    ids = township_ids(townships)
    if use_summary:
        qs = IncidentDay.objects.filter(township_id__in=ids).filter(_days(span))
    else:
        qs = Incident.objects.filter(township_id__in=ids).filter(_in_period("occurred_at", span))

    def figures_of(row):
        result = {}
        for name in periods:
            figures = {key: row[f"{name}__{key}"] for key in _INCIDENT_SUMS}
            figures["loss"] = Decimal(str(figures["loss"])).quantize(Decimal("0.01"))
            figures["injured"] = figures["serious"] + figures["minor"]
            result[name] = figures
        return result

    if not by_township:
        return figures_of(qs.aggregate(**aggregates))
    rows = {r["township_id"]: r for r in qs.order_by().values("township_id").annotate(**aggregates)}
    empty = {k: (Decimal("0") if k.endswith("__loss") else 0) for k in aggregates}
    return {tid: figures_of(rows.get(tid, empty)) for tid in ids}


def _injury_counts(townships, periods: dict[str, Period], by_township: bool = False) -> dict:
    """{name: injury records in that period} (with ``by_township``: {township id: that}), one query."""
    if summary.enabled():
        aggregates = {name: Coalesce(Sum("n", filter=_days(p)), 0) for name, p in periods.items()}
        qs = InjuryDay.objects.filter(_days(_span(periods.values())))
    else:
        aggregates = {name: Count("township", filter=_in_period("injured_at", p)) for name, p in periods.items()}
        qs = InjuryRecord.objects.filter(_in_period("injured_at", _span(periods.values())))
    ids = township_ids(townships)
    qs = qs.filter(township_id__in=ids)
    if not by_township:
        return qs.aggregate(**aggregates)
    rows = {r.pop("township_id"): r for r in qs.order_by().values("township_id").annotate(**aggregates)}
    return {tid: rows.get(tid, dict.fromkeys(periods, 0)) for tid in ids}


def _ordered(figures: dict) -> dict:
    return {key: figures[key] for key in FIGURE_LABELS}


@versioned("incidents")
def incident_statistics(*, townships, period: Period) -> dict:
    """incidents, deaths, injured (= serious + minor), serious, minor, loss (万元, Decimal),
    and injuries (injury records of the surveillance) of ``period``."""
    figures = _incident_figures(townships, {"p": period})["p"]
    figures["injuries"] = _injury_counts(townships, {"p": period})["p"]
    return _ordered(figures)


@versioned("incidents")
def incident_statistics_by_township(*, townships, period: Period) -> dict[int, dict]:
    """``incident_statistics`` of each township: {township id: figures}. Two queries whatever
    the number of townships (the county's ranking)."""
    figures = _incident_figures(townships, {"p": period}, by_township=True)
    injuries = _injury_counts(townships, {"p": period}, by_township=True)
    result = {}
    for tid, f in figures.items():
        f["p"]["injuries"] = injuries[tid]["p"]
        result[tid] = _ordered(f["p"])
    return result


@dataclass(frozen=True)
class FigureChange:
    key: str
    label: str
    current: object
    last_year: object
    previous: object

    @property
    def yoy(self):
        """同比: Decimal (0.175 = 17.5%) or None when last year's figure is 0."""
        return change(self.current, self.last_year)

    @property
    def yoy_text(self) -> str:
        return change_text(self.current, self.last_year)

    @property
    def mom(self):
        """环比 against the period just before."""
        return change(self.current, self.previous)

    @property
    def mom_text(self) -> str:
        return change_text(self.current, self.previous)


@versioned("incidents")
def incident_statistics_with_change(*, townships, period: Period) -> dict:
    """This period, the same period last year and the period before, with 同比 and 环比.

    Returns ``{"period", "last_year_period", "previous_period", "current", "last_year",
    "previous"`` (dicts as ``incident_statistics``) ``, "figures"`` (list of ``FigureChange``)
    ``, "yoy", "yoy_text", "mom", "mom_text"`` (figure → value) ``}``. Two queries.
    """
    periods = {"current": period, "last_year": period.same_period_last_year(), "previous": period.previous()}
    figures = _incident_figures(townships, periods)
    injuries = _injury_counts(townships, periods)
    for name in periods:
        figures[name]["injuries"] = injuries[name]
        figures[name] = _ordered(figures[name])
    rows = [
        FigureChange(
            key, str(FIGURE_LABELS[key]), figures["current"][key], figures["last_year"][key], figures["previous"][key]
        )
        for key in FIGURE_LABELS
    ]
    return {
        "period": period,
        "last_year_period": periods["last_year"],
        "previous_period": periods["previous"],
        **figures,
        "figures": rows,
        "yoy": {r.key: r.yoy for r in rows},
        "yoy_text": {r.key: r.yoy_text for r in rows},
        "mom": {r.key: r.mom for r in rows},
        "mom_text": {r.key: r.mom_text for r in rows},
    }


def injury_queryset(
    *,
    townships,
    period: Period | None = None,
    village=None,
    age_min=None,
    age_max=None,
    cause=None,
    place=None,
    sex=None,
):
    qs = InjuryRecord.objects.filter(township_id__in=township_ids(townships))
    if period is not None:
        qs = qs.filter(_in_period("injured_at", period))
    if village is not None:
        qs = qs.filter(village_id=getattr(village, "pk", village))
    if age_min is not None:
        qs = qs.filter(age__gte=age_min)
    if age_max is not None:
        qs = qs.filter(age__lte=age_max)
    for field, value in (("cause", cause), ("place", place), ("sex", sex)):
        if value is not None:
            qs = qs.filter(
                **(
                    {f"{field}__in": list(value)}
                    if isinstance(value, (list, tuple, set, frozenset))
                    else {field: value}
                )
            )
    return qs


@versioned("incidents")
def injury_count(
    *, townships, period: Period, village=None, age_min=None, age_max=None, cause=None, place=None, sex=None
) -> int:
    """Injury records in ``period`` matching every given condition (age bounds inclusive;
    cause/place/sex may be one code or a collection of codes). One query."""
    conditions = (village, age_min, age_max, cause, place, sex)
    if summary.enabled() and all(c is None for c in conditions):
        return _injury_counts(townships, {"p": period})["p"]
    return injury_queryset(
        townships=townships,
        period=period,
        village=village,
        age_min=age_min,
        age_max=age_max,
        cause=cause,
        place=place,
        sex=sex,
    ).count()


@versioned("incidents")
def injury_breakdowns(*, townships, period: Period, by=BREAKDOWNS) -> dict[str, list[tuple]]:
    """Several breakdowns of the injury records of ``period``: {by: [(key, label, count)]}.

    Code-list dimensions list every entry in code order (zeros included) and cost one query
    together (conditional counts); ``village`` lists the villages with records, most first,
    in two more (counts by village id, then the names of those villages).
    """
    dims = [b for b in by if b in BREAKDOWN_CHOICES]
    unknown = set(by) - set(BREAKDOWNS)
    if unknown:
        raise ValueError(f"unknown breakdown: {sorted(unknown)}")
    wanted = [*dims, *(["village"] if "village" in by else [])]
    if summary.enabled():
        # Whole months from the summary table; the days of a month cut by the period's ends
        # (a month so far) from the raw rows, in one more pass.
        months, parts = _month_split(period)
        totals = _summary_totals(townships, months, wanted)
        if parts:
            raw = _raw_totals(injury_queryset(townships=townships).filter(_any_period("injured_at", parts)), wanted)
            for dim, counts in raw.items():
                for value, n in counts.items():
                    totals[dim][value] = totals[dim].get(value, 0) + n
    else:
        totals = _raw_totals(injury_queryset(townships=townships, period=period), wanted)
    result = {}
    for dim in dims:
        result[dim] = [
            (value, str(label), totals[dim].get(value, 0)) for value, label in BREAKDOWN_CHOICES[dim].choices
        ]
    if "village" in by:
        counts = {pk: n for pk, n in totals["village"].items() if n}
        names = dict(Area.objects.filter(pk__in=list(counts)).values_list("pk", "name"))
        rows = sorted(((pk, names.get(pk, ""), n) for pk, n in counts.items()), key=lambda r: (-r[2], r[1]))
        result["village"] = rows
    return {b: result[b] for b in by}


def _month_split(period: Period) -> tuple[list, list[Period]]:
    """The whole months inside ``period`` (their 1st) and the parts of months it cuts."""
    months, parts, cursor = [], [], period.start
    while cursor < period.end:
        month = Period.month(cursor.year, cursor.month)
        if month.start >= period.start and month.end <= period.end:
            months.append(month.start)
        else:
            parts.append(Period(max(month.start, period.start), min(month.end, period.end)))
        cursor = month.end
    return months, parts


def _any_period(field: str, periods) -> Q:
    q = Q()
    for p in periods:
        q |= _in_period(field, p)
    return q


def _add_age(totals: dict, age, n: int) -> None:
    band = age_band_of(age)
    totals["age_band"][band] = totals["age_band"].get(band, 0) + n


def _summary_totals(townships, months: list, wanted: list[str]) -> dict[str, dict]:
    """{dimension: {value: count}} of the whole ``months`` from ``MonthlyCount``: one query."""
    totals = {d: {} for d in wanted}
    if not months or not wanted:
        return totals
    names = {"age_band": "age"}
    rows = (
        MonthlyCount.objects.filter(
            township_id__in=township_ids(townships),
            month__gte=months[0],
            month__lte=months[-1],  # whole months of one period: contiguous
            dimension__in=[names.get(d, d) for d in wanted],
        )
        .order_by()
        .values_list("dimension", "value")
        .annotate(n=Sum("n"))
    )
    for dimension, value, n in rows:
        if dimension == "age":
            _add_age(totals, int(value), n)
        elif dimension == "village":
            totals["village"][int(value)] = totals["village"].get(int(value), 0) + n
        else:
            totals[dimension][value] = totals[dimension].get(value, 0) + n
    return totals


def _raw_totals(base, wanted: list[str]) -> dict[str, dict]:
    """The same from the injury records of ``base``."""
    # GROUP BY over the code columns (index-only scans of ``injury_statistics_cover``),
    # summed per dimension here: ages apart (about a hundred values), and the code lists
    # together (a few hundred combinations at most, whatever the number of rows).
    totals = {d: {} for d in wanted}
    if "age_band" in wanted:
        for age, n in base.order_by().values_list("age").annotate(n=Count("*")):
            _add_age(totals, age, n)
    columns = [d for d in wanted if d not in ("age_band", "village")]
    if columns:
        for *values, n in base.order_by().values_list(*columns).annotate(n=Count("*")):
            for dim, value in zip(columns, values, strict=True):
                totals[dim][value] = totals[dim].get(value, 0) + n
    if "village" in wanted:
        totals["village"] = dict(base.order_by().values_list("village_id").annotate(n=Count("*")))
    return totals


def injury_breakdown(*, townships, period: Period, by: str) -> list[tuple]:
    """One breakdown (cause/place/activity/age_band/sex/village/severity/outcome) as
    [(key, label, count)]. One query."""
    return injury_breakdowns(townships=townships, period=period, by=(by,))[by]


@versioned("incidents")
def monthly_trend(*, townships, year: int) -> dict:
    """Monthly figures of ``year`` and the year before: {"months": [1..12], figure:
    {"current": [12 ints], "previous": [12 ints]}} for incidents, deaths, injured (of the
    incidents) and injuries (injury records). Two queries."""
    span = Period(Period.year(year - 1).start, Period.year(year).end)
    tz = timezone.get_default_timezone()
    figures = {k: {"current": [0] * 12, "previous": [0] * 12} for k in ("incidents", "deaths", "injured", "injuries")}
    if summary.enabled():
        return _monthly_trend_summary(townships, year, span, figures)

    def slot(month_start):
        month_start = timezone.localtime(month_start, tz) if timezone.is_aware(month_start) else month_start
        return ("current" if month_start.year == year else "previous"), month_start.month - 1

    incidents = (
        Incident.objects.filter(township_id__in=township_ids(townships))
        .filter(_in_period("occurred_at", span))
        .annotate(month=TruncMonth("occurred_at", tzinfo=tz))
        .values("month")
        .annotate(
            n=Count("id"),
            deaths=Coalesce(Sum("deaths"), 0),
            injured=Coalesce(Sum("serious_injuries"), 0) + Coalesce(Sum("minor_injuries"), 0),
        )
        .order_by("month")
    )
    for row in incidents:
        which, i = slot(row["month"])
        figures["incidents"][which][i] = row["n"]
        figures["deaths"][which][i] = row["deaths"]
        figures["injured"][which][i] = row["injured"]
    # Injury records: one range count per month, glued with UNION ALL into one query; each
    # part is an index range scan, with no time-zone arithmetic on every row.
    ids = township_ids(townships)
    parts = []
    for which in ("current", "previous"):
        for month in range(1, 13):
            parts.append((which, month))
    queries = [
        InjuryRecord.objects.filter(township_id__in=ids)
        .filter(_in_period("injured_at", Period.month(y, m)))
        .annotate(slot=Value(i))
        .values("slot")
        .annotate(n=Count("*"))
        .order_by()
        for i, (y, m) in enumerate((year if w == "current" else year - 1, m) for w, m in parts)
    ]
    for row in queries[0].union(*queries[1:], all=True):
        which, month = parts[row["slot"]]
        figures["injuries"][which][month - 1] = row["n"]
    return {"year": year, "months": list(range(1, 13)), **figures}


# The ``MonthlyCount`` dimension whose values, summed, count every injury record of a month.
TOTAL_DIMENSION = "sex"


def _monthly_trend_summary(townships, year: int, span: Period, figures: dict) -> dict:
    """``monthly_trend`` from the summary tables: two small GROUP BY month queries."""
    ids = township_ids(townships)
    incidents = (
        IncidentDay.objects.filter(township_id__in=ids)
        .filter(_days(span))
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(n=Sum("incidents"), deaths=Sum("deaths"), injured=Sum("serious") + Sum("minor"))
        .order_by()
    )
    for row in incidents:
        which, i = ("current" if row["month"].year == year else "previous"), row["month"].month - 1
        for key, value in (("incidents", row["n"]), ("deaths", row["deaths"]), ("injured", row["injured"])):
            figures[key][which][i] += value
    # Injury records by month: ``MonthlyCount`` of one dimension every record has exactly one
    # value of (sex), summed over its values: some 1,000 rows for a county's two years, where
    # the day table has 15,000.
    injuries = (
        MonthlyCount.objects.filter(township_id__in=ids, dimension=TOTAL_DIMENSION)
        .filter(month__gte=span.start, month__lt=span.end)
        .values("month")
        .annotate(n=Sum("n"))
        .order_by()
    )
    for row in injuries:
        which = "current" if row["month"].year == year else "previous"
        figures["injuries"][which][row["month"].month - 1] += row["n"]
    return {"year": year, "months": list(range(1, 13)), **figures}


def villages_without_reports(*, townships, period: Period):
    """Villages of ``townships`` with no incident and no injury record in ``period``
    (data freshness), as a queryset of Areas ordered by code. One query when evaluated."""
    incidents = Incident.objects.filter(village=OuterRef("pk")).filter(_in_period("occurred_at", period))
    injuries = InjuryRecord.objects.filter(village=OuterRef("pk")).filter(_in_period("injured_at", period))
    return (
        Area.objects.filter(level=AreaLevel.VILLAGE, parent_id__in=township_ids(townships))
        .filter(~Exists(incidents), ~Exists(injuries))
        .select_related("parent")
        .order_by("code")
    )


@versioned("incidents")
def area_statistics(*, townships, period: Period, year: int) -> dict:
    """What the statistics page shows of ``townships`` besides the rates, as one cached result
    (after a write, concurrent readers wait for one computation of all of it): {"stats"
    (``incident_statistics_with_change``), "breakdowns", "trend" (``monthly_trend`` of ``year``),
    "villages_without_reports" (at most 200 villages)}."""
    return {
        "stats": incident_statistics_with_change(townships=townships, period=period),
        "breakdowns": injury_breakdowns(townships=townships, period=period),
        "trend": monthly_trend(townships=townships, year=year),
        "villages_without_reports": list(villages_without_reports(townships=townships, period=period)[:200]),
    }


#: The data domains ``statistics_page`` is cached under (in the area's townships and the area itself).
STATISTICS_PAGE_DOMAINS = ("incidents", "baselines")


def statistics_page(*, area, period: Period, year: int) -> dict:
    """What the statistics page shows of ``area`` (a township or a county), as one cached result:
    ``area_statistics`` of its townships with "rates" (``rates`` of ``year``) and "token" (unique
    to this computation: the page's parts rendered from it are cached under it). One result, so
    that after a write the page's readers arriving at once wait for one computation of all of it."""
    townships = townships_of(area)

    def compute():
        data = area_statistics(townships=townships, period=period, year=year)
        counts = _rate_counts(townships=townships, year=year)
        return {**data, "rates": rates(area=area, year=year, counts=counts), "token": uuid.uuid4().hex}

    return cached(
        STATISTICS_PAGE_DOMAINS,
        [*townships, area.pk],  # the area's own rate baseline too
        "incidents.statistics_page",
        {"area": area.pk, "period": period, "year": year},
        compute,
    )


# --- Rates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateFigure:
    key: str
    label: str
    numerator: object
    denominator: object
    value: Decimal | None
    target: Decimal | None
    unit: str

    @property
    def within_target(self) -> bool | None:
        """True when the rate is at or below its control target; None without both figures."""
        if self.value is None or self.target is None:
            return None
        return self.value <= self.target


def townships_of(area):
    """The townships an area stands for: itself, or the townships of a county."""
    if area.level == AreaLevel.TOWNSHIP:
        return [area.pk]
    return list(Area.objects.filter(parent=area).townships().values_list("pk", flat=True))


def _ratio(numerator, denominator, factor, places) -> Decimal | None:
    if not denominator:
        return None
    value = Decimal(numerator or 0) * Decimal(factor) / Decimal(str(denominator))
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@versioned("incidents")
def _rate_counts(*, townships, year: int) -> tuple[dict, dict]:
    """The numerators of the rates: deaths (all, road, industry) and injuries (all, died)."""
    period = Period.year(year)
    if summary.enabled():
        deaths = (
            IncidentDay.objects.filter(township_id__in=townships)
            .filter(_days(period))
            .aggregate(
                all=Coalesce(Sum("deaths"), 0),
                road=Coalesce(Sum("deaths", filter=Q(domain=Domain.ROAD)), 0),
                industry=Coalesce(Sum("deaths", filter=Q(domain=Domain.INDUSTRY)), 0),
            )
        )
        injuries = (
            InjuryDay.objects.filter(township_id__in=townships)
            .filter(_days(period))
            .aggregate(n=Coalesce(Sum("n"), 0), died=Coalesce(Sum("died"), 0))
        )
        return deaths, injuries
    q = _in_period("occurred_at", period)
    deaths = (
        Incident.objects.filter(township_id__in=townships)
        .filter(q)
        .aggregate(
            all=Coalesce(Sum("deaths"), 0),
            road=Coalesce(Sum("deaths", filter=Q(domain=Domain.ROAD)), 0),
            industry=Coalesce(Sum("deaths", filter=Q(domain=Domain.INDUSTRY)), 0),
        )
    )
    injuries = injury_queryset(townships=townships, period=period).aggregate(
        n=Count("*"),
        died=Count("township", filter=Q(outcome=Outcome.DIED)),
    )
    return deaths, injuries


def rates(*, area, year: int, counts: tuple | None = None) -> list[RateFigure]:
    """Each rate of ``area`` (township or county) in ``year`` against its control target.
    Rates are computed from stored counts and stored denominators, never stored. Three queries
    (one with ``counts``: the numerators already read, ``area_statistics``'s "rate_counts")."""
    deaths, injuries = counts or _rate_counts(townships=townships_of(area), year=year)
    base = RateBaseline.objects.filter(area=area, year=year).first() or RateBaseline(area=area, year=year)
    labels = dict(RateIndicator.choices)
    return [
        RateFigure(
            RateIndicator.GDP_DEATH,
            str(labels[RateIndicator.GDP_DEATH]),
            deaths["all"],
            base.gdp,
            _ratio(deaths["all"], base.gdp, 1, 4),
            base.target_gdp_death,
            _("人/亿元"),
        ),
        RateFigure(
            RateIndicator.ROAD_DEATH,
            str(labels[RateIndicator.ROAD_DEATH]),
            deaths["road"],
            base.motor_vehicles,
            _ratio(deaths["road"], base.motor_vehicles, 10_000, 4),
            base.target_road_death,
            _("人/万车"),
        ),
        RateFigure(
            RateIndicator.EMPLOYEE_DEATH,
            str(labels[RateIndicator.EMPLOYEE_DEATH]),
            deaths["industry"],
            base.employees,
            _ratio(deaths["industry"], base.employees, 100_000, 4),
            base.target_employee_death,
            _("人/10万人"),
        ),
        RateFigure(
            RateIndicator.INJURY_INCIDENCE,
            str(labels[RateIndicator.INJURY_INCIDENCE]),
            injuries["n"],
            base.population,
            _ratio(injuries["n"], base.population, 100_000, 2),
            base.target_injury_incidence,
            _("例/10万人"),
        ),
        RateFigure(
            RateIndicator.INJURY_MORTALITY,
            str(labels[RateIndicator.INJURY_MORTALITY]),
            injuries["died"],
            base.population,
            _ratio(injuries["died"], base.population, 100_000, 2),
            base.target_injury_mortality,
            _("例/10万人"),
        ),
    ]


def age_band_of(age: int | None) -> str:
    if age is None:
        return ""
    for band, (low, high) in AGE_BAND_BOUNDS.items():
        if age >= low and (high is None or age <= high):
            return band
    return ""


__all__ = [
    "BREAKDOWNS",
    "FIGURE_LABELS",
    "FigureChange",
    "RateFigure",
    "age_band_of",
    "area_statistics",
    "incident_statistics",
    "incident_statistics_by_township",
    "incident_statistics_with_change",
    "injury_breakdown",
    "injury_breakdowns",
    "injury_count",
    "injury_queryset",
    "monthly_trend",
    "rates",
    "statistics_page",
    "townships_of",
    "villages_without_reports",
]
