"""County-scale data for benchmarks (菏泽市牡丹区 size: 21 townships, ~660 villages; the ~2,800 grids
and their inspectors come from ``inspections/scale.py``)."""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from .choices import AreaLevel, Role
from .models import Area, User
from .seeding import World

SCALE_COUNTY = ("371702", "牡丹区（规模测试）")
TOWNSHIPS = 21
VILLAGES_PER_TOWNSHIP = [31, 32] * 10 + [34]  # 665 villages in all


@transaction.atomic
def build_scale_world(stdout=None) -> World:
    county, _ = Area.objects.get_or_create(
        code=SCALE_COUNTY[0], defaults={"name": SCALE_COUNTY[1], "level": AreaLevel.COUNTY}
    )
    existing = set(Area.objects.filter(code__startswith=county.code).values_list("code", flat=True))
    townships = [
        Area(code=f"{county.code}{t:03d}", name=f"第{t}乡镇", level=AreaLevel.TOWNSHIP, parent=county)
        for t in range(1, TOWNSHIPS + 1)
    ]
    Area.objects.bulk_create([a for a in townships if a.code not in existing])
    townships = list(Area.objects.filter(parent=county).order_by("code"))
    villages = []
    for t, township in enumerate(townships):
        for v in range(1, VILLAGES_PER_TOWNSHIP[t] + 1):
            code = f"{township.code}{v:03d}"
            if code not in existing:
                villages.append(Area(code=code, name=f"{township.name}{v}村", level=AreaLevel.VILLAGE, parent=township))
    Area.objects.bulk_create(villages, batch_size=1000)

    world = World(county=county, townships=townships)
    for village in Area.objects.filter(parent__parent=county).order_by("code"):
        world.villages.setdefault(village.code[:9], []).append(village)

    password = make_password(settings.DEMO_PASSWORD)
    wanted = {"scale_county": (Role.COUNTY_SUPERVISOR, county)}
    for i, township in enumerate(townships, start=1):
        wanted[f"scale_t{i:02d}"] = (Role.TOWNSHIP_STAFF, township)
    have = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(username=u, role=role, area=area, password=password, full_name=u)
            for u, (role, area) in wanted.items()
            if u not in have
        ]
    )

    world.users = {u.username: u for u in User.objects.filter(username__in=list(wanted))}
    return world
