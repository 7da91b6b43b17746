"""Writes through the API use the pages' forms and the apps' services: same validations (in the
request's language, as problem details), same roles, and an Idempotency-Key makes a retried POST
create one record."""

import csv
import io

import pytest
from django.utils import timezone

from incidents.models import Incident, InjuryRecord
from inspections.choices import HazardAction
from inspections.models import Hazard
from safecommunity.records import get_kind
from tests.inspections.factories import grade

THIS_YEAR = timezone.localdate().year


def incident_payload(world, **overrides):
    data = {
        "occurred_at": f"{THIS_YEAR}-01-05T14:30:00+08:00",
        "village": world.village1.pk,
        "address": "西关菜市场",
        "domain": "fire",
        "accident_type": "08",
        "deaths": 0,
        "serious_injuries": 1,
        "minor_injuries": 2,
        "direct_loss": "3.5",
        "narrative": "电动车充电起火",
        "source": "informant",
        "reporter": "张三",
    }
    data.update(overrides)
    return data


def injury_payload(world, **overrides):
    data = {
        "name": "李四",
        "sex": "F",
        "age": 8,
        "residence": "1",
        "occupation": "02",
        "injured_at": f"{THIS_YEAR}-01-05T09:00:00+08:00",
        "visit_at": f"{THIS_YEAR}-01-05T10:00:00+08:00",
        "village": world.village1.pk,
        "cause": "11",
        "place": "01",
        "activity": "05",
        "intent": "1",
        "alcohol": "2",
        "nature": "3",
        "body_part": "3",
        "severity": "1",
        "outcome": "1",
        "narrative": "被狗咬伤",
    }
    data.update(overrides)
    return data


def test_incident_created_through_the_service(api, world):
    response = api.post("/api/v1/incidents/", incident_payload(world), as_="township1")
    assert response.status_code == 201, response.json()
    body = response.json()
    incident = Incident.objects.get(pk=body["id"])
    assert incident.status == "reported" and incident.created_by == world.users["township1"]
    assert body["grade"] == "ordinary" and body["injured"] == 3
    assert response["Location"].endswith(f"/api/v1/incidents/{incident.pk}/")


@pytest.mark.parametrize("username", ["inspector1", "member1", "county", "admin"])
def test_only_township_staff_write_incidents_and_injuries(api, world, username):
    assert api.post("/api/v1/incidents/", incident_payload(world), as_=username).status_code == 403
    assert api.post("/api/v1/injuries/", injury_payload(world), as_=username).status_code == 403
    assert not Incident.objects.exists() and not InjuryRecord.objects.exists()


def test_same_idempotency_key_twice_creates_one_record(api, world):
    payload = injury_payload(world)
    first = api.post("/api/v1/injuries/", payload, as_="township1", idempotency_key="card-2026-0001")
    second = api.post("/api/v1/injuries/", payload, as_="township1", idempotency_key="card-2026-0001")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    assert second["Location"] == first["Location"]
    assert InjuryRecord.objects.count() == 1
    # Without a key (or another key) it is a second record; another user's same key is theirs.
    assert api.post("/api/v1/injuries/", payload, as_="township1", idempotency_key="card-2026-0002").status_code == 201
    assert InjuryRecord.objects.count() == 2


def test_same_key_with_a_different_body_is_a_422_problem(api, world):
    key = {"idempotency_key": "k-1"}
    assert api.post("/api/v1/incidents/", incident_payload(world), as_="township1", **key).status_code == 201
    response = api.post("/api/v1/incidents/", incident_payload(world, deaths=1), as_="township1", **key)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "Idempotency-Key" in response.json()["detail"]
    assert Incident.objects.count() == 1


def test_a_refused_request_stores_no_key_and_can_be_corrected(api, world):
    bad = incident_payload(world, village=world.village2.pk)
    assert api.post("/api/v1/incidents/", bad, as_="township1", idempotency_key="k-2").status_code == 422
    good = api.post("/api/v1/incidents/", incident_payload(world), as_="township1", idempotency_key="k-2")
    assert good.status_code == 201 and Incident.objects.count() == 1


@pytest.mark.parametrize(
    "language, message",
    [
        ("zh-hans", "车祸的伤害地点一般为“公路/街道”"),
        ("en", 'A traffic injury usually happens on a "road/street"'),
    ],
)
def test_card_warning_needs_confirming_as_on_the_form_in_the_request_language(api, world, language, message):
    """A plausibility check of the card (a car crash at home) is a warning: refused as a problem
    until the caller confirms it (confirm_warnings), as the form asks; then saved with the warning."""
    payload = injury_payload(world, cause="01", place="01", activity="07")
    response = api.post("/api/v1/injuries/", payload, as_="township1", accept_language=language)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422 and body["instance"] == "/api/v1/injuries/"
    assert {"field": "confirm_warnings", "message": message} in [
        {k: e[k] for k in ("field", "message")} for e in body["errors"]
    ]
    assert body["title"] == ("数据校验未通过" if language == "zh-hans" else "Validation failed")
    assert not InjuryRecord.objects.exists()
    confirmed = api.post(
        "/api/v1/injuries/", {**payload, "confirm_warnings": True}, as_="township1", accept_language=language
    )
    assert confirmed.status_code == 201, confirmed.json()["errors"]
    record = InjuryRecord.objects.get()
    assert record.logic_warnings and record.warnings_confirmed_at is not None


