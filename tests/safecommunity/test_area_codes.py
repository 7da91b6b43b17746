"""统计用区划代码: the code's digits say what a township or village is; the demo follows them."""

import pytest

from safecommunity.models import Area
from safecommunity.records import run_import
from safecommunity.seeding import build_demo_world


def test_demo_world_codes_follow_the_rules(db):
    world = build_demo_world()
    codes = {t.name: t.code for t in world.townships}
    assert codes == {"城关街道": "371799001", "青山镇": "371799101", "河口镇": "371799102"}
    areas = Area.objects.filter(code__startswith="371799")
    assert [(a.code, a.code_warning) for a in areas if a.code_warning] == []
    assert Area.objects.get(code="371799101").code_word == "镇"
    assert Area.objects.get(name="青山村").code == "371799101201"
    assert Area.objects.get(name="东关社区").code_word == "社区"


def test_test_world_codes_follow_the_rules(world):
    assert [(a.code, a.code_warning) for a in Area.objects.all() if a.code_warning] == []


@pytest.mark.parametrize(
    ("code", "refused"),
    [("371799001000", True), ("371799001600", True), ("371799001150", False), ("371799001450", False)],
)
def test_village_import_refuses_codes_outside_the_ranges(world, tmp_path, code, refused):
    path = tmp_path / "v.csv"
    path.write_text(f"区划代码,名称\n{code},新村\n", encoding="utf-8")
    result = run_import("villages", path, township=world.township1)
    assert (result.imported, len(result.rejected)) == ((0, 1) if refused else (1, 0))
    if refused:
        assert "001–599" in result.rejected[0][3]


def test_admin_warns_when_a_name_contradicts_its_code(client, world):
    client.force_login(world.users["admin"])
    response = client.post(
        "/admin/safecommunity/area/add/",
        {"code": "371799001009", "name": "新庄村", "level": "village", "parent": world.township1.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert Area.objects.filter(code="371799001009").exists()
    assert "表示社区" in response.content.decode()
