import datetime as dt
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.choices import (
    EnforcementKind,
    HazardAction,
    HazardStatus,
    ItemResult,
    Rating,
)
from inspections.models import Hazard, Inspection, Photo
from inspections.services import enforcement_issue, photo_add
from tests.query_ceilings import assert_same_queries_for_more_townships
from tests.scope import assert_access, assert_not_listed

from .factories import (
    EntityFactory,
    HazardFactory,
    checklist,
    grade,
    html_as_jpeg,
    jpeg_upload,
)

READERS = {"township1", "inspector1", "member1", "county", "admin"}
FIELD = {"township1", "inspector1"}
OFFICE = {"township1"}


@pytest.fixture
def hazard(entities, world):
    return HazardFactory(entity=entities["e1"], registered_by=world.users["inspector1"], description="灭火器过期")


def test_index_is_a_landing_page_for_every_role(client, world, entities):
    assert_access(client, world, reverse("inspections:index"), allowed=READERS, object_url=False)


@pytest.mark.parametrize("name", ["entity_list", "inspection_list", "hazard_list", "grid_list"])
def test_lists_are_open_to_every_role(client, world, entities, name):
    assert_access(client, world, reverse(f"inspections:{name}"), allowed=READERS, object_url=False)


def test_entity_pages_scope_matrix(client, world, entities):
    e1 = entities["e1"]
    assert_access(client, world, reverse("inspections:entity_detail", args=[e1.pk]), allowed=READERS)
    assert_access(client, world, reverse("inspections:entity_update", args=[e1.pk]), allowed=OFFICE)
    assert_access(client, world, reverse("inspections:entity_create"), allowed=OFFICE, object_url=False)
    assert_access(client, world, reverse("inspections:entity_regrade", args=[e1.pk]), allowed=OFFICE)
    assert_access(
        client, world, reverse("inspections:enforcement_create", args=[e1.pk]), allowed={"township1", "county"}
    )
    assert_access(client, world, reverse("inspections:inspection_create", args=[e1.pk]), allowed=FIELD)
    assert_access(client, world, reverse("inspections:hazard_create", args=[e1.pk]), allowed=FIELD)
    assert_access(client, world, reverse("inspections:grid_detail", args=[e1.grid.pk]), allowed=READERS)


def test_hazard_pages_scope_matrix(client, world, hazard):
    assert_access(client, world, reverse("inspections:hazard_detail", args=[hazard.pk]), allowed=READERS)
    hazard.is_major = True
    hazard.grade = grade(world.county, major=True)
    hazard.save()
    assert_access(client, world, reverse("inspections:hazard_plan", args=[hazard.pk]), allowed=FIELD)
    # A POST of an action the state does not allow is refused by the service, after the scope checks.
    assert_access(
        client,
        world,
        reverse("inspections:hazard_transition", args=[hazard.pk]),
        allowed=FIELD,
        method="post",
        data={"action": "submit"},
        ok_status=(302,),
    )
    assert_access(
        client,
        world,
        reverse("inspections:hazard_supervise", args=[hazard.pk]),
        allowed={"county"},
        method="post",
        ok_status=(302,),
    )


def test_inspection_enforcement_and_photo_scope_matrix(client, world, entities, hazard):
    entity = entities["e1"]
    inspection = Inspection.objects.create(
        township=entity.township,
        entity=entity,
        recorded_by=world.users["inspector1"],
        inspected_at=timezone.now(),
        representative_name="张三",
        rating=Rating.GOOD,
    )
    assert_access(client, world, reverse("inspections:inspection_detail", args=[inspection.pk]), allowed=READERS)
    notice = enforcement_issue(
        user=world.users["township1"],
        entity=entity,
        kind=EnforcementKind.ORDER_RECTIFY,
        issued_on=dt.date(2026, 3, 1),
        deadline=dt.date(2026, 3, 15),
        content="清理通道",
    )
    assert_access(client, world, reverse("inspections:enforcement_detail", args=[notice.pk]), allowed=READERS)
    photo = photo_add(user=world.users["inspector1"], entity=entity, upload=jpeg_upload(), hazard=hazard)
    assert_access(client, world, reverse("inspections:photo", args=[photo.pk]), allowed=READERS)


