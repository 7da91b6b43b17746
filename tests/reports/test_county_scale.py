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
from tests.query_ceilings import grow_county


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
    grow_county(world, 3)
    three = _cold_queries(client, django_assert_max_num_queries, url)
    grow_county(world, 12)
    twelve = _cold_queries(client, django_assert_max_num_queries, url)
    assert three == twelve, (three, twelve)


def test_grouped_reads_of_the_ranking_agree_with_each_townships_selectors(world):
    grow_county(world, 4)
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
