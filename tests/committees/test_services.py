from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from committees import services
from committees.choices import ActionStatus, DesignationLevel
from committees.models import ActionItem, Designation
from safecommunity.exceptions import ApplicationError

from .factories import (
    ActionItemFactory,
    CommitteeMemberFactory,
    CommunityFactory,
    MeetingFactory,
)


@pytest.fixture
def linked_member(world):
    """The committee person linked to the member1 login."""
    return CommitteeMemberFactory(township=world.township1, name="周委员", user=world.users["member1"])


def test_community_is_one_per_township(world):
    services.community_save(township=world.township1, name="城关街道安全社区")
    with pytest.raises(ApplicationError):
        services.community_save(township=world.township1, name="另一个")


def test_designation_expiry_must_follow_designation_date(world):
    community = CommunityFactory(township=world.township1)
    with pytest.raises(ValidationError):
        services.designation_add(
            community=community,
            level=DesignationLevel.PROVINCE,
            designated_on=date(2026, 1, 1),
            expires_on=date(2025, 1, 1),
        )


def test_reevaluation_is_due_when_title_expires_within_six_months(world):
    community = CommunityFactory(township=world.township1)
    d = services.designation_add(
        community=community,
        level=DesignationLevel.NATIONAL,
        designated_on=date(2023, 9, 1),
        expires_on=date(2026, 9, 1),
    )
    assert d.reevaluation_due(date(2026, 3, 2))
    assert not d.reevaluation_due(date(2026, 3, 1))  # exactly six months ahead: not yet within
    assert not d.reevaluation_due(date(2026, 9, 2))  # expired, no longer "due within"
    assert list(Designation.objects.due_for_reevaluation(date(2026, 5, 1))) == [d]


def test_member_unit_must_be_of_the_same_township(world):
    unit = services.member_unit_create(township=world.township2, name="青山派出所")
    with pytest.raises(ValidationError):
        services.member_create(township=world.township1, name="张三", unit=unit)


def test_member_user_must_belong_to_the_township(world):
    with pytest.raises(ValidationError):
        services.member_create(township=world.township1, name="李四", user=world.users["member2"])


def test_working_group_refuses_members_of_another_township(world):
    other = CommitteeMemberFactory(township=world.township2)
    with pytest.raises(ApplicationError):
        services.working_group_save(township=world.township1, name="交通安全组", members=[other])


def test_absence_needs_a_reason(world):
    meeting = MeetingFactory(township=world.township1)
    member = CommitteeMemberFactory(township=world.township1)
    with pytest.raises(ValidationError):
        services.meeting_record_attendance(meeting=meeting, member=member, present=False)
    a = services.meeting_record_attendance(meeting=meeting, member=member, present=False, absence_reason="出差")
    assert a.absence_reason == "出差"
    again = services.meeting_record_attendance(meeting=meeting, member=member, present=True, absence_reason="x")
    assert again.pk == a.pk and again.absence_reason == ""


def test_decisions_become_action_items_once(world, linked_member):
    meeting = MeetingFactory(township=world.township1, decisions="开展防溺水巡查\n- 更新警示标志\n\n")
    items = services.meeting_create_action_items(meeting=meeting, owner_member=linked_member, due_on=date(2026, 4, 1))
    assert [i.title for i in items] == ["开展防溺水巡查", "更新警示标志"]
    assert (
        services.meeting_create_action_items(meeting=meeting, owner_member=linked_member, due_on=date(2026, 4, 1)) == []
    )
    assert ActionItem.objects.filter(meeting=meeting).count() == 2


def test_action_item_needs_an_owner_of_the_township(world):
    with pytest.raises(ValidationError):
        services.action_item_create(township=world.township1, title="无人负责", due_on=date(2026, 4, 1))
    with pytest.raises(ValidationError):
        services.action_item_create(
            township=world.township1, title="外乡镇", due_on=date(2026, 4, 1), owner_user=world.users["member2"]
        )


