import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_township_officer_logs_in_in_chinese_and_switches_to_english(page, live_server, browser_login):
    from tests.conftest import build_world

    build_world()
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    assert page.locator("h1").inner_text() == "用户登录"
    browser_login(page, "township1")
    assert "城关街道（371799001）" in page.locator("#user-scope").inner_text()
    assert page.locator("#user-role").inner_text() == "乡镇安监人员"
    page.select_option("#language-select", "en")
    page.wait_for_load_state()
    page.wait_for_selector("html[lang=en]", state="attached")  # no string predicate: CSP forbids eval
    assert page.locator("#user-role").inner_text() == "Township safety staff"
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Safe Community Portal" in page.title()
    # The choice sticks across pages, whatever the browser asks for.
    page.goto(f"{live_server.url}/areas/")
    assert page.locator("h1").inner_text() == "Administrative areas"


def test_home_works_on_a_phone(phone_page, live_server, browser_login):
    from tests.conftest import build_world

    build_world()
    browser_login(phone_page, "township1")
    # The navigation collapses behind the menu button on a 360-px screen, and nothing overflows.
    assert phone_page.locator(".navbar-toggler").is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    phone_page.click(".navbar-toggler")
    phone_page.wait_for_selector("#sc-nav.show")
    assert phone_page.locator("#sc-nav >> text=事故与伤害").is_visible()
