"""Issue 13: the injury edit form never carries a person's full name and ID number, and every
page of one injury record is no-store (OWASP ASVS 8.2.1, 8.3.4; PIPL)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import InjuryRecord, PersonalDataReveal
from tests.incidents.factories import InjuryRecordFactory, aware, make_id_number

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def injury(world):
    number = make_id_number(birth=dt.date(1950, 1, 1))
    return InjuryRecordFactory(
        village=world.village1, injured_at=aware(THIS_YEAR, 3, 5), name="王小明", id_number=number, age=THIS_YEAR - 1950
    )


def edit_post(record, **overrides):
    data = {
        "name": "",
        "id_number": "",
        "sex": record.sex,
        "age": str(record.age),
        "residence": record.residence,
        "occupation": record.occupation,
        "injured_at": f"{THIS_YEAR}-03-05T10:00",
        "visit_at": "",
        "village": record.village_id,
        "cause": record.cause,
        "place": record.place,
        "activity": record.activity,
        "intent": record.intent,
        "alcohol": record.alcohol,
        "nature": record.nature,
        "body_part": record.body_part,
        "severity": record.severity,
        "outcome": record.outcome,
        "hospital": "县医院",
        "narrative": "在家跌倒",
    }
    data.update(overrides)
    return data


def test_edit_form_shows_personal_data_masked_and_records_no_reveal(as_user, injury):
    response = as_user("township1").get(reverse("incidents:injury_update", args=[injury.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "王小明" not in page and injury.id_number not in page
    assert "王**" in page and f"{injury.id_number[:6]}********{injury.id_number[-4:]}" in page
    assert not PersonalDataReveal.objects.exists()


def test_saving_the_edit_form_with_the_masked_fields_empty_keeps_the_stored_values(as_user, injury):
    client = as_user("township1")
    response = client.post(reverse("incidents:injury_update", args=[injury.pk]), edit_post(injury))
    assert response.status_code == 302, response.context["form"].errors
    injury.refresh_from_db()
    assert (injury.name, injury.hospital) == ("王小明", "县医院")
    assert injury.id_number == make_id_number(birth=dt.date(1950, 1, 1))


def test_a_new_name_typed_in_the_edit_form_replaces_the_stored_one(as_user, injury):
    client = as_user("township1")
    response = client.post(reverse("incidents:injury_update", args=[injury.pk]), edit_post(injury, name="王晓明"))
    assert response.status_code == 302
    assert InjuryRecord.objects.get(pk=injury.pk).name == "王晓明"


def test_a_refused_edit_does_not_echo_the_stored_personal_data(as_user, injury):
    response = as_user("township1").post(
        reverse("incidents:injury_update", args=[injury.pk]), edit_post(injury, age="abc")
    )
    assert response.status_code == 200 and response.context["form"].errors
    page = response.content.decode()
    assert "王小明" not in page and injury.id_number not in page


@pytest.mark.parametrize(
    "name, method",
    [
        ("incidents:injury_detail", "get"),
        ("incidents:injury_update", "get"),
        ("incidents:injury_reveal", "post"),
    ],
)
def test_pages_of_one_injury_record_are_no_store(as_user, injury, name, method):
    response = getattr(as_user("township1"), method)(reverse(name, args=[injury.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_create_form_is_no_store(as_user, world):
    response = as_user("township1").get(reverse("incidents:injury_create"))
    assert "no-store" in response["Cache-Control"]
