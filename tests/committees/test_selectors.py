from datetime import date

from committees import selectors
from committees.choices import ActionStatus, ActivityKind, MeetingKind
from safecommunity.models import Area
from safecommunity.periods import Period

from .factories import ActionItemFactory, ActivityFactory, CommitteeMemberFactory, MeetingFactory


def test_meeting_statistics_count_by_kind_within_period(world):
    t1 = world.township1
    MeetingFactory(township=t1, kind=MeetingKind.JOINT, held_on=date(2026, 1, 5))
    MeetingFactory(township=t1, kind=MeetingKind.JOINT, held_on=date(2026, 2, 5))
    MeetingFactory(township=t1, kind=MeetingKind.FIRE, held_on=date(2026, 2, 28))
    MeetingFactory(township=t1, kind=MeetingKind.JOINT, held_on=date(2026, 3, 1))  # outside
    MeetingFactory(township=world.township2, kind=MeetingKind.JOINT, held_on=date(2026, 1, 5))
    stats = selectors.meeting_statistics(townships=[t1], period=Period(date(2026, 1, 1), date(2026, 3, 1)))
    assert stats["total"] == 3
    assert stats["by_kind"]["joint"] == 2 and stats["by_kind"]["fire"] == 1 and stats["by_kind"]["traffic"] == 0
    both = selectors.meeting_statistics(
        townships=Area.objects.filter(code__in=["371799001", "371799101"]), period=Period.year(2026)
    )
    assert both["total"] == 5


def test_activity_sums_add_participants_and_materials_per_kind(world):
    t1 = world.township1
    ActivityFactory(township=t1, kind=ActivityKind.PUBLICITY, participants=200, materials=12000)
    ActivityFactory(township=t1, kind=ActivityKind.PUBLICITY, participants=150, materials=8500)
    ActivityFactory(township=t1, kind=ActivityKind.DRILL, participants=60, materials=0)
    ActivityFactory(
        township=t1, kind=ActivityKind.COMPETITION, participants=80, materials=100, held_on=date(2025, 12, 31)
    )  # last year
    ActivityFactory(township=world.township2, kind=ActivityKind.TRAINING, participants=30, materials=30)
    sums = selectors.activity_sums(townships=[t1.pk], period=Period.year(2026))
    assert sums["count"] == 3 and sums["materials"] == 20500 and sums["participants"] == 410
    assert sums["publicity"] == 2 and sums["drill"] == 1 and sums["competition"] == 0 and sums["training"] == 0
    assert sums["by_kind"]["publicity"]["materials"] == 20500


def test_action_item_statistics_open_done_overdue(world):
    owner = CommitteeMemberFactory(township=world.township1)
    today = date(2026, 4, 10)
    ActionItemFactory(township=world.township1, owner_member=owner, due_on=date(2026, 4, 1))  # overdue
    ActionItemFactory(
        township=world.township1, owner_member=owner, due_on=date(2026, 4, 20), status=ActionStatus.IN_PROGRESS
    )
    ActionItemFactory(
        township=world.township1,
        owner_member=owner,
        due_on=date(2026, 3, 1),
        status=ActionStatus.DONE,
        done_on=date(2026, 3, 5),
    )
    stats = selectors.action_item_statistics(townships=[world.township1], today=today)
    assert stats == {"total": 3, "open": 2, "done": 1, "overdue": 1}
    assert selectors.action_item_statistics(townships=[world.township2], today=today)["total"] == 0
