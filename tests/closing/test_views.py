"""Pages of the monthly close: the access matrix (another township's month is a 404) and the
query ceiling of the list of months at two sizes."""

import pytest
from django.urls import reverse

from closing.choices import CloseStatus
from closing.models import Correction, MonthClose
from tests.query_ceilings import assert_same_queries_for_more_townships
from tests.scope import assert_access

READERS = {"township1", "member1", "county", "admin"}


def _close(world, month=3, status=CloseStatus.SUBMITTED):
    return MonthClose.objects.create(
        township=world.township1,
        year=2026,
        month=month,
        status=status,
        as_of=f"2026-{month:02d}-28",
        figures_sha256="0" * 64,
        submitted_at="2026-04-02T09:00:00+08:00",
        submitted_by=world.users["township1"],
        snapshot={"figures": {"incidents": 0}},
    )


def test_month_pages_follow_the_access_matrix(client, world):
    close = _close(world)
    assert_access(client, world, reverse("closing:month_list"), allowed=READERS, object_url=False)
    assert_access(client, world, reverse("closing:month_detail", args=[close.pk]), allowed=READERS)
    assert_access(
        client, world, reverse("closing:month_submit") + "?month=2026-03", allowed={"township1"}, object_url=False
    )
    correction = Correction.objects.create(
        township=world.township1,
        close=close,
        record_type="incidents.Incident",
        record_label="事故",
        record_date="2026-03-05",
        service="incidents.services.incident_update",
        changes=[],
    )
    assert_access(client, world, reverse("closing:correction_detail", args=[correction.pk]), allowed=READERS)
    assert_access(
        client,
        world,
        reverse("closing:month_return", args=[close.pk]),
        allowed={"county"},
        method="post",
        data={"reason": "缺报"},
        ok_status=(302,),
    )
    close.refresh_from_db()
    assert close.status == CloseStatus.RETURNED and close.return_reason == "缺报"


def test_the_submit_page_lists_what_is_missing_and_submits(as_user, world):
    client = as_user("township1")
    page = client.get(reverse("closing:month_submit"), {"month": "2026-03"}).content.decode()
    assert "缺项提示" in page and world.village1.name in page
    response = client.post(reverse("closing:month_submit"), {"month": "2026-03"})
    close = MonthClose.objects.get()
    assert response.status_code == 302 and response["Location"] == close.get_absolute_url()
    assert "待审核" in client.get(close.get_absolute_url()).content.decode()


@pytest.mark.parametrize("n", [2, 12])
def test_the_list_of_months_costs_the_same_queries_for_more_months(client, world, n, django_assert_max_num_queries):
    for month in range(1, n + 1):
        _close(world, month=month)
    client.force_login(world.users["county"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("closing:month_list"))
    assert response.status_code == 200 and response.content.decode().count("2026-") >= n


def test_the_county_package_request_from_the_list_lands_in_the_download_centre(client, world, settings):
    client.force_login(world.users["county"])
    assert "全县" in client.get(reverse("closing:month_list")).content.decode()
    response = client.post(reverse("closing:package_request"), {"month": "2026-03"})
    assert response.status_code == 302 and response["Location"] == reverse("reports:download_list")
    page = client.get(reverse("reports:download_list")).content.decode()
    assert "月末资料包" in page and "安宁县" in page


@pytest.mark.parametrize("url_name", ["closing:month_list"])
def test_pages_cost_the_same_queries_for_more_townships_and_rows(
    client, world, django_assert_max_num_queries, url_name
):
    assert_same_queries_for_more_townships(client, world, django_assert_max_num_queries, reverse(url_name))
