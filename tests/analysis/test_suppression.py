"""Small-cell suppression on every aggregate a member or grid inspector sees: the statistics
page, the dashboard, the API's statistics and dashboard, the project indicator (test_signals),
the signal pages; township staff and the county keep the raw numbers."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from analysis import services
from analysis.suppression import Suppressor, suppress_cells
from incidents.choices import Cause

from ..incidents.factories import IncidentFactory
from .conftest import plant

YEAR = timezone.localdate().year


def test_primary_and_complementary_cells():
    assert suppress_cells([0, 7, 12], 5) == [0, 7, 12]
    # one small cell: the smallest other non-zero cell goes too, so the total gives nothing back
    assert suppress_cells([2, 7, 12, 0], 5) == ["<5", "*", 12, 0]
    # two small cells holding fewer than the threshold together (1 + 1 = 2 from the total): a third goes
    assert suppress_cells([1, 1, 9, 30], 5) == ["<5", "<5", "*", 30]
    # two small cells holding at least the threshold: enough
    assert suppress_cells([3, 4, 9], 5) == ["<5", "<5", 9]
    assert suppress_cells([3], 5) == ["<5"]


def test_figures_partition_and_changes():
    s = Suppressor(5)
    shown = s.figures({"incidents": 3, "deaths": 1, "injured": 12, "serious": 2, "poisoned": 0, "minor": 10})
    assert shown == {"incidents": 3, "deaths": "<5", "injured": 12, "serious": "<5", "poisoned": 0, "minor": "*"}


@pytest.fixture
def small_cells(world):
    """This year in township 1: falls 2 (village 1), traffic 7 (village 2), burns 6 (village 3);
    one incident with 1 death, 2 serious and 10 minor injuries."""
    v1, v2, v3 = world.villages1
    plant(v1, YEAR, 1, 2, cause=Cause.FALL, day=3)
    plant(v2, YEAR, 1, 7, cause=Cause.MOTOR_VEHICLE, age=30, day=3)
    plant(v3, YEAR, 1, 6, cause=Cause.BURN, age=40, day=3)
    IncidentFactory(
        village=v1,
        occurred_at=timezone.make_aware(timezone.datetime(YEAR, 1, 4, 9)),
        deaths=1,
        serious_injuries=2,
        minor_injuries=10,
    )
    return world


def _cell(label, n):
    return f'<td>{label}</td><td class="text-end">{n}</td>'


@pytest.mark.parametrize("username", ["member1", "inspector1"])
def test_statistics_page_hides_small_cells_for_members(small_cells, as_user, username):
    page = as_user(username).get(reverse("incidents:statistics"), {"year": YEAR}).content.decode()
    assert 'id="suppression-note"' in page
    assert _cell("跌倒/坠落", "&lt;5") in page
    assert _cell("烧烫伤", "*") in page  # complementary: 15 − 7 would give the falls back
    assert _cell("机动车车祸", "7") in page
    assert '<tr data-figure="deaths"><th scope="row">死亡人数</th><td>&lt;5</td>' in page
    assert '<tr data-figure="minor"><th scope="row">轻伤人数</th><td>*</td>' in page
    assert '<tr data-figure="injuries"><th scope="row">伤害监测例数</th><td>15</td>' in page
    # village breakdown: village 1's 2 falls hidden, the smallest other village with it
    assert _cell("东关社区", "&lt;5") in page and _cell("南街社区", "*") in page


def test_statistics_page_is_exact_for_staff_and_county(small_cells, as_user):
    for username in ("township1", "county"):
        page = as_user(username).get(reverse("incidents:statistics"), {"year": YEAR}).content.decode()
        assert 'id="suppression-note"' not in page
        assert _cell("跌倒/坠落", "2") in page and _cell("烧烫伤", "6") in page


def test_county_sets_the_threshold(small_cells, as_user):
    services.analysis_settings_save(
        county=small_cells.county,
        suppression_threshold=8,
        signal_alpha=Decimal("0.05"),
        signal_min_count=3,
        cluster_min_injuries=3,
        tighten_after_hazards=3,
        tightened_interval_days=15,
        relax_after_clean=4,
        relaxed_interval_factor=2,
    )
    page = as_user("member1").get(reverse("incidents:statistics"), {"year": YEAR}).content.decode()
    assert _cell("机动车车祸", "&lt;8") in page and _cell("烧烫伤", "&lt;8") in page


def test_dashboard_hides_small_cells_for_members(small_cells, as_user):
    page = as_user("member1").get(reverse("reports:dashboard")).content.decode()
    assert 'id="suppression-note"' in page
    assert 'data-tile="ytd-deaths">' in page
    tile = page.split('data-tile="ytd-deaths">', 1)[1].split("</a>", 1)[0]
    assert '<div class="value">&lt;5</div>' in tile and "同比 —" in tile
    assert '"&lt;5"' not in page  # the charts' JSON carries the text, escaped by json_script
    assert "\\u003C5" in page or '"<5"' in page
    staff = as_user("township1").get(reverse("reports:dashboard")).content.decode()
    tile = staff.split('data-tile="ytd-deaths">', 1)[1].split("</a>", 1)[0]
    assert '<div class="value">1</div>' in tile


def test_api_aggregates_hide_small_cells_for_members(small_cells, as_user):
    client = as_user("member1")
    body = client.get("/api/v1/statistics/", {"year": YEAR}).json()
    figures = {f["key"]: f for f in body["figures"]}
    assert figures["deaths"]["current"] == "<5" and figures["deaths"]["yoy"] is None
    assert figures["injuries"]["current"] == 15
    causes = {r["key"]: r["count"] for r in body["breakdowns"]["cause"]}
    assert (causes["03"], causes["07"], causes["01"]) == ("<5", "*", 7)
    assert body["trend"]["injuries"]["current"][0] == 15
    rates = {r["key"]: r for r in body["rates"]}
    assert rates["gdp_death"]["numerator"] == "<5" and rates["gdp_death"]["value"] is None
    dash = client.get("/api/v1/dashboard/").json()
    assert dash["year_to_date"]["deaths"]["current"] == "<5"
    assert {r["key"]: r["count"] for r in dash["breakdowns"]["cause"]}["03"] == "<5"
    raw = as_user("township1").get("/api/v1/statistics/", {"year": YEAR}).json()
    assert {r["key"]: r["count"] for r in raw["breakdowns"]["cause"]}["03"] == 2
