import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from incidents.choices import (
    AccidentType,
    Activity,
    BodyPart,
    Cause,
    Domain,
    Intent,
    Nature,
    Outcome,
    Place,
    Severity,
    Sex,
)
from incidents.models import Incident, InjuryRecord
from incidents.validators import id_check_digit


def aware(year, month, day, hour=10, minute=0):
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def make_id_number(*, birth: dt.date, male: bool = True, area: str = "371799", seq: int = 12) -> str:
    first17 = f"{area}{birth:%Y%m%d}{seq:02d}{1 if male else 2}"
    return first17 + id_check_digit(first17)


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    township = factory.LazyAttribute(lambda o: o.village.parent)
    occurred_at = factory.LazyFunction(lambda: aware(2025, 6, 15))
    domain = Domain.ROAD
    accident_type = AccidentType.VEHICLE
    deaths = 0
    serious_injuries = 0
    minor_injuries = 1
    direct_loss = Decimal("1.50")
    address = factory.Sequence(lambda n: f"测试路{n}号")


class InjuryRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InjuryRecord

    township = factory.LazyAttribute(lambda o: o.village.parent)
    name = "王小明"
    sex = Sex.MALE
    age = 70
    injured_at = factory.LazyFunction(lambda: aware(2025, 6, 15))
    cause = Cause.FALL
    place = Place.HOME
    activity = Activity.HOUSEWORK
    intent = Intent.UNINTENTIONAL
    nature = Nature.FRACTURE
    body_part = BodyPart.LOWER_LIMB
    severity = Severity.MODERATE
    outcome = Outcome.HOSPITALISED
