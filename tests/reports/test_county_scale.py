"""At county scale a cold county dashboard and county statistics page cost a number of queries that
does not grow with the number of townships, and the grouped reads of the ranking give each
township the numbers its own selectors give."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from committees import selectors as committees
from incidents import selectors as incidents
from inspections import selectors as inspections
from safecommunity.choices import AreaLevel
from safecommunity.periods import Period
from safecommunity.services import area_create
from tests.committees.factories import ActivityFactory, MeetingFactory
from tests.incidents.factories import IncidentFactory, InjuryRecordFactory, aware
from tests.inspections.factories import EntityFactory, GridFactory, HazardFactory


def _grow_county(world, total: int) -> None:
    """Townships of the world's county up to ``total``, each with a village and a few rows."""
    today = timezone.localdate()
    existing = world.county.children.filter(level=AreaLevel.TOWNSHIP).count()
    for i in range(existing, total):
        township = area_create(
            code=f"371799{110 + i:03d}", name=f"第{i}镇", level=AreaLevel.TOWNSHIP, parent=world.county
        )
        village = area_create(code=f"{township.code}201", name=f"第{i}村", level=AreaLevel.VILLAGE, parent=township)
        IncidentFactory(village=village, occurred_at=aware(today.year, today.month, 1), deaths=i % 2)
        InjuryRecordFactory(village=village, injured_at=aware(today.year, today.month, 1))
        entity = EntityFactory(grid=GridFactory(village=village))
        HazardFactory(entity=entity, found_on=today, registered_by=world.users["township1"])
        MeetingFactory(township=township, held_on=today)
        ActivityFactory(township=township, held_on=today)


def _cold_queries(client, django_assert_max_num_queries, url) -> int:
    cache.delete_own_keys()
    with django_assert_max_num_queries(200) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["reports:dashboard", "incidents:statistics"])
def test_cold_county_pages_cost_the_same_queries_for_3_and_12_townships(
    client, world, django_assert_max_num_queries, url_name
):
    client.force_login(world.users["county"])
    url = reverse(url_name)
    _grow_county(world, 3)
    three = _cold_queries(client, django_assert_max_num_queries, url)
    _grow_county(world, 12)
    twelve = _cold_queries(client, django_assert_max_num_queries, url)
    assert three == twelve, (three, twelve)


def test_grouped_reads_of_the_ranking_agree_with_each_townships_selectors(world):
    _grow_county(world, 4)
    today = timezone.localdate()
    ytd = Period.year_to_date(today.year, today.month)
    ids = list(world.county.children.filter(level=AreaLevel.TOWNSHIP).values_list("pk", flat=True))
    stats = incidents.incident_statistics_by_township.uncached(townships=ids, period=ytd)
    hazards = inspections.hazard_statistics_by_township.uncached(townships=ids, period=ytd, today=today)
    coverage = inspections.inspection_coverage_by_township.uncached(townships=ids, period=ytd, today=today)
    work = committees.meeting_and_activity_counts_by_township.uncached(townships=ids, period=ytd)
    for tid in ids:
        assert stats[tid] == incidents.incident_statistics.uncached(townships=[tid], period=ytd)
        assert hazards[tid] == inspections.hazard_statistics.uncached(townships=[tid], period=ytd, today=today)
        assert coverage[tid] == inspections.inspection_coverage.uncached(townships=[tid], period=ytd, today=today)
        assert work[tid]["meetings"] == committees.meeting_statistics.uncached(townships=[tid], period=ytd)["total"]
        assert work[tid]["activities"] == committees.activity_sums.uncached(townships=[tid], period=ytd)["count"]
    assert sum(s["deaths"] for s in stats.values()) >= 1
