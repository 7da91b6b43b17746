from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.choices import ActionStatus
from committees.models import ActionItem, Meeting
from tests.query_ceilings import assert_same_queries_for_more_townships
from tests.scope import assert_access, assert_not_listed

from .factories import (
    ActionItemFactory,
    ActivityFactory,
    AgreementFactory,
    AwarenessSurveyFactory,
    CommitteeMemberFactory,
    CommunityFactory,
    MeetingFactory,
    WorkingGroupFactory,
)

READERS = {"township1", "member1", "county", "admin"}
WRITERS = {"township1"}
# Create pages where the county office also makes its county's own rows (CountyOwnedModel).
COUNTY_CREATES = ("meeting_create", "activity_create", "member_create", "unit_create", "community_create")


@pytest.fixture
def data(world):
    t1 = world.township1
    community = CommunityFactory(township=t1)
    mine = CommitteeMemberFactory(township=t1, name="周委员", user=world.users["member1"])
    other = CommitteeMemberFactory(township=t1, name="吴委员")
    group = WorkingGroupFactory(township=t1, lead=mine)
    group.members.add(mine, other)
    meeting = MeetingFactory(township=t1, chair=mine)
    soon = timezone.localdate() + timedelta(days=30)
    my_item = ActionItemFactory(township=t1, meeting=meeting, owner_member=mine, title="防汛检查事项", due_on=soon)
    other_item = ActionItemFactory(
        township=t1, meeting=meeting, owner_member=other, title="消防通道整治事项", due_on=soon
    )
    activity = ActivityFactory(township=t1)
    agreement = AgreementFactory(township=t1, village=world.village1)
    survey = AwarenessSurveyFactory(township=t1)
    return dict(
        community=community,
        mine=mine,
        other=other,
        group=group,
        meeting=meeting,
        my_item=my_item,
        other_item=other_item,
        activity=activity,
        agreement=agreement,
        survey=survey,
    )


LIST_PAGES = [
    "member_list",
    "group_list",
    "meeting_list",
    "action_list",
    "activity_list",
    "agreement_list",
    "survey_list",
    "localrole_list",
    "team_list",
]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_scope(client, world, data, name):
    assert_access(client, world, reverse(f"committees:{name}"), allowed=READERS, object_url=False)


def test_index_shows_structure_for_readers(client, world, data):
    assert_access(client, world, reverse("committees:index"), allowed=READERS, object_url=False)
    client.force_login(world.users["member1"])
    body = client.get(reverse("committees:index")).content.decode()
    assert data["group"].name in body and "周委员" in body


@pytest.mark.parametrize(
    "key,name",
    [
        ("community", "community_detail"),
        ("group", "group_detail"),
        ("meeting", "meeting_detail"),
        ("my_item", "action_detail"),
        ("activity", "activity_detail"),
        ("agreement", "agreement_detail"),
    ],
)
def test_detail_pages_scope(client, world, data, key, name):
    assert_access(client, world, reverse(f"committees:{name}", args=[data[key].pk]), allowed=READERS)


@pytest.mark.parametrize(
    "key,name",
    [
        ("community", "community_update"),
        ("group", "group_update"),
        ("meeting", "meeting_update"),
        ("my_item", "action_update"),
        ("activity", "activity_update"),
        ("agreement", "agreement_update"),
        ("mine", "member_update"),
        ("survey", "survey_update"),
        ("meeting", "meeting_attendance"),
    ],
)
def test_edit_pages_only_for_township_staff(client, world, data, key, name):
    assert_access(client, world, reverse(f"committees:{name}", args=[data[key].pk]), allowed=WRITERS)


@pytest.mark.parametrize(
    "name",
    [
        "member_create",
        "group_create",
        "meeting_create",
        "action_create",
        "activity_create",
        "agreement_create",
        "survey_create",
        "localrole_create",
        "team_create",
        "unit_create",
    ],
)
def test_create_pages_only_for_township_staff(client, world, data, name):
    # the county office creates its county's own meetings and activities on the same pages
    allowed = WRITERS | {"county", "admin"} if name in COUNTY_CREATES else WRITERS
    assert_access(client, world, reverse(f"committees:{name}"), allowed=allowed, object_url=False)


def test_another_townships_meeting_is_not_listed(client, world, data):
    MeetingFactory(township=world.township2, title="青山镇机密会议")
    assert_not_listed(client, world.users["township1"], reverse("committees:meeting_list"), "青山镇机密会议")


