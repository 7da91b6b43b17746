"""HTTP behaviour of the API: ETags and 304, throttling per token (429), cursor pagination, the
list pages' filters, problem details in the request's language, the schema and the docs."""

import re

import pytest
from django.utils import timezone

from tests.incidents.factories import InjuryRecordFactory, aware

THIS_YEAR = timezone.localdate().year


def test_conditional_get_returns_304_until_the_data_changes(api, objects):
    url = f"/api/v1/incidents/{objects['t1']['incident'].pk}/"
    first = api.get(url, as_="township1")
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = api.get(url, as_="township1", if_none_match=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    incident = objects["t1"]["incident"]
    incident.address = "改过的地点"
    incident.save()
    changed = api.get(url, as_="township1", if_none_match=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    listed = api.get("/api/v1/incidents/", as_="county")
    assert api.get("/api/v1/incidents/", as_="county", if_none_match=listed["ETag"]).status_code == 304


def test_throttled_per_token_with_a_429_problem(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/min"}}
    for _ in range(3):
        assert api.get("/api/v1/areas/", as_="township1").status_code == 200
    response = api.get("/api/v1/areas/", as_="township1", accept_language="en")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
    assert response.json()["title"] == "Too many requests"
    # Another token has its own allowance.
    assert api.get("/api/v1/areas/", as_="township2").status_code == 200


def test_cursor_pagination_walks_every_row_once(api, world):
    for day in range(1, 6):
        InjuryRecordFactory(village=world.village1, injured_at=aware(THIS_YEAR, 1, day))
    seen, url, params = [], "/api/v1/injuries/", {"page_size": 2}
    while url:
        body = api.get(url, as_="township1", params=params).json()
        seen += [r["id"] for r in body["results"]]
        url, params = body["next"], None
        assert not body["next"] or "cursor=" in body["next"]
    assert len(seen) == len(set(seen)) == 5


def test_filters_are_the_list_pages_filtersets(api, world):
    InjuryRecordFactory(village=world.village1, injured_at=aware(THIS_YEAR, 1, 2), cause="11")
    InjuryRecordFactory(village=world.village1, injured_at=aware(THIS_YEAR, 1, 3), cause="03")
    InjuryRecordFactory(village=world.village1, injured_at=aware(THIS_YEAR - 2, 1, 3), cause="11")
    rows = api.get("/api/v1/injuries/", as_="township1", params={"cause": "11"}).json()["results"]
    assert len(rows) == 1 and rows[0]["cause"] == "11"  # the page's default: this year
    rows = api.get("/api/v1/injuries/", as_="township1", params={"cause": "11", "year": "all"}).json()["results"]
    assert len(rows) == 2
    # The county filter "township" exists for county users only, as on the page.
    county = api.get("/api/v1/injuries/", as_="county", params={"township": world.township2.pk}).json()
    assert county["results"] == []


@pytest.mark.parametrize("language, needle", [("zh-hans", "选择一个有效的选项"), ("en", "Select a valid choice")])
def test_bad_filter_input_is_a_400_problem_in_the_request_language(api, language, needle):
    response = api.get(
        "/api/v1/injuries/", as_="township1", params={"cause": "zz", "start": "not-a-date"}, accept_language=language
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {"cause", "start"} and needle in errors["cause"]


@pytest.mark.parametrize("language, title", [("zh-hans", "未找到"), ("en", "Not found")])
def test_not_found_problem_in_the_request_language(api, language, title):
    response = api.get("/api/v1/incidents/999999/", as_="township1", accept_language=language)
    assert response.status_code == 404
    assert response.json()["title"] == title and response.json()["status"] == 404


def test_schema_is_openapi_3_and_documents_problems(client, db):  # entity kinds are the county's data
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    post = schema["paths"]["/api/v1/incidents/"]["post"]
    assert "application/problem+json" in post["responses"]["422"]["content"]
    assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_docs_are_served_from_our_static_files_without_inline_script(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources and all(src.startswith("/static/") or src.startswith("/api/docs/") for src in sources)
    assert "cdn" not in html.lower() and "//unpkg" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "swagger-ui" in html
