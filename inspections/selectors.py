"""Reads that feed pages and reports; dashboards, briefings and scorecards reuse these.

``townships`` is a queryset or list of township Areas or their ids.
"""

import datetime as dt
import math

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from incidents.models import Incident, InjuryRecord
from safecommunity.datacache import versioned
from safecommunity.periods import Period, rate
from safecommunity.querysets import township_ids

from .choices import OPEN_STATUSES, HazardStatus
from .models import Grid, Hazard, Inspection, SupervisedEntity
from .services.common import frequency_map, interval_days


@versioned("inspections")
def hazard_statistics(*, townships, period: Period, today: dt.date) -> dict:
    """found (in the period), rectified (closed in the period), open and overdue (as of ``today``),
    major (found in the period), rectification rate (of those found in the period, the share closed)."""
    return _summed(hazard_statistics_by_township(townships=townships, period=period, today=today), _hazard_rate)


def _summed(per_township: dict[int, dict], rates) -> dict:
    """The figures of several townships together: the sum of each count, rates recomputed."""
    figures = {}
    for row in per_township.values():
        for key, value in row.items():
            if not key.endswith("_rate"):
                figures[key] = figures.get(key, 0) + value
    return rates(figures)


def _hazard_rate(figures: dict) -> dict:
    figures = {**dict.fromkeys(_HAZARD_COUNTS, 0), **figures}
    figures["rectification_rate"] = rate(figures["found_closed"], figures["found"])
    return figures


def _expected_inspections(days_in_period: int, interval: int) -> int:
    return max(1, math.ceil(days_in_period / interval))


@versioned("inspections")
def inspection_coverage(*, townships, period: Period, today: dt.date) -> dict:
    """Inspections done in the period against those due by the county's frequencies, and entities
    covered (inspected at least once) against entities due (every entity filed before the period
    ended). Only the part of the period up to ``today`` counts as due."""
    return _summed(inspection_coverage_by_township(townships=townships, period=period, today=today), _coverage_rates)


def _coverage_rates(figures: dict) -> dict:
    figures = {**dict.fromkeys(_COVERAGE_COUNTS, 0), **figures}
    figures["inspection_rate"] = rate(figures["inspections_done"], figures["inspections_due"])
    figures["coverage_rate"] = rate(figures["entities_covered"], figures["entities_due"])
    return {k: figures[k] for k in (*_COVERAGE_COUNTS[:2], "inspection_rate", *_COVERAGE_COUNTS[2:], "coverage_rate")}


def week_end(today: dt.date) -> dt.date:
    """Sunday of ``today``'s week."""
    return today + dt.timedelta(days=6 - today.weekday())


def due_conditions(today: dt.date) -> dict[str, Q]:
    """The three lists of "my tasks" as conditions on entities (also the entity list's filter)."""
    end = week_end(today)
    return {
        "overdue": Q(next_due_on__lt=today),
        "today": Q(next_due_on=today),
        "week": Q(next_due_on__gt=today, next_due_on__lte=end),
    }


def due_inspections(*, user, today: dt.date, limit: int = 50) -> dict:
    """ "My tasks": the entities in the user's scope (a grid inspector: their grids) due today, due
    later this week, and overdue; each list at most ``limit`` rows, with full counts."""
    base = SupervisedEntity.objects.for_user(user).filter(closed_on__isnull=True).select_related("grid", "village")
    end = week_end(today)
    conditions = due_conditions(today)
    buckets = {
        "overdue": base.filter(conditions["overdue"]).order_by("next_due_on", "id"),
        "today": base.filter(conditions["today"]).order_by("name", "id"),
        "week": base.filter(conditions["week"]).order_by("next_due_on", "id"),
    }
    counts = base.aggregate(**{name: Count("id", filter=q) for name, q in conditions.items()})
    return {
        "counts": counts,
        "overdue": list(buckets["overdue"][:limit]),
        "today": list(buckets["today"][:limit]),
        "week": list(buckets["week"][:limit]),
        "week_end": end,
    }


def grids_not_inspected(*, townships, today: dt.date, days: int = 30):
    """Grids (with entities) where nothing was inspected in the last ``days`` days: the data
    freshness view. Annotated with ``last_inspected`` (None: never) and ``n_entities``."""
    ids = township_ids(townships)
    since = today - dt.timedelta(days=days)
    return (
        Grid.objects.filter(township_id__in=ids)
        .annotate(last_inspected=Max("entities__last_inspected_on"), n_entities=Count("entities"))
        .filter(n_entities__gt=0)
        .filter(Q(last_inspected__isnull=True) | Q(last_inspected__lt=since))
        .select_related("village", "inspector")
        .order_by("last_inspected", "code")
    )


