"""Fixtures of the API tests: a token per world user, and one object of each kind in township 1,
township 2 and the other county."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from api.services import api_token_create
from committees.models import Community
from reports.builtin_schemes import NATIONAL_CODE, install_builtin_schemes
from reports.models import AssessmentRound, AssessmentScheme, Briefing, Scorecard
from tests.committees.factories import ActionItemFactory, CommitteeMemberFactory, MeetingFactory
from tests.incidents.factories import IncidentFactory, InjuryRecordFactory, aware, make_id_number
from tests.inspections.factories import EntityFactory, GridFactory, HazardFactory
from tests.projects.factories import InterventionFactory, ProjectFactory

THIS_YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def tokens(world):
    return {name: api_token_create(user=user, name=f"{name}的令牌")[1] for name, user in world.users.items()}


class Api:
    """``api.get(path, as_="township1", **headers)``: requests with the user's token."""

    def __init__(self, client, tokens):
        self.client, self.tokens = client, tokens

    def _headers(self, as_, headers):
        h = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
        if as_:
            h["HTTP_AUTHORIZATION"] = f"Bearer {self.tokens.get(as_, as_)}"
        for k, v in headers.items():
            h["HTTP_" + k.upper().replace("-", "_")] = v
        return h

    def get(self, path, as_=None, params=None, **headers):
        return self.client.get(path, params or {}, **self._headers(as_, headers))

    def post(self, path, data, as_=None, **headers):
        return self.client.post(
            path, json.dumps(data, default=str), content_type="application/json", **self._headers(as_, headers)
        )

    def upload(self, path, files, as_=None, **headers):
        return self.client.post(path, files, **self._headers(as_, headers))


@pytest.fixture
def api(client, tokens):
    return Api(client, tokens)


def _township_objects(world, township, village, inspector=None, *, tag):
    grid = GridFactory(village=village, inspector=inspector, name=f"{tag}网格")
    entity = EntityFactory(grid=grid, name=f"{tag}企业", phone="13812345678")
    member = CommitteeMemberFactory(township=township)
    meeting = MeetingFactory(township=township, title=f"{tag}联席会议")
    project = ProjectFactory(township=township, name=f"{tag}防跌倒项目")
    return {
        "incident": IncidentFactory(village=village, occurred_at=aware(THIS_YEAR, 1, 5), address=f"{tag}路口"),
        "injury": InjuryRecordFactory(
            village=village,
            injured_at=aware(THIS_YEAR, 1, 6),
            name="王小明",
            id_number=make_id_number(birth=dt.date(1950, 1, 1)),
            age=THIS_YEAR - 1950 - (1 if timezone.localdate() < dt.date(THIS_YEAR, 1, 1) else 0),
            narrative=f"{tag}跌倒",
        ),
        "entity": entity,
        "hazard": HazardFactory(entity=entity, registered_by=world.users["township1"], description=f"{tag}隐患"),
        "community": Community.objects.create(township=township, name=f"{tag}安全社区"),
        "meeting": meeting,
        "action_item": ActionItemFactory(
            township=township, meeting=meeting, owner_member=member, title=f"{tag}督办事项"
        ),
        "project": project,
        "intervention": InterventionFactory(project=project, description=f"{tag}干预措施"),
        "briefing": Briefing.objects.create(
            township=township,
            year=THIS_YEAR,
            month=1,
            number_in_year=1,
            number_total=1,
            title=f"{tag}简报",
            issuer="办公室",
            issued_on=dt.date(THIS_YEAR, 2, 1),
        ),
    }


@pytest.fixture
def objects(world):
    """{"t1": {...}, "t2": {...}, "other": {...}}: one object of each kind per township."""
    install_builtin_schemes()
    scheme = AssessmentScheme.objects.get(code=NATIONAL_CODE)
    result = {
        "t1": _township_objects(world, world.township1, world.village1, world.users["inspector1"], tag="城关"),
        "t2": _township_objects(world, world.township2, world.village2, world.users["inspector2"], tag="青山"),
    }
    other_village = world.other_township.children.get()
    result["other"] = _township_objects(world, world.other_township, other_village, tag="邻县")
    rounds = {}
    for county in (world.county, world.other_county):
        rounds[county.pk] = AssessmentRound.objects.create(
            county=county,
            scheme=scheme,
            name=f"{county.name}{THIS_YEAR}年度考核",
            period_start=dt.date(THIS_YEAR, 1, 1),
            period_end=dt.date(THIS_YEAR + 1, 1, 1),
        )
    for key, township in (("t1", world.township1), ("t2", world.township2), ("other", world.other_township)):
        result[key]["scorecard"] = Scorecard.objects.create(round=rounds[township.parent_id], township=township)
    return result
