"""The bell in Chromium: its count, opening a notification, marking all read, the preferences."""

import datetime as dt

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_sees_the_bell_count_opens_a_notification_and_marks_all_read(page, live_server, browser_login, world):
    from committees.services import action_item_create
    from notifications.choices import EmailMode, Kind
    from notifications.models import Preference
    from tests.committees.factories import CommitteeMemberFactory

    member = CommitteeMemberFactory(township=world.township1, user=world.users["member1"])
    for title in ("检查燃气管道", "清理消防通道", "更新应急预案"):
        action_item_create(township=world.township1, title=title, due_on=dt.date(2026, 6, 30), owner_member=member)
    browser_login(page, "member1")
    expect(page.locator("#notification-count")).to_have_text("3")
    page.click("#notification-bell")
    page.wait_for_url("**/notifications/")
    rows = page.locator("#notification-table tbody tr")
    expect(rows).to_have_count(3)
    page.locator("#notification-table a", has_text="清理消防通道").click()
    page.wait_for_url("**/committees/actions/*/")
    expect(page.locator("#notification-count")).to_have_text("2")
    page.goto(f"{live_server.url}/notifications/")
    page.click("#read-all")
    page.wait_for_url("**/notifications/")
    expect(page.locator("#notification-count")).to_have_count(0)

    page.goto(f"{live_server.url}/notifications/preferences/")
    page.select_option(f"#id_{Kind.ACTION_ASSIGNED}__email", EmailMode.INSTANT)
    page.uncheck(f"#id_{Kind.MONTH_RETURNED}__in_app")
    page.click("#submit-button")
    page.wait_for_url("**/notifications/preferences/")
    assert Preference.objects.get(user=world.users["member1"], kind=Kind.ACTION_ASSIGNED).email == EmailMode.INSTANT
    assert Preference.objects.get(user=world.users["member1"], kind=Kind.MONTH_RETURNED).in_app is False
    expect(page.locator(f"#id_{Kind.ACTION_ASSIGNED}__email")).to_have_value(EmailMode.INSTANT)