def grids_not_inspected_first(*, townships, today: dt.date, limit: int = 20) -> tuple[list, int]:
    """The first ``limit`` grids of ``grids_not_inspected`` (same order and annotations) and how
    many there are in all: two small queries (the grids' figures and their count from a narrow
    GROUP BY over grid ids alone, then the rows of those grids), where the queryset's own GROUP BY
    carries every column of the grid, its village and its inspector through the aggregate."""
    from safecommunity.querysets import first_rows_and_count

    figures, count = first_rows_and_count(
        grids_not_inspected(townships=townships, today=today)
        .select_related(None)
        .values("pk", "last_inspected", "n_entities"),
        limit,
    )
    grids = Grid.objects.select_related("village", "inspector").in_bulk([f["pk"] for f in figures])
    rows = []
    for f in figures:
        grid = grids[f["pk"]]
        grid.last_inspected, grid.n_entities = f["last_inspected"], f["n_entities"]
        rows.append(grid)
    return rows, count


def grid_coverage(*, grid_ids, today: dt.date, period: Period) -> dict[int, dict]:
    """Per grid id: entities, entities inspected in the period, due now, open and overdue hazards,
    and the injury records of the year to the period's end (where people got hurt, beside the
    hazards: the map shows both). Three grouped queries for the grids of one page, whatever the
    size of the county."""
    result = {
        gid: {"n_entities": 0, "n_due": 0, "n_inspected": 0, "n_open": 0, "n_overdue": 0, "n_injuries": 0}
        for gid in grid_ids
    }
    entities = (
        SupervisedEntity.objects.filter(grid_id__in=grid_ids)
        .values("grid_id")
        .annotate(
            n_entities=Count("id"),
            n_due=Count("id", filter=Q(next_due_on__lte=today)),
            n_inspected=Count("id", filter=Q(last_inspected_on__gte=period.start, last_inspected_on__lt=period.end)),
        )
    )
    for row in entities:
        result[row.pop("grid_id")].update(row)
    hazards = (
        Hazard.objects.filter(entity__grid_id__in=grid_ids, status__in=OPEN_STATUSES)
        .values("entity__grid_id")
        .annotate(n_open=Count("id"), n_overdue=Count("id", filter=Q(deadline__lt=today)))
    )
    for row in hazards:
        result[row.pop("entity__grid_id")].update(row)
    year = Period.year_to_date(period.last_day.year, period.last_day.month)
    injuries = (
        InjuryRecord.objects.filter(
            grid_id__in=grid_ids, injured_at__gte=year.start_datetime(), injured_at__lt=year.end_datetime()
        )
        .values("grid_id")
        .annotate(n_injuries=Count("id"))
    )
    for row in injuries:
        result[row.pop("grid_id")].update(row)
    return result


def entity_accident_flags(entity_ids, *, today: dt.date) -> dict[int, bool]:
    """Which entities had a fatal accident or three serious injuries in the past year (from the
    incidents app): they are flagged for the worst supervision class."""
    if not entity_ids:
        return {}
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=365), dt.time.min))
    rows = (
        Incident.objects.filter(entity_id__in=list(entity_ids), occurred_at__gte=since)
        .values("entity_id")
        .annotate(deaths=Sum("deaths"), serious=Sum("serious_injuries"))
    )
    return {r["entity_id"]: bool((r["deaths"] or 0) > 0 or (r["serious"] or 0) >= 3) for r in rows}


def entity_summary(entity: SupervisedEntity, *, today: dt.date) -> dict:
    hazards = entity.hazards.aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
        total=Count("id"),
    )
    return {
        "hazards": hazards,
        "worst_class_flag": entity_accident_flags([entity.pk], today=today).get(entity.pk, False),
    }


def hazard_timeline(hazard: Hazard):
    """The events of the loop with their photos, in order."""
    return hazard.events.select_related("actor").prefetch_related("photos").order_by("at", "id")


