"""Injuries and hazards joined by place: per grid (inspections.selectors.grid_coverage: entities,
open and overdue hazards, injuries of the year) and per supervised entity (incident casualties,
hazards, the latest inspections), the clusters that suggest a targeted inspection, and the
inspection interval an entity's outcomes give under the county's rule (docs/analysis.md §5)."""

import datetime as dt

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from incidents.models import Incident, InjuryRecord
from inspections import selectors as inspections
from inspections.choices import OPEN_STATUSES
from inspections.models import Grid, Hazard, Inspection, SupervisedEntity
from inspections.services.common import frequency_map, interval_days
from safecommunity.periods import Period

from .selectors import settings_of

CLUSTER_DAYS = 90
CLEAN_RATINGS = ("good", "fairly_good")


def _since(today: dt.date, days: int):
    return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min))


def is_clean(rating: str, hazards: int = 0) -> bool:
    """A clean inspection: rated 好/较好 and no hazard found."""
    return rating in CLEAN_RATINGS and not hazards


def suggested_interval(*, base: int, hazards_12m: int, last_ratings: list, rule) -> tuple[int, str]:
    """The county's rule: many hazards in 12 months tighten the interval; a run of clean
    inspections (newest first: a rating, or (rating, hazards found)) relaxes it.
    Returns (days, reason code)."""
    if hazards_12m >= rule.tighten_after_hazards:
        return min(base, rule.tightened_interval_days), "tighten"
    recent = [r if isinstance(r, tuple) else (r, 0) for r in last_ratings[: rule.relax_after_clean]]
    if len(recent) >= rule.relax_after_clean and all(is_clean(*r) for r in recent):
        return base * rule.relaxed_interval_factor, "relax"
    return base, "keep"


def rule_interval(entity, *, today: dt.date) -> int | None:
    """The interval the county's rule gives ``entity`` now, or None while the county has not
    switched the rule on (inspections' services call this after an inspection). Three queries."""
    rule = settings_of(entity.township.parent_id)
    if not rule.apply_inspection_rule:
        return None
    base = interval_days(frequency_map(entity.township.parent_id), entity.supervision_class, entity.kind)
    hazards_12m = Hazard.objects.filter(entity=entity, found_on__gte=today - dt.timedelta(days=365)).count()
    recent = list(
        Inspection.objects.filter(entity=entity)
        .order_by("-inspected_at", "-id")
        .annotate(n=Count("hazards"))
        .values_list("rating", "n")[: rule.relax_after_clean]
    )
    return suggested_interval(base=base, hazards_12m=hazards_12m, last_ratings=recent, rule=rule)[0]


def place_overview(*, township, today: dt.date) -> dict:
    """{"grids": [...], "entities": [...], "suggestions": [...], "map_features": [...]} of one
    township, in a fixed number of queries."""
    rule = settings_of(township.parent_id)
    grids = list(Grid.objects.filter(township=township).select_related("village").order_by("code"))
    coverage = inspections.grid_coverage(
        grid_ids=[g.pk for g in grids], today=today, period=Period.month(today.year, today.month)
    )
    since = _since(today, CLUSTER_DAYS)
    recent_by_grid = dict(
        InjuryRecord.objects.filter(township=township, grid__isnull=False, injured_at__gte=since)
        .values_list("grid_id")
        .annotate(n=Count("id"))
    )
    incidents_by_grid = dict(
        Incident.objects.filter(township=township, grid__isnull=False, occurred_at__gte=since)
        .values_list("grid_id")
        .annotate(n=Sum("deaths") + Sum("serious_injuries") + Sum("minor_injuries"))
    )
    entities = list(
        SupervisedEntity.objects.filter(township=township).select_related("grid").order_by("grid__code", "name")[:500]
    )
    ids = [e.pk for e in entities]
    casualties = {
        r["entity_id"]: r
        for r in Incident.objects.filter(entity_id__in=ids, occurred_at__gte=_since(today, 365))
        .values("entity_id")
        .annotate(
            n=Count("id"),
            hurt=Sum("deaths") + Sum("serious_injuries") + Sum("minor_injuries"),
            recent=Sum("deaths", filter=Q(occurred_at__gte=since))
            + Sum("serious_injuries", filter=Q(occurred_at__gte=since))
            + Sum("minor_injuries", filter=Q(occurred_at__gte=since)),
        )
    }
    hazards = {
        r["entity_id"]: r
        for r in Hazard.objects.filter(entity_id__in=ids)
        .values("entity_id")
        .annotate(
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            found_12m=Count("id", filter=Q(found_on__gte=today - dt.timedelta(days=365))),
        )
    }
    ratings = {}
    for entity_id, rating, n in (
        Inspection.objects.filter(entity_id__in=ids)
        .order_by("entity_id", "-inspected_at", "-id")
        .annotate(n=Count("hazards"))
        .values_list("entity_id", "rating", "n")[:5000]
    ):
        ratings.setdefault(entity_id, []).append((rating, n))
    last_inspected = dict(
        Inspection.objects.filter(entity_id__in=ids).values_list("entity_id").annotate(last=Max("inspected_at"))
    )
    freqs = frequency_map(township.parent_id)

    grid_rows, suggestions, features = [], [], []
    for g in grids:
        c = coverage.get(g.pk, {})
        recent = recent_by_grid.get(g.pk, 0) + (incidents_by_grid.get(g.pk) or 0)
        cluster = recent >= rule.cluster_min_injuries
        row = {"grid": g, **c, "recent": recent, "cluster": cluster}
        grid_rows.append(row)
        if cluster:
            suggestions.append({"kind": "grid", "place": g, "recent": recent, "url": g.get_absolute_url()})
        if g.boundary:
            features.append(
                {
                    "name": g.name,
                    "geometry": g.boundary,
                    "url": g.get_absolute_url(),
                    "open": c.get("n_open", 0),
                    "overdue": c.get("n_overdue", 0),
                    "injuries": c.get("n_injuries", 0),
                    "label": f"{c.get('n_open', 0)} / {c.get('n_injuries', 0)}" + (" ⚑" if cluster else ""),
                }
            )
    entity_rows = []
    for e in entities:
        cas = casualties.get(e.pk, {})
        hz = hazards.get(e.pk, {})
        base = interval_days(freqs, e.supervision_class, e.kind)
        days, reason = suggested_interval(
            base=base, hazards_12m=hz.get("found_12m", 0), last_ratings=ratings.get(e.pk, []), rule=rule
        )
        recent = cas.get("recent") or 0
        cluster = recent >= rule.cluster_min_injuries
        entity_rows.append(
            {
                "entity": e,
                "incidents": cas.get("n", 0),
                "hurt": cas.get("hurt") or 0,
                "recent": recent,
                "open_hazards": hz.get("open", 0),
                "hazards_12m": hz.get("found_12m", 0),
                "last_rating": (ratings.get(e.pk) or [("", 0)])[0][0],
                "last_inspected": last_inspected.get(e.pk),
                "interval": base,
                "suggested_interval": days,
                "reason": reason,
                "cluster": cluster,
            }
        )
        if cluster:
            suggestions.append({"kind": "entity", "place": e, "recent": recent, "url": e.get_absolute_url()})
    return {"grids": grid_rows, "entities": entity_rows, "suggestions": suggestions, "map_features": features}
