"""In a real browser under the strict Content-Security-Policy: the dashboard's and the statistics'
charts render, the grid map draws, the inspection form's scripts work, and the browser reports
no violation (issue 13)."""

import pytest
from django.utils import timezone

from tests.incidents.factories import IncidentFactory, InjuryRecordFactory
from tests.inspections.factories import EntityFactory, GridFactory, checklist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Injected by the browser itself (not by the page, so the policy does not apply to it).
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""


def watch(page):
    console = []
    page.add_init_script(LISTEN)
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    return console


def assert_no_violation(page, console):
    violations = page.evaluate("window.__violations")
    assert violations == [], violations
    assert not [m for m in console if "Content Security Policy" in m or "pageerror" in m], console


def test_charts_map_and_form_work_under_the_policy(page, live_server, browser_login):
    from tests.conftest import build_world

    world = build_world()
    year = timezone.localdate().year
    for month in (1, 2, 3):
        IncidentFactory(village=world.village1, occurred_at=timezone.make_aware(timezone.datetime(year, month, 5, 10)))
        InjuryRecordFactory(
            village=world.village1, injured_at=timezone.make_aware(timezone.datetime(year, month, 6, 9))
        )
    boundary = {
        "type": "Polygon",
        "coordinates": [[[115.40, 35.20], [115.41, 35.20], [115.41, 35.21], [115.40, 35.20]]],
    }
    grid = GridFactory(
        village=world.village1, inspector=world.users["inspector1"], head=world.users["township1"], boundary=boundary
    )
    entity = EntityFactory(grid=grid)
    template = checklist(world.county, n=1)

    console = watch(page)
    browser_login(page, "township1")
    headers = page.request.get(f"{live_server.url}/reports/dashboard/").headers
    assert "script-src 'self'" in headers["content-security-policy"]

    page.goto(f"{live_server.url}/reports/dashboard/")
    page.wait_for_selector("#chart-trend[data-rendered='1'] svg")
    for chart in ("chart-trend", "chart-cause", "chart-place", "chart-age"):
        assert page.locator(f"#{chart} svg").count() >= 1
    page.hover("#chart-trend svg")  # the tooltip is HTML with inline styles (style-src-attr)
    assert_no_violation(page, console)

    page.goto(f"{live_server.url}/incidents/statistics/?year={year}")
    page.wait_for_selector("#trend-chart[data-rendered='1'] canvas")
    assert_no_violation(page, console)

    page.goto(f"{live_server.url}/inspections/grids/")
    page.wait_for_selector("#grid-map[data-rendered='1'] path.leaflet-interactive")
    page.locator("#grid-map path.leaflet-interactive").first.click(force=True)
    page.wait_for_selector(".leaflet-popup-content a")
    assert page.locator(".leaflet-popup-content a").inner_text() == grid.name
    assert_no_violation(page, console)

    page.goto(f"{live_server.url}/committees/")
    page.goto(f"{live_server.url}/inspections/entities/new/")  # a plain form; 取消 goes back
    page.click("text=取消")
    page.wait_for_url(f"{live_server.url}/committees/")
    assert_no_violation(page, console)

    page.context.clear_cookies()
    browser_login(page, "inspector1")
    page.goto(f"{live_server.url}/inspections/entities/{entity.pk}/inspect/")
    item = template.items.get()
    hazard_box = page.locator(".sc-item .sc-hazard").first
    assert hazard_box.is_hidden()
    radio = page.locator(f"input[name='result_{item.pk}'][value='nonconform']")
    page.click(f"label[for='{radio.get_attribute('id')}']")
    assert hazard_box.is_visible()  # inspection-form.js ran
    page.select_option("#language-select", "en")  # data-autosubmit (page.js)
    page.wait_for_selector("html[lang=en]", state="attached")  # wait_for_function would eval (CSP)
    assert_no_violation(page, console)
