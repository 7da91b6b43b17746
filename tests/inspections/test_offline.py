"""The offline app's endpoints: idempotent sync of inspections and photos, scope like the normal
form, refusals and conflicts explained in the user's language, the worker and the manifest."""

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from inspections.choices import ItemResult
from inspections.models import Hazard, Inspection, Photo

from .factories import EntityFactory, GridFactory, checklist, grade, html_as_jpeg, jpeg_upload

pytestmark = pytest.mark.django_db

SYNC = "/inspections/offline/inspections/"
PHOTOS = "/inspections/offline/photos/"


def payload(entity, template, *, key=None, hazard_grade=None, **extra):
    items = list(template.items.all())
    results = [{"item": i.pk, "result": ItemResult.CONFORM, "note": ""} for i in items]
    if hazard_grade is not None:
        results[-1] = {
            "item": items[-1].pk,
            "result": ItemResult.NONCONFORM,
            "note": "通道堵塞",
            "hazard": {
                "grade": hazard_grade.pk,
                "description": "安全出口堵塞",
                "deadline": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
            },
        }
    body = {
        "key": str(key or uuid.uuid4()),
        "entity": entity.pk,
        "template": template.pk,
        "inspected_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "mode": "announced",
        "notes": "离线巡查",
        "rating": "good",
        "representative_name": "王五",
        "latitude": "35.123456",
        "longitude": "117.654321",
        "results": results,
    }
    body.update(extra)
    return body


def post_json(client, body, **headers):
    return client.post(SYNC, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def template(world):
    return checklist(world.county, n=2)


def test_same_key_twice_records_one_inspection_and_one_hazard(as_user, entities, template, world):
    client = as_user("inspector1")
    body = payload(entities["e1"], template, hazard_grade=grade(world.county))
    first = post_json(client, body)
    assert first.status_code == 201, first.content
    again = post_json(client, body)
    assert again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and again.json()["created"] is False
    inspection = Inspection.objects.get()
    assert str(inspection.client_key) == body["key"]
    assert inspection.latitude is not None and inspection.notes == "离线巡查"
    assert Hazard.objects.filter(inspection=inspection).count() == 1
    assert first.json()["hazards"][0]["item"] == template.items.last().pk


def test_photo_with_the_same_key_is_stored_once_on_the_inspection_or_its_hazard(as_user, entities, template, world):
    client = as_user("inspector1")
    body = payload(entities["e1"], template, hazard_grade=grade(world.county))
    assert post_json(client, body).status_code == 201
    photo_key = str(uuid.uuid4())
    for expected in (201, 200):
        response = client.post(PHOTOS, {"key": photo_key, "inspection": body["key"], "photo": jpeg_upload()})
        assert response.status_code == expected, response.content
    hazard_photo = client.post(
        PHOTOS,
        {"key": str(uuid.uuid4()), "inspection": body["key"], "item": template.items.last().pk, "photo": jpeg_upload()},
    )
    assert hazard_photo.status_code == 201
    inspection = Inspection.objects.get()
    assert Photo.objects.count() == 2
    assert inspection.photos.count() == 1
    hazard = inspection.hazards.get()
    assert hazard.photos.count() == 1 and hazard.photos.get().event is not None


def test_another_townships_entity_or_inspection_is_404(as_user, entities, template, world):
    client = as_user("inspector1")
    response = post_json(client, payload(entities["e2"], template))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found" and "管辖范围" in response.json()["message"]
    # A photo for an inspection of another township (recorded there by its own inspector).
    other = as_user("inspector2")
    other_body = payload(entities["e2"], checklist(world.county, n=2))
    assert post_json(other, other_body).status_code == 201
    client = as_user("inspector1")
    response = client.post(PHOTOS, {"key": str(uuid.uuid4()), "inspection": other_body["key"], "photo": jpeg_upload()})
    assert response.status_code == 404
    assert Inspection.objects.count() == 1 and Photo.objects.count() == 0


def test_anonymous_is_401_wrong_role_403_and_csrf_is_enforced(client, as_user, entities, template, world):
    body = payload(entities["e1"], template)
    assert post_json(client, body).status_code == 401
    assert post_json(as_user("member1"), body).status_code == 403
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["inspector1"])
    assert post_json(strict, body).status_code == 403
    token = strict.get("/inspections/offline/session/").json()["csrf"]
    assert post_json(strict, body, HTTP_X_CSRFTOKEN=token).status_code == 201
    assert Inspection.objects.count() == 1


def test_reassigned_task_is_a_conflict_explained_in_chinese(as_user, entities, template, world):
    entity = entities["e1"]
    entity.grid = GridFactory(village=world.village1, inspector=world.users["township1"])
    entity.save()
    response = post_json(as_user("inspector1"), payload(entity, template))
    assert response.status_code == 409
    assert response.json()["code"] == "reassigned"
    assert "已改由其他网格员负责" in response.json()["message"]
    assert not Inspection.objects.exists()


