import datetime as dt

import pytest
from django.utils import timezone

from inspections.choices import HazardStatus, Rating
from inspections.models import Inspection, SupervisedEntity
from inspections.selectors import (
    due_inspections,
    entity_accident_flags,
    grids_not_inspected,
    grids_not_inspected_first,
    hazard_statistics,
    inspection_coverage,
)
from inspections.services import entity_regrade
from safecommunity.exceptions import ApplicationError
from safecommunity.periods import Period

from .factories import EntityFactory, HazardFactory, grade

TODAY = dt.date(2026, 6, 17)  # a Wednesday


def test_hazard_statistics(world, entities):
    e1, e2 = entities["e1"], entities["e2"]
    u = world.users["inspector1"]

    def mk(**kw):
        return HazardFactory(entity=kw.pop("entity", e1), registered_by=u, **kw)

    mk(found_on=dt.date(2026, 6, 1), deadline=dt.date(2026, 6, 10))  # open, overdue
    mk(found_on=dt.date(2026, 6, 2), deadline=dt.date(2026, 6, 30), grade=grade(world.county, True))  # open major
    mk(
        found_on=dt.date(2026, 6, 3),
        deadline=dt.date(2026, 6, 5),
        status=HazardStatus.CLOSED,
        closed_on=dt.date(2026, 6, 6),
    )  # closed, not overdue
    mk(
        found_on=dt.date(2026, 5, 3),
        deadline=dt.date(2026, 5, 5),
        status=HazardStatus.CLOSED,
        closed_on=dt.date(2026, 6, 6),
    )  # found before, closed in
    mk(entity=e2, found_on=dt.date(2026, 6, 1), deadline=dt.date(2026, 6, 2))  # other township
    stats = hazard_statistics(townships=[world.township1], period=Period.month(2026, 6), today=TODAY)
    assert stats["found"] == 3 and stats["rectified"] == 2 and stats["open"] == 2
    assert stats["overdue"] == 1 and stats["major"] == 1
    assert str(stats["rectification_rate"]) == "0.3333"
    both = hazard_statistics(
        townships=[world.township1.pk, world.township2.pk], period=Period.month(2026, 6), today=TODAY
    )
    assert both["found"] == 4 and both["overdue"] == 2


def test_due_inspections_buckets_for_the_inspector(world, grids):
    g = grids["grid1"]
    overdue = EntityFactory(grid=g, name="逾期单位", next_due_on=TODAY - dt.timedelta(days=1))
    today = EntityFactory(grid=g, name="今日单位", next_due_on=TODAY)
    week = EntityFactory(grid=g, name="周日单位", next_due_on=dt.date(2026, 6, 21))
    EntityFactory(grid=g, name="下周单位", next_due_on=dt.date(2026, 6, 22))
    EntityFactory(grid=grids["grid1b"], name="别的网格", next_due_on=TODAY)
    tasks = due_inspections(user=world.users["inspector1"], today=TODAY)
    assert tasks["overdue"] == [overdue] and tasks["today"] == [today] and tasks["week"] == [week]
    assert tasks["counts"] == {"overdue": 1, "today": 1, "week": 1}
    staff = due_inspections(user=world.users["township1"], today=TODAY)
    assert staff["counts"]["today"] == 2


def test_inspection_coverage(world, grids):
    a = EntityFactory(grid=grids["grid1"], supervision_class="A")  # every 7 days
    EntityFactory(grid=grids["grid1"], supervision_class="D")  # every 90 days
    late = EntityFactory(grid=grids["grid1"], supervision_class="A")  # filed after the period: not due
    SupervisedEntity.objects.exclude(pk=late.pk).update(created_at=timezone.make_aware(dt.datetime(2026, 1, 1)))
    SupervisedEntity.objects.filter(pk=late.pk).update(created_at=timezone.make_aware(dt.datetime(2026, 7, 2)))
    for day in (2, 9):
        Inspection.objects.create(
            township=a.township,
            entity=a,
            recorded_by=world.users["inspector1"],
            inspected_at=timezone.make_aware(dt.datetime(2026, 6, day, 10)),
            representative_name="张三",
            rating=Rating.GOOD,
        )
    cov = inspection_coverage(townships=[world.township1], period=Period.month(2026, 6), today=dt.date(2026, 6, 14))
    # 14 days of June so far: A due twice, D once.
    assert cov["inspections_done"] == 2 and cov["inspections_due"] == 3
    assert cov["entities_covered"] == 1 and cov["entities_due"] == 2


def test_grids_not_inspected(world, grids):
    EntityFactory(grid=grids["grid1"], last_inspected_on=TODAY - dt.timedelta(days=3))
    EntityFactory(grid=grids["grid1b"], last_inspected_on=TODAY - dt.timedelta(days=40))
    stale = list(grids_not_inspected(townships=[world.township1], today=TODAY))
    assert stale == [grids["grid1b"]]


def test_the_dashboards_first_stale_grids_are_the_lists_first_with_the_count_of_all(world, grids):
    """The dashboard's short list (two narrow queries) gives the same grids in the same order,
    with the same annotations, as ``grids_not_inspected``, and the number of all of them."""
    for days, grid in ((40, grids["grid1b"]), (35, grids["grid2"]), (3, grids["grid1"])):
        EntityFactory(grid=grid, last_inspected_on=TODAY - dt.timedelta(days=days))
    EntityFactory(grid=grids["grid2"], last_inspected_on=None)
    townships = [world.township1, world.township2]
    full = list(grids_not_inspected(townships=townships, today=TODAY))
    first, count = grids_not_inspected_first(townships=townships, today=TODAY, limit=1)
    assert count == len(full) == 2
    assert first == full[:1] == [grids["grid1b"]]
    assert (first[0].last_inspected, first[0].n_entities) == (full[0].last_inspected, full[0].n_entities)
    assert first[0].village.name == grids["grid1b"].village.name
    assert grids_not_inspected_first(townships=townships, today=TODAY - dt.timedelta(days=60)) == ([], 0)


def _incident(entity, world, *, days_ago, deaths=0, serious=0):
    from incidents.models import Incident

    return Incident.objects.create(
        township=entity.township,
        village=entity.village,
        entity=entity,
        domain="industry",
        accident_type="01",
        occurred_at=timezone.make_aware(dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(9))),
        deaths=deaths,
        serious_injuries=serious,
    )


@pytest.mark.parametrize(
    "incidents, flagged",
    [
        ([dict(days_ago=30, deaths=1)], True),
        ([dict(days_ago=30, serious=2), dict(days_ago=100, serious=1)], True),
        ([dict(days_ago=30, serious=2)], False),
        ([dict(days_ago=400, deaths=2)], False),  # more than a year ago
    ],
)
def test_fatal_accident_or_three_serious_injuries_flags_the_worst_class(world, entities, incidents, flagged):
    entity = entities["e1"]
    for kw in incidents:
        _incident(entity, world, **kw)
    assert entity_accident_flags([entity.pk], today=TODAY).get(entity.pk, False) is flagged


def test_flagged_entity_needs_a_reason_for_a_milder_class(world, entities):
    entity = entities["e1"]
    _incident(entity, world, days_ago=10, deaths=1)
    with pytest.raises(ApplicationError, match="A类"):
        entity_regrade(
            entity=entity,
            user=world.users["township1"],
            year=2026,
            risk_colour="red",
            supervision_class="B",
            today=TODAY,
        )
    entity_regrade(
        entity=entity, user=world.users["township1"], year=2026, risk_colour="red", supervision_class="A", today=TODAY
    )
