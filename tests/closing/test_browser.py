"""In a real browser: the township submits a month (seeing what is missing), the county returns
it with a reason, the township resubmits, the county approves: the month shows 基于已审核数据."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_township_submits_county_returns_and_approves_a_month(browser, page, live_server, browser_login):
    from closing.models import MonthClose
    from tests.conftest import build_world
    from tests.incidents.factories import IncidentFactory, aware

    world = build_world()
    IncidentFactory(village=world.village1, occurred_at=aware(2026, 3, 5))
    browser_login(page, "township1")
    page.goto(f"{live_server.url}/closing/")
    page.fill("input[name=month]", "2026-03")
    page.click("#month-submit-open")
    assert "缺项提示" in page.locator("#checklist").inner_text()
    assert page.locator("#figures").inner_text().count("1") >= 1
    page.click("#submit-month")
    page.wait_for_selector("#close-status")
    assert page.locator("#close-status").inner_text() == "待审核"
    close = MonthClose.objects.get()

    county = browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"}).new_page()
    browser_login(county, "county")
    county.goto(f"{live_server.url}/closing/{close.pk}/")
    county.fill("input[name=reason]", "东关村未报伤害卡")
    county.click("#return-month")
    county.wait_for_selector("text=已退回乡镇")
    assert county.locator("#close-status").inner_text() == "已退回"

    page.goto(f"{live_server.url}/closing/{close.pk}/")
    assert "东关村未报伤害卡" in page.content()
    page.click("#resubmit-month")
    page.click("#submit-month")
    page.wait_for_selector("text=已报送县级审核")

    county.goto(f"{live_server.url}/closing/{close.pk}/")
    county.click("#approve-month")
    county.wait_for_selector("text=已审核通过，该月数据已锁定")
    assert county.locator("#close-status").inner_text() == "已审核"
    assert county.locator("#data-state").inner_text() == "基于已审核数据"
    county.context.close()