def test_committee_member_marks_own_item_done_through_linked_person(world, linked_member):
    item = ActionItemFactory(township=world.township1, owner_member=linked_member)
    item = services.action_item_update_status(
        item=item,
        user=world.users["member1"],
        status=ActionStatus.DONE,
        progress_note="已完成巡查",
        today=date(2026, 4, 2),
    )
    assert item.status == ActionStatus.DONE and item.done_on == date(2026, 4, 2)


def test_committee_member_marks_item_assigned_to_their_user(world):
    item = ActionItemFactory(township=world.township1, owner_user=world.users["member1"])
    services.action_item_update_status(item=item, user=world.users["member1"], status=ActionStatus.IN_PROGRESS)
    item.refresh_from_db()
    assert item.status == ActionStatus.IN_PROGRESS


def test_committee_member_cannot_update_someone_elses_item(world):
    other = CommitteeMemberFactory(township=world.township1)
    item = ActionItemFactory(township=world.township1, owner_member=other)
    with pytest.raises(PermissionDenied):
        services.action_item_update_status(item=item, user=world.users["member1"], status=ActionStatus.DONE)
    item.refresh_from_db()
    assert item.status == ActionStatus.OPEN


@pytest.mark.parametrize("username", ["inspector1", "county", "township2"])
def test_other_roles_cannot_update_action_items(world, username):
    item = ActionItemFactory(township=world.township1, owner_user=world.users["member1"])
    with pytest.raises(PermissionDenied):
        services.action_item_update_status(item=item, user=world.users[username], status=ActionStatus.DONE)


def test_township_staff_update_any_item_of_their_township(world, linked_member):
    item = ActionItemFactory(township=world.township1, owner_member=linked_member)
    services.action_item_update_status(item=item, user=world.users["township1"], status=ActionStatus.DONE)
    item.refresh_from_db()
    assert item.done_on is not None


def test_reopening_an_item_clears_its_done_date(world):
    item = ActionItemFactory(
        township=world.township1, owner_user=world.users["member1"], status=ActionStatus.DONE, done_on=date(2026, 4, 1)
    )
    services.action_item_update_status(item=item, user=world.users["township1"], status=ActionStatus.OPEN)
    item.refresh_from_db()
    assert item.done_on is None


def test_overdue_means_open_and_past_due(world):
    owner = world.users["member1"]
    late = ActionItemFactory(township=world.township1, owner_user=owner, due_on=date(2026, 3, 31))
    ActionItemFactory(township=world.township1, owner_user=owner, due_on=date(2026, 4, 1))  # due today
    ActionItemFactory(
        township=world.township1,
        owner_user=owner,
        due_on=date(2026, 3, 1),
        status=ActionStatus.DONE,
        done_on=date(2026, 3, 2),
    )
    today = date(2026, 4, 1)
    assert list(ActionItem.objects.overdue(today)) == [late]
    assert late.is_overdue(today)


def test_agreement_with_a_village_needs_a_village_of_the_township(world):
    with pytest.raises(ValidationError):
        services.agreement_save(
            township=world.township1, party_kind="village", village=world.village2, year=2026, targets="零事故"
        )
    a = services.agreement_save(
        township=world.township1, party_kind="village", village=world.village1, year=2026, targets="零事故"
    )
    assert "东关社区" in str(a)


def test_survey_counts_cannot_exceed_sample(world):
    with pytest.raises(ValidationError):
        services.survey_save(
            township=world.township1,
            title="调查",
            conducted_on=date(2026, 1, 1),
            sample_size=100,
            aware_count=120,
            participating_count=50,
        )
    s = services.survey_save(
        township=world.township1,
        title="调查",
        conducted_on=date(2026, 1, 1),
        sample_size=400,
        aware_count=322,
        participating_count=300,
    )
    assert str(s.awareness_rate) == "0.8050" and s.awareness_met
    assert str(s.participation_rate) == "0.7500" and not s.participation_met
