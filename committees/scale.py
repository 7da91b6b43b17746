"""County-scale committees data for benchmarks (bulk_create; a township with a community is skipped)."""

import random
from datetime import date, timedelta

from django.db import transaction

from .choices import ActionStatus, ActivityKind, MeetingKind, Position
from .models import ActionItem, Activity, CommitteeMember, Community, Meeting, WorkingGroup

SEED_ORDER = 30  # after the data their meetings discuss (safecommunity.seeding)

POSITIONS = [Position.CHAIR, Position.EXECUTIVE_VICE_CHAIR, Position.VICE_CHAIR, Position.OFFICE_DIRECTOR]


@transaction.atomic
def seed_scale(world, *, stdout):
    rng = random.Random(371702)
    today = date.today()
    done = set(Community.objects.filter(township__in=world.townships).values_list("township_id", flat=True))
    todo = [t for t in world.townships if t.pk not in done]
    Community.objects.bulk_create([Community(township=t, name=f"{t.name}安全社区") for t in todo])
    CommitteeMember.objects.bulk_create(
        [
            CommitteeMember(
                township=t,
                name=f"委员{t.code[-3:]}{i:02d}",
                position=POSITIONS[i] if i < 4 else Position.MEMBER,
                post="负责人",
            )
            for t in todo
            for i in range(20)
        ],
        batch_size=2000,
    )
    members = {}
    for m in CommitteeMember.objects.filter(township__in=todo).only("id", "township_id"):
        members.setdefault(m.township_id, []).append(m)
    WorkingGroup.objects.bulk_create(
        [
            WorkingGroup(township=t, name=f"第{g}工作组", lead=members[t.pk][g], sort_order=g)
            for t in todo
            for g in range(10)
        ]
    )
    Meeting.objects.bulk_create(
        [
            Meeting(
                township=t,
                kind=MeetingKind.JOINT,
                title=f"{t.name}第{m}次联席会议",
                held_on=today - timedelta(days=30 * m),
                minutes="会议纪要",
                decisions="事项一\n事项二\n事项三",
            )
            for t in todo
            for m in range(12)
        ],
        batch_size=2000,
    )
    meetings = {}
    for m in Meeting.objects.filter(township__in=todo).only("id", "township_id", "held_on"):
        meetings.setdefault(m.township_id, []).append(m)
    items = []
    for t in todo:
        for meeting in meetings[t.pk]:
            for k in range(3):
                due = meeting.held_on + timedelta(days=20 + 5 * k)
                is_done = due < today and rng.random() < 0.8
                items.append(
                    ActionItem(
                        township=t,
                        meeting=meeting,
                        title=f"事项{k + 1}",
                        due_on=due,
                        owner_member=rng.choice(members[t.pk]),
                        status=ActionStatus.DONE if is_done else ActionStatus.OPEN,
                        done_on=due if is_done else None,
                    )
                )
    ActionItem.objects.bulk_create(items, batch_size=2000)
    kinds = list(ActivityKind)
    Activity.objects.bulk_create(
        [
            Activity(
                township=t,
                kind=kinds[i % 4],
                title=f"活动{i}",
                held_on=today - timedelta(days=rng.randint(0, 364)),
                participants=rng.randint(20, 300),
                materials=rng.randint(0, 2000),
            )
            for t in todo
            for i in range(60)
        ],
        batch_size=2000,
    )
    stdout.write(f"committees: scale data for {len(todo)} townships")
