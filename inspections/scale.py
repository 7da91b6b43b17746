"""County-scale data for the benchmarks: 10,000 entities, 300,000 inspections and 200,000
hazards over 5 years on the scale county's grids (bulk inserts, a few minutes)."""

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from safecommunity.choices import Role
from safecommunity.models import Area, User

from .choices import EntityKind, HazardStatus, Rating
from .models import Grid, Hazard, Inspection, SupervisedEntity
from .services import entities_recompute_due, hazard_grades

SEED_ORDER = 10  # grids and entities first: incidents point at them (safecommunity.seeding)

ENTITIES = 10_000
INSPECTIONS = 300_000
HAZARDS = 200_000
YEARS = 5
BATCH = 5_000
KINDS = list(EntityKind.values)
GRIDS_PER_VILLAGE = [4, 4, 5, 4, 4, 5, 4]
RATINGS = [Rating.GOOD] * 5 + [Rating.FAIRLY_GOOD] * 3 + [Rating.AVERAGE, Rating.POOR]


def _stream(make, total, model, stdout, label):
    batch = []
    for i in range(total):
        batch.append(make(i))
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            batch.clear()
    if batch:
        model.objects.bulk_create(batch)
    stdout.write(f"  inspections: {total} {label}")


@transaction.atomic
def _scale_grids(county):
    """One inspector per grid, as in the real county (~4.3 grids per village → ~2,850 grids)."""
    if Grid.objects.filter(township__parent=county).exists():
        return
    password = make_password(settings.DEMO_PASSWORD)
    inspectors, grids = [], []
    for village in Area.objects.filter(parent__parent=county).order_by("code"):
        n = GRIDS_PER_VILLAGE[int(village.code[-3:]) % len(GRIDS_PER_VILLAGE)]
        for g in range(1, n + 1):
            code = f"{village.code}{g:02d}"
            inspectors.append(
                User(
                    username=f"g{code}",
                    role=Role.GRID_INSPECTOR,
                    area_id=village.parent_id,
                    password=password,
                    full_name=f"网格员{code[-6:]}",
                )
            )
            grids.append(
                Grid(
                    township_id=village.parent_id,
                    village=village,
                    code=code,
                    name=f"{village.name}第{g}网格",
                    households=40 + g * 7,
                )
            )
    User.objects.bulk_create(inspectors, batch_size=2000)
    ids = dict(User.objects.filter(username__startswith="g371702").values_list("username", "id"))
    for grid in grids:
        grid.inspector_id = ids[f"g{grid.code}"]
    Grid.objects.bulk_create(grids, batch_size=2000)


def seed_scale(world, *, stdout):
    county = world.county
    _scale_grids(county)
    if SupervisedEntity.objects.in_county(county).exists():
        stdout.write("  inspections: scale data already present")
        return
    rng = random.Random(371702)
    today = timezone.localdate()
    start = today - dt.timedelta(days=365 * YEARS)
    grids = list(
        Grid.objects.filter(township__parent=county).values_list("pk", "township_id", "village_id", "inspector_id")
    )
    staff = dict(User.objects.filter(area__parent=county, role="township_staff").values_list("area_id", "pk"))
    with transaction.atomic():

        def entity(i):
            gid, tid, vid, _ = grids[i % len(grids)]
            return SupervisedEntity(
                township_id=tid,
                village_id=vid,
                grid_id=gid,
                name=f"规模测试单位{i:05d}",
                kind=KINDS[i % len(KINDS)],
                supervision_class="ABCD"[i % 4],
                risk_colour=["red", "orange", "yellow", "blue"][i % 4],
                employees=10 + i % 90,
            )

        _stream(entity, round(ENTITIES * world.fraction), SupervisedEntity, stdout, "entities")
    rows = list(SupervisedEntity.objects.in_county(county).values_list("pk", "township_id", "grid__inspector_id"))
    span = (today - start).days
    last = {}
    with transaction.atomic():

        def inspection(i):
            eid, tid, inspector = rows[i % len(rows)]
            day = start + dt.timedelta(days=rng.randrange(span))
            last[eid] = max(last.get(eid, day), day)
            return Inspection(
                township_id=tid,
                entity_id=eid,
                recorded_by_id=inspector or staff[tid],
                inspected_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9 + i % 8))),
                rating=rng.choice(RATINGS),
                representative_name="负责人",
            )

        _stream(inspection, round(INSPECTIONS * world.fraction), Inspection, stdout, "inspections")
    grades = hazard_grades(county)
    general = next(g for g in grades if not g.is_major)
    major = next(g for g in grades if g.is_major)
    with transaction.atomic():

        def hazard(i):
            eid, tid, inspector = rows[i % len(rows)]
            found = start + dt.timedelta(days=rng.randrange(span))
            is_major = i % 50 == 0
            deadline = found + dt.timedelta(days=60 if is_major else rng.choice((7, 15, 30)))
            recent = (today - found).days < 90
            if recent:
                status = rng.choice(
                    [
                        HazardStatus.REGISTERED,
                        HazardStatus.RECTIFYING,
                        HazardStatus.PENDING_VERIFICATION,
                        HazardStatus.CLOSED,
                    ]
                )
            else:
                status = HazardStatus.CLOSED if rng.random() < 0.97 else HazardStatus.RECTIFYING
            closed = min(deadline, today) if status == HazardStatus.CLOSED else None
            return Hazard(
                township_id=tid,
                entity_id=eid,
                grade=major if is_major else general,
                is_major=is_major,
                number=f"S{county.code}{i:08d}",
                description=f"规模测试隐患{i}",
                found_on=found,
                deadline=deadline,
                status=status,
                closed_on=closed,
                registered_by_id=inspector or staff[tid],
            )

        _stream(hazard, round(HAZARDS * world.fraction), Hazard, stdout, "hazards")
    with transaction.atomic():
        objs = [SupervisedEntity(pk=eid, last_inspected_on=day) for eid, day in last.items()]
        SupervisedEntity.objects.bulk_update(objs, ["last_inspected_on"], batch_size=BATCH)
        entities_recompute_due(county=county)
    stdout.write("  inspections: due dates computed")
