import datetime as dt

import pytest

from inspections.models import DailyRun, Hazard, Notification
from inspections.tasks import hazards_escalate_overdue

from .factories import EntityFactory, GridFactory, HazardFactory


def _overdue_hazards(world, n=5):
    grid = GridFactory(village=world.village1, inspector=world.users["inspector1"], head=world.users["township1"])
    entity = EntityFactory(grid=grid)
    return [
        HazardFactory(
            entity=entity,
            registered_by=world.users["inspector1"],
            found_on=dt.date(2026, 5, 1),
            deadline=dt.date(2026, 6, 1),
        )
        for _ in range(n)
    ]


def test_escalation_task_runs_once_per_day_in_process(world):
    _overdue_hazards(world, n=2)
    assert hazards_escalate_overdue.delay("2026-06-03").get() == 2
    assert hazards_escalate_overdue.delay("2026-06-03").get() is None
    assert DailyRun.objects.filter(day=dt.date(2026, 6, 3)).count() == 1
    # The next day is a new run.
    assert hazards_escalate_overdue.delay("2026-06-05").get() == 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_escalation_runs_once_per_day_with_two_workers(world, celery_worker_factory):
    hazards = _overdue_hazards(world, n=5)
    celery_worker_factory()
    celery_worker_factory()
    results = [hazards_escalate_overdue.apply_async(args=["2026-06-10"]) for _ in range(2)]
    values = sorted((r.get(timeout=60) for r in results), key=lambda v: v is None)
    assert values == [5, None]
    assert DailyRun.objects.filter(task="hazards_escalate_overdue", day=dt.date(2026, 6, 10)).count() == 1
    # 9 days late: owner, grid head, township. Each level notified once, not twice.
    assert Hazard.objects.filter(pk__in=[h.pk for h in hazards], escalation_level=3).count() == 5
    per_hazard = Notification.objects.filter(hazard=hazards[0])
    assert sorted(per_hazard.values_list("level", flat=True)) == [1, 2, 3]
