"""Demo data: grids, a few hundred entities per township, inspection history, hazards in every
state (overdue and major with plans among them). Deterministic and idempotent."""

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safecommunity.choices import Role
from safecommunity.models import User
from safecommunity.services import user_create

from .choices import (
    EntityKind,
    HazardAction,
    HazardStatus,
    InspectionMode,
    Rating,
    RiskColour,
)
from .models import (
    Grid,
    Hazard,
    HazardEvent,
    Inspection,
    RectificationPlan,
    SupervisedEntity,
)
from .services import checklist_template_revise, entities_recompute_due, hazard_grades
from .validators import make_credit_code

SEED_ORDER = 10  # grids and entities first: incidents point at them (safecommunity.seeding)

ENTITIES_PER_TOWNSHIP = 220
BRANDS = [
    "鑫源",
    "华泰",
    "顺达",
    "恒通",
    "金鼎",
    "宏远",
    "瑞丰",
    "隆盛",
    "永安",
    "嘉禾",
    "富民",
    "天成",
    "兴业",
    "联创",
    "正阳",
    "东方",
    "润泽",
    "盛世",
    "锦华",
    "万通",
]
ENTERPRISES = [
    ("机械制造有限公司", "机械制造"),
    ("化工有限公司", "危险化学品"),
    ("木业有限公司", "木材加工"),
    ("建材有限公司", "建材"),
    ("食品有限公司", "食品加工"),
    ("纺织有限公司", "纺织"),
    ("物流有限公司", "仓储物流"),
    ("加油站", "成品油零售"),
]
SMALL = {
    EntityKind.SMALL_SCHOOL: ("幼儿园", "教育"),
    EntityKind.SMALL_HOSPITAL: ("诊所", "医疗"),
    EntityKind.SMALL_SHOP: ("超市", "零售"),
    EntityKind.SMALL_RESTAURANT: ("饭店", "餐饮"),
    EntityKind.SMALL_HOTEL: ("宾馆", "住宿"),
    EntityKind.SMALL_KTV: ("KTV", "娱乐"),
    EntityKind.SMALL_INTERNET_CAFE: ("网吧", "上网服务"),
    EntityKind.SMALL_BEAUTY_BATH: ("美容美发店", "生活服务"),
    EntityKind.SMALL_WORKSHOP: ("加工坊", "小型加工"),
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "秀英", "志强", "丽娟", "海涛", "春梅", "国庆", "红霞", "伟", "敏", "磊", "静"]
CHECKLIST = {
    "消防安全": [
        ("安全出口、疏散通道畅通，未锁闭、堵塞", "《消防法》第二十八条"),
        ("灭火器配置齐全且在有效期内", "《消防法》第十六条"),
        ("应急照明和疏散指示标志完好", "GB 51309-2018"),
    ],
    "用电安全": [
        ("无私拉乱接电线，配电箱有防护", "GB 50054-2011"),
        ("电动自行车未在室内停放充电", "《高层民用建筑消防安全管理规定》第三十七条"),
    ],
    "安全管理": [
        ("建立安全生产责任制并落实", "《安全生产法》第二十二条"),
        ("从业人员经安全培训", "《安全生产法》第二十八条"),
    ],
}
ENTERPRISE_EXTRA = {
    "设备设施": [
        ("特种设备定期检验合格", "《特种设备安全法》第四十条"),
        ("危险部位设置安全警示标志", "《安全生产法》第三十五条"),
    ],
}
HAZARD_TEXTS = [
    "安全出口上锁",
    "灭火器压力不足",
    "配电箱门缺失",
    "电动自行车楼道充电",
    "疏散指示标志损坏",
    "未建立安全生产责任制",
    "员工未经安全培训",
    "特种设备超期未检",
    "消防通道堆放杂物",
    "燃气管道老化",
]
MAJOR_TEXTS = ["储罐区防火间距不足", "液化气钢瓶违规存放于地下室", "粉尘涉爆车间除尘系统失效"]


