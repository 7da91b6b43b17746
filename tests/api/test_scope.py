"""The scope matrix through the API, as tests/scope.py checks it for the pages: every role ×
township 1's objects (allowed → 200, other role → 403), township 2's and the other county's
users → 404, the other county's objects → 404 for everyone; lists hold only the user's scope."""

import pytest

from committees.models import ActionItem, Community, Meeting
from incidents.models import Incident, InjuryRecord
from inspections.models import Hazard, SupervisedEntity
from projects.models import Intervention, Project
from reports.models import Briefing, Scorecard
from tests.scope import INSIDERS, OUTSIDERS

ALL = set(INSIDERS) | set(OUTSIDERS)
READERS = ALL - {"inspector1", "inspector2"}
SCORECARD_READERS = READERS - {"member1", "member2"}

# kind → (endpoint, model, users allowed by role)
KINDS = {
    "incident": ("incidents", Incident, ALL),
    "injury": ("injuries", InjuryRecord, ALL),
    "entity": ("entities", SupervisedEntity, ALL),
    "hazard": ("hazards", Hazard, ALL),
    "community": ("communities", Community, READERS),
    "meeting": ("meetings", Meeting, READERS),
    "action_item": ("action-items", ActionItem, READERS),
    "project": ("projects", Project, READERS),
    "intervention": ("interventions", Intervention, READERS),
    "briefing": ("briefings", Briefing, READERS),
    "scorecard": ("scorecards", Scorecard, SCORECARD_READERS),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_detail_scope_matrix(api, objects, kind):
    endpoint, _model, allowed = KINDS[kind]
    own = f"/api/v1/{endpoint}/{objects['t1'][kind].pk}/"
    other_county = f"/api/v1/{endpoint}/{objects['other'][kind].pk}/"
    assert api.get(own).status_code == 401
    for username in INSIDERS:
        expected = 200 if username in allowed else 403
        assert api.get(own, as_=username).status_code == expected, (username, own)
        assert api.get(other_county, as_=username).status_code == (404 if username in allowed else 403), username
    for username in OUTSIDERS:
        response = api.get(own, as_=username)
        assert response.status_code == (404 if username in allowed else 403), (username, own)
        if response.status_code == 404:
            assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_lists_hold_only_the_users_scope(api, objects, world, kind):
    endpoint, model, allowed = KINDS[kind]
    for username in sorted(allowed):
        user = world.users[username]
        response = api.get(f"/api/v1/{endpoint}/", as_=username, params={"page_size": 500})
        assert response.status_code == 200, username
        ids = {row["id"] for row in response.json()["results"]}
        assert ids <= set(model.objects.for_user(user).values_list("pk", flat=True)), username
        own, others = _own_and_others(world, user)
        for key in others:
            assert objects[key][kind].pk not in ids, (username, key)
        if user.role != "grid_inspector" or kind in ("incident", "injury", "entity", "hazard"):
            for key in own:
                assert objects[key][kind].pk in ids, (username, key)


def _own_and_others(world, user):
    if user.area_id == world.township1.pk:
        return ["t1"], ["t2", "other"]
    if user.area_id == world.township2.pk:
        return ["t2"], ["t1", "other"]
    if user.area_id == world.county.pk:
        return ["t1", "t2"], ["other"]
    return ["other"], ["t1", "t2"]


def test_grid_inspector_reads_only_entities_and_hazards_of_own_grids(api, objects, world):
    from tests.inspections.factories import EntityFactory, GridFactory, HazardFactory

    stranger_grid = GridFactory(village=world.villages1[1], name="别人的网格")
    entity = EntityFactory(grid=stranger_grid, name="别人的企业")
    hazard = HazardFactory(entity=entity, registered_by=world.users["township1"])
    assert api.get(f"/api/v1/entities/{entity.pk}/", as_="inspector1").status_code == 404
    assert api.get(f"/api/v1/hazards/{hazard.pk}/", as_="inspector1").status_code == 404
    assert api.get(f"/api/v1/entities/{entity.pk}/", as_="township1").status_code == 200
    listed = {r["id"] for r in api.get("/api/v1/hazards/", as_="inspector1").json()["results"]}
    assert listed == {objects["t1"]["hazard"].pk}


def test_areas_are_the_users_subtree(api, world):
    codes = {r["code"] for r in api.get("/api/v1/areas/", as_="township1").json()["results"]}
    assert codes == {"371799001", "371799001001", "371799001002", "371799001003"}
    county = {
        r["code"] for r in api.get("/api/v1/areas/", as_="county", params={"level": "township"}).json()["results"]
    }
    assert county == {world.township1.code, world.township2.code}
    assert api.get(f"/api/v1/areas/{world.other_township.pk}/", as_="county").status_code == 404


def test_statistics_of_another_township_or_county_are_404(api, objects, world):
    assert api.get("/api/v1/statistics/", as_="township1", params={"area": world.township2.pk}).status_code == 404
    assert api.get("/api/v1/statistics/", as_="county", params={"area": world.other_county.pk}).status_code == 404
    assert api.get("/api/v1/dashboard/", as_="inspector1").status_code == 403
    own = api.get("/api/v1/statistics/", as_="township1").json()
    assert own["area"]["code"] == "371799001"
    figures = {f["key"]: f["current"] for f in own["figures"]}
    assert figures["incidents"] == 1 and figures["injuries"] == 1
    county = api.get("/api/v1/statistics/", as_="county", params={"area": world.county.pk}).json()
    assert {f["key"]: f["current"] for f in county["figures"]}["incidents"] == 2
