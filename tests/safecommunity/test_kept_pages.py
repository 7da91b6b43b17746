"""Kept pages (``safecommunity.pages``, issue 12): a read page drawn once per state of what it
shows, then served from memory. Each test shows that a kept page still follows what it shows (a
write, a rename of a choice model, the language, the reader) and that each reader gets their own
navigation bar, messages and CSRF token."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import MemberUnit
from inspections.models import EntityKindOption
from reports import services as briefing_services
from reports.choices import RenderStatus
from reports.models import Briefing
from safecommunity import pages
from safecommunity.choices import Role
from safecommunity.services import user_create
from tests.committees.factories import CommitteeMemberFactory, MeetingFactory, MemberUnitFactory
from tests.conftest import PASSWORD
from tests.inspections.factories import EntityFactory, GridFactory

pytestmark = pytest.mark.django_db


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200
    tables = {m for q in captured.captured_queries for m in re.findall(r'FROM "(\w+)"', q["sql"])}
    return response.content.decode(), tables


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_kept_list_is_drawn_once_and_shows_a_new_row_at_once(as_user, world):
    MeetingFactory(township=world.township1, title="三月联席会议")
    client = as_user("township1")
    url = reverse("committees:meeting_list")
    first, tables = _get(client, url)
    assert "三月联席会议" in first and "committees_meeting" in tables
    again, tables = _get(client, url)
    assert tables == set()  # kept: no filter, table or count read; session and user from the cache
    assert again.count("三月联席会议") == first.count("三月联席会议")
    MeetingFactory(township=world.township1, title="四月联席会议")  # moves the township's version
    after, tables = _get(client, url)
    assert "四月联席会议" in after and "committees_meeting" in tables
    # Another township's staff never get township 1's kept page.
    other, _ = _get(as_user("township2"), url)
    assert "三月联席会议" not in other and "四月联席会议" not in other


def test_a_kept_page_has_each_requests_own_csrf_token_navigation_and_messages(world):
    url = reverse("committees:meeting_list")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["township1"])
    first, _ = _get(client, url)
    second, _ = _get(client, url)
    assert "scKept" not in second and "sc-kept" not in second and "scNavCsrf" not in second  # every placeholder filled
    assert _token(first) != _token(second)  # masked anew for each request, as Django does
    assert 'id="user-menu"' in second and "township1姓名" in second
    # The token of a kept page is this session's: the logout form of the page is accepted.
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": _token(second)})
    assert response.status_code == 302
    # A message waiting for the reader shows on the kept page once, then not again.
    client.force_login(world.users["township1"])
    _get(client, url)
    client.cookies["messages"] = CookieStorage(HttpRequest())._encode(
        [Message(constants.SUCCESS, "会议纪要已保存（测试）")]
    )
    shown, tables = _get(client, url)
    assert "会议纪要已保存（测试）" in shown and "committees_meeting" not in tables  # still the kept page
    later, _ = _get(client, url)
    assert "会议纪要已保存（测试）" not in later


def test_the_county_dashboard_is_drawn_once_for_its_readers_each_with_their_own_name(world):
    other = user_create(
        username="county_b", password=PASSWORD, role=Role.COUNTY_SUPERVISOR, area=world.county, full_name="县局乙姓名"
    )
    url = reverse("reports:dashboard")
    first_client, second_client = Client(), Client()
    first_client.force_login(world.users["county"])
    second_client.force_login(other)
    first, first_tables = _get(first_client, url)
    assert "incidents_incident" in first_tables or "incidents_monthlycount" in first_tables
    second, tables = _get(second_client, url)
    # The second supervisor's page is the first one's drawing: no figure read again …
    assert not {t for t in tables if t.startswith(("incidents_", "inspections_", "committees_"))}
    # … with their own name in the navigation bar.
    assert "县局乙姓名" in second and "county姓名" not in second
    assert "county姓名" in first and "县局乙姓名" not in first
    # In English the page is drawn in English (the language is in the key).
    english, _ = _get(second_client, url, HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="en"' in english and "Dashboard" in english


def test_a_kept_member_list_follows_a_renamed_unit_and_a_new_member(as_user, world):
    unit = MemberUnitFactory(township=world.township1, name="安监站")
    CommitteeMemberFactory(township=world.township1, unit=unit, name="王明")
    client = as_user("township1")
    url = reverse("committees:member_list")
    first, _ = _get(client, url)
    assert "安监站" in first and "王明" in first
    _get(client, url)
    unit.name = "应急管理办公室"
    unit.save()  # a unit's generation moves
    assert "应急管理办公室" in _get(client, url)[0]
    MemberUnit.objects.filter(pk=unit.pk).update(name="应急办")  # a bulk write
    assert "应急办" in _get(client, url)[0]
    CommitteeMemberFactory(township=world.township1, unit=unit, name="李华")
    assert "李华" in _get(client, url)[0]


def test_a_kept_entity_list_shows_a_renamed_kind_of_the_county(as_user, world):
    EntityKindOption.objects.create(county=world.county, code="zhuanye_kufang", name="专业库房")
    EntityFactory(grid=GridFactory(village=world.village1), name="城东库房", kind="zhuanye_kufang")
    client = as_user("township1")
    url = reverse("inspections:entity_list")
    first, _ = _get(client, url)
    assert "城东库房" in first and "专业库房" in first
    option = EntityKindOption.objects.get(code="zhuanye_kufang")
    option.name = "物流库房"
    option.save()
    renamed, _ = _get(client, url)
    assert "物流库房" in renamed and "专业库房" not in renamed


def test_a_kept_briefing_list_follows_the_workers_rendering(as_user, world):
    briefing, _ = briefing_services.briefing_generate(township=world.township1, year=2026, month=3)
    client = as_user("township1")
    url = reverse("reports:briefing_list")
    queued, _ = _get(client, url)
    assert str(RenderStatus(briefing.render_status).label) in queued
    # The worker's status change is a bulk update of the row (reports.services.briefing_render).
    Briefing.objects.filter(pk=briefing.pk).update(render_status=RenderStatus.FAILED)
    failed, _ = _get(client, url)
    assert str(RenderStatus.FAILED.label) in failed


def test_one_time_form_tokens_of_a_kept_page_are_new_for_each_request():
    request = HttpRequest()
    marks = pages.new_marks()
    setattr(request, pages.KEEPING, marks)
    drawn = pages.once_input(request) + pages.once_input(request)
    assert drawn.count(marks["once"]) == 2
    tokens = re.findall(r'value="([^"]+)"', pages._assemble_once(drawn, marks["once"]))
    assert len(tokens) == 2 and tokens[0] != tokens[1] and marks["once"] not in tokens
    assert pages.new_marks()["csrf"] != marks["csrf"]  # each drawing has placeholders of its own


def test_text_in_a_url_never_stands_for_a_placeholder(as_user, world, monkeypatch):
    """A placeholder is random for each drawing: even the placeholders of an earlier drawing, put
    in a query string, are shown as typed, and the reader's CSRF token is written nowhere but
    where the page puts it."""
    drawn = []
    new_marks = pages.new_marks
    monkeypatch.setattr(pages, "new_marks", lambda: drawn.append(new_marks()) or drawn[-1])
    client = as_user("township1")
    url = reverse("committees:meeting_list")
    page, _ = _get(client, url)
    token, earlier = _token(page), drawn[-1]
    for fake in (earlier["csrf"], earlier["once"]):
        crafted, _ = _get(client, url, data=None, QUERY_STRING=f"title={fake}")
        assert fake in crafted  # in the language form's "next", as typed
        assert crafted.count(_token(crafted)) == page.count(token)
    assert len(drawn) == 3  # each crafted page is a drawing of its own, with placeholders of its own