def test_closed_entity_is_a_conflict_in_the_users_language(as_user, entities, template, world):
    entity = entities["e1"]
    entity.closed_on = timezone.localdate() - dt.timedelta(days=1)
    entity.save()
    client = as_user("inspector1")
    response = post_json(client, payload(entity, template))
    assert response.status_code == 409 and response.json()["code"] == "entity_closed"
    assert "停业/注销" in response.json()["message"]
    client.cookies["sc_language"] = "en"
    response = post_json(client, payload(entity, template))
    assert response.status_code == 409
    assert "closed down" in response.json()["message"]
    assert not Inspection.objects.exists()


def test_invalid_record_is_refused_with_the_reason_in_chinese_and_english(as_user, entities, template):
    client = as_user("inspector1")
    body = payload(entities["e1"], template)
    body["results"] = body["results"][:1]  # one item unanswered
    response = post_json(client, body)
    assert response.status_code == 422
    assert response.json()["message"] == "请对检查表的每一项填写结果"
    client.cookies["sc_language"] = "en"
    response = post_json(client, body)
    assert response.status_code == 422
    assert "every" in response.json()["message"].lower() and not any(
        "\u4e00" <= c <= "\u9fff" for c in response.json()["message"]
    )
    # The same key may be sent again once corrected: nothing was stored for it.
    fixed = payload(entities["e1"], template, key=body["key"])
    assert post_json(client, fixed).status_code == 201
    assert Inspection.objects.count() == 1


def test_key_of_another_user_is_refused(as_user, entities, template, world):
    body = payload(entities["e1"], template)
    assert post_json(as_user("inspector1"), body).status_code == 201
    staff_body = payload(entities["e1"], template, key=body["key"])
    response = post_json(as_user("township1"), staff_body)
    assert response.status_code == 403
    assert Inspection.objects.count() == 1


def test_data_file_holds_the_inspectors_tasks_entities_and_checklists(as_user, entities, template, world):
    closed = EntityFactory(grid=entities["e1"].grid, name="已关闭小店", closed_on=timezone.localdate())
    response = as_user("inspector1").get("/inspections/offline/data.json")
    assert response.status_code == 200
    data = response.json()
    names = {e["name"] for e in data["entities"]}
    assert names == {"东关机械厂"}  # own grid only; the closed shop is no task any more
    assert closed.name not in names
    assert data["tasks"]["today"] == [entities["e1"].pk]
    assert [i["id"] for i in data["checklists"]["enterprise"]["items"]] == list(
        template.items.values_list("pk", flat=True)
    )
    assert {g["name"] for g in data["grades"]} == {"一般隐患", "重大隐患"}
    assert as_user("member1").get("/inspections/offline/data.json").status_code == 403


def test_service_worker_is_served_at_the_root_with_its_scope_header(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert body.startswith("self.SC_CONFIG = ") and "/static/js/offline/field.js" in body
    assert '"version": "' in body


def test_manifest_names_the_app_and_starts_on_the_task_page(client):
    response = client.get("/inspections/field/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "安全社区巡查" and manifest["start_url"] == "/inspections/field/"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}


def test_field_page_scope(client, as_user, world):
    assert client.get("/inspections/field/").status_code == 302
    assert as_user("member1").get("/inspections/field/").status_code == 403
    response = as_user("inspector1").get("/inspections/field/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="sc-offline-config"' in content and "<script>" not in content


def test_html_disguised_as_photo_is_refused(as_user, entities, template):
    client = as_user("inspector1")
    body = payload(entities["e1"], template)
    post_json(client, body)
    response = client.post(PHOTOS, {"key": str(uuid.uuid4()), "inspection": body["key"], "photo": html_as_jpeg()})
    assert response.status_code == 422 and response.json()["message"] == "“photo.jpg”不是有效的图片"
    assert Photo.objects.count() == 0


def test_repeat_after_the_task_was_reassigned_returns_the_stored_inspection(as_user, entities, template, world):
    """The phone never heard the answer; meanwhile the entity went to another grid: the retry is
    answered with what was stored, not with a conflict."""
    client = as_user("inspector1")
    body = payload(entities["e1"], template)
    first = post_json(client, body)
    assert first.status_code == 201
    entity = entities["e1"]
    entity.grid = GridFactory(village=world.village1, inspector=world.users["township1"])
    entity.save()
    again = post_json(client, body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert post_json(client, payload(entity, template)).status_code == 409
    assert Inspection.objects.count() == 1


def test_normal_form_also_refuses_an_inspection_after_the_entity_closed(as_user, entities, template):
    entity = entities["e1"]
    entity.closed_on = timezone.localdate()
    entity.save()
    items = list(template.items.all())
    data = {
        "inspected_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "mode": "announced",
        "rating": "good",
        "representative_name": "王五",
        **{f"result_{i.pk}": "conform" for i in items},
    }
    response = as_user("inspector1").post(f"/inspections/entities/{entity.pk}/inspect/", data)
    assert response.status_code == 200
    assert "停业/注销" in response.content.decode()
    assert not Inspection.objects.exists()


def test_entity_page_shows_the_closure_date(as_user, entities):
    entity = entities["e1"]
    entity.closed_on = dt.date(2026, 11, 30)
    entity.save()
    content = as_user("township1").get(entity.get_absolute_url()).content.decode()
    assert 'id="entity-closed"' in content and "2026-11-30" in content
