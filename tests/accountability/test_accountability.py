"""Leaders' accountability: the check-in schedule per rank (县级每月一次, 科级每半月一次), the
county's figures, and the pages (scope matrix, query ceilings)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accountability.choices import IssuanceKind, Rank
from accountability.models import Issuance, Leader, OfficialInspection, Visit
from accountability.selectors import county_figures, period_of, visit_schedule
from accountability.services import issuance_record, leader_save, official_inspection_record, visit_record
from safecommunity.exceptions import ApplicationError
from tests.query_ceilings import assert_same_queries_for_more_townships
from tests.scope import assert_access, assert_not_listed

READERS = {"township1", "member1", "county", "admin"}
OFFICE = {"county", "admin"}


def leader(world, name, rank, areas=None, **extra):
    return leader_save(
        user=world.users["county"],
        name=name,
        position="副县长" if rank == Rank.COUNTY else "安监局副局长",
        rank=rank,
        duty_areas=areas if areas is not None else [world.township1],
        **extra,
    )


def visit(world, who, day, area=None):
    return visit_record(
        user=world.users["county"], leader=who, area=area or world.village1, visited_on=day, findings="检查消防通道"
    )


def test_half_month_and_month_periods():
    assert period_of("month", dt.date(2026, 2, 20)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert period_of("half_month", dt.date(2026, 2, 15)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 15))
    assert period_of("half_month", dt.date(2026, 2, 16)) == (dt.date(2026, 2, 16), dt.date(2026, 2, 28))


def test_schedule_shows_who_is_behind_by_the_frequency_of_their_rank(world):
    county_leader = leader(world, "张县长", Rank.COUNTY)
    section_leader = leader(world, "李科长", Rank.SECTION)
    idle = leader(world, "王科长", Rank.SECTION)
    leader(world, "离任", Rank.COUNTY, is_active=False)
    today = dt.date(2026, 3, 20)
    visit(world, county_leader, dt.date(2026, 3, 2))  # this month: done for a 县级 leader
    visit(world, section_leader, dt.date(2026, 3, 10))  # first half of March: not this half month
    visit(world, section_leader, dt.date(2026, 1, 5))
    visit(world, idle, dt.date(2026, 3, 21))  # after today: not counted
    rows = {r.leader.name: r for r in visit_schedule(leaders=Leader.objects.all(), today=today)}
    assert set(rows) == {"张县长", "李科长", "王科长"}
    assert not rows["张县长"].behind and rows["张县长"].visits_this_period == 1
    # The 县级 leader missed February (January had none either): two of the finished months.
    assert (rows["张县长"].missed_periods, rows["张县长"].required_periods) == (2, 3)
    assert rows["李科长"].behind and rows["李科长"].period_start == dt.date(2026, 3, 16)
    # Five finished half months (Jan 1–15 … Mar 1–15); visits in two of them.
    assert (rows["李科长"].missed_periods, rows["李科长"].required_periods) == (3, 6)
    assert rows["李科长"].last_visit == dt.date(2026, 3, 10)
    assert rows["王科长"].behind and rows["王科长"].last_visit is None
    ordered = [r.leader.name for r in visit_schedule(leaders=Leader.objects.all(), today=today)]
    assert ordered.index("张县长") == 2  # the ones behind come first


def test_county_figures_count_visits_inspections_manuals_and_letters(world):
    county_leader = leader(world, "张县长", Rank.COUNTY)
    section_leader = leader(world, "李科长", Rank.SECTION)
    for day in (dt.date(2012, 3, 1), dt.date(2012, 4, 1)):
        visit(world, county_leader, day)
    visit(world, section_leader, dt.date(2012, 5, 1))
    visit(world, section_leader, dt.date(2013, 1, 1))  # outside the period
    official_inspection_record(
        user=world.users["county"],
        inspector=county_leader,
        inspected_on=dt.date(2012, 6, 1),
        area=world.township1,
        inspected_unit="城关街道安监办",
        inspected_official="安监办主任",
        findings="隐患台账未及时更新",
    )
    office = world.users["county"]
    for kind, issued, signed in (
        (IssuanceKind.GOVERNMENT_MANUAL, 870, 0),
        (IssuanceKind.ENTERPRISE_MANUAL, 1000, 0),
        (IssuanceKind.ENTERPRISE_MANUAL, 236, 0),
        (IssuanceKind.RESPONSIBILITY_LETTER, 120, 118),
    ):
        issuance_record(
            user=office,
            kind=kind,
            issued_on=dt.date(2012, 2, 1),
            recipients="各单位",
            issued_count=issued,
            signed_count=signed,
        )
    figures = county_figures(county=world.county, start=dt.date(2012, 1, 1), end=dt.date(2012, 12, 31))
    assert figures["visits"] == 3 and figures["visits_by_rank"] == {"county": 2, "section": 1}
    assert figures["visiting_leaders"] == 2 and figures["official_inspections"] == 1
    assert figures["manuals"] == {"government": 870, "enterprise": 1236}
    assert figures["letters"] == {"issued": 120, "signed": 118}
    other = county_figures(county=world.other_county, start=dt.date(2012, 1, 1), end=dt.date(2012, 12, 31))
    assert other["visits"] == 0 and other["manuals"] == {"government": 0, "enterprise": 0}


def test_services_refuse_other_counties_and_township_roles(world):
    with pytest.raises(PermissionDenied):
        leader_save(user=world.users["township1"], name="某", position="镇长", rank=Rank.SECTION)
    with pytest.raises(ApplicationError):  # a duty area of another county
        leader_save(
            user=world.users["county"],
            name="某",
            position="副县长",
            rank=Rank.COUNTY,
            duty_areas=[world.other_township],
        )
    mine = leader(world, "张县长", Rank.COUNTY)
    foreign = leader_save(user=world.users["othercounty"], name="邻县长", position="县长", rank=Rank.COUNTY)
    with pytest.raises(ApplicationError):
        visit(world, foreign, dt.date(2026, 3, 1))
    with pytest.raises(ValidationError):
        issuance_record(
            user=world.users["county"],
            kind=IssuanceKind.RESPONSIBILITY_LETTER,
            issued_on=dt.date(2026, 1, 1),
            recipients="企业",
            issued_count=5,
            signed_count=6,
        )
    assert visit(world, mine, dt.date(2026, 3, 1)).county == world.county


def _rows(world, n):
    who = leader(world, f"领导{Leader.objects.count()}", Rank.SECTION, areas=[world.township1, world.village1])
    for i in range(n):
        visit(world, who, dt.date(2026, 1, 1) + dt.timedelta(days=i))
        official_inspection_record(
            user=world.users["county"],
            inspector=who,
            inspected_on=dt.date(2026, 1, 1),
            area=world.township1,
            inspected_unit="城关街道",
            inspected_official="主任",
            findings="台账不全",
        )
        issuance_record(
            user=world.users["county"],
            kind=IssuanceKind.GOVERNMENT_MANUAL,
            issued_on=dt.date(2026, 1, 1),
            area=world.township1,
            recipients="村",
            issued_count=10,
        )
        leader(world, f"科长{Leader.objects.count()}", Rank.SECTION, areas=[world.township1, world.villages1[1]])


def test_pages_scope_matrix_and_what_a_township_sees(client, world):
    _rows(world, 1)
    for name in ("schedule", "leader_list", "visit_list", "official_inspection_list", "issuance_list"):
        assert_access(client, world, reverse(f"accountability:{name}"), allowed=READERS, object_url=False)
    for name in ("leader_create", "visit_create", "official_inspection_create", "issuance_create"):
        assert_access(client, world, reverse(f"accountability:{name}"), allowed=OFFICE, object_url=False)
    mine = Leader.objects.first()
    assert_access(client, world, reverse("accountability:leader_update", args=[mine.pk]), allowed=OFFICE)
    # A leader whose duty areas lie in township 2 is not shown to township 1, and vice versa.
    leader(world, "青山联系领导", Rank.COUNTY, areas=[world.township2])
    assert_not_listed(client, world.users["township1"], reverse("accountability:leader_list"), "青山联系领导")
    assert_not_listed(client, world.users["township2"], reverse("accountability:visit_list"), "检查消防通道")
    client.force_login(world.users["township2"])
    assert "青山联系领导" in client.get(reverse("accountability:schedule")).content.decode()


def test_county_records_a_visit_and_the_schedule_shows_it(as_user, world, tmp_path):
    from tests.inspections.factories import jpeg_upload

    who = leader(world, "张县长", Rank.COUNTY)
    client = as_user("county")
    page = client.get(reverse("accountability:schedule")).content.decode()
    assert "张县长" in page and "未完成" in page
    response = client.post(
        reverse("accountability:visit_create"),
        {
            "leader": who.pk,
            "visited_on": dt.date.today().isoformat(),
            "area": world.village1.pk,
            "findings": "检查村级消防站",
            "photo": jpeg_upload(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Visit.objects.get()
    assert saved.photo.name.endswith(".jpg") and saved.recorded_by == world.users["county"]
    page = client.get(reverse("accountability:schedule")).content.decode()
    assert "已完成" in page and "本期有0名" in page


@pytest.mark.parametrize(
    "name,ceiling",
    [
        ("schedule", 12),
        ("leader_list", 14),
        ("visit_list", 14),
        ("official_inspection_list", 14),
        ("issuance_list", 14),
    ],
)
def test_query_count_does_not_grow_with_rows(as_user, world, django_assert_max_num_queries, name, ceiling):
    for username in ("county", "township1"):
        client = as_user(username)
        _rows(world, 2)
        with django_assert_max_num_queries(ceiling):
            assert client.get(reverse(f"accountability:{name}")).status_code == 200
        _rows(world, 10)
        with django_assert_max_num_queries(ceiling):
            assert client.get(reverse(f"accountability:{name}")).status_code == 200
    assert Issuance.objects.exists() and OfficialInspection.objects.exists()


@pytest.mark.parametrize(
    "url_name",
    [
        "accountability:schedule",
        "accountability:leader_list",
        "accountability:visit_list",
        "accountability:official_inspection_list",
        "accountability:issuance_list",
    ],
)
def test_pages_cost_the_same_queries_for_more_townships_and_rows(
    client, world, django_assert_max_num_queries, url_name
):
    assert_same_queries_for_more_townships(client, world, django_assert_max_num_queries, reverse(url_name))
