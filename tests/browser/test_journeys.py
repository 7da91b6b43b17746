"""Journeys that broke before (issue 14), walked in Chromium: a long unit list is searched, the
briefing edit page's 保存 saves, publishing asks first, and the audit page unlocks an account."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_find_a_unit_among_many_by_typing_part_of_its_name(page, live_server, browser_login, world):
    from incidents.models import Incident
    from tests.inspections.factories import EntityFactory, GridFactory

    grid = GridFactory(village=world.village1)
    for i in range(40):
        EntityFactory(grid=grid, name=f"城关第{i:02d}加工厂")
    target = EntityFactory(grid=grid, name="西关农贸市场管理有限公司")
    browser_login(page, "township1")
    page.goto(f"{live_server.url}/incidents/new/")
    wrapper = page.locator("#id_entity + .ts-wrapper, #id_entity ~ .ts-wrapper").first
    assert wrapper.count() == 1  # the long list became searchable
    wrapper.click()
    wrapper.locator("input").first.press_sequentially("农贸")
    options = page.locator(".ts-dropdown .option:visible")
    expect(options).to_have_count(1)
    assert "西关农贸市场" in options.first.inner_text()
    options.first.click()
    page.fill("#id_occurred_at", "2026-01-02T08:30")
    page.select_option("#id_village", label=world.village1.name)
    page.select_option("#id_domain", label="火灾")
    page.select_option("#id_accident_type", label="火灾")
    page.click("#submit-button")
    page.wait_for_url("**/incidents/*/")
    assert Incident.objects.get().entity == target


def test_the_briefing_edit_page_saves_and_publishing_asks_first(
    page, live_server, browser_login, world, settings, tmp_path
):
    from reports import services
    from reports.models import Briefing

    settings.MEDIA_ROOT = str(tmp_path)
    briefing, _ = services.briefing_generate(township=world.township1, year=2026, month=3)
    browser_login(page, "township1")
    page.goto(f"{live_server.url}/reports/briefings/{briefing.pk}/edit/")
    page.fill("#id_editor_note", "本月开展春季消防安全检查。")
    page.click("#submit-button")
    page.wait_for_url(f"**/reports/briefings/{briefing.pk}/")
    briefing.refresh_from_db()
    assert briefing.editor_note == "本月开展春季消防安全检查。"

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.click("#publish-button")
    page.wait_for_timeout(300)
    assert questions and "冻结" in questions[0]
    briefing.refresh_from_db()
    assert not briefing.is_published  # dismissed: nothing happened
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#publish-button")
    page.wait_for_load_state()
    page.wait_for_selector("body:has-text('发布')", state="attached")
    assert Briefing.objects.get(pk=briefing.pk).is_published


def test_an_assessment_round_is_opened_from_its_form(page, live_server, browser_login, world):
    from reports.builtin_schemes import install_builtin_schemes
    from reports.models import AssessmentRound

    install_builtin_schemes()
    browser_login(page, "county")
    page.goto(f"{live_server.url}/reports/assessments/new/")
    page.select_option("#id_scheme", index=1)
    page.fill("#id_name", "2026年度安全社区考核")
    page.fill("#id_period_start", "2026-01-01")
    page.fill("#id_period_end", "2027-01-01")
    page.click("#submit-button")
    page.wait_for_url("**/reports/assessments/*/")
    assert AssessmentRound.objects.get().name == "2026年度安全社区考核"


def test_a_committee_member_reads_the_dashboard_and_reports_progress_on_their_action_item(
    page, live_server, browser_login, world, screenshot
):
    from committees.choices import ActionStatus
    from committees.models import ActionItem
    from tests.committees.factories import ActionItemFactory, CommitteeMemberFactory

    member = CommitteeMemberFactory(township=world.township1, user=world.users["member1"], name="周委员")
    item = ActionItemFactory(township=world.township1, owner_member=member, title="更新学校周边警示标志")
    browser_login(page, "member1")
    page.goto(f"{live_server.url}/reports/dashboard/")
    assert page.locator("#tiles a").count() >= 8
    screenshot(page, "dashboard")
    page.goto(f"{live_server.url}{item.get_absolute_url()}")
    page.select_option("#id_status", ActionStatus.IN_PROGRESS)
    page.fill("#id_progress_note", "已联系交通部门，本周内完成。")
    page.click("#status-submit")
    page.wait_for_load_state()
    screenshot(page, "action-item")
    item.refresh_from_db()
    assert item.status == ActionStatus.IN_PROGRESS and "交通部门" in item.progress_note
    assert ActionItem.objects.count() == 1


def test_an_administrator_unlocks_a_locked_account_from_the_audit_page(
    page, live_server, browser_login, world, screenshot, client
):
    from django.urls import reverse

    for _ in range(5):
        client.post(reverse("login"), {"username": "township1", "password": "wrong-password"})
    browser_login(page, "admin")
    page.goto(f"{live_server.url}/audit/")
    row = page.locator("#locked-accounts tr", has_text="township1")
    assert row.count() == 1
    screenshot(page, "audit-locked")
    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("button").click()
    page.wait_for_selector("text=已解锁账号")
    assert "没有被锁定的账号" in page.locator("#locked-accounts").inner_text()
    page.select_option("#id_event", "unlocked")
    page.click("#audit-filters button[type=submit]")
    page.wait_for_load_state()
    assert "账号解锁" in page.locator("#security-events").inner_text()
    screenshot(page, "audit-unlocked")


def test_the_county_supervisor_reads_the_dashboard_in_english(page, live_server, browser_login, world, screenshot):
    from django.conf import settings

    browser_login(page, "county")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/reports/dashboard/")
    tiles = page.locator("#tiles").inner_text()
    assert "this year" in tiles and "This month" not in tiles.replace("this month", "")
    assert "月" not in tiles  # no Chinese interface text, no 12月 dates
    screenshot(page, "dashboard-en")


def test_dashboard_chart_labels_neither_overlap_nor_are_cut_off_in_english(
    page, live_server, browser_login, world, screenshot
):
    """Every cause and place of the card has a case this year, so the axes carry their longest
    English names ("Industrial and construction site"); months are Jan…Dec, not 1月."""
    from django.conf import settings
    from django.utils import timezone

    from incidents.choices import Cause, Place
    from tests.incidents.factories import InjuryRecordFactory, aware

    year = timezone.localdate().year
    for i, (cause, place) in enumerate(zip(list(Cause) * 2, list(Place) * 2, strict=False)):
        InjuryRecordFactory(village=world.village1, cause=cause, place=place, injured_at=aware(year, 1, 1 + i % 28))
    browser_login(page, "county")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/reports/dashboard/")
    for chart in ("chart-trend", "chart-cause", "chart-place", "chart-age"):
        page.wait_for_selector(f"#{chart}[data-rendered='1'] svg text")
        boxes = page.evaluate(
            """id => {
              const el = document.getElementById(id), box = el.getBoundingClientRect();
              return {box: [box.left, box.top, box.right, box.bottom],
                      texts: [...el.querySelectorAll('svg text')].filter(t => t.textContent.trim())
                        .map(t => { const r = t.getBoundingClientRect();
                                    return [t.textContent, r.left, r.top, r.right, r.bottom]; })};
            }""",
            chart,
        )
        left, top, right, bottom = boxes["box"]
        texts = boxes["texts"]
        for name, x0, y0, x1, y1 in texts:  # nothing clipped at the chart's edges
            assert x0 >= left - 1 and x1 <= right + 1 and y0 >= top - 1 and y1 <= bottom + 1, (chart, name, (x0, x1))
        for i, (a, ax0, ay0, ax1, ay1) in enumerate(texts):  # no two labels on top of each other
            for b, bx0, by0, bx1, by1 in texts[i + 1 :]:
                overlap_x = min(ax1, bx1) - max(ax0, bx0)
                overlap_y = min(ay1, by1) - max(ay0, by0)
                assert overlap_x <= 1 or overlap_y <= 1, (chart, a, b)
        if chart == "chart-trend":
            names = [t[0] for t in texts]
            assert "Jan" in names and not any("月" in n or n.startswith("Month") for n in names), names
    screenshot(page, "dashboard-charts-en")


def test_lists_are_cards_on_a_phone(phone_page, live_server, browser_login, world, screenshot):
    from django.utils import timezone

    from tests.incidents.factories import IncidentFactory, aware

    today = timezone.localdate()
    for i in range(3):
        IncidentFactory(village=world.villages1[i], occurred_at=aware(today.year, 1, 2 + i))
    page = browser_login(phone_page, "township1")
    page.goto(f"{live_server.url}/incidents/list/")
    table = page.locator(".sc-cards table")
    assert table.count() == 1
    assert not page.locator(".sc-cards thead").is_visible()  # no header row squeezed to 360 px
    cell = page.locator(".sc-cards tbody tr").first.locator("td").first
    assert cell.get_attribute("data-label")
    before = page.evaluate("el => getComputedStyle(el, '::before').content", cell.element_handle())
    assert cell.get_attribute("data-label") in before
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360  # nothing wider than the phone
    screenshot(page, "incident-cards")


def test_closing_a_hazard_asks_first(page, live_server, browser_login, world, settings, tmp_path):
    from inspections.choices import HazardStatus
    from tests.inspections.factories import EntityFactory, GridFactory, HazardFactory

    settings.MEDIA_ROOT = str(tmp_path)
    entity = EntityFactory(grid=GridFactory(village=world.village1))
    hazard = HazardFactory(
        entity=entity, registered_by=world.users["inspector1"], status=HazardStatus.PENDING_VERIFICATION
    )
    browser_login(page, "township1")
    page.goto(f"{live_server.url}{hazard.get_absolute_url()}")
    page.fill("#transition textarea", "现场复查，已整改到位")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.click("button[value=verify_pass]")
    page.wait_for_timeout(300)
    hazard.refresh_from_db()
    assert questions and "销号" in questions[0] and hazard.status == HazardStatus.PENDING_VERIFICATION
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button[value=verify_pass]")
    page.wait_for_selector("text=已验收通过(销号)")  # the pressed button's action reached the server
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED
