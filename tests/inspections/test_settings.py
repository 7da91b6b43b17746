"""County settings pages: checklists, inspection intervals, class meanings and hazard grades,
edited by county-level users for their own county only."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from inspections.admin import InspectionFrequencyAdmin
from inspections.choices import EntityKind, ItemResult, Rating, SupervisionClass
from inspections.models import (
    ChecklistTemplate,
    HazardGrade,
    InspectionFrequency,
    SupervisedEntity,
    SupervisionClassDefinition,
)
from inspections.services import (
    ItemOutcome,
    checklist_template_revise,
    frequency_set,
    hazard_grade_save,
    hazard_grades,
    inspection_record,
    supervision_class_define,
)
from tests.scope import assert_access

from .factories import HazardFactory, checklist

pytestmark = pytest.mark.django_db

COUNTY = {"county", "admin"}
PAGES = ["settings_overview", "checklist_revise", "frequency_edit", "class_definition_edit", "hazard_grade_create"]


@pytest.mark.parametrize("name", PAGES)
def test_settings_pages_are_for_county_roles_only(client, world, name):
    assert_access(client, world, reverse(f"inspections:{name}"), allowed=COUNTY, object_url=False)


def test_hazard_grade_edit_page_is_for_own_county_only(client, world):
    grade = hazard_grade_save(county=world.county, name="较大隐患", is_major=False, default_days=30, order=3)
    assert_access(client, world, reverse("inspections:hazard_grade_update", args=[grade.pk]), allowed=COUNTY)


def test_other_county_sees_only_its_own_settings(as_user, world):
    checklist_template_revise(
        county=world.county,
        kind=EntityKind.ENTERPRISE,
        name="城关县企业检查表",
        items=[{"category": "消防", "text": "灭火器完好"}],
    )
    supervision_class_define(county=world.county, supervision_class="A", meaning="本县重点监管单位")
    hazard_grade_save(county=world.county, name="本县特别隐患", is_major=True, default_days=45, order=5)
    supervision_class_define(county=world.other_county, supervision_class="A", meaning="邻县高风险单位")

    content = as_user("othercounty").get(reverse("inspections:settings_overview")).content.decode()
    assert "邻县高风险单位" in content
    for text in ("城关县企业检查表", "本县重点监管单位", "本县特别隐患"):
        assert text not in content
    mine = as_user("county").get(reverse("inspections:settings_overview")).content.decode()
    assert "城关县企业检查表" in mine and "本县特别隐患" in mine and "邻县高风险单位" not in mine


def test_other_county_supervisor_writes_only_their_own_county(as_user, world):
    as_user("othercounty").post(
        reverse("inspections:class_definition_edit"), {"A": "邻县含义", "B": "", "C": "", "D": ""}
    )
    assert (
        SupervisionClassDefinition.objects.get(county=world.other_county, supervision_class="A").meaning == "邻县含义"
    )
    assert not SupervisionClassDefinition.objects.filter(county=world.county).exists()


def test_other_county_grade_is_not_found(as_user, world):
    grade = hazard_grade_save(county=world.county, name="较大隐患", is_major=False, default_days=30, order=3)
    response = as_user("othercounty").post(
        reverse("inspections:hazard_grade_update", args=[grade.pk]), {"name": "改名", "default_days": 5, "order": 1}
    )
    assert response.status_code == 404
    grade.refresh_from_db()
    assert grade.name == "较大隐患"


def test_checklist_revision_makes_next_version_and_old_inspection_keeps_its_template(as_user, world, entities):
    old = checklist(world.county, n=2)
    entity = entities["e1"]
    inspection = inspection_record(
        user=world.users["township1"],
        entity=entity,
        inspected_at=timezone.now(),
        representative_name="张三",
        rating=Rating.GOOD,
        template=old,
        outcomes=[ItemOutcome(i, ItemResult.CONFORM) for i in old.items.all()],
    )
    client = as_user("county")

    form = client.get(reverse("inspections:checklist_revise"), {"kind": EntityKind.ENTERPRISE}).content.decode()
    assert "消防安全 | 检查项1：安全出口畅通 | 《消防法》第二十八条" in form

    response = client.post(
        reverse("inspections:checklist_revise"),
        {
            "kind": EntityKind.ENTERPRISE,
            "name": "企业安全检查表（2026版）",
            "items": "消防安全 | 疏散通道畅通 | 《消防法》第二十八条\n\n用电安全 | 无私拉乱接电线\n",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "第2版" in response.content.decode()

    new = ChecklistTemplate.objects.get(county=world.county, kind=EntityKind.ENTERPRISE, is_current=True)
    assert new.version == old.version + 1
    assert [(i.category, i.text, i.legal_basis) for i in new.items.all()] == [
        ("消防安全", "疏散通道畅通", "《消防法》第二十八条"),
        ("用电安全", "无私拉乱接电线", ""),
    ]
    inspection.refresh_from_db()
    old.refresh_from_db()
    assert inspection.template_id == old.pk and not old.is_current
    assert old.items.count() == 2


def test_bad_checklist_line_is_rejected_with_its_line_number_and_nothing_saved(as_user, world):
    old = checklist(world.county, n=1)
    response = as_user("county").post(
        reverse("inspections:checklist_revise"),
        {
            "kind": EntityKind.ENTERPRISE,
            "name": "企业安全检查表",
            "items": "消防安全 | 疏散通道畅通\n只有一段没有分隔符\n用电安全 | 无私拉乱接电线",
        },
    )
    assert response.status_code == 200
    assert "第2行格式不正确" in response.content.decode()
    assert list(ChecklistTemplate.objects.filter(county=world.county).values_list("pk", flat=True)) == [old.pk]


def test_frequency_change_moves_next_due_date(as_user, world, entities):
    entity = entities["e1"]
    SupervisedEntity.objects.filter(pk=entity.pk).update(
        supervision_class=SupervisionClass.B, last_inspected_on=dt.date(2026, 1, 10)
    )
    response = as_user("admin").post(
        reverse("inspections:frequency_edit"),
        {"supervision_class": SupervisionClass.B, "kind": "", "interval_days": 14},
    )
    assert response.status_code == 302
    entity.refresh_from_db()
    assert entity.next_due_on == dt.date(2026, 1, 24)

    as_user("admin").post(
        reverse("inspections:frequency_edit"),
        {"supervision_class": SupervisionClass.B, "kind": EntityKind.ENTERPRISE, "interval_days": 3},
    )
    entity.refresh_from_db()
    assert entity.next_due_on == dt.date(2026, 1, 13)


def test_frequency_interval_out_of_range_is_rejected(as_user, world):
    response = as_user("county").post(
        reverse("inspections:frequency_edit"), {"supervision_class": "A", "kind": "", "interval_days": 400}
    )
    assert response.status_code == 200
    assert not InspectionFrequency.objects.filter(county=world.county).exists()


def test_class_meanings_are_created_then_updated(as_user, world):
    client = as_user("county")
    client.post(reverse("inspections:class_definition_edit"), {"A": "重点", "B": "较重点", "C": "一般", "D": "低风险"})
    client.post(reverse("inspections:class_definition_edit"), {"A": "重点监管", "B": "较重点", "C": "一般", "D": ""})
    meanings = dict(
        SupervisionClassDefinition.objects.filter(county=world.county).values_list("supervision_class", "meaning")
    )
    assert meanings == {"A": "重点监管", "B": "较重点", "C": "一般", "D": ""}


def test_hazard_grade_added_and_edited_and_duplicate_name_refused(as_user, world):
    client = as_user("county")
    response = client.post(
        reverse("inspections:hazard_grade_create"), {"name": "较大隐患", "is_major": "", "default_days": 30, "order": 2}
    )
    assert response.status_code == 302
    grade = HazardGrade.objects.get(county=world.county, name="较大隐患")
    client.post(
        reverse("inspections:hazard_grade_update", args=[grade.pk]),
        {"name": "较大隐患", "is_major": "on", "default_days": 40, "order": 2},
    )
    grade.refresh_from_db()
    assert grade.is_major and grade.default_days == 40
    response = client.post(
        reverse("inspections:hazard_grade_create"), {"name": "较大隐患", "default_days": 10, "order": 9}
    )
    assert response.status_code == 200
    assert HazardGrade.objects.filter(county=world.county, name="较大隐患").count() == 1


def test_grade_in_use_cannot_be_deleted_in_admin(world, entities):
    hazard = HazardFactory(entity=entities["e1"], registered_by=world.users["township1"])
    request = RequestFactory().get("/")
    request.user = world.users["admin"]
    assert not site._registry[HazardGrade].has_delete_permission(request, hazard.grade)


def test_admin_frequency_save_recomputes_due_dates_and_is_scoped(world, entities):
    entity = entities["e1"]
    SupervisedEntity.objects.filter(pk=entity.pk).update(
        supervision_class=SupervisionClass.C, last_inspected_on=dt.date(2026, 3, 1)
    )
    frequency_set(county=world.other_county, supervision_class="C", kind="", interval_days=5)
    model_admin = InspectionFrequencyAdmin(InspectionFrequency, site)
    request = RequestFactory().post("/")
    request.user = world.users["admin"]
    obj = InspectionFrequency(county=world.county, supervision_class="C", kind="", interval_days=20)
    model_admin.save_model(request, obj, form=None, change=False)
    entity.refresh_from_db()
    assert entity.next_due_on == dt.date(2026, 3, 21)
    assert {f.county_id for f in model_admin.get_queryset(request)} == {world.county.pk}


def test_checklist_admin_is_read_only(world):
    request = RequestFactory().get("/")
    request.user = world.users["admin"]
    model_admin = site._registry[ChecklistTemplate]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)


def test_settings_link_in_nav_for_county_roles_only(as_user, world):
    url = reverse("inspections:settings_overview")
    assert url in as_user("county").get(reverse("inspections:index")).content.decode()
    assert url not in as_user("township1").get(reverse("inspections:index")).content.decode()


def test_overview_query_count_does_not_grow(as_user, world, django_assert_max_num_queries):
    client = as_user("county")
    url = reverse("inspections:settings_overview")
    checklist(world.county, n=2)
    hazard_grades(world.county)  # the default grades, created the first time anything asks for them
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    for kind in EntityKind.values:
        checklist(world.county, kind=kind, n=20)
    for cls in SupervisionClass.values:
        supervision_class_define(county=world.county, supervision_class=cls, meaning=f"{cls}类含义")
        for kind in EntityKind.values[:4]:
            frequency_set(county=world.county, supervision_class=cls, kind=kind, interval_days=20)
    for n in range(8):
        hazard_grade_save(county=world.county, name=f"等级{n}", is_major=False, default_days=10, order=n)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_admin_config_pages_render_for_county_administrator(client, world):
    template = checklist(world.county, n=2)
    frequency = frequency_set(county=world.county, supervision_class="B", kind="", interval_days=20)
    admin_user = world.users["admin"]
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    client.force_login(admin_user)
    for url in (
        "/admin/inspections/checklisttemplate/",
        f"/admin/inspections/checklisttemplate/{template.pk}/change/",
        "/admin/inspections/inspectionfrequency/",
        f"/admin/inspections/inspectionfrequency/{frequency.pk}/change/",
        "/admin/inspections/hazardgrade/",
        "/admin/inspections/supervisionclassdefinition/",
    ):
        assert client.get(url).status_code == 200, url
