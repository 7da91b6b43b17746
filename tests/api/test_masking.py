"""Personal data through the API is masked exactly as on the pages, for every role; the reveal
(audited, township staff only) is a page and nothing in the API."""

import re

import pytest
from django.urls import reverse

from incidents.models import PersonalDataReveal
from safecommunity.privacy import mask_id_number, mask_name, mask_phone
from tests.scope import INSIDERS


def _page_text(client, world, username, url, element_id):
    client.force_login(world.users[username])
    html = client.get(url).content.decode()
    client.logout()
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert match, (url, element_id)
    return match.group(1).strip()


@pytest.mark.parametrize("username", INSIDERS)
def test_injury_name_and_id_number_masked_as_on_the_detail_page(api, client, objects, world, username):
    record = objects["t1"]["injury"]
    response = api.get(f"/api/v1/injuries/{record.pk}/", as_=username)
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == mask_name(record.name) != record.name
    assert body["id_number"] == mask_id_number(record.id_number) != record.id_number
    page_url = reverse("incidents:injury_detail", args=[record.pk])
    assert _page_text(client, world, username, page_url, "person-name") == body["name"]
    assert _page_text(client, world, username, page_url, "person-id") == body["id_number"]
    listed = api.get("/api/v1/injuries/", as_=username).content.decode()
    assert record.name not in listed and record.id_number not in listed
    assert response["Cache-Control"] == "private, no-store"


def test_no_reveal_through_the_api(api, objects):
    record = objects["t1"]["injury"]
    for method in ("get", "post"):
        response = getattr(api, method)(
            f"/api/v1/injuries/{record.pk}/reveal/", *([] if method == "get" else [{}]), as_="township1"
        )
        assert response.status_code in (404, 405)
        assert record.name not in response.content.decode()
    assert not PersonalDataReveal.objects.exists()


@pytest.mark.parametrize("username", INSIDERS)
def test_entity_phone_masked_unless_the_role_sees_personal_data_as_on_the_page(api, client, objects, world, username):
    entity = objects["t1"]["entity"]
    body = api.get(f"/api/v1/entities/{entity.pk}/", as_=username).json()
    user = world.users[username]
    expected = entity.phone if user.can_see_personal_data else mask_phone(entity.phone)
    assert body["phone"] == expected
    client.force_login(user)
    page = client.get(reverse("inspections:entity_detail", args=[entity.pk])).content.decode()
    assert expected in page
    if not user.can_see_personal_data:
        assert entity.phone not in page and entity.phone not in str(body)