def test_inspector_gets_404_for_another_grid_in_their_township(as_user, entities, world):
    other = entities["e1b"]
    hazard = HazardFactory(entity=other, registered_by=world.users["township1"])
    client = as_user("inspector1")
    assert client.get(reverse("inspections:entity_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("inspections:inspection_create", args=[other.pk])).status_code == 404
    assert client.get(reverse("inspections:hazard_detail", args=[hazard.pk])).status_code == 404
    assert client.get(reverse("inspections:grid_detail", args=[other.grid.pk])).status_code == 404
    page = client.get(reverse("inspections:entity_list")).content.decode()
    assert "东关机械厂" in page and "西关饭店" not in page


def test_lists_do_not_show_another_township(client, world, entities, hazard):
    HazardFactory(entity=entities["e2"], registered_by=world.users["inspector2"], description="青山镇的隐患")
    assert_not_listed(client, world.users["township1"], reverse("inspections:entity_list"), "青山化工厂")
    assert_not_listed(client, world.users["township1"], reverse("inspections:hazard_list"), "青山镇的隐患")
    assert_not_listed(client, world.users["othercounty"], reverse("inspections:hazard_list"), "灭火器过期")


def test_phone_is_masked_for_roles_without_personal_data(as_user, entities):
    page = as_user("county").get(reverse("inspections:entity_list")).content.decode()
    assert "13800000000" not in page
    page = as_user("township1").get(reverse("inspections:entity_list")).content.decode()
    assert "13800000000" in page


def _many(world, grids, n):
    for i in range(n):
        entity = EntityFactory(grid=grids["grid1"], name=f"批量企业{i}")
        HazardFactory(entity=entity, registered_by=world.users["inspector1"])
        Inspection.objects.create(
            township=entity.township,
            entity=entity,
            recorded_by=world.users["inspector1"],
            inspected_at=timezone.now(),
            representative_name="张三",
            rating=Rating.GOOD,
        )


@pytest.mark.parametrize(
    "name, ceiling",
    [
        ("entity_list", 12),
        ("inspection_list", 12),
        ("hazard_list", 12),
        ("grid_list", 14),
        ("index", 20),
    ],
)
def test_query_count_does_not_grow_with_rows(as_user, world, grids, django_assert_max_num_queries, name, ceiling):
    for user in ("township1", "county", "inspector1"):
        client = as_user(user)
        _many(world, grids, 2)
        with django_assert_max_num_queries(ceiling):
            assert client.get(reverse(f"inspections:{name}")).status_code == 200
        _many(world, grids, 30)
        with django_assert_max_num_queries(ceiling):
            assert client.get(reverse(f"inspections:{name}")).status_code == 200


def test_detail_pages_query_count_is_bounded(as_user, world, entities, django_assert_max_num_queries):
    entity = entities["e1"]
    for _ in range(10):
        h = HazardFactory(entity=entity, registered_by=world.users["inspector1"])
        photo_add(user=world.users["inspector1"], entity=entity, upload=jpeg_upload(), hazard=h)
    client = as_user("township1")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("inspections:entity_detail", args=[entity.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("inspections:hazard_detail", args=[h.pk])).status_code == 200


def test_inspection_form_registers_hazard_from_failed_item(as_user, world, entities):
    template = checklist(world.county, n=2)
    first, second = template.items.all()
    entity = entities["e1"]
    client = as_user("inspector1")
    url = reverse("inspections:inspection_create", args=[entity.pk])
    assert "安全出口畅通" in client.get(url).content.decode()
    deadline = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = client.post(
        url,
        {
            "inspected_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "mode": "unannounced",
            "joint_agencies": ["fire", "police"],
            "rating": Rating.POOR,
            "representative_name": "张三",
            f"result_{first.pk}": ItemResult.CONFORM,
            f"result_{second.pk}": ItemResult.NONCONFORM,
            f"note_{second.pk}": "安全出口上锁",
            f"hazard_{second.pk}": "on",
            f"hazard_description_{second.pk}": "二楼安全出口上锁",
            f"hazard_grade_{second.pk}": grade(world.county).pk,
            f"hazard_deadline_{second.pk}": deadline,
            f"hazard_photos_{second.pk}": jpeg_upload(),
        },
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get(entity=entity)
    hazard = inspection.hazards.get()
    assert hazard.description == "二楼安全出口上锁" and hazard.photos.count() == 1
    assert inspection.joint_agencies == ["fire", "police"] and inspection.mode == "unannounced"


def test_inspection_form_refuses_a_renamed_html_photo(as_user, world, entities):
    client = as_user("inspector1")
    url = reverse("inspections:inspection_create", args=[entities["e1"].pk])
    response = client.post(
        url,
        {
            "inspected_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "mode": "announced",
            "rating": Rating.GOOD,
            "representative_name": "张三",
            "photos": html_as_jpeg(),
        },
    )
    assert response.status_code == 200
    assert "不是有效的图片" in response.content.decode()
    assert not Inspection.objects.exists() and not Photo.objects.exists()


def test_hazard_loop_through_the_pages(as_user, world, entities):
    inspector = as_user("inspector1")
    url = reverse("inspections:hazard_create", args=[entities["e1"].pk])
    response = inspector.post(
        url,
        {
            "grade": grade(world.county).pk,
            "description": "电线私拉乱接",
            "found_on": timezone.localdate().isoformat(),
            "deadline": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        },
    )
    hazard = Hazard.objects.get(description="电线私拉乱接")
    assert response.status_code == 302 and hazard.registered_by == world.users["inspector1"]
    move = reverse("inspections:hazard_transition", args=[hazard.pk])
    inspector.post(move, {"action": HazardAction.START})
    inspector.post(move, {"action": HazardAction.SUBMIT, "reason": "已重新布线"})
    response = inspector.post(move, {"action": HazardAction.VERIFY_PASS, "reason": "自己验收"}, follow=True)
    assert "登记人以外" in response.content.decode()
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.PENDING_VERIFICATION
    staff = as_user("township1")
    staff.post(move, {"action": HazardAction.VERIFY_PASS, "photos": jpeg_upload()})
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED
    page = staff.get(hazard.get_absolute_url()).content.decode()
    assert "闭环记录" in page and "已重新布线" in page and page.count("img-thumbnail") == 1


def test_photo_view_serves_the_reencoded_jpeg(as_user, world, entities, hazard):
    photo = photo_add(user=world.users["inspector1"], entity=entities["e1"], upload=jpeg_upload(), hazard=hazard)
    response = as_user("county").get(reverse("inspections:photo", args=[photo.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_order_to_rectify_notice_pdf_has_the_chinese_text(as_user, world, entities, hazard, tmp_path):
    notice = enforcement_issue(
        user=world.users["township1"],
        entity=entities["e1"],
        hazard=hazard,
        kind=EnforcementKind.ORDER_RECTIFY,
        issued_on=dt.date(2026, 3, 1),
        deadline=dt.date(2026, 3, 15),
        content="消防通道堆放杂物",
        legal_basis="《中华人民共和国安全生产法》第六十五条",
    )
    response = as_user("member1").get(reverse("inspections:enforcement_notice", args=[notice.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "notice.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    compact = "".join(text.split())
    assert "责令限期整改指令书" in compact
    assert "城关街道安监责改〔2026〕1号" in compact
    assert "东关机械厂" in compact and "消防通道堆放杂物" in compact
    assert "2026年3月15日" in compact


def test_hazard_export_has_overdue_and_state(as_user, world, entities):
    HazardFactory(
        entity=entities["e1"],
        registered_by=world.users["inspector1"],
        description="过期未改",
        deadline=timezone.localdate() - dt.timedelta(days=1),
    )
    response = as_user("township1").get(reverse("inspections:hazard_list"), {"_export": "csv"})
    body = (
        b"".join(response.streaming_content).decode("utf-8-sig")
        if response.streaming
        else response.content.decode("utf-8-sig")
    )
    header, row = body.splitlines()[:2]
    assert header.startswith("监管对象,统一社会信用代码,隐患等级,隐患描述,发现日期,整改期限,状态")
    assert "是否逾期" in header
    assert "过期未改" in row and ",是," in row and "已登记" in row


def test_entity_regrade_post(as_user, world, entities):
    entity = entities["e1"]
    response = as_user("township1").post(
        reverse("inspections:entity_regrade", args=[entity.pk]),
        {"year": 2026, "risk_colour": "orange", "supervision_class": "B", "reason": "年度评估"},
    )
    assert response.status_code == 302
    entity.refresh_from_db()
    assert (entity.risk_colour, entity.supervision_class) == ("orange", "B")


def test_grid_map_data_only_from_boundaries(as_user, world, grids):
    grids["grid1"].boundary = {
        "type": "Polygon",
        "coordinates": [[[115.4, 35.2], [115.41, 35.2], [115.41, 35.21], [115.4, 35.2]]],
    }
    grids["grid1"].save()
    page = as_user("township1").get(reverse("inspections:grid_list")).content.decode()
    assert 'id="grid-map"' in page and "vendor/leaflet/leaflet.js" in page
    assert "tile.openstreetmap" not in page


def test_my_tasks_put_today_first_and_every_shortened_list_links_to_all_of_it(client, world, grids):
    today = timezone.localdate()
    for i in range(25):
        EntityFactory(grid=grids["grid1"], name=f"逾期单位{i:02d}", next_due_on=today - dt.timedelta(days=3 + i))
    EntityFactory(grid=grids["grid1"], name="今日单位", next_due_on=today)
    EntityFactory(grid=grids["grid2"], name="他镇逾期单位", next_due_on=today - dt.timedelta(days=3))
    client.force_login(world.users["inspector1"])
    html = client.get(reverse("inspections:index")).content.decode()
    assert html.index('id="tasks-today"') < html.index("今日单位") < html.index('id="tasks-overdue"')
    assert 'href="#tasks-overdue"' in html  # the badges are links
    assert html.count("逾期单位") == 20 and "查看全部25条" in html
    more = re.search(r'href="([^"]+)" data-more="overdue"', html).group(1).replace("&amp;", "&")
    listed = client.get(more).context["filter"].qs
    assert listed.count() == 25 and "他镇逾期单位" not in {e.name for e in listed}
    assert 'data-more="today"' not in html  # nothing shortened there


def test_starting_the_rectification_assigns_its_responsible_person(client, world, hazard):
    client.force_login(world.users["inspector1"])
    page = client.get(reverse("inspections:hazard_detail", args=[hazard.pk])).content.decode()
    assert 'name="responsible_person"' in page  # offered while the hazard waits for its rectification
    response = client.post(
        reverse("inspections:hazard_transition", args=[hazard.pk]),
        {"action": HazardAction.START, "responsible_person": "东关机械厂 王厂长"},
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.RECTIFYING and hazard.responsible_person == "东关机械厂 王厂长"
    page = client.get(reverse("inspections:hazard_detail", args=[hazard.pk])).content.decode()
    assert "东关机械厂 王厂长" in page and 'name="responsible_person"' not in page


def test_the_grid_map_shows_where_people_got_hurt_beside_the_hazards(client, world, grids, entities):
    from tests.incidents.factories import InjuryRecordFactory, aware

    grid = grids["grid1"]
    grid.boundary = {
        "type": "Polygon",
        "coordinates": [[[115.3, 35.3], [115.32, 35.3], [115.32, 35.32], [115.3, 35.3]]],
    }
    grid.save()
    today = timezone.localdate()
    HazardFactory(entity=entities["e1"], registered_by=world.users["inspector1"])
    for _ in range(2):
        InjuryRecordFactory(village=world.village1, grid=grid, injured_at=aware(today.year, 1, 3))
    InjuryRecordFactory(village=world.village1, grid=grid, injured_at=aware(today.year - 1, 6, 3))  # last year
    client.force_login(world.users["township1"])
    features = client.get(reverse("inspections:grid_list")).context["map_features"]
    assert [f["name"] for f in features] == [grid.name]  # only grids with an outline are drawn
    assert features[0]["injuries"] == 2 and features[0]["open"] == 1
    assert features[0]["label"] == "未销号隐患1条（逾期0），年内伤害2例"


def test_my_tasks_offer_the_inspection_button_only_to_those_who_inspect(client, world, grids):
    EntityFactory(grid=grids["grid1"], name="今日单位", next_due_on=timezone.localdate())
    client.force_login(world.users["township1"])
    assert "/inspect/" in client.get(reverse("inspections:index")).content.decode()
    client.force_login(world.users["member1"])
    assert "/inspect/" not in client.get(reverse("inspections:index")).content.decode()


@pytest.mark.parametrize(
    "url_name",
    [
        "inspections:index",
        "inspections:entity_list",
        "inspections:inspection_list",
        "inspections:hazard_list",
        "inspections:grid_list",
        "inspections:settings_overview",
    ],
)
def test_pages_cost_the_same_queries_for_more_townships_and_rows(
    client, world, django_assert_max_num_queries, url_name
):
    assert_same_queries_for_more_townships(client, world, django_assert_max_num_queries, reverse(url_name))
