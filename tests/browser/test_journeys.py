"""Journeys that broke before (issue 14), walked in Chromium: a long unit list is searched, the
briefing edit page's 保存 saves, publishing asks first, and the audit page unlocks an account."""

import pytest

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
    page.keyboard.type("农贸")
    options = page.locator(".ts-dropdown .option:visible")
    assert options.count() == 1 and "西关农贸市场" in options.first.inner_text()
    options.first.click()
    page.fill("#id_occurred_at", "2026-01-02T08:30")
    page.select_option("#id_village", label=world.village1.name)
    page.select_option("#id_domain", label="火灾")
    page.select_option("#id_accident_type", label="火灾")
    page.click("#submit-button")
    page.wait_for_url("**/incidents/*/")
    assert Incident.objects.get().entity == target


def test_the_briefing_edit_page_saves_and_publishing_asks_first(page, live_server, browser_login, world, settings,
                                                                 tmp_path):
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
    page.wait_for_function("() => document.body.innerText.includes('发布')")
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
