"""Demo data: the county's leaders with their contact townships, a few months of check-ins (some
leaders behind), 四不两直 inspections, and the manuals and letters of the seeds (870 government and
1,236 enterprise 工作手册)."""

import datetime as dt

from django.utils import timezone

from .choices import IssuanceKind, Rank, Side
from .models import Leader
from .services import issuance_record, leader_save, official_inspection_record, visit_record

LEADERS = [
    ("刘建国", "县委副书记", Rank.COUNTY, Side.PARTY),
    ("陈卫东", "副县长", Rank.COUNTY, Side.GOVERNMENT),
    ("赵安平", "县应急管理局局长", Rank.SECTION, Side.DEPARTMENT),
    ("孙海燕", "县应急管理局副局长", Rank.SECTION, Side.DEPARTMENT),
    ("周明", "县消防救援大队大队长", Rank.SECTION, Side.DEPARTMENT),
]


def seed_demo(world, *, stdout):
    office = world.users.get("county")
    if office is None or Leader.objects.filter(county=world.county).exists():
        return
    today = timezone.localdate()
    leaders = []
    for i, (name, position, rank, side) in enumerate(LEADERS):
        township = world.townships[i % len(world.townships)]
        leaders.append(
            leader_save(
                user=office,
                name=name,
                position=position,
                rank=rank,
                side=side,
                duties="分管安全生产工作，落实一岗双责",
                duty_areas=[township],
            )
        )
    # Three months of check-ins; the last leader has not been out this half month.
    for i, leader in enumerate(leaders[:-1]):
        township = leader.duty_areas.first()
        villages = world.villages.get(township.code) or [township]
        for weeks in range(0, 12, 2 if leader.rank == Rank.SECTION else 4):
            day = today - dt.timedelta(weeks=weeks, days=i)
            visit_record(
                user=office,
                leader=leader,
                area=villages[weeks % len(villages)],
                visited_on=day,
                findings="检查村级安全生产网格化管理和消防安全，督促整改发现的问题",
            )
    official_inspection_record(
        user=office,
        inspector=leaders[1],
        inspected_on=today - dt.timedelta(days=10),
        area=world.townships[0],
        inspected_unit=f"{world.townships[0].name}安全生产监督管理办公室",
        inspected_official="安监办主任",
        findings="隐患台账更新不及时，个别整改未复查",
        follow_up="限一周内补齐台账并组织复查",
    )
    year_start = dt.date(today.year, 1, 15)
    for kind, count, signed, recipients in (
        (IssuanceKind.GOVERNMENT_MANUAL, 870, 0, "各乡镇(街道)、县直部门"),
        (IssuanceKind.ENTERPRISE_MANUAL, 1236, 0, "辖区企业"),
        (IssuanceKind.RESPONSIBILITY_LETTER, 46, 46, "各乡镇(街道)、县直部门"),
    ):
        issuance_record(
            user=office, kind=kind, issued_on=year_start, recipients=recipients, issued_count=count, signed_count=signed
        )
    stdout.write(f"accountability: {len(leaders)} leaders\n")
