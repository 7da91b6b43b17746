"""Data for the reports tests, made with the other apps' own factories (their models, their rules)."""

from datetime import date
from decimal import Decimal

from tests.incidents.factories import IncidentFactory, InjuryRecordFactory, aware

__all__ = ["IncidentFactory", "InjuryRecordFactory", "aware", "incident", "march_fixture"]


def incident(village, y, m, d, *, deaths=0, serious=0, minor=0, loss="0"):
    return IncidentFactory(
        village=village,
        occurred_at=aware(y, m, d),
        deaths=deaths,
        serious_injuries=serious,
        minor_injuries=minor,
        direct_loss=Decimal(loss),
    )


def march_fixture(world):
    """Hand-computed figures of 城关街道 (township 1); see the expectations in test_services_briefings."""
    v = world.village1
    # March 2025: 2 incidents, 1 death, 4 injured, 15.00 万元
    incident(v, 2025, 3, 5, deaths=1, minor=2, loss="10.00")
    incident(v, 2025, 3, 20, serious=1, minor=1, loss="5.00")
    # January 2026: 1 incident, 2 deaths, 4.00 万元 (January 2025 had none: no percentage)
    incident(v, 2026, 1, 9, deaths=2, loss="4.00")
    # March 2026: 3 incidents, 0 deaths, 3 injured, 6.00 万元
    incident(v, 2026, 3, 2, minor=1, loss="2.00")
    incident(world.villages1[1], 2026, 3, 15, minor=1, loss="1.00")
    incident(v, 2026, 3, 31, serious=1, loss="3.00")
    # Another township's incident never counts for township 1
    incident(world.village2, 2026, 3, 10, deaths=5, loss="100.00")
    # Injury records: two falls at home, one road crash in March 2026
    InjuryRecordFactory(village=v, injured_at=aware(2026, 3, 3))
    InjuryRecordFactory(village=v, injured_at=aware(2026, 3, 4))
    InjuryRecordFactory(village=v, injured_at=aware(2026, 3, 8), cause="01", place="05", activity="07")
    return date(2026, 4, 2)


def busy_township(world, n: int, *, village_index=0):
    """``n`` of every kind of row the dashboard reads, in township 1, this year: for the
    query-count ceilings (the count must not grow with ``n``)."""
    from django.utils import timezone

    from tests.committees.factories import ActionItemFactory, ActivityFactory, MeetingFactory
    from tests.inspections.factories import EntityFactory, GridFactory, HazardFactory
    from tests.projects.factories import ProjectFactory

    today = timezone.localdate()
    v = world.villages1[village_index]
    grid = GridFactory(village=v)
    for i in range(n):
        day = max(1, min(today.day, 1 + i % 28))
        incident(world.villages1[i % len(world.villages1)], today.year, today.month, day, minor=1, loss="1.00")
        InjuryRecordFactory(
            village=world.villages1[i % len(world.villages1)], injured_at=aware(today.year, today.month, day)
        )
        entity = EntityFactory(grid=grid)
        HazardFactory(entity=entity, found_on=today, registered_by=world.users["township1"])
        MeetingFactory(township=world.township1, held_on=today)
        ActivityFactory(township=world.township1, held_on=today)
        ActionItemFactory(township=world.township1, due_on=today)
        ProjectFactory(township=world.township1)
