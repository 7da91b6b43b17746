from datetime import timedelta

import pytest
from django.utils import timezone

from committees.choices import ActionStatus
from committees.models import ActionItem

from .factories import ActionItemFactory, CommitteeMemberFactory, MeetingFactory


@pytest.mark.browser
def test_committee_member_marks_own_action_item_done(page, live_server, browser_login, world):
    person = CommitteeMemberFactory(township=world.township1, name="周委员", user=world.users["member1"])
    meeting = MeetingFactory(township=world.township1)
    item = ActionItemFactory(
        township=world.township1,
        meeting=meeting,
        owner_member=person,
        title="检查学校消防通道",
        due_on=timezone.localdate() - timedelta(days=3),
    )
    ActionItemFactory(
        township=world.township1,
        owner_member=CommitteeMemberFactory(township=world.township1),
        title="别人负责的事项",
        due_on=timezone.localdate() + timedelta(days=3),
    )

    browser_login(page, "member1")
    page.goto(f"{live_server.url}/committees/actions/mine/")
    assert page.get_by_text("别人负责的事项").count() == 0
    page.get_by_role("link", name="检查学校消防通道").click()
    assert page.locator("#overdue-flag").is_visible()
    page.select_option("#id_status", ActionStatus.DONE)
    page.fill("#id_progress_note", "已完成检查，消防通道畅通")
    page.click("#status-submit")
    page.wait_for_selector("#item-status:has-text('已完成')")
    assert page.locator("#overdue-flag").count() == 0
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE and item.progress_note == "已完成检查，消防通道畅通"
    assert ActionItem.objects.get(title="别人负责的事项").status == ActionStatus.OPEN
