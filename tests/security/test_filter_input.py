"""Issue 13: bad filter input never gives a server error. Each page answers with its form's
error (in Chinese) and an empty or unfiltered list (OWASP ASVS 5.1.3, 7.4.1)."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.incidents.factories import InjuryRecordFactory

# Every page of the portal that reads its query string: the filtered lists, the statistics,
# the dashboards and the plain lists (pagination and sorting).
FILTER_PAGES = [
    "incidents:incident_list",
    "incidents:injury_list",
    "incidents:statistics",
    "incidents:baseline_list",
    "committees:action_list",
    "committees:action_mine",
    "committees:activity_list",
    "committees:agreement_list",
    "committees:group_list",
    "committees:localrole_list",
    "committees:meeting_list",
    "committees:member_list",
    "committees:survey_list",
    "committees:team_list",
    "projects:project_list",
    "projects:intervention_list",
    "projects:evidence_list",
    "projects:evidence_coverage",
    "inspections:entity_list",
    "inspections:inspection_list",
    "inspections:hazard_list",
    "inspections:grid_list",
    "reports:briefing_list",
    "reports:dashboard",
    "reports:round_list",
    "reports:download_list",
    "area_list",
    "audit",
]
COMMON_KEYS = [
    "year",
    "month",
    "start",
    "end",
    "area",
    "township",
    "village",
    "page",
    "sort",
    "q",
    "status",
    "since",
    "until",
    "grid",
]
NASTY = [
    "",
    "all",
    "abc",
    "999999",
    "-1",
    "0",
    "1",
    "99999999999",
    "1e400",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "true",
    "None",
    "'",
    "%",
    "\\",
    "<script>",
    "１２",
    "二〇二六",
]


def filter_keys(name):
    from django.urls import resolve

    view_class = getattr(resolve(reverse(name)).func, "view_class", None)
    filterset = getattr(view_class, "filterset_class", None)
    return sorted(set(COMMON_KEYS) | set(filterset.base_filters if filterset else ()))


def values():
    return st.one_of(
        st.sampled_from(NASTY),
        st.integers(min_value=-(10**15), max_value=10**15).map(str),
        st.dates().map(lambda d: d.isoformat()),
        st.text(max_size=12),
    )


@pytest.mark.parametrize("name", FILTER_PAGES)
def test_no_filter_input_gives_a_server_error(client, world, name):
    InjuryRecordFactory(village=world.village1)
    keys = filter_keys(name)
    url = reverse(name)

    @settings(
        max_examples=8,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        username=st.sampled_from(["township1", "county", "admin", "inspector1"]),
        params=st.dictionaries(st.sampled_from(keys), values(), min_size=1, max_size=4),
    )
    def check(username, params):
        client.force_login(world.users[username])
        response = client.get(url, params)
        assert response.status_code < 500, (url, params)

    check()


@pytest.mark.parametrize("name", ["incidents:incident_list", "incidents:injury_list"])
@pytest.mark.parametrize(
    "params, message",
    [
        ({"village": "999999"}, "选择一个有效的选项"),
        ({"year": "abc"}, "选择一个有效的选项"),
        ({"year": "99999999999"}, "选择一个有效的选项"),
        ({"year": "1", "month": "1"}, "选择一个有效的选项"),
        ({"start": "notadate"}, "输入一个有效的日期"),
        ({"end": "9999-12-31"}, "日期应在1900-01-01至2999-12-31之间"),
        ({"month": "13"}, "选择一个有效的选项"),
    ],
)
def test_invalid_list_filter_shows_the_forms_chinese_error_and_no_rows(as_user, world, name, params, message):
    InjuryRecordFactory(village=world.village1)
    response = as_user("township1").get(reverse(name), params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(response.context["table"].rows) == 0


@pytest.mark.parametrize(
    "params", [{"year": "1", "month": "1"}, {"year": "99999999999"}, {"year": "abc"}, {"month": "13"}]
)
def test_invalid_statistics_period_shows_an_error_and_the_current_year(as_user, world, params):
    response = as_user("county").get(reverse("incidents:statistics"), params)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="statistics-errors"' in page
    assert ("年度应在1990至" in page) or ("月份应为1至12" in page)
    assert response.context["month"] == 0


def test_statistics_error_is_in_english_for_an_english_browser(as_user, world):
    response = as_user("county").get(reverse("incidents:statistics"), {"year": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "The year must be between 1990 and" in response.content.decode()
