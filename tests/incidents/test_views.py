import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.choices import IncidentStatus
from incidents.models import CasualtyRevision, Incident, InjuryRecord, PersonalDataReveal
from incidents.services import rate_baseline_save
from tests.incidents.factories import IncidentFactory, InjuryRecordFactory, aware, make_id_number
from tests.query_ceilings import assert_same_queries_for_more_townships
from tests.scope import assert_access, assert_not_listed

ALL = {"township1", "inspector1", "member1", "county", "admin"}
WRITERS = {"township1"}
THIS_YEAR = timezone.localdate().year


def this_year(month=3, day=5, hour=10):
    return aware(THIS_YEAR, month, day, hour)


@pytest.fixture
def incident(world):
    return IncidentFactory(village=world.village1, occurred_at=this_year(), address="东关路口", deaths=1)


@pytest.fixture
def injury(world):
    number = make_id_number(birth=dt.date(1950, 1, 1))
    return InjuryRecordFactory(
        village=world.village1, injured_at=this_year(), name="王小明", id_number=number, age=THIS_YEAR - 1950
    )


def incident_post(world, **overrides):
    data = {
        "occurred_at": f"{THIS_YEAR}-03-05T14:30",
        "village": world.village1.pk,
        "address": "西关菜市场",
        "domain": "fire",
        "accident_type": "08",
        "deaths": "0",
        "serious_injuries": "1",
        "minor_injuries": "2",
        "direct_loss": "3.5",
        "narrative": "电动车充电起火",
        "source": "informant",
        "reporter": "张三",
    }
    data.update(overrides)
    return data


def injury_post(world, **overrides):
    data = {
        "name": "李四",
        "id_number": "",
        "sex": "F",
        "age": "8",
        "residence": "1",
        "occupation": "02",
        "injured_at": f"{THIS_YEAR}-03-05T09:00",
        "visit_at": f"{THIS_YEAR}-03-05T10:00",
        "village": world.village1.pk,
        "cause": "11",
        "place": "01",
        "activity": "05",
        "intent": "1",
        "alcohol": "2",
        "nature": "3",
        "body_part": "3",
        "severity": "1",
        "outcome": "1",
        "narrative": "被狗咬伤",
    }
    data.update(overrides)
    return data


# --- Scope matrix -----------------------------------------------------------------------------


def test_index_redirects_to_the_list(client, world):
    assert_access(client, world, reverse("incidents:index"), allowed=ALL, ok_status=(302,), object_url=False)


@pytest.mark.parametrize(
    "name", ["incidents:incident_list", "incidents:injury_list", "incidents:statistics", "incidents:baseline_list"]
)
def test_pages_open_to_every_role(client, world, name):
    assert_access(client, world, reverse(name), allowed=ALL, object_url=False)


@pytest.mark.parametrize("name", ["incidents:incident_create", "incidents:injury_create"])
def test_create_forms_are_for_township_staff(client, world, name):
    assert_access(client, world, reverse(name), allowed=WRITERS, object_url=False)


def test_incident_detail_and_edit_scope(client, world, incident):
    assert_access(client, world, reverse("incidents:incident_detail", args=[incident.pk]), allowed=ALL)
    assert_access(client, world, reverse("incidents:incident_update", args=[incident.pk]), allowed=WRITERS)


def test_incident_verify_and_close_scope(client, world, incident):
    assert_access(
        client,
        world,
        reverse("incidents:incident_verify", args=[incident.pk]),
        allowed=WRITERS,
        method="post",
        ok_status=(302,),
    )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.VERIFIED
    assert_access(
        client,
        world,
        reverse("incidents:incident_close", args=[incident.pk]),
        allowed=WRITERS,
        method="post",
        ok_status=(302,),
    )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED


def test_injury_detail_edit_and_reveal_scope(client, world, injury):
    assert_access(client, world, reverse("incidents:injury_detail", args=[injury.pk]), allowed=ALL)
    assert_access(client, world, reverse("incidents:injury_update", args=[injury.pk]), allowed=WRITERS)
    assert_access(client, world, reverse("incidents:injury_reveal", args=[injury.pk]), allowed=WRITERS, method="post")


def test_baseline_forms_are_for_the_county(client, world):
    baseline = rate_baseline_save(area=world.township1, year=THIS_YEAR, population=1000)
    assert_access(client, world, reverse("incidents:baseline_create"), allowed={"county", "admin"}, object_url=False)
    assert_access(client, world, reverse("incidents:baseline_update", args=[baseline.pk]), allowed={"county", "admin"})


