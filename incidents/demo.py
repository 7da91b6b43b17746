"""Demo incidents and injury records: several years, seasonal, with a realistic cause mix
(falls among the elderly, road traffic, drowning in summer, burns in winter)."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from .choices import (
    AccidentType,
    Activity,
    Alcohol,
    BodyPart,
    Cause,
    Domain,
    IncidentSource,
    Intent,
    Nature,
    Occupation,
    Outcome,
    Place,
    Severity,
    Sex,
)
from .models import Incident

SEED_ORDER = 20  # after the grids they happen in (safecommunity.seeding)

SEED = 20260603
YEARS_BACK = 4
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "秀英",
    "桂兰",
    "建国",
    "志强",
    "海燕",
    "玉梅",
    "国华",
    "明",
    "伟",
    "芳",
    "丽",
    "军",
    "磊",
    "敏",
    "静",
    "浩然",
    "子涵",
    "欣怡",
]

# (cause, weight by month 1..12, ages (low, high), place, activity, nature, body part, narrative)
INJURY_PROFILES = [
    (
        Cause.FALL,
        [14, 14, 11, 9, 8, 7, 7, 7, 8, 9, 12, 15],
        (60, 92),
        Place.HOME,
        Activity.HOUSEWORK,
        Nature.FRACTURE,
        BodyPart.LOWER_LIMB,
        "老人在家中如厕时滑倒",
    ),
    (
        Cause.FALL,
        [5, 5, 5, 6, 6, 6, 6, 6, 6, 5, 5, 5],
        (3, 14),
        Place.SCHOOL_PUBLIC,
        Activity.SPORTS,
        Nature.BRUISE,
        BodyPart.UPPER_LIMB,
        "课间追逐跌倒",
    ),
    (
        Cause.MOTOR_VEHICLE,
        [8, 9, 8, 8, 8, 8, 8, 8, 8, 9, 8, 9],
        (18, 70),
        Place.ROAD,
        Activity.DRIVING,
        Nature.BRUISE,
        BodyPart.MULTIPLE,
        "骑电动车与机动车相撞",
    ),
    (
        Cause.NON_MOTOR_VEHICLE,
        [5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 5, 5],
        (10, 80),
        Place.ROAD,
        Activity.WALKING,
        Nature.SPRAIN,
        BodyPart.LOWER_LIMB,
        "步行时被自行车撞倒",
    ),
    (
        Cause.SHARP,
        [4, 4, 5, 6, 6, 6, 6, 6, 6, 6, 5, 4],
        (20, 60),
        Place.INDUSTRY,
        Activity.WORK,
        Nature.OPEN_WOUND,
        BodyPart.UPPER_LIMB,
        "操作切割机时划伤手部",
    ),
    (
        Cause.ANIMAL,
        [3, 3, 5, 6, 7, 8, 8, 8, 7, 5, 3, 3],
        (5, 80),
        Place.HOME,
        Activity.LEISURE,
        Nature.OPEN_WOUND,
        BodyPart.LOWER_LIMB,
        "被邻居家犬咬伤",
    ),
    (
        Cause.BURN,
        [6, 6, 4, 3, 2, 2, 2, 2, 2, 3, 5, 6],
        (1, 85),
        Place.HOME,
        Activity.HOUSEWORK,
        Nature.BURN,
        BodyPart.UPPER_LIMB,
        "做饭时被热油烫伤",
    ),
    (
        Cause.DROWNING,
        [0, 0, 0, 1, 3, 8, 12, 10, 3, 0, 0, 0],
        (6, 16),
        Place.OTHER,
        Activity.LEISURE,
        Nature.OTHER,
        BodyPart.WHOLE_BODY,
        "暑期私自下河游泳",
    ),
    (
        Cause.POISONING,
        [2, 2, 2, 2, 2, 3, 3, 3, 2, 2, 2, 2],
        (30, 75),
        Place.FARM,
        Activity.WORK,
        Nature.OTHER,
        BodyPart.WHOLE_BODY,
        "喷洒农药时中毒",
    ),
    (
        Cause.BLUNT,
        [2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2],
        (20, 60),
        Place.INDUSTRY,
        Activity.WORK,
        Nature.BRUISE,
        BodyPart.HEAD,
        "被掉落物体砸伤",
    ),
]

# (domain, accident type, monthly weight, narrative)
INCIDENT_PROFILES = [
    (Domain.ROAD, AccidentType.VEHICLE, [5] * 12, "两车相撞，造成人员受伤"),
    (Domain.FIRE, AccidentType.FIRE, [6, 6, 5, 4, 3, 3, 3, 3, 3, 4, 5, 6], "居民楼电动车充电起火"),
    (Domain.INDUSTRY, AccidentType.FALL_FROM_HEIGHT, [2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2], "工人在脚手架作业时坠落"),
    (Domain.INDUSTRY, AccidentType.MACHINERY, [2] * 12, "机械设备绞伤操作工"),
    (Domain.WATER, AccidentType.DROWNING, [0, 0, 0, 1, 2, 4, 5, 4, 1, 0, 0, 0], "村民在河道游泳溺亡"),
    (Domain.AGRI_MACHINERY, AccidentType.VEHICLE, [1, 1, 3, 3, 2, 4, 2, 2, 4, 3, 1, 1], "拖拉机侧翻"),
]


def _when(rng, year, month, today):
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    day = rng.randint(1, last)
    value = timezone.make_aware(dt.datetime(year, month, day, rng.randint(6, 21), rng.choice([0, 10, 20, 30, 45])))
    return value if value.date() < today else None


def _pick_month(rng, weights):
    return rng.choices(range(1, 13), weights=weights)[0]


def injury_rows(rng, *, villages, year, count, today):
    """``count`` consistent injury cards of ``year`` (dicts for ``injury_records_bulk_create``)."""
    rows = []
    weights = [sum(p[1]) for p in INJURY_PROFILES]
    for _ in range(count):
        profile = rng.choices(INJURY_PROFILES, weights=weights)[0]
        cause, months, (low, high), place, activity, nature, part, narrative = profile
        injured_at = _when(rng, year, _pick_month(rng, months), today)
        if injured_at is None:
            continue
        severity = rng.choices([Severity.MILD, Severity.MODERATE, Severity.SEVERE], weights=[60, 30, 10])[0]
        if cause == Cause.DROWNING:
            outcome = rng.choice([Outcome.DIED, Outcome.HOSPITALISED, Outcome.TRANSFERRED])
            severity = Severity.SEVERE
        else:
            outcome = {
                Severity.MILD: Outcome.DISCHARGED,
                Severity.MODERATE: Outcome.DISCHARGED,
                Severity.SEVERE: Outcome.HOSPITALISED,
            }[severity]
        age = rng.randint(low, high)
        rows.append(
            dict(
                name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                sex=rng.choice([Sex.MALE, Sex.FEMALE]),
                age=age,
                occupation=(
                    Occupation.CHILD
                    if age < 6
                    else Occupation.STUDENT
                    if age < 18
                    else Occupation.RETIRED
                    if age >= 60
                    else Occupation.FARMER
                ),
                injured_at=injured_at,
                visit_at=injured_at + dt.timedelta(minutes=rng.randint(20, 240)),
                village=rng.choice(villages),
                cause=cause,
                place=place,
                activity=activity,
                intent=Intent.UNINTENTIONAL,
                alcohol=rng.choice([Alcohol.NO, Alcohol.NO, Alcohol.NO, Alcohol.YES]),
                nature=nature,
                body_part=part,
                severity=severity,
                outcome=outcome,
                narrative=narrative,
                hospital=rng.choice(["县人民医院", "镇卫生院", "县中医院"]),
            )
        )
    return rows


def incident_rows(rng, *, villages, year, count, today):
    rows = []
    weights = [sum(p[2]) for p in INCIDENT_PROFILES]
    for _ in range(count):
        domain, kind, months, narrative = rng.choices(INCIDENT_PROFILES, weights=weights)[0]
        occurred_at = _when(rng, year, _pick_month(rng, months), today)
        if occurred_at is None:
            continue
        deaths = rng.choices([0, 1, 2, 3], weights=[70, 22, 6, 2])[0]
        if kind == AccidentType.DROWNING:
            deaths = max(deaths, 1)
        village = rng.choice(villages)
        rows.append(
            dict(
                occurred_at=occurred_at,
                village=village,
                address=f"{village.name}{rng.randint(1, 99)}号附近",
                domain=domain,
                accident_type=kind,
                deaths=deaths,
                serious_injuries=rng.choice([0, 0, 1, 2]),
                minor_injuries=rng.randint(0, 4),
                direct_loss=Decimal(rng.randint(0, 800)) / 10,
                narrative=narrative,
                source=rng.choice(list(IncidentSource)),
                reporter=rng.choice(SURNAMES) + rng.choice(GIVEN),
            )
        )
    return rows


def seed_demo(world, *, stdout):
    from .services import incidents_bulk_register, injury_records_bulk_create, rate_baseline_save

    if Incident.objects.filter(township__in=world.townships).exists():
        stdout.write("incidents: demo data already present")
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    staff = {
        t.code: world.users.get(u) for u, t in (("township1", world.townships[0]), ("township2", world.townships[1]))
    }
    total_incidents = total_injuries = 0
    for township in world.townships:
        villages = world.villages[township.code]
        user = staff.get(township.code)
        for year in range(today.year - YEARS_BACK + 1, today.year + 1):
            saved, errors = incidents_bulk_register(
                township=township,
                user=user,
                rows=incident_rows(rng, villages=villages, year=year, count=24, today=today),
            )
            assert not errors, errors
            total_incidents += saved
            saved, errors = injury_records_bulk_create(
                township=township,
                user=user,
                rows=injury_rows(rng, villages=villages, year=year, count=160, today=today),
            )
            assert not errors, errors
            total_injuries += saved
            rate_baseline_save(
                area=township,
                year=year,
                population=rng.randint(30000, 60000),
                gdp=Decimal(rng.randint(150, 400)) / 10,
                motor_vehicles=rng.randint(8000, 15000),
                employees=rng.randint(3000, 8000),
                target_gdp_death=Decimal("0.05"),
                target_road_death=Decimal("2.0"),
                target_employee_death=Decimal("1.5"),
                target_injury_incidence=Decimal("900"),
                target_injury_mortality=Decimal("30"),
            )
    for year in range(today.year - YEARS_BACK + 1, today.year + 1):
        rate_baseline_save(
            area=world.county,
            year=year,
            population=520000,
            gdp=Decimal("310.5"),
            motor_vehicles=150000,
            employees=60000,
            target_gdp_death=Decimal("0.05"),
            target_road_death=Decimal("2.0"),
            target_employee_death=Decimal("1.5"),
            target_injury_incidence=Decimal("900"),
            target_injury_mortality=Decimal("30"),
        )
    stdout.write(f"incidents: {total_incidents} incidents, {total_injuries} injury records")
