"""The hazard and inspection lists keep their drawn rows and count (``FilteredListView.rows_cache``,
``count_cache_domain = "inspections"``): each kept page follows every write its cells show."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from inspections.choices import HazardStatus, Rating
from inspections.models import HazardGrade, Inspection
from tests.inspections.factories import EntityFactory, GridFactory, HazardFactory

pytestmark = pytest.mark.django_db


def _tbody(html: str) -> str:
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S).group(1)
    return re.sub(r"\s+", "", body)


def _rows(client, url_name, language="zh-hans", **params):
    response = client.get(reverse(url_name), params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return _tbody(response.content.decode())


def _tables_read(client, url_name) -> set:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(url_name)).status_code == 200
    return {m for q in captured.captured_queries for m in re.findall(r'FROM "(\w+)"', q["sql"])}


@pytest.fixture
def entity(world):
    return EntityFactory(grid=GridFactory(village=world.village1), name="东关五金厂")


def _inspection(entity, user, day=1):
    return Inspection.objects.create(
        township=entity.township,
        entity=entity,
        recorded_by=user,
        inspected_at=timezone.now() - dt.timedelta(days=day),
        representative_name="张三",
        rating=Rating.GOOD,
    )


def test_kept_hazard_rows_follow_a_new_hazard_a_renamed_grade_and_entity_and_the_language(as_user, world, entity):
    HazardFactory(registered_by=world.users["inspector1"], entity=entity, description="消防通道堵塞")
    client = as_user("township1")
    first = _rows(client, "inspections:hazard_list")
    assert first == _rows(client, "inspections:hazard_list") and first.count("<tr") == 1
    assert _tables_read(client, "inspections:hazard_list") == set()
    # A new hazard (its save moves the township's inspections version) is listed at once …
    HazardFactory(registered_by=world.users["inspector1"], entity=entity, description="电线私拉乱接")
    second = _rows(client, "inspections:hazard_list")
    assert second.count("<tr") == 2 and "电线私拉乱接" in second
    # … a renamed grade (its generation) and a renamed entity (the inspections version) show …
    grade = HazardGrade.objects.get(pk=entity.hazards.first().grade_id)
    grade.name = "一般隐患甲"
    grade.save()
    assert "一般隐患甲" in _rows(client, "inspections:hazard_list")
    HazardGrade.objects.filter(pk=grade.pk).update(name="一般隐患乙")  # a bulk write, no signal
    assert "一般隐患乙" in _rows(client, "inspections:hazard_list")
    entity.name = "东关新五金厂"
    entity.save()
    assert "东关新五金厂" in _rows(client, "inspections:hazard_list")
    # … and in English the status has its English label (the language is in the key).
    with translation.override("en"):
        english = str(HazardStatus.REGISTERED.label)
    with translation.override("zh-hans"):
        chinese = str(HazardStatus.REGISTERED.label)
    assert english != chinese
    assert english in _rows(client, "inspections:hazard_list", "en")
    assert chinese in _rows(client, "inspections:hazard_list", "zh-hans")


def test_a_county_owned_hazard_is_listed_to_the_county_at_once_and_never_to_a_township(world, entity):
    HazardFactory(registered_by=world.users["inspector1"], entity=entity, description="消防通道堵塞")
    county, township = Client(), Client()  # two sessions at once (``as_user`` has one client)
    county.force_login(world.users["county"])
    township.force_login(world.users["township1"])
    url = reverse("inspections:hazard_list")
    assert _rows(county, "inspections:hazard_list").count("<tr") == 1
    assert _rows(township, "inspections:hazard_list").count("<tr") == 1
    # The county's own hazard moves only the county's own data version: its list follows it, row
    # and count alike.
    HazardFactory(
        registered_by=world.users["inspector1"], entity=entity, township=world.county, description="县级督办隐患"
    )
    rows = _rows(county, "inspections:hazard_list")
    assert rows.count("<tr") == 2 and "县级督办隐患" in rows
    with override_settings(SC_KEPT_PAGES=False):  # the kept count, read from the page's context
        assert county.get(url).context["table"].paginator.count == 2
    assert "县级督办隐患" not in _rows(township, "inspections:hazard_list")
    with override_settings(SC_KEPT_PAGES=False):
        assert township.get(url).context["table"].paginator.count == 1


def test_kept_inspection_rows_follow_a_new_inspection_a_renamed_village_and_recorder(as_user, world, entity):
    inspector = world.users["inspector1"]
    inspector.full_name = "李巡查"
    inspector.save()
    _inspection(entity, inspector)
    client = as_user("township1")
    first = _rows(client, "inspections:inspection_list")
    assert first.count("<tr") == 1 and "李巡查" in first and "东关社区" in first
    # A login's save (last_login) keeps the page: it reads no rows the second time.
    inspector.save(update_fields=["last_login"])
    assert _tables_read(client, "inspections:inspection_list") == set()
    _inspection(entity, inspector, day=2)
    assert _rows(client, "inspections:inspection_list").count("<tr") == 2
    inspector.full_name = "李新巡查"
    inspector.save()
    assert "李新巡查" in _rows(client, "inspections:inspection_list")
    village = world.village1
    village.name = "东关新社区"
    village.save()
    assert "东关新社区" in _rows(client, "inspections:inspection_list")


@pytest.mark.parametrize("url_name", ["inspections:hazard_list", "inspections:inspection_list"])
def test_kept_inspection_lists_are_each_townships_own(as_user, world, entity, url_name):
    HazardFactory(registered_by=world.users["inspector1"], entity=entity)
    _inspection(entity, world.users["inspector1"])
    assert _rows(as_user("township1"), url_name).count("<trclass") == 1
    other = _rows(as_user("township2"), url_name)
    assert "东关五金厂" not in other and "<trclass" not in other
