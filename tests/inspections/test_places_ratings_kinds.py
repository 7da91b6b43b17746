"""Hazards at places, the 判定依据 of major hazards, the 三色 评定 with its 约谈 rule, and the
county's own kinds of place (九小场所 extended)."""

import datetime as dt
import importlib

import pytest
from django.urls import reverse

from inspections.choices import PlaceKind, ThreeColour
from inspections.kinds import county_kind_choices, entity_kind_choices
from inspections.models import EntityKindOption, Hazard, SupervisedEntity
from inspections.services import (
    checklist_template_revise,
    entity_kind_add,
    entity_rate,
    hazard_grades,
    hazard_place_create,
    hazard_register,
)
from safecommunity.exceptions import ApplicationError

from .factories import EntityFactory


def test_two_consecutive_average_ratings_summon_the_head(world, entities):
    entity, staff = entities["e1"], world.users["township1"]

    def rate(period, day, colour):
        entity_rate(entity=entity, user=staff, period=period, rated_on=day, colour=colour)
        entity.refresh_from_db()
        return entity.three_colour, entity.colour_summons_required

    assert rate("2025年第四季度", dt.date(2025, 12, 20), ThreeColour.YELLOW) == ("yellow", False)
    assert rate("2026年第一季度", dt.date(2026, 3, 20), ThreeColour.YELLOW) == ("yellow", True)
    assert rate("2026年第二季度", dt.date(2026, 6, 20), ThreeColour.GREEN) == ("green", False)
    assert rate("2026年第三季度", dt.date(2026, 9, 20), ThreeColour.YELLOW) == ("yellow", False)
    assert rate("2026年第四季度", dt.date(2026, 12, 20), ThreeColour.RED) == ("red", False)
    with pytest.raises(ApplicationError):  # one rating per period
        rate("2026年第四季度", dt.date(2026, 12, 21), ThreeColour.GREEN)


def test_rating_from_the_entity_page_shows_the_summons(as_user, world, entities):
    entity = entities["e1"]
    client = as_user("township1")
    url = reverse("inspections:entity_rate", args=[entity.pk])
    for period, day in (("2026年1月", "2026-01-31"), ("2026年2月", "2026-02-28")):
        assert client.post(url, {"period": period, "rated_on": day, "colour": "yellow"}).status_code == 302
    page = client.get(entity.get_absolute_url()).content.decode()
    assert 'id="colour-summons"' in page and "黄(一般)" in page
    assert as_user("member1").post(url, {"period": "x", "rated_on": "2026-03-01", "colour": "red"}).status_code == 403


def test_hazard_at_a_place_with_the_basis_of_a_major_hazard(as_user, world, entities):
    entity = entities["e1"]
    lane = hazard_place_create(
        user=world.users["township1"],
        township=world.township1,
        kind=PlaceKind.FIRE_LANE,
        name="东关市场北侧消防通道",
        village=world.village1,
    )
    with pytest.raises(ApplicationError):  # a village of another township
        hazard_place_create(
            user=world.users["township1"],
            township=world.township1,
            kind=PlaceKind.ROAD_SECTION,
            name="X",
            village=world.village2,
        )
    major = next(g for g in hazard_grades(world.county) if g.is_major)
    client = as_user("inspector1")
    url = reverse("inspections:hazard_create", args=[entity.pk])
    post = {
        "grade": major.pk,
        "description": "消防通道被摊位占用",
        "place": lane.pk,
        "found_on": "2026-03-01",
        "deadline": "2026-03-30",
    }
    response = client.post(url, post)
    assert response.status_code == 200 and not Hazard.objects.exists()  # a major hazard needs its basis
    basis = "《重大火灾隐患判定方法》(GB 35181-2017) 第6.1条"
    response = client.post(url, {**post, "major_basis": basis})
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and hazard.place == lane and hazard.major_basis == basis
    page = client.get(hazard.get_absolute_url()).content.decode()
    assert "东关市场北侧消防通道" in page and "GB 35181-2017" in page
    other = hazard_place_create(
        user=world.users["township2"], township=world.township2, kind=PlaceKind.VILLAGE, name="青山村"
    )
    with pytest.raises(ApplicationError):
        hazard_register(
            user=world.users["township1"],
            entity=entity,
            grade=major,
            description="x",
            found_on=dt.date(2026, 3, 1),
            deadline=dt.date(2026, 3, 2),
            place=other,
        )


def test_data_migration_keeps_existing_kinds_and_values(world):
    migration = importlib.import_module("inspections.migrations.0007_seed_entity_kinds")
    from django.apps import apps

    EntityKindOption.objects.all().delete()
    migration.seed(apps, None)
    seeded = list(EntityKindOption.objects.filter(county=world.county).values_list("code", "name"))
    assert seeded[0] == ("enterprise", "企业") and ("small_hotel", "小旅馆") in seeded and len(seeded) == 10
    assert {code for code, _ in entity_kind_choices()} >= {code for code, _ in seeded}


def test_county_adds_kinds_used_by_entities_and_checklists(as_user, world, grids):
    client = as_user("county")
    response = client.post(
        reverse("inspections:entity_kind_create"),
        {"name": "专业库房", "code": "warehouse", "is_small_place": "on", "order": 20},
    )
    assert response.status_code == 302
    entity_kind_add(county=world.county, name="民房改出租库房", code="rented_warehouse")
    with pytest.raises(ApplicationError):
        entity_kind_add(county=world.county, name="小旅馆2", code="small_hotel")
    labels = dict(county_kind_choices(world.county))
    assert labels["warehouse"] == "专业库房" and labels["small_hotel"] == "小旅馆"
    assert "warehouse" not in dict(county_kind_choices(world.other_county))
    entity = EntityFactory(grid=grids["grid1"], kind="warehouse", name="东关物流仓库")
    entity.full_clean()
    assert SupervisedEntity.objects.get(pk=entity.pk).get_kind_display() == "专业库房"
    template = checklist_template_revise(
        county=world.county, kind="warehouse", name="库房检查表", items=[{"category": "消防", "text": "货物离墙"}]
    )
    assert template.kind == "warehouse"
    settings_page = client.get(reverse("inspections:settings_overview")).content.decode()
    assert "专业库房" in settings_page and "民房改出租库房" in settings_page
    form_page = as_user("township1").get(reverse("inspections:entity_create")).content.decode()
    assert "民房改出租库房" in form_page
    listing = as_user("township1").get(reverse("inspections:entity_list"), {"kind": "warehouse"}).content.decode()
    assert "东关物流仓库" in listing
