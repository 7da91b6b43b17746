"""County-level records: the county owns meetings and activities beside its townships' rows;
township figures never count them, and scoping stays exact (tests/scope.py
``assert_county_row_access``)."""

from datetime import date

import pytest
from django.urls import reverse

from committees import selectors
from committees.choices import ActivityKind, MeetingKind
from committees.models import Activity, Meeting
from safecommunity.periods import Period
from safecommunity.permissions import EDIT_OWN_UNIT, READ_COMMITTEE_WORK
from tests.scope import assert_county_row_access

from .factories import ActivityFactory, MeetingFactory

YEAR = Period.year(2026)


@pytest.fixture
def county_meeting(world):
    return MeetingFactory(township=world.county, kind=MeetingKind.FIRE, title="区消防联席会议")


def test_township_figures_never_count_the_countys_own_rows(world, county_meeting):
    MeetingFactory(township=world.township1, kind=MeetingKind.FIRE)
    ActivityFactory(township=world.county, kind=ActivityKind.JOINT_ENFORCEMENT)
    townships = [world.township1.pk, world.township2.pk]
    assert selectors.meeting_statistics(townships=townships, period=YEAR)["by_kind"]["fire"] == 1
    assert selectors.activity_sums(townships=townships, period=YEAR)["count"] == 0
    own = [world.county.pk]
    assert selectors.meeting_statistics(townships=own, period=YEAR)["by_kind"]["fire"] == 1
    assert selectors.activity_sums(townships=own, period=YEAR)["by_kind"]["joint_enforcement"]["count"] == 1
    # in_county (the township roll-up of a county) leaves the county's own rows out too
    assert list(Meeting.objects.in_county(world.county).values_list("township_id", flat=True)) == [world.township1.pk]


def test_county_row_scope(client, world, county_meeting):
    activity = ActivityFactory(township=world.county, kind=ActivityKind.CRACKDOWN)
    for url in (
        reverse("committees:meeting_detail", args=[county_meeting.pk]),
        reverse("committees:activity_detail", args=[activity.pk]),
    ):
        assert_county_row_access(client, world, url, allowed={"county", "admin"}, roles=READ_COMMITTEE_WORK)
    for url in (
        reverse("committees:meeting_update", args=[county_meeting.pk]),
        reverse("committees:activity_update", args=[activity.pk]),
    ):
        assert_county_row_access(
            client, world, url, allowed={"county", "admin"}, roles=EDIT_OWN_UNIT, other_county=(403,)
        )


def test_county_office_creates_its_own_meeting_through_the_same_page(client, world):
    client.force_login(world.users["county"])
    page = client.get(reverse("committees:meeting_list"))
    assert reverse("committees:meeting_create") in page.content.decode()
    response = client.post(
        reverse("committees:meeting_create"),
        {"kind": "traffic", "title": "区道路交通联席会议", "held_on": "2026-03-05", "minutes": "部署春运"},
    )
    meeting = Meeting.objects.get(title="区道路交通联席会议")
    assert response.status_code == 302 and meeting.township_id == world.county.pk
    client.force_login(world.users["township1"])
    assert "区道路交通联席会议" not in client.get(reverse("committees:meeting_list")).content.decode()
    # the county office edits its own rows but never a township's (403, as before)
    township_row = MeetingFactory(township=world.township1)
    client.force_login(world.users["county"])
    assert client.get(reverse("committees:meeting_update", args=[township_row.pk])).status_code == 403
    assert client.get(reverse("committees:meeting_update", args=[meeting.pk])).status_code == 200


def test_county_activity_of_the_enforcement_kinds(client, world):
    client.force_login(world.users["admin"])
    response = client.post(
        reverse("committees:activity_create"),
        {
            "kind": "joint_enforcement",
            "title": "春季联合执法",
            "held_on": "2026-04-02",
            "participants": 30,
            "materials": 0,
        },
    )
    assert response.status_code == 302
    assert Activity.objects.get(title="春季联合执法").township == world.county
    assert date(2026, 4, 2) == Activity.objects.get(title="春季联合执法").held_on


def test_county_office_sets_up_its_own_promotion_committee(client, world):
    from committees.models import CommitteeMember, Community

    client.force_login(world.users["county"])
    response = client.post(
        reverse("committees:community_create"),
        {
            "name": "安宁县安全社区",
            "community_type": "urban",
            "stage": "build",
            "committee_name": "安宁县安全社区推进委员会",
        },
    )
    assert response.status_code == 302
    assert Community.objects.get(committee_name="安宁县安全社区推进委员会").township == world.county
    response = client.post(
        reverse("committees:member_create"), {"name": "王县长", "position": "chair", "in_office": "on"}
    )
    assert response.status_code == 302
    member = CommitteeMember.objects.get(name="王县长")
    assert member.township == world.county
    client.force_login(world.users["township1"])
    assert client.get(reverse("committees:member_update", args=[member.pk])).status_code == 404
    assert "王县长" not in client.get(reverse("committees:member_list")).content.decode()


def test_a_county_owned_hazard_is_the_countys_alone(client, world):
    from safecommunity.permissions import READ_LEDGERS
    from tests.inspections.factories import EntityFactory, GridFactory, HazardFactory

    entity = EntityFactory(grid=GridFactory(village=world.village1))
    hazard = HazardFactory(entity=entity, township=world.county, registered_by=world.users["county"])
    url = reverse("inspections:hazard_detail", args=[hazard.pk])
    assert_county_row_access(client, world, url, allowed={"county", "admin"}, roles=READ_LEDGERS)