def _person(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _credit_code(rng, township_code, n):
    return make_credit_code(area=township_code[:6], body=f"{n:04d}{rng.randint(0, 9999):04d}")


def _checklists(county):
    from .models import ChecklistTemplate

    if ChecklistTemplate.objects.filter(county=county).exists():
        return
    for kind, label in EntityKind.choices:
        groups = dict(CHECKLIST)
        if kind == EntityKind.ENTERPRISE:
            groups.update(ENTERPRISE_EXTRA)
        items = [{"category": c, "text": t, "legal_basis": b} for c, rows in groups.items() for t, b in rows]
        checklist_template_revise(county=county, kind=kind, name=f"{label}安全检查表", items=items)


def _inspectors(world, township, rng):
    if township.code == "371799001":
        return [world.users["inspector1"]]
    username = f"grid_{township.code}"
    user = User.objects.filter(username=username).first() or user_create(
        username=username,
        password=settings.DEMO_PASSWORD,
        role=Role.GRID_INSPECTOR,
        area=township,
        full_name=_person(rng),
    )
    return [user]


@transaction.atomic
def _seed_township(world, township, rng, today, stdout):
    staff = User.objects.filter(area=township, role=Role.TOWNSHIP_STAFF).order_by("pk").first()
    if staff is None:  # a grid head and verifier for a township the foundation gave no staff
        staff = User.objects.filter(username=f"head_{township.code}").first() or user_create(
            username=f"head_{township.code}",
            password=settings.DEMO_PASSWORD,
            role=Role.TOWNSHIP_STAFF,
            area=township,
            full_name=_person(rng),
        )
    inspectors = _inspectors(world, township, rng)
    grids = []
    t_i = world.townships.index(township) if township in world.townships else 0
    for v_i, village in enumerate(world.villages[township.code]):
        for g in range(1, 3):
            # Demo outlines: the townships side by side, each village a row of two squares.
            west, south = 115.30 + t_i * 0.05 + (g - 1) * 0.02, 35.30 - v_i * 0.02
            square = [
                [west, south],
                [west + 0.02, south],
                [west + 0.02, south + 0.02],
                [west, south + 0.02],
                [west, south],
            ]
            inspector = inspectors[0] if (township.code != "371799001" or v_i < 4) else None
            grids.append(
                Grid(
                    township=township,
                    village=village,
                    code=f"{village.code}{g:02d}",
                    name=f"{village.name}第{g}网格",
                    inspector=inspector,
                    head=staff,
                    households=rng.randint(30, 120),
                    key_units=rng.randint(2, 15),
                    boundary={"type": "Polygon", "coordinates": [square]},
                )
            )
    Grid.objects.bulk_create(grids)
    grids = list(Grid.objects.filter(township=township).select_related("village"))
    entities = []
    for n in range(1, ENTITIES_PER_TOWNSHIP + 1):
        grid = rng.choice(grids)
        if rng.random() < 0.3:
            suffix, industry = rng.choice(ENTERPRISES)
            kind, name = EntityKind.ENTERPRISE, f"{grid.village.name[:2]}{rng.choice(BRANDS)}{suffix}"
            code = _credit_code(rng, township.code, n)
            cls = rng.choice("ABBCC")
        else:
            kind = rng.choice(list(SMALL))
            suffix, industry = SMALL[kind]
            name = f"{rng.choice(SURNAMES)}记{suffix}" if rng.random() < 0.5 else f"{rng.choice(BRANDS)}{suffix}"
            code = _credit_code(rng, township.code, n) if rng.random() < 0.5 else ""
            cls = rng.choice("CCDD")
        colour = {"A": RiskColour.RED, "B": RiskColour.ORANGE, "C": RiskColour.YELLOW, "D": RiskColour.BLUE}[cls]
        entities.append(
            SupervisedEntity(
                township=township,
                village=grid.village,
                grid=grid,
                name=f"{name}（{n:03d}）",
                credit_code=code,
                kind=kind,
                industry=industry,
                address=f"{grid.village.name}{rng.randint(1, 200)}号",
                legal_representative=_person(rng),
                safety_officer=_person(rng),
                phone=f"13{rng.randint(100000000, 999999999)}",
                employees=rng.randint(2, 300 if kind == EntityKind.ENTERPRISE else 20),
                risk_colour=colour,
                supervision_class=cls,
            )
        )
    SupervisedEntity.objects.bulk_create(entities)
    entities = list(SupervisedEntity.objects.filter(township=township).select_related("grid__inspector"))

    grades = hazard_grades(township.parent)
    general = next(g for g in grades if not g.is_major)
    major = next(g for g in grades if g.is_major)
    inspections, last = [], {}
    for entity in entities:
        recorder = entity.grid.inspector or staff
        for _ in range(rng.randint(1, 5)):
            when = timezone.make_aware(
                dt.datetime.combine(
                    today - dt.timedelta(days=rng.randint(1, 360)), dt.time(rng.randint(8, 17), rng.choice((0, 30)))
                )
            )
            inspections.append(
                Inspection(
                    township=township,
                    entity=entity,
                    recorded_by=recorder,
                    inspected_at=when,
                    mode=rng.choice([InspectionMode.ANNOUNCED, InspectionMode.UNANNOUNCED]),
                    joint_agencies=rng.choice([[], [], [], ["fire"], ["police", "fire"]]),
                    rating=rng.choice([Rating.GOOD, Rating.GOOD, Rating.FAIRLY_GOOD, Rating.AVERAGE, Rating.POOR]),
                    representative_name=entity.legal_representative,
                    notes="现场检查，已告知整改要求。",
                )
            )
            last[entity.pk] = max(last.get(entity.pk, when.date()), when.date())
    Inspection.objects.bulk_create(inspections, batch_size=500)
    through = Inspection.inspectors.through
    through.objects.bulk_create(
        [through(inspection_id=i.pk, user_id=i.recorded_by_id) for i in inspections], batch_size=1000
    )
    for entity in entities:
        entity.last_inspected_on = last.get(entity.pk)
    SupervisedEntity.objects.bulk_update(entities, ["last_inspected_on"], batch_size=500)
    entities_recompute_due(county=township.parent)
    # A few entities were rated 一般/差 twice in a row: their heads are to be summoned.
    SupervisedEntity.objects.filter(pk__in=[e.pk for e in entities[::25]]).update(summons_required=True)

    hazards, seq = [], 0
    for i, entity in enumerate(entities[: ENTITIES_PER_TOWNSHIP // 2]):
        seq += 1
        is_major = i % 30 == 0
        status = rng.choice(
            [
                HazardStatus.REGISTERED,
                HazardStatus.RECTIFYING,
                HazardStatus.PENDING_VERIFICATION,
                HazardStatus.CLOSED,
                HazardStatus.CLOSED,
                HazardStatus.CLOSED,
            ]
        )
        # Closed ones over the past year; open ones recent, most still within their deadline.
        found = today - dt.timedelta(days=rng.randint(1, 300) if status == HazardStatus.CLOSED else rng.randint(1, 10))
        deadline = found + dt.timedelta(days=60 if is_major else rng.choice((7, 15, 30)))
        if i % 9 == 0:  # overdue on purpose
            status, deadline = HazardStatus.RECTIFYING, today - dt.timedelta(days=rng.randint(1, 20))
        closed_on = min(deadline, today) if status == HazardStatus.CLOSED else None
        hazards.append(
            Hazard(
                township=township,
                entity=entity,
                grade=major if is_major else general,
                is_major=is_major,
                number=f"YH{township.code}{found.year}{seq:05d}",
                description=rng.choice(MAJOR_TEXTS if is_major else HAZARD_TEXTS),
                location=rng.choice(["一楼大厅", "二楼走廊", "仓库", "后厨", "配电室", "生产车间"]),
                responsible_person=entity.legal_representative,
                found_on=found,
                deadline=deadline,
                status=status,
                closed_on=closed_on,
                registered_by=entity.grid.inspector or staff,
                county_supervised=is_major and status != HazardStatus.CLOSED,
            )
        )
    Hazard.objects.bulk_create(hazards, batch_size=500)
    from .models import DocumentCounter

    for year in {h.found_on.year for h in hazards}:
        DocumentCounter.objects.update_or_create(township=township, kind="hazard", year=year, defaults={"last": seq})
    events, plans = [], []
    order = [HazardStatus.REGISTERED, HazardStatus.RECTIFYING, HazardStatus.PENDING_VERIFICATION, HazardStatus.CLOSED]
    actions = {
        HazardStatus.RECTIFYING: HazardAction.START,
        HazardStatus.PENDING_VERIFICATION: HazardAction.SUBMIT,
        HazardStatus.CLOSED: HazardAction.VERIFY_PASS,
    }
    for h in hazards:
        at = timezone.make_aware(dt.datetime.combine(h.found_on, dt.time(10)))
        events.append(
            HazardEvent(
                hazard=h, action=HazardAction.REGISTER, to_status=HazardStatus.REGISTERED, actor=h.registered_by, at=at
            )
        )
        for prev, nxt in zip(order, order[1:], strict=False):
            if order.index(h.status) < order.index(nxt):
                break
            at += dt.timedelta(days=1)
            actor = staff if nxt == HazardStatus.CLOSED else h.registered_by
            events.append(
                HazardEvent(
                    hazard=h,
                    action=actions[nxt],
                    from_status=prev,
                    to_status=nxt,
                    actor=actor,
                    at=at,
                    reason="现场复查，整改到位" if nxt == HazardStatus.CLOSED else "",
                )
            )
        if h.is_major:
            plans.append(
                RectificationPlan(
                    hazard=h,
                    target="彻底消除重大事故隐患",
                    measures="聘请专业机构评估，按设计方案改造",
                    funds=Decimal("25.00"),
                    responsible_people=f"{h.entity.name} 主要负责人 {h.responsible_person}",
                    deadline=h.deadline,
                    interim_measures="停用相关区域，设置警戒线，专人值守",
                    emergency_plan="已制定专项应急预案并组织演练",
                    created_by=staff,
                )
            )
    HazardEvent.objects.bulk_create(events, batch_size=1000)
    RectificationPlan.objects.bulk_create(plans)
    stdout.write(
        f"  inspections: {township.name} {len(grids)} grids, {len(entities)} entities, "
        f"{len(inspections)} inspections, {len(hazards)} hazards"
    )


def seed_demo(world, *, stdout):
    rng = random.Random(20260401)
    today = timezone.localdate()
    _checklists(world.county)
    _authorities(world)
    for township in world.townships:
        if Grid.objects.filter(township=township).exists():
            continue
        _seed_township(world, township, rng, today, stdout)


def _authorities(world):
    """Each township's office and the county bureau issue documents in their own series, each with
    two enforcement officers (their 执法证号)."""
    from .models import IssuingAuthority
    from .services import authority_create, officer_add

    if IssuingAuthority.objects.filter(area=world.county).exists():
        return
    organs = [(world.county, f"{world.county.name}应急管理局", f"（{world.county.name[:1]}）应急")]
    organs += [(t, f"{t.name}安全生产监督管理办公室", f"（{t.name[:2]}）安监") for t in world.townships]
    for n, (area, name, series) in enumerate(organs, start=1):
        authority = authority_create(area=area, name=name, series=series)
        for k, person in enumerate(("王", "李"), start=1):
            officer_add(authority=authority, name=f"{person}执法{n}", certificate_number=f"{area.code}{k:03d}")