def county_settings(*, county) -> dict:
    """The county's reference data for the settings page, in a fixed number of queries: the current
    checklist per entity kind (with its item count), the intervals, the class meanings and the
    hazard grades (with how many hazards use each)."""
    from .choices import DEFAULT_INTERVAL_DAYS, SupervisionClass
    from .kinds import county_kind_choices
    from .models import ChecklistTemplate, HazardGrade, InspectionFrequency, SupervisionClassDefinition
    from .services.common import hazard_grades

    current = {
        t.kind: t
        for t in ChecklistTemplate.objects.filter(county=county, is_current=True).annotate(item_count=Count("items"))
    }
    county_kinds = county_kind_choices(county)
    checklists = [{"kind": kind, "label": label, "template": current.get(kind)} for kind, label in county_kinds]
    rows = list(InspectionFrequency.objects.filter(county=county))
    configured = {(r.supervision_class, r.kind): r.interval_days for r in rows}
    kind_labels = dict(county_kinds)
    meanings = {d.supervision_class: d.meaning for d in SupervisionClassDefinition.objects.filter(county=county)}
    classes = []
    for cls, label in SupervisionClass.choices:
        default = configured.get((cls, ""))
        classes.append(
            {
                "code": cls,
                "label": label,
                "meaning": meanings.get(cls, ""),
                "interval_days": default or DEFAULT_INTERVAL_DAYS[cls],
                "configured": default is not None,
                "by_kind": [
                    {"kind": k, "label": kind_labels.get(k, k), "interval_days": d}
                    for (c, k), d in sorted(configured.items())
                    if c == cls and k
                ],
            }
        )
    hazard_grades(county)  # the two default grades exist from the first time anyone asks
    grades = list(HazardGrade.objects.filter(county=county).annotate(hazard_count=Count("hazards")))
    return {"checklists": checklists, "classes": classes, "grades": grades}


# --- Per township in one pass (the county's ranking: a fixed number of queries) -----------------

_HAZARD_COUNTS = ("found", "found_closed", "major", "open", "overdue", "major_open", "rectified")
_COVERAGE_COUNTS = ("inspections_done", "inspections_due", "entities_covered", "entities_due")


@versioned("inspections")
def hazard_statistics_by_township(*, townships, period: Period, today: dt.date) -> dict[int, dict]:
    """``hazard_statistics`` of each township, {township id: figures}: three grouped queries."""
    ids = township_ids(townships)
    qs = Hazard.objects.filter(township_id__in=ids).order_by().values("township_id")
    result = {tid: dict.fromkeys(_HAZARD_COUNTS, 0) for tid in ids}
    for row in qs.filter(found_on__gte=period.start, found_on__lt=period.end).annotate(
        found=Count("*"),
        found_closed=Count("township", filter=Q(status=HazardStatus.CLOSED)),
        major=Count("township", filter=Q(is_major=True)),
    ):
        result[row.pop("township_id")].update(row)
    for row in qs.filter(status__in=OPEN_STATUSES).annotate(
        open=Count("*"),
        overdue=Count("township", filter=Q(deadline__lt=today)),
        major_open=Count("township", filter=Q(is_major=True)),
    ):
        result[row.pop("township_id")].update(row)
    for row in qs.filter(closed_on__gte=period.start, closed_on__lt=period.end).annotate(rectified=Count("*")):
        result[row.pop("township_id")].update(row)
    return {tid: _hazard_rate(figures) for tid, figures in result.items()}


@versioned("inspections")
def inspection_coverage_by_township(*, townships, period: Period, today: dt.date) -> dict[int, dict]:
    """``inspection_coverage`` of each township, {township id: figures}: three grouped queries
    (and one per county for its frequencies)."""
    ids = township_ids(townships)
    end = min(period.end, today + dt.timedelta(days=1))
    days = max((end - period.start).days, 0)
    result = {tid: dict.fromkeys(_COVERAGE_COUNTS, 0) for tid in ids}
    inspections = Inspection.objects.filter(
        township_id__in=ids, inspected_at__gte=period.start_datetime(), inspected_at__lt=period.end_datetime()
    ).order_by()
    for row in inspections.values("township_id").annotate(done=Count("*"), covered=Count("entity_id", distinct=True)):
        result[row["township_id"]].update(inspections_done=row["done"], entities_covered=row["covered"])
    freqs = {}
    for g in _entity_groups(townships=ids, before=period.end):
        county = g["township__parent_id"]
        if county not in freqs:
            freqs[county] = frequency_map(county)
        if days:
            figures = result[g["township_id"]]
            interval = interval_days(freqs[county], g["supervision_class"], g["kind"])
            figures["inspections_due"] += g["n"] * _expected_inspections(days, interval)
            figures["entities_due"] += g["n"]
    return {tid: _coverage_rates(figures) for tid, figures in result.items()}


@versioned("inspections")
def _entity_groups(*, townships, before: dt.date) -> list[dict]:
    """The entities filed before the day ``before`` by township (and its county), supervision
    class and kind, with their number: what is due. One query, read once for the dashboard's
    month and the ranking's year (both end with the current month)."""
    return list(
        SupervisedEntity.objects.filter(
            # Local midnight of ``before`` (created_at__date would cast every row's time).
            township_id__in=townships,
            created_at__lt=timezone.make_aware(dt.datetime.combine(before, dt.time.min)),
        )
        .order_by()
        .values("township_id", "township__parent_id", "supervision_class", "kind")
        .annotate(n=Count("*"))
    )
