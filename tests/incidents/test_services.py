import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from incidents.choices import (
    AccidentType,
    Activity,
    BodyPart,
    Cause,
    Domain,
    Grade,
    IncidentStatus,
    Intent,
    Nature,
    Outcome,
    Place,
    Severity,
    Sex,
)
from incidents.models import CasualtyRevision, InjuryRecord, PersonalDataReveal
from incidents.services import (
    incident_close,
    incident_register,
    incident_update,
    incident_verify,
    injury_record_create,
    injury_records_bulk_create,
    personal_data_reveal,
    rate_baseline_save,
)
from safecommunity.exceptions import ApplicationError
from tests.incidents.factories import IncidentFactory, aware, make_id_number


def card(world, **overrides):
    data = dict(
        name="王小明", sex=Sex.MALE, age=70, injured_at=aware(2025, 6, 15, 9), village=world.village1,
        cause=Cause.FALL, place=Place.HOME, activity=Activity.HOUSEWORK, intent=Intent.UNINTENTIONAL,
        nature=Nature.FRACTURE, body_part=BodyPart.LOWER_LIMB, severity=Severity.MODERATE,
        outcome=Outcome.HOSPITALISED,
    )
    data.update(overrides)
    return data


def create(world, **overrides):
    return injury_record_create(township=world.township1, user=world.users["township1"], **card(world, **overrides))


def errors_of(exc):
    return exc.value.message_dict


# --- Incidents -------------------------------------------------------------------------------

def test_register_incident_sets_status_creator_and_grade(world):
    incident = incident_register(
        township=world.township1, user=world.users["township1"], occurred_at=aware(2025, 3, 5, 14, 30),
        village=world.village1, domain=Domain.INDUSTRY, accident_type=AccidentType.FALL_FROM_HEIGHT,
        deaths=3, serious_injuries=1, minor_injuries=2, direct_loss=Decimal("120.5"),
    )
    assert incident.status == IncidentStatus.REPORTED
    assert incident.created_by == world.users["township1"]
    assert incident.grade == Grade.LARGER
    assert incident.injured == 3


def test_incident_village_must_belong_to_the_township(world):
    with pytest.raises(ValidationError) as exc:
        incident_register(township=world.township1, occurred_at=aware(2025, 3, 5), village=world.village2,
                          domain=Domain.FIRE, accident_type=AccidentType.FIRE)
    assert "village" in errors_of(exc)


def test_incident_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        incident_register(township=world.township1, occurred_at=aware(2099, 1, 1), village=world.village1,
                          domain=Domain.FIRE, accident_type=AccidentType.FIRE)
    assert "occurred_at" in errors_of(exc)


def test_revising_casualties_keeps_each_revision_with_who_and_when(world):
    incident = IncidentFactory(village=world.village1, deaths=1, serious_injuries=0, minor_injuries=2)
    user = world.users["township1"]
    incident_update(incident=incident, user=user, deaths=2, reason="伤者抢救无效死亡")
    incident_update(incident=incident, user=user, narrative="补充经过")  # no casualty change
    incident_update(incident=incident, user=user, direct_loss=Decimal("30"))
    revisions = list(CasualtyRevision.objects.filter(incident=incident).order_by("id"))
    assert len(revisions) == 2
    assert (revisions[0].deaths_before, revisions[0].deaths, revisions[0].revised_by) == (1, 2, user)
    assert revisions[0].reason == "伤者抢救无效死亡"
    assert revisions[1].loss_before == Decimal("1.50") and revisions[1].direct_loss == Decimal("30")
    assert revisions[1].revised_at >= revisions[0].revised_at


def test_status_goes_reported_verified_closed_and_not_backwards(world):
    incident = IncidentFactory(village=world.village1)
    user = world.users["township1"]
    with pytest.raises(ApplicationError):
        incident_close(incident=incident, user=user)
    incident_verify(incident=incident, user=user)
    with pytest.raises(ApplicationError):
        incident_verify(incident=incident, user=user)
    incident_close(incident=incident, user=user)
    assert incident.status == IncidentStatus.CLOSED
    with pytest.raises(ApplicationError):
        incident_update(incident=incident, user=user, deaths=5)


# --- Injury card -----------------------------------------------------------------------------

def test_valid_card_is_saved_with_report_time(world):
    record = create(world)
    assert record.pk and record.reported_at is not None


def test_id_number_with_wrong_check_digit_is_refused(world):
    number = make_id_number(birth=dt.date(1955, 1, 2))
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        create(world, id_number=wrong)
    assert "id_number" in errors_of(exc)