@pytest.mark.parametrize("language, needle", [("zh-hans", "选择一个有效的选项"), ("en", "Select a valid choice")])
def test_village_of_another_township_refused_like_the_form(api, world, language, needle):
    response = api.post(
        "/api/v1/injuries/", injury_payload(world, village=world.village2.pk), as_="township1", accept_language=language
    )
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert needle in errors["village"]


def test_type_errors_are_problems_too(api, world):
    response = api.post(
        "/api/v1/incidents/", incident_payload(world, deaths="many"), as_="township1", accept_language="en"
    )
    assert response.status_code == 422
    assert any(e["field"] == "deaths" for e in response.json()["errors"])
    malformed = api.client.post(
        "/api/v1/incidents/",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.tokens['township1']}",
    )
    assert malformed.status_code == 400 and malformed["Content-Type"] == "application/problem+json"


def test_hazard_registered_through_the_service_with_its_timeline(api, objects, world):
    entity = objects["t1"]["entity"]
    payload = {
        "entity": entity.pk,
        "grade": grade(world.county).pk,
        "description": "配电箱无防护",
        "found_on": str(timezone.localdate()),
        "deadline": str(timezone.localdate() + timezone.timedelta(days=7)),
    }
    response = api.post("/api/v1/hazards/", payload, as_="inspector1", idempotency_key="hz-1")
    assert response.status_code == 201, response.json()
    again = api.post("/api/v1/hazards/", payload, as_="inspector1", idempotency_key="hz-1")
    assert again.json()["id"] == response.json()["id"]
    hazard = Hazard.objects.get(pk=response.json()["id"])
    assert hazard.number.startswith(f"YH{world.township1.code}") and hazard.registered_by == world.users["inspector1"]
    assert [e["action"] for e in response.json()["timeline"]] == [HazardAction.REGISTER]
    detail = api.get(f"/api/v1/hazards/{hazard.pk}/", as_="county").json()
    assert detail["timeline"][0]["to_status"] == "registered"


def test_hazard_on_an_entity_outside_the_scope_or_with_a_bad_deadline(api, objects, world):
    other = objects["t2"]["entity"]
    payload = {
        "entity": other.pk,
        "grade": grade(world.county).pk,
        "description": "x",
        "found_on": str(timezone.localdate()),
        "deadline": str(timezone.localdate()),
    }
    response = api.post("/api/v1/hazards/", payload, as_="township1")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "entity"
    payload.update(entity=objects["t1"]["entity"].pk, deadline=str(timezone.localdate() - timezone.timedelta(days=1)))
    response = api.post("/api/v1/hazards/", payload, as_="township1")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"deadline"}
    assert api.post("/api/v1/hazards/", payload, as_="member1").status_code == 403
    assert Hazard.objects.filter(description="x").count() == 0


def _card_csv(rows):
    headers = get_kind("injuries").headers
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return io.BytesIO(buffer.getvalue().encode("utf-8-sig"))


def _card(**overrides):
    row = {
        "姓名": "王小明",
        "性别": "男",
        "年龄": "70",
        "伤害发生时间": f"{THIS_YEAR}-01-05 09:00",
        "就诊时间": f"{THIS_YEAR}-01-05 10:00",
        "所属村(社区)": "东关社区",
        "伤害原因": "3",
        "伤害地点": "家中",
        "伤害发生时活动": "家务",
        "伤害意图": "非故意",
        "是否饮酒": "未饮用",
        "伤害性质": "骨折",
        "伤害部位": "下肢",
        "严重程度": "中",
        "结局": "住院",
        "卡片编号": "C0001",
    }
    row.update(overrides)
    return row


def test_bulk_cards_use_the_import_checks_and_are_idempotent(api, world):
    rows = [
        _card(),
        _card(**{"卡片编号": "C0002", "伤害原因": "机动车车祸"}),
        _card(**{"卡片编号": "C0003", "姓名": "赵六"}),
    ]
    upload = _card_csv(rows)
    upload.name = "cards.csv"
    response = api.upload("/api/v1/injuries/bulk/", {"file": upload}, as_="township1", accept_language="zh-hans")
    assert response.status_code == 200, response.content
    body = response.json()
    # The car crash at home is imported with an open plausibility warning (the CDC software only
    # warns); a row the card cannot hold is refused with its row number.
    assert (body["imported"], body["duplicates"], body["rejected"]) == (3, 0, 0)
    crash = InjuryRecord.objects.get(source_number="C0002")
    assert crash.has_open_warnings and any("公路/街道" in w for w in crash.warning_messages())
    assert "王小明" not in response.content.decode()
    again = _card_csv(rows + [_card(**{"卡片编号": "C0004", "年龄": "300"})])
    again.name = "cards.csv"
    body = api.upload("/api/v1/injuries/bulk/", {"file": again}, as_="township1").json()
    assert body["imported"] == 0 and body["duplicates"] == 3 and body["rejected"] == 1
    assert body["rejections"][0]["row"] == 5 and "王小明" not in str(body)
    assert set(InjuryRecord.objects.values_list("source_number", flat=True)) == {"C0001", "C0002", "C0003"}
    assert set(InjuryRecord.objects.values_list("township_id", flat=True)) == {world.township1.pk}
    assert api.upload("/api/v1/injuries/bulk/", {"file": _card_csv(rows)}, as_="member1").status_code == 403
