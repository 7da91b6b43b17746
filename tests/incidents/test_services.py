import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from incidents.choices import (
    AccidentType,
    Activity,
    BodyPart,
    Cause,
    Domain,
    Education,
    Grade,
    IncidentStatus,
    Intent,
    Nature,
    Occupation,
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
    injury_record_confirm_warnings,
    injury_record_create,
    injury_record_update,
    injury_records_bulk_create,
    personal_data_reveal,
    rate_baseline_save,
)
from safecommunity.exceptions import ApplicationError
from tests.incidents.factories import IncidentFactory, aware, make_id_number


def card(world, **overrides):
    data = dict(
        name="王小明",
        sex=Sex.MALE,
        age=70,
        injured_at=aware(2025, 6, 15, 9),
        village=world.village1,
        cause=Cause.FALL,
        place=Place.HOME,
        activity=Activity.HOUSEWORK,
        intent=Intent.UNINTENTIONAL,
        nature=Nature.FRACTURE,
        body_part=BodyPart.LOWER_LIMB,
        severity=Severity.MODERATE,
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
        township=world.township1,
        user=world.users["township1"],
        occurred_at=aware(2025, 3, 5, 14, 30),
        village=world.village1,
        domain=Domain.INDUSTRY,
        accident_type=AccidentType.FALL_FROM_HEIGHT,
        deaths=3,
        serious_injuries=1,
        minor_injuries=2,
        direct_loss=Decimal("120.5"),
    )
    assert incident.status == IncidentStatus.REPORTED
    assert incident.created_by == world.users["township1"]
    assert incident.grade == Grade.LARGER
    assert incident.injured == 3


def test_incident_village_must_belong_to_the_township(world):
    with pytest.raises(ValidationError) as exc:
        incident_register(
            township=world.township1,
            occurred_at=aware(2025, 3, 5),
            village=world.village2,
            domain=Domain.FIRE,
            accident_type=AccidentType.FIRE,
        )
    assert "village" in errors_of(exc)


def test_incident_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        incident_register(
            township=world.township1,
            occurred_at=aware(2099, 1, 1),
            village=world.village1,
            domain=Domain.FIRE,
            accident_type=AccidentType.FIRE,
        )
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


# The card's plausibility checks are warnings the CDC software raises and the reporter confirms.


@pytest.mark.parametrize("cause", [Cause.MOTOR_VEHICLE, Cause.NON_MOTOR_VEHICLE])
def test_traffic_cause_off_the_road_is_a_warning_not_an_error(world, cause):
    record = create(world, cause=cause, place=Place.HOME, activity=Activity.WORK)
    assert record.logic_warnings == ["traffic_place", "traffic_activity"]
    assert record.has_open_warnings
    assert create(world, cause=cause, place=Place.ROAD, activity=Activity.WALKING).logic_warnings == []


@pytest.mark.parametrize("cause", [Cause.SUFFOCATION, Cause.DROWNING, Cause.POISONING])
def test_drowning_with_head_is_a_warning(world, cause):
    record = create(world, cause=cause, body_part=BodyPart.HEAD, nature=Nature.OTHER)
    assert record.logic_warnings == ["whole_body_part"]
    assert create(world, cause=cause, body_part=BodyPart.WHOLE_BODY, nature=Nature.OTHER).logic_warnings == []


def test_burn_with_fracture_is_a_warning_confirmed_with_the_record(world):
    user = world.users["township1"]
    record = injury_record_create(
        township=world.township1,
        user=user,
        confirm_warnings=True,
        **card(world, cause=Cause.BURN, nature=Nature.FRACTURE),
    )
    record.refresh_from_db()
    assert record.logic_warnings == ["burn_nature"]
    assert record.warnings_confirmed_by == user and not record.has_open_warnings
    assert create(world, cause=Cause.BURN, nature=Nature.BURN).logic_warnings == []


def test_confirming_later_closes_the_warning_and_a_changed_card_reopens_it(world):
    user = world.users["township1"]
    record = create(world, cause=Cause.BURN, nature=Nature.FRACTURE)
    assert list(InjuryRecord.objects.with_open_warnings()) == [record]
    injury_record_confirm_warnings(record=record, user=user)
    assert not InjuryRecord.objects.with_open_warnings().exists()
    # Same warnings after an edit: still confirmed. A new warning: open again.
    record = injury_record_update(record=record, user=user, hospital="县医院")
    assert record.warnings_confirmed_at is not None
    record = injury_record_update(
        record=record, user=user, body_part=BodyPart.HEAD, nature=Nature.FRACTURE, cause=Cause.DROWNING
    )
    assert record.logic_warnings == ["whole_body_part"] and record.has_open_warnings
    # Fixed: no warning left to confirm.
    record = injury_record_update(record=record, user=user, body_part=BodyPart.WHOLE_BODY)
    assert record.logic_warnings == [] and not record.has_open_warnings
    with pytest.raises(ApplicationError):
        injury_record_confirm_warnings(record=record, user=user)


def test_occupation_and_education_against_age_are_warnings(world):
    assert create(world, age=30, occupation=Occupation.CHILD).logic_warnings == ["preschool_age"]
    assert create(world, age=30, occupation=Occupation.RETIRED).logic_warnings == ["retired_age"]
    assert create(world, age=4, occupation=Occupation.SOLDIER).logic_warnings == ["child_occupation", "soldier_age"]
    assert create(world, age=70, education=Education.PRESCHOOL).logic_warnings == ["education_age"]
    assert create(world, age=70, occupation=Occupation.RETIRED, education=Education.PRIMARY).logic_warnings == []