def test_township_staff_create_meeting_for_own_township(client, world, data):
    client.force_login(world.users["township1"])
    response = client.post(
        reverse("committees:meeting_create"),
        {
            "kind": "joint",
            "title": "三月创安联席会议",
            "held_on": "2026-03-05",
            "minutes": "会议内容",
            "decisions": "做好防汛准备",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.get(title="三月创安联席会议").township == world.township1


def test_decisions_become_items_from_meeting_page_each_with_its_own_owner(client, world, data):
    meeting, mine, other = data["meeting"], data["mine"], data["other"]
    lines = meeting.decision_lines()
    assert len(lines) >= 2
    client.force_login(world.users["township1"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'name="owner_0"' in page and 'name="owner_1"' in page  # one owner per decision
    url = reverse("committees:meeting_items", args=[meeting.pk])
    response = client.post(url, {"owner_0": mine.pk, "due_0": "2026-05-01", "owner_1": other.pk, "due_1": "2026-06-15"})
    assert response.status_code == 302
    items = {i.title: i for i in ActionItem.objects.filter(meeting=meeting)}
    assert items[lines[0]].owner_member == mine and items[lines[0]].due_on.isoformat() == "2026-05-01"
    assert items[lines[1]].owner_member == other and items[lines[1]].due_on.isoformat() == "2026-06-15"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'id="decision-items"' not in page  # both made: nothing left to offer


def test_a_decision_without_a_due_date_is_refused_and_nothing_made(client, world, data):
    client.force_login(world.users["township1"])
    before = ActionItem.objects.count()
    url = reverse("committees:meeting_items", args=[data["meeting"].pk])
    response = client.post(url, {"owner_0": data["mine"].pk}, follow=True)
    assert "请填写完成期限" in response.content.decode()
    assert ActionItem.objects.count() == before
    response = client.post(url, {}, follow=True)
    assert "请为至少一项议定事项选择责任人和完成期限" in response.content.decode()


def test_attendance_records_absence_reason(client, world, data):
    client.force_login(world.users["township1"])
    url = reverse("committees:meeting_attendance", args=[data["meeting"].pk])
    mine, other = data["mine"], data["other"]
    response = client.post(url, {f"present_{mine.pk}": "on", f"reason_{other.pk}": ""})
    assert response.status_code == 200  # absent without reason is refused
    response = client.post(url, {f"present_{mine.pk}": "on", f"reason_{other.pk}": "外出学习"})
    assert response.status_code == 302
    page = client.get(data["meeting"].get_absolute_url()).content.decode()
    assert "外出学习" in page


def test_status_post_scope_member_updates_only_own_item(client, world, data):
    done = {"status": ActionStatus.DONE, "progress_note": "已完成"}
    assert_access(
        client,
        world,
        reverse("committees:action_status", args=[data["my_item"].pk]),
        method="post",
        data=done,
        allowed={"township1", "member1"},
        ok_status=(302,),
    )
    data["my_item"].refresh_from_db()
    assert data["my_item"].status == ActionStatus.DONE
    # Another member's item: the member gets 403, township staff may, other townships see nothing (404).
    url = reverse("committees:action_status", args=[data["other_item"].pk])
    expected = {
        "member1": 403,
        "inspector1": 403,
        "county": 403,
        "admin": 403,
        "member2": 404,
        "township2": 404,
        "township1": 302,
    }
    for username, status in expected.items():
        client.force_login(world.users[username])
        assert client.post(url, done).status_code == status, username


def test_member_cannot_change_someone_elses_item(client, world, data):
    client.force_login(world.users["member1"])
    response = client.post(
        reverse("committees:action_status", args=[data["other_item"].pk]), {"status": ActionStatus.DONE}
    )
    assert response.status_code == 403
    data["other_item"].refresh_from_db()
    assert data["other_item"].status == ActionStatus.OPEN


def test_my_items_lists_only_the_members_items(client, world, data):
    assert_access(client, world, reverse("committees:action_mine"), allowed={"township1", "member1"}, object_url=False)
    client.force_login(world.users["member1"])
    body = client.get(reverse("committees:action_mine")).content.decode()
    assert "防汛检查事项" in body and "消防通道整治事项" not in body


def test_overdue_items_are_flagged_in_the_list(client, world, data):
    ActionItemFactory(
        township=world.township1,
        owner_member=data["other"],
        title="过期未办",
        due_on=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(world.users["township1"])
    response = client.get(reverse("committees:action_list"), {"overdue": "true"})
    body = response.content.decode()
    assert "过期未办" in body and "逾期" in body and "防汛检查事项" not in body


def test_minutes_pdf_scope(client, world, data):
    assert_access(client, world, reverse("committees:meeting_pdf", args=[data["meeting"].pk]), allowed=READERS)


def test_agreement_scan_upload_validated_and_served_as_attachment(client, world, data, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users["township1"])
    url = reverse("committees:agreement_update", args=[data["agreement"].pk])
    base = {"party_kind": "village", "village": world.village1.pk, "year": 2026, "targets": "零事故"}
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {**base, "signed_scan": fake})
    assert response.status_code == 200 and "文件内容与扩展名不符" in response.content.decode()
    exe = SimpleUploadedFile("scan.exe", b"MZ", content_type="application/octet-stream")
    assert client.post(url, {**base, "signed_scan": exe}).status_code == 200
    pdf = SimpleUploadedFile("../../etc/签字.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assert client.post(url, {**base, "signed_scan": pdf}).status_code == 302
    data["agreement"].refresh_from_db()
    stored = data["agreement"].signed_scan.name
    assert stored.startswith("committees/371799001/") and ".." not in stored and "签字" not in stored
    scan_url = reverse("committees:agreement_scan", args=[data["agreement"].pk])
    response = client.get(scan_url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert_access(client, world, scan_url, allowed=READERS)


def test_activity_list_query_count_does_not_grow(client, world, data, django_assert_max_num_queries):
    client.force_login(world.users["county"])
    url = reverse("committees:activity_list")
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    ActivityFactory.create_batch(40, township=world.township1, village=world.village1)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name", ["meeting_list", "action_list", "member_list", "group_list", "agreement_list", "survey_list"]
)
def test_list_query_counts_do_not_grow(client, world, data, django_assert_max_num_queries, name):
    client.force_login(world.users["township1"])
    url = reverse(f"committees:{name}")
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    for _ in range(30):
        m = CommitteeMemberFactory(township=world.township1)
        meeting = MeetingFactory(township=world.township1, chair=m)
        ActionItemFactory(township=world.township1, owner_member=m, meeting=meeting)
        g = WorkingGroupFactory(township=world.township1, lead=m)
        g.members.add(m)
        AgreementFactory(township=world.township1, village=world.village1)
        AwarenessSurveyFactory(township=world.township1)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_index_query_count_does_not_grow(client, world, data, django_assert_max_num_queries):
    client.force_login(world.users["member1"])
    url = reverse("committees:index")
    with django_assert_max_num_queries(25):
        client.get(url)
    for i in range(15):
        m = CommitteeMemberFactory(township=world.township1)
        g = WorkingGroupFactory(township=world.township1, lead=m)
        g.members.add(m)
        MeetingFactory(township=world.township1, held_on=date(2026, 1, 1) + timedelta(days=i))
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_index_alerts_when_reevaluation_is_due(client, world, data):
    from committees.services import designation_add

    today = timezone.localdate()
    designation_add(
        community=data["community"],
        level="province",
        designated_on=today - timedelta(days=1000),
        expires_on=today + timedelta(days=90),
    )
    client.force_login(world.users["member1"])
    body = client.get(reverse("committees:index")).content.decode()
    assert 'id="reevaluation-alert"' in body


def test_member_phone_is_masked_for_roles_without_personal_data(as_user, world):
    CommitteeMemberFactory(township=world.township1, name="郑委员", phone="13912345678")
    url = reverse("committees:member_list")
    assert "13912345678" in as_user("township1").get(url).content.decode()
    page = as_user("county").get(url).content.decode()
    assert "13912345678" not in page and "139****5678" in page


@pytest.mark.parametrize("url_name", ["committees:member_list", "committees:localrole_list", "committees:survey_list"])
def test_rows_whose_only_page_is_their_edit_form_are_links_for_editors_only(client, world, data, url_name):
    from committees.models import CommitteeMember

    member = CommitteeMember.objects.filter(township=world.township1).first()
    client.force_login(world.users["township1"])
    staff_page = client.get(reverse(url_name)).content.decode()
    client.force_login(world.users["member1"])
    member_page = client.get(reverse(url_name)).content.decode()
    assert "/edit/" not in member_page  # a committee member would meet a 403 there
    if url_name == "committees:member_list":
        assert reverse("committees:member_update", args=[member.pk]) in staff_page


@pytest.mark.parametrize(
    "url_name",
    [
        "committees:index",
        "committees:member_list",
        "committees:group_list",
        "committees:localrole_list",
        "committees:team_list",
        "committees:meeting_list",
        "committees:action_list",
        "committees:agreement_list",
        "committees:activity_list",
        "committees:survey_list",
    ],
)
def test_pages_cost_the_same_queries_for_more_townships_and_rows(
    client, world, django_assert_max_num_queries, url_name
):
    assert_same_queries_for_more_townships(client, world, django_assert_max_num_queries, reverse(url_name))