def test_sex_must_agree_with_id_number(world):
    number = make_id_number(birth=dt.date(1955, 1, 2), male=False)
    with pytest.raises(ValidationError) as exc:
        create(world, id_number=number, sex=Sex.MALE)
    assert "sex" in errors_of(exc)
    assert create(world, id_number=number, sex=Sex.FEMALE).pk


def test_age_must_agree_with_id_number_on_the_injury_date(world):
    number = make_id_number(birth=dt.date(1955, 6, 16))
    with pytest.raises(ValidationError) as exc:
        create(world, id_number=number, age=70)  # one day before the 70th birthday
    assert "69" in errors_of(exc)["age"][0]
    assert create(world, id_number=number, age=69).pk


@pytest.mark.parametrize("cause", [Cause.MOTOR_VEHICLE, Cause.NON_MOTOR_VEHICLE])
def test_traffic_cause_requires_road_place_and_travel_activity(world, cause):
    with pytest.raises(ValidationError) as exc:
        create(world, cause=cause, place=Place.HOME, activity=Activity.WORK)
    assert {"place", "activity"} <= set(errors_of(exc))
    assert create(world, cause=cause, place=Place.ROAD, activity=Activity.WALKING).pk


@pytest.mark.parametrize("cause", [Cause.SUFFOCATION, Cause.DROWNING, Cause.POISONING])
def test_suffocation_drowning_poisoning_require_whole_body(world, cause):
    with pytest.raises(ValidationError) as exc:
        create(world, cause=cause, body_part=BodyPart.HEAD, nature=Nature.OTHER)
    assert "body_part" in errors_of(exc)
    assert create(world, cause=cause, body_part=BodyPart.WHOLE_BODY, nature=Nature.OTHER).pk


def test_burn_cause_requires_burn_nature(world):
    with pytest.raises(ValidationError) as exc:
        create(world, cause=Cause.BURN, nature=Nature.FRACTURE)
    assert "nature" in errors_of(exc)
    assert create(world, cause=Cause.BURN, nature=Nature.BURN).pk


def test_report_after_visit_after_injury(world):
    with pytest.raises(ValidationError) as exc:
        create(world, visit_at=aware(2025, 6, 15, 8))
    assert "visit_at" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        create(world, visit_at=aware(2025, 6, 15, 10), reported_at=aware(2025, 6, 15, 9, 30))
    assert "reported_at" in errors_of(exc)
    assert create(world, visit_at=aware(2025, 6, 15, 10), reported_at=aware(2025, 6, 16)).pk


def test_injury_linked_incident_must_be_of_the_same_township(world):
    other = IncidentFactory(village=world.village2)
    with pytest.raises(ValidationError) as exc:
        create(world, incident=other)
    assert "incident" in errors_of(exc)


def test_bulk_create_applies_the_same_rules_and_keeps_valid_rows(world):
    rows = [card(world), card(world, cause=Cause.BURN, nature=Nature.FRACTURE), card(world, age=5)]
    saved, errors = injury_records_bulk_create(township=world.township1, rows=rows)
    assert saved == 2 and list(errors) == [1]
    assert "nature" in errors[1].message_dict
    assert InjuryRecord.objects.count() == 2


# --- Personal data -----------------------------------------------------------------------------

def test_reveal_is_audited_for_township_staff_only(world):
    record = create(world, id_number=make_id_number(birth=dt.date(1955, 1, 2)))
    reveal = personal_data_reveal(record=record, user=world.users["township1"], ip_address="10.0.0.1")
    assert PersonalDataReveal.objects.get() == reveal
    for username in ("member1", "county", "inspector1", "township2"):
        with pytest.raises(ApplicationError):
            personal_data_reveal(record=record, user=world.users[username])
    assert PersonalDataReveal.objects.count() == 1


def test_audit_log_masks_names_and_id_numbers(world):
    from auditlog.models import LogEntry

    number = make_id_number(birth=dt.date(1955, 1, 2))
    record = create(world, id_number=number)
    entry = LogEntry.objects.get_for_object(record).first()
    text = str(entry.changes)
    assert number not in text and "王小明" not in text


def test_rate_baseline_save_creates_then_updates(world):
    first = rate_baseline_save(area=world.county, year=2025, population=100000, gdp=Decimal("50"))
    second = rate_baseline_save(area=world.county, year=2025, target_gdp_death=Decimal("0.05"))
    assert first.pk == second.pk
    assert second.population == 100000 and second.target_gdp_death == Decimal("0.05")
    with pytest.raises(ValidationError):
        rate_baseline_save(area=world.village1, year=2025, population=1)
