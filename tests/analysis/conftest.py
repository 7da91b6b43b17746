import pytest

from incidents.choices import Cause

from ..incidents.factories import InjuryRecordFactory, aware


def plant(village, year, month, n, *, cause=Cause.FALL, age=70, day=10):
    for i in range(n):
        InjuryRecordFactory(village=village, injured_at=aware(year, month, day + i % 15), cause=cause, age=age)


@pytest.fixture
def baseline_history(world):
    """The same Sep–Nov window of 2023–2025: village 1 two falls a year (age 70), village 2 two
    traffic injuries a year (age 30)."""
    v1, v2 = world.villages1[0], world.villages1[1]
    for year in (2023, 2024, 2025):
        plant(v1, year, 9, 1)
        plant(v1, year, 10, 1)
        plant(v2, year, 10, 2, cause=Cause.MOTOR_VEHICLE, age=30)
    return world