def test_impossible_data_stays_an_error(world):
    future = timezone.now() + dt.timedelta(days=2)
    for field in ("injured_at", "visit_at", "reported_at"):
        extra = {"injured_at": future} if field == "injured_at" else {field: future}
        with pytest.raises(ValidationError) as exc:
            create(world, **extra)
        assert field in errors_of(exc)
    number = make_id_number(birth=dt.date(1955, 1, 2), male=True)
    with pytest.raises(ValidationError) as exc:
        create(world, id_number=number, age=30)
    assert "age" in errors_of(exc)


def test_legacy_15_digit_id_number_is_stored_as_18_digits(world):
    # GB 11643-1999's example 11010519491231002X: the 15-digit number 110105491231002 becomes it.
    record = create(world, id_number="110105491231002", sex=Sex.FEMALE, age=75, injured_at=aware(2025, 6, 15, 9))
    assert record.id_number == "11010519491231002X"
    assert create(world, id_number="11010519491231002x", sex=Sex.FEMALE, age=75).id_number == "11010519491231002X"


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
    rows = [
        card(world),
        card(world, cause=Cause.BURN, nature=Nature.FRACTURE),
        card(world, visit_at=aware(2025, 6, 1)),
        card(world, age=5),
    ]
    saved, errors = injury_records_bulk_create(township=world.township1, rows=rows)
    assert saved == 3 and list(errors) == [2]
    assert "visit_at" in errors[2].message_dict
    assert InjuryRecord.objects.count() == 3
    assert InjuryRecord.objects.with_open_warnings().get().logic_warnings == ["burn_nature"]


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


def _one_by_one(world, rows, user):
    """What the bulk service refused and stored before it checked a batch at a time: each row
    built, dated, locked, ``clean_fields`` then ``clean`` (``full_clean`` less the uniqueness)."""
    from closing.lock import locked_months, locked_row_reason
    from incidents.services import _FK_FIELDS, _apply_warnings

    now = timezone.now()
    errors, ready = {}, []
    for i, data in enumerate(rows):
        obj = InjuryRecord(township=world.township1, created_by=user, **data)
        if obj.reported_at is None:
            obj.reported_at = max(now, obj.visit_at or obj.injured_at or now)
        try:
            if refusal := locked_row_reason(world.township1.pk, obj.injured_at, locked_months(world.township1.pk)):
                raise ValidationError(refusal)
            obj.clean_fields(exclude=_FK_FIELDS)
            obj.clean()
        except ValidationError as exc:
            errors[i] = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        else:
            _apply_warnings(obj, user=user, confirm=False, now=now)
            ready.append(obj)
    return errors, ready


def test_bulk_create_of_a_batch_refuses_and_stores_exactly_what_row_by_row_checks_do(world):
    from closing.choices import CloseStatus
    from closing.models import MonthClose

    MonthClose.objects.create(
        township=world.township1,
        year=2025,
        month=2,
        status=CloseStatus.APPROVED,
        as_of="2025-02-28",
        figures_sha256="0" * 64,
        submitted_at=aware(2025, 3, 2, 9),
    )
    number = make_id_number(birth=dt.date(1955, 1, 2), male=True)
    variants = [
        {},
        {"name": "长" * 51},
        {"sex": "X", "cause": "99"},
        {"injured_at": aware(2025, 2, 10, 8)},  # the locked month
        {"visit_at": aware(2025, 6, 1)},  # before the injury
        {"id_number": number, "age": 30},  # the ID says 70
        {"id_number": number, "age": 70, "sex": Sex.FEMALE},
        {"id_number": "110105491231002", "sex": Sex.FEMALE, "age": 75},  # legacy number: upgraded
        {"cause": Cause.BURN, "nature": Nature.FRACTURE},  # a warning, stored
        {"occupation": Occupation.RETIRED, "age": 30, "education": Education.PRESCHOOL},
        {"name": "  赵六 ", "reported_at": aware(2025, 6, 20)},
        {"injured_at": timezone.now() + dt.timedelta(days=2)},
    ]
    rows = [card(world, **variants[i % len(variants)]) for i in range(120)]  # > MIN_ROWS: the COPY path
    user = world.users["township1"]
    expected_errors, expected_ready = _one_by_one(world, rows, user)
    saved, errors = injury_records_bulk_create(township=world.township1, user=user, rows=rows)
    found = {i: exc.message_dict if hasattr(exc, "error_dict") else exc.messages for i, exc in errors.items()}
    assert list(found) == list(expected_errors) and found == expected_errors
    assert {i % len(variants) for i in found} == {1, 2, 3, 4, 5, 6, 11}
    assert saved == len(expected_ready) == InjuryRecord.objects.count() == 120 - len(found)
    compared = ["name", "id_number", "sex", "age", "injured_at", "residence", "intent", "alcohol"]  # not "now"
    stored = list(InjuryRecord.objects.order_by("pk").values(*compared, "logic_warnings", "warnings_confirmed_at"))
    assert stored == [
        {**{f: getattr(o, f) for f in compared}, "logic_warnings": o.logic_warnings, "warnings_confirmed_at": None}
        for o in expected_ready
    ]
    # Saved of each 12: variants 0, 7, 8, 9, 10.
    assert stored[1]["id_number"] == "11010519491231002X" and stored[2]["logic_warnings"] == ["burn_nature"]
    assert stored[3]["logic_warnings"] == ["retired_age", "education_age"]
    assert stored[4]["name"] == "赵六" and InjuryRecord.objects.order_by("pk")[4].reported_at == aware(2025, 6, 20)
