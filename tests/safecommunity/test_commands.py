from django.core.management import call_command

from safecommunity.models import Area, User


def test_seed_demo_is_idempotent_and_creates_the_demo_users(db, capsys, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the demo's briefings are rendered: not into the checkout
    call_command("seed_demo")
    counts = (Area.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Area.objects.count(), User.objects.count()) == counts
    for code in ("371799", "371799001", "371799101", "371799102"):
        assert Area.objects.filter(code=code).exists()
    users = {u.username: u for u in User.objects.all()}
    assert {"admin", "county", "township1", "township2", "member1", "inspector1"} <= set(users)
    assert users["township1"].area.code == "371799001" and users["member1"].area.code == "371799001"
    assert users["inspector1"].area.code == "371799001" and users["township2"].area.code == "371799101"
    assert users["county"].area.code == "371799"
    assert users["township1"].check_password("Demo-2026!safe")
    assert Area.objects.filter(parent__code="371799001", level="village").count() >= 3


def test_list_areas_prints_code_name_level(world, capsys):
    call_command("list_areas", under="371799101")
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["371799101201\t青山村\tvillage", "371799101202\t李庄村\tvillage"]
    call_command("list_areas")
    out = capsys.readouterr().out.splitlines()
    assert "371799\t安宁县\tcounty" in out and "371799001\t城关街道\ttownship" in out


def test_list_areas_rejects_an_unknown_code_in_chinese(world):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不存在"):
        call_command("list_areas", under="999999")


def test_seeding_hooks_are_discovered_in_every_app_in_their_declared_order():
    """No hand-kept list: an app's demo.py/scale.py is found because the app is installed, and
    SEED_ORDER puts the rows others point at first (grids before injuries, briefings last)."""
    from safecommunity.seeding import app_hooks

    for module_name, function in (("demo", "seed_demo"), ("scale", "seed_scale")):
        apps_in_order = [hook.__module__.split(".")[0] for hook in app_hooks(module_name, function)]
        assert {"inspections", "incidents", "committees", "projects", "reports"} <= set(apps_in_order)
        assert apps_in_order.index("inspections") < apps_in_order.index("incidents")
        assert apps_in_order.index("committees") < apps_in_order.index("projects")
        assert apps_in_order[-1] == "reports"
        assert "safecommunity" not in apps_in_order
