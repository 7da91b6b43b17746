"""The demo and scale worlds that ``seed_demo`` and ``seed_scale`` build, and the hooks apps
extend them with: an app adds data by defining ``<app>/demo.py`` with
``seed_demo(world, *, stdout)`` and ``<app>/scale.py`` with ``seed_scale(world, *, stdout)``.
Both must be idempotent (a second run creates nothing)."""

import importlib
from dataclasses import dataclass, field

from django.conf import settings

from .choices import AreaLevel, Role
from .models import Area, User
from .services import area_get_or_create, user_create

# The order matters: grids and entities first (incidents point at them), reports last.
APP_ORDER = ["inspections", "incidents", "committees", "projects", "reports", "notifications"]

DEMO_COUNTY = ("371799", "安宁县")
# Codes follow 统计用区划代码: township 001–099 街道, 100–199 镇, 200–399 乡; village 001–199
# 居委会 (社区), 200–399 村委会 (村). A township's villages are numbered from the first code of their kind.
DEMO_TOWNSHIPS = [
    (
        "371799001",
        "城关街道",
        ["东关社区", "西关社区", "南街社区", "北街社区", "文化路社区", "新华社区", "滨河社区", "工业园社区"],
    ),
    ("371799101", "青山镇", ["青山村", "李庄村", "王楼村", "张集村", "后屯村", "柳林村", "石桥村", "马庄村", "刘营村"]),
    ("371799102", "河口镇", ["河口村", "沙窝村", "前湾村", "后湾村", "渡口村", "陈庄村", "杨集村"]),
]
# username → (role, township code or None for the county, full name)
DEMO_USERS = {
    "admin": (Role.ADMINISTRATOR, None, "赵信息"),
    "county": (Role.COUNTY_SUPERVISOR, None, "钱监管"),
    "township1": (Role.TOWNSHIP_STAFF, "371799001", "孙安全"),
    "township2": (Role.TOWNSHIP_STAFF, "371799101", "李安全"),
    "member1": (Role.COMMITTEE_MEMBER, "371799001", "周委员"),
    "inspector1": (Role.GRID_INSPECTOR, "371799001", "吴网格"),
}


@dataclass
class World:
    county: Area
    townships: list[Area]
    villages: dict[str, list[Area]] = field(default_factory=dict)  # township code → villages
    users: dict[str, User] = field(default_factory=dict)


def run_app_hooks(module_name: str, function: str, world: World, stdout) -> None:
    for app in APP_ORDER:
        try:
            module = importlib.import_module(f"{app}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.{module_name}":
                raise
            continue
        getattr(module, function)(world, stdout=stdout)


def first_village_number(name: str) -> int:
    """1 for a community (社区, 居委会), 201 for a village (村委会): 统计用区划代码."""
    return 201 if name.endswith("村") else 1


def build_demo_world() -> World:
    county = area_get_or_create(code=DEMO_COUNTY[0], name=DEMO_COUNTY[1], level=AreaLevel.COUNTY)
    world = World(county=county, townships=[])
    for code, name, villages in DEMO_TOWNSHIPS:
        township = area_get_or_create(code=code, name=name, level=AreaLevel.TOWNSHIP, parent=county)
        world.townships.append(township)
        world.villages[code] = [
            area_get_or_create(
                code=f"{code}{first_village_number(v) + i:03d}", name=v, level=AreaLevel.VILLAGE, parent=township
            )
            for i, v in enumerate(villages)
        ]
    by_code = {t.code: t for t in world.townships}
    for username, (role, township_code, full_name) in DEMO_USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                password=settings.DEMO_PASSWORD,
                role=role,
                area=by_code[township_code] if township_code else county,
                full_name=full_name,
            )
        world.users[username] = user
    return world
