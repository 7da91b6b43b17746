import pytest
from django.core.exceptions import ValidationError

from safecommunity.choices import AreaLevel, Role
from safecommunity.models import Area, User
from safecommunity.services import area_create, user_create


def test_area_codes_follow_the_official_lengths(db):
    county = area_create(code="371799", name="县", level=AreaLevel.COUNTY)
    with pytest.raises(ValidationError, match="9位数字"):
        area_create(code="37179901", name="镇", level=AreaLevel.TOWNSHIP, parent=county)
    township = area_create(code="371799001", name="镇", level=AreaLevel.TOWNSHIP, parent=county)
    with pytest.raises(ValidationError, match="上级代码开头"):
        area_create(code="371700001001", name="村", level=AreaLevel.VILLAGE, parent=township)
    with pytest.raises(ValidationError, match="层级"):
        area_create(code="371799001001", name="村", level=AreaLevel.VILLAGE, parent=county)
    village = area_create(code="371799001001", name="村", level=AreaLevel.VILLAGE, parent=township)
    assert village.county == county


def test_a_county_has_no_parent(db):
    county = area_create(code="371799", name="县", level=AreaLevel.COUNTY)
    with pytest.raises(ValidationError):
        area_create(code="371800", name="县2", level=AreaLevel.COUNTY, parent=county)


def test_township_roles_must_belong_to_a_township(world):
    with pytest.raises(ValidationError, match="乡镇/街道"):
        user_create(username="x", password="Whatever-2026!", role=Role.TOWNSHIP_STAFF, area=world.county)
    with pytest.raises(ValidationError, match="县/区"):
        user_create(username="y", password="Whatever-2026!", role=Role.COUNTY_SUPERVISOR, area=world.township1)


def test_area_for_user_is_the_users_subtree(world):
    codes = set(Area.objects.for_user(world.users["township1"]).values_list("code", flat=True))
    assert codes == {"371799001", "371799001001", "371799001002", "371799001003"}
    county_codes = set(Area.objects.for_user(world.users["county"]).values_list("code", flat=True))
    assert "371799101201" in county_codes and "371800" not in county_codes and "371800101201" not in county_codes


def test_inactive_or_unscoped_users_see_nothing(world):
    user = world.users["township1"]
    user.is_active = False
    assert not Area.objects.for_user(user).exists()
    orphan = User.objects.create(username="orphan", role=Role.TOWNSHIP_STAFF)
    assert not Area.objects.for_user(orphan).exists()


def test_only_township_staff_may_see_personal_data(world):
    assert world.users["township1"].can_see_personal_data
    for name in ("member1", "county", "admin", "inspector1"):
        assert not world.users[name].can_see_personal_data


def test_changes_are_audited_with_before_and_after(world):
    from auditlog.models import LogEntry

    village = world.villages1[0]
    village.name = "东关新社区"
    village.save()
    entry = LogEntry.objects.get_for_object(village).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["name"] == ["东关社区", "东关新社区"]


def test_the_audit_log_keeps_that_a_personal_field_changed_never_its_value(world):
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog

    from safecommunity.models import Area

    auditlog.unregister(Area)
    auditlog.register(Area, mask_fields=["name"])
    try:
        village = world.villages1[0]
        village.name = "王小明家"
        village.save()
        entry = LogEntry.objects.get_for_object(village).filter(action=LogEntry.Action.UPDATE).get()
        assert entry.changes_dict["name"] == ["***", "***"]
        assert "小明" not in str(entry.changes)
    finally:
        auditlog.unregister(Area)
        auditlog.register(Area)