def test_lists_do_not_show_another_townships_rows(client, world):
    IncidentFactory(village=world.village2, occurred_at=this_year(), address="青山镇路口")
    InjuryRecordFactory(village=world.village2, injured_at=this_year(), name="赵青山")
    assert_not_listed(client, world.users["township1"], reverse("incidents:incident_list"), "青山镇路口")
    assert_not_listed(client, world.users["township1"], reverse("incidents:injury_list"), "青山村")
    assert_not_listed(client, world.users["othercounty"], reverse("incidents:injury_list"), "青山村")
    client.force_login(world.users["county"])
    assert "青山村" in client.get(reverse("incidents:injury_list")).content.decode()


# --- Lists, filters, export ------------------------------------------------------------------


def test_incident_list_defaults_to_the_current_year(as_user, world):
    IncidentFactory(village=world.village1, occurred_at=this_year(), address="今年路口")
    IncidentFactory(village=world.village1, occurred_at=aware(THIS_YEAR - 2, 5, 1), address="前年路口")
    client = as_user("township1")
    rows = client.get(reverse("incidents:incident_list")).context["table"].rows
    assert len(rows) == 1
    rows = client.get(reverse("incidents:incident_list"), {"year": "all"}).context["table"].rows
    assert len(rows) == 2


def test_incident_list_filters_by_grade_domain_and_village(as_user, world):
    IncidentFactory(village=world.village1, occurred_at=this_year(), deaths=3, domain="industry")
    IncidentFactory(village=world.villages1[1], occurred_at=this_year(), deaths=0)
    client = as_user("township1")
    get = lambda **q: len(client.get(reverse("incidents:incident_list"), q).context["table"].rows)  # noqa: E731
    assert get(grade="larger") == 1
    assert get(grade="ordinary") == 1
    assert get(domain="industry") == 1
    assert get(village=world.villages1[1].pk) == 1
    assert get(month="3") == 2 and get(month="4") == 0


def test_injury_list_masks_personal_data_for_everyone(as_user, world, injury):
    for username in ("township1", "member1", "county"):
        page = as_user(username).get(reverse("incidents:injury_list")).content.decode()
        assert "王**" in page and "王小明" not in page
        assert injury.id_number not in page and injury.id_number[-4:] in page


def test_injury_list_filters_by_age_band_cause_and_sex(as_user, world):
    InjuryRecordFactory(village=world.village1, injured_at=this_year(), age=3, sex="F")
    InjuryRecordFactory(village=world.village1, injured_at=this_year(), age=80, cause="11", place="01")
    client = as_user("township1")
    get = lambda **q: len(client.get(reverse("incidents:injury_list"), q).context["table"].rows)  # noqa: E731
    assert get(age_band="0-4") == 1 and get(age_band="65+") == 1 and get(age_band="25-44") == 0
    assert get(cause="11") == 1 and get(sex="F") == 1


def test_export_follows_the_filter_masks_and_neutralises(as_user, world):
    number = make_id_number(birth=dt.date(1950, 1, 1))
    InjuryRecordFactory(
        village=world.village1,
        injured_at=this_year(),
        name="王小明",
        id_number=number,
        age=THIS_YEAR - 1950,
        narrative='=HYPERLINK("x")',
    )
    InjuryRecordFactory(village=world.village1, injured_at=aware(THIS_YEAR - 3, 1, 1), name="旧记录")
    response = as_user("township1").get(reverse("incidents:injury_list"), {"_export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("姓名,身份证号,性别,年龄,伤害发生时间")
    assert len(lines) == 2  # current year only
    assert "王**" in text and "王小明" not in text and number not in text
    assert "'=HYPERLINK" in text


def test_incident_export_xlsx_has_the_grade(as_user, world):
    import io

    from openpyxl import load_workbook

    IncidentFactory(village=world.village1, occurred_at=this_year(), deaths=10)
    response = as_user("county").get(reverse("incidents:incident_list"), {"_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("发生时间", "所属村(社区)", "地点") and "事故等级" in rows[0]
    assert rows[1][rows[0].index("事故等级")] == "重大"


@pytest.mark.parametrize(
    "url_name, factory, field",
    [
        ("incidents:incident_list", IncidentFactory, "occurred_at"),
        ("incidents:injury_list", InjuryRecordFactory, "injured_at"),
    ],
)
def test_list_query_count_does_not_grow_with_rows(
    as_user, world, django_assert_max_num_queries, url_name, factory, field
):
    client = as_user("county")
    factory(village=world.village1, **{field: this_year()})
    with django_assert_max_num_queries(10) as few:
        client.get(reverse(url_name))
    for i in range(40):
        factory(village=world.villages1[i % 3] if i % 2 else world.village2, **{field: this_year(hour=i % 20)})
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url_name))
    assert len(response.context["table"].rows) == 41


# --- Forms -------------------------------------------------------------------------------------


def test_township_officer_records_an_incident(as_user, world):
    client = as_user("township1")
    response = client.post(reverse("incidents:incident_create"), incident_post(world))
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert incident.township == world.township1 and incident.created_by == world.users["township1"]
    assert incident.status == IncidentStatus.REPORTED
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "西关菜市场" in page and "一般" in page


def test_incident_form_refuses_another_townships_village_and_ignores_posted_status(as_user, world):
    client = as_user("township1")
    response = client.post(reverse("incidents:incident_create"), incident_post(world, village=world.village2.pk))
    assert response.status_code == 200 and not Incident.objects.exists()
    client.post(
        reverse("incidents:incident_create"), incident_post(world, status="closed", township=world.township2.pk)
    )
    assert Incident.objects.get().status == IncidentStatus.REPORTED
    assert Incident.objects.get().township == world.township1


def test_editing_casualties_through_the_form_records_a_revision(as_user, world, incident):
    client = as_user("township1")
    data = incident_post(world, deaths="2", revision_reason="补报死亡1人")
    response = client.post(reverse("incidents:incident_update", args=[incident.pk]), data)
    assert response.status_code == 302
    revision = CasualtyRevision.objects.get()
    assert (revision.deaths_before, revision.deaths, revision.reason) == (1, 2, "补报死亡1人")
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "补报死亡1人" in page


def test_township_officer_records_an_injury_and_confirms_the_cards_warnings(as_user, world):
    client = as_user("township1")
    doubtful = injury_post(world, cause="07", nature="1")  # 烧烫伤 with 骨折: the CDC software warns
    response = client.post(reverse("incidents:injury_create"), doubtful)
    page = response.content.decode()
    assert response.status_code == 200 and "烧烫伤的伤害性质" in page and "确认无误" in page
    assert 'type="checkbox" name="confirm_warnings"' in page and not InjuryRecord.objects.exists()
    response = client.post(reverse("incidents:injury_create"), {**doubtful, "confirm_warnings": "on"})
    assert response.status_code == 302
    record = InjuryRecord.objects.get()
    assert record.name == "李四" and record.logic_warnings == ["burn_nature"] and not record.has_open_warnings
    assert record.warnings_confirmed_by == world.users["township1"]
    page = client.get(reverse("incidents:injury_detail", args=[record.pk])).content.decode()
    assert "card-warnings" in page and "confirm-warnings" not in page


def test_impossible_card_data_is_refused_even_when_confirmed(as_user, world):
    client = as_user("township1")
    bad = injury_post(
        world, visit_at=f"{THIS_YEAR}-03-05T09:00", reported_at=f"{THIS_YEAR}-03-05T08:00", confirm_warnings="on"
    )
    response = client.post(reverse("incidents:injury_create"), bad)
    assert response.status_code == 200 and "报告时间不能早于就诊时间" in response.content.decode()
    assert not InjuryRecord.objects.exists()


def test_imported_card_with_warnings_is_listed_and_confirmed_on_its_page(as_user, world):
    doubtful = InjuryRecordFactory(
        village=world.village1, injured_at=this_year(), cause="09", body_part="1", logic_warnings=["whole_body_part"]
    )
    InjuryRecordFactory(village=world.village1, injured_at=this_year())
    client = as_user("township1")
    response = client.get(reverse("incidents:injury_list"), {"warnings": "open"})
    assert doubtful.get_absolute_url() in response.content.decode() and len(response.context["table"].rows) == 1
    page = client.get(doubtful.get_absolute_url()).content.decode()
    assert "伤害部位一般为“全身广泛受伤”" in page and "confirm-warnings" in page
    assert as_user("member1").post(reverse("incidents:injury_confirm_warnings", args=[doubtful.pk])).status_code == 403
    response = as_user("township1").post(reverse("incidents:injury_confirm_warnings", args=[doubtful.pk]))
    assert response.status_code == 302
    doubtful.refresh_from_db()
    assert not doubtful.has_open_warnings
    assert (
        len(as_user("township1").get(reverse("incidents:injury_list"), {"warnings": "open"}).context["table"].rows) == 0
    )


def test_legacy_id_number_is_converted_with_a_message(as_user, world):
    client = as_user("township1")
    data = injury_post(
        world,
        id_number="110105491231002",
        sex="F",
        age="75",
        occupation="05",
        injured_at="2025-03-05T10:00",
        visit_at="",
    )
    response = client.post(reverse("incidents:injury_create"), data, follow=True)
    assert "15位旧身份证号已按GB 11643-1999转换为18位" in response.content.decode()
    assert InjuryRecord.objects.get().id_number == "11010519491231002X"


def test_reveal_shows_full_data_once_and_is_audited(as_user, world, injury):
    client = as_user("township1")
    page = client.get(reverse("incidents:injury_detail", args=[injury.pk])).content.decode()
    assert "王小明" not in page and injury.id_number not in page and "reveal-button" in page
    response = client.post(reverse("incidents:injury_reveal", args=[injury.pk]))
    page = response.content.decode()
    assert "王小明" in page and injury.id_number in page
    assert response["Cache-Control"] == "no-store"
    reveal = PersonalDataReveal.objects.get()
    assert reveal.user == world.users["township1"] and reveal.injury == injury
    page = as_user("member1").get(reverse("incidents:injury_detail", args=[injury.pk])).content.decode()
    assert "王小明" not in page and "reveal-button" not in page


def test_county_edits_rate_baselines(as_user, world):
    client = as_user("county")
    # The page is cached first: a baseline saved after it shows at once (baselines are versioned).
    assert "0.08" not in client.get(reverse("incidents:statistics"), {"area": world.township1.pk}).content.decode()
    response = client.post(
        reverse("incidents:baseline_create"),
        {
            "area": world.township1.pk,
            "year": THIS_YEAR,
            "population": "25000",
            "gdp": "12.5",
            "motor_vehicles": "9000",
            "employees": "3000",
            "target_gdp_death": "0.08",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("incidents:statistics"), {"area": world.township1.pk}).content.decode()
    assert "0.08" in page


# --- Statistics --------------------------------------------------------------------------------


def test_statistics_page_shows_change_and_breakdowns(as_user, world):
    IncidentFactory(
        village=world.village1,
        occurred_at=aware(2025, 3, 5),
        deaths=3,
        serious_injuries=1,
        minor_injuries=2,
        direct_loss=Decimal("15.5"),
    )
    IncidentFactory(village=world.village1, occurred_at=aware(2024, 3, 5), deaths=4)
    InjuryRecordFactory(village=world.village1, injured_at=aware(2025, 3, 5), age=70)
    client = as_user("township1")
    response = client.get(reverse("incidents:statistics"), {"year": 2025, "month": 3})
    page = response.content.decode()
    assert response.status_code == 200
    assert "下降25.0%" in page  # deaths 3 vs 4
    assert "跌倒/坠落" in page and "65岁及以上" in page
    assert 'id="chart-data"' in page and "echarts.min.js" in page
    assert "西关社区" in page  # a village without reports


def test_statistics_area_is_limited_to_the_users_scope(as_user, world):
    response = as_user("township1").get(reverse("incidents:statistics"), {"area": world.township2.pk})
    assert response.context["area"] == world.township1
    response = as_user("county").get(reverse("incidents:statistics"), {"area": world.township2.pk})
    assert response.context["area"] == world.township2


def test_statistics_query_count_does_not_grow_with_data(as_user, world, django_assert_max_num_queries):
    client = as_user("county")
    IncidentFactory(village=world.village1, occurred_at=this_year())
    InjuryRecordFactory(village=world.village1, injured_at=this_year())
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("incidents:statistics"))
    for i in range(30):
        IncidentFactory(village=world.villages1[i % 3], occurred_at=this_year(month=1 + i % 3), deaths=i % 2)
        InjuryRecordFactory(village=world.villages2[i % 2], injured_at=this_year(month=1 + i % 3), age=i * 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("incidents:statistics"))
    assert response.status_code == 200


def test_admin_shows_injury_records_without_personal_data_and_changes_nothing(client, world, django_user_model):
    from incidents.models import InjuryRecord

    from .factories import InjuryRecordFactory

    record = InjuryRecordFactory(village=world.village1, name="王小明", id_number="371799199001011236")
    superuser = django_user_model.objects.create_superuser("root", "root@example.invalid", "Root-pass-2026!")
    client.force_login(superuser)
    page = client.get(f"/admin/incidents/injuryrecord/{record.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "王小明" not in html and "371799199001011236" not in html
    response = client.post(f"/admin/incidents/injuryrecord/{record.pk}/change/", {"age": 1})
    assert response.status_code == 403
    assert InjuryRecord.objects.get(pk=record.pk).age == record.age


@pytest.mark.parametrize(
    "url_name", ["incidents:statistics", "incidents:incident_list", "incidents:injury_list", "incidents:baseline_list"]
)
def test_pages_cost_the_same_queries_for_more_townships_and_rows(
    client, world, django_assert_max_num_queries, url_name
):
    assert_same_queries_for_more_townships(client, world, django_assert_max_num_queries, reverse(url_name))
