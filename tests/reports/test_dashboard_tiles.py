"""Every dashboard tile opens a list of exactly the rows its number counts, for the township whose
dashboard it is (a county supervisor drilling into one township keeps that township), and a month
still running is compared over the same elapsed days."""

import datetime as dt
import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from safecommunity.periods import Period
from tests.committees.factories import ActionItemFactory, MeetingFactory
from tests.incidents.factories import InjuryRecordFactory, aware
from tests.inspections.factories import EntityFactory, GridFactory, HazardFactory

from .factories import incident


def _fill(world, villages, township, *, n):
    """``n``-dependent rows of every kind the tiles count, in one township, this year."""
    today = timezone.localdate()
    grid = GridFactory(village=villages[0])
    for i in range(n):
        day = 1 + i % today.day
        incident(villages[i % len(villages)], today.year, today.month, day, deaths=i % 2, minor=(i + 1) % 2)
        incident(villages[0], today.year, 1, 5, serious=1)  # January: in the year, not in the month
        InjuryRecordFactory(village=villages[0], injured_at=aware(today.year, today.month, day))
        entity = EntityFactory(grid=grid)
        HazardFactory(
            entity=entity,
            found_on=today - dt.timedelta(days=20),
            deadline=today - dt.timedelta(days=1),
            registered_by=world.users["admin"],
        )
        HazardFactory(entity=entity, found_on=today, registered_by=world.users["admin"])  # open, not overdue
        MeetingFactory(township=township, held_on=today)
        ActionItemFactory(township=township, due_on=today - dt.timedelta(days=3))
        ActionItemFactory(township=township, due_on=today + dt.timedelta(days=3))
    incident(villages[0], today.year - 1, today.month, 1, deaths=1)  # last year: counts nowhere here


def _tiles(html: str) -> dict[str, str]:
    return {key: url.replace("&amp;", "&") for url, key in re.findall(r'href="([^"]+)" data-tile="([^"]+)"', html)}


def _rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return list(response.context["filter"].qs)


@pytest.mark.parametrize("username,dashboard", [("county", "township"), ("township1", "own")])
def test_each_tile_lists_exactly_what_it_counts(client, world, username, dashboard, settings):
    settings.SC_KEPT_PAGES = False  # each list's filter is read from its context (kept pages have none)
    _fill(world, world.villages1, world.township1, n=4)
    _fill(world, world.villages2, world.township2, n=3)  # the other township never leaks into a tile
    client.force_login(world.users[username])
    url = (
        reverse("reports:dashboard_township", args=[world.township1.pk])
        if dashboard == "township"
        else reverse("reports:dashboard")
    )
    response = client.get(url)
    data, tiles = response.context["data"], _tiles(response.content.decode())
    ytd, month = data["ytd_stats"]["current"], data["month_stats"]["current"]
    assert ytd["incidents"] == 8 and month["incidents"] == 4 and ytd["deaths"] == 2  # the data is what we think
    assert len(_rows(client, tiles["ytd-incidents"])) == ytd["incidents"]
    assert sum(i.deaths for i in _rows(client, tiles["ytd-deaths"])) == ytd["deaths"]
    assert all(i.deaths for i in _rows(client, tiles["ytd-deaths"]))
    injured_rows = _rows(client, tiles["ytd-injured"])
    assert sum(i.injured for i in injured_rows) == ytd["injured"] and all(i.injured for i in injured_rows)
    assert sum(i.direct_loss for i in _rows(client, tiles["ytd-loss"])) == ytd["loss"]
    assert len(_rows(client, tiles["month-incidents"])) == month["incidents"]
    assert len(_rows(client, tiles["month-injuries"])) == month["injuries"] == 4
    assert len(_rows(client, tiles["hazards-found"])) == data["hazards"]["found"] == 8
    assert len(_rows(client, tiles["hazards-overdue"])) == data["hazards"]["overdue"] == 4
    assert len(_rows(client, tiles["meetings"])) == data["meetings"]["total"] == 4
    assert len(_rows(client, tiles["actions-overdue"])) == data["actions"]["overdue"] == 4
    assert len(_rows(client, tiles["inspections"])) == data["coverage"]["inspections_done"]
    assert {r.township_id for r in _rows(client, tiles["hazards-overdue"])} == {world.township1.pk}


def test_the_whole_county_dashboard_tiles_count_every_township(client, world):
    _fill(world, world.villages1, world.township1, n=2)
    _fill(world, world.villages2, world.township2, n=3)
    client.force_login(world.users["county"])
    response = client.get(reverse("reports:dashboard"))
    data, tiles = response.context["data"], _tiles(response.content.decode())
    assert len(_rows(client, tiles["hazards-overdue"])) == data["hazards"]["overdue"] == 5
    assert sum(i.deaths for i in _rows(client, tiles["ytd-deaths"])) == data["ytd_stats"]["current"]["deaths"] == 2


def test_a_month_still_running_is_compared_over_the_same_days():
    today = date(2026, 12, 2)
    month = Period.month(2026, 12).elapsed(today)
    assert month == Period(date(2026, 12, 1), date(2026, 12, 3))
    assert month.same_period_last_year() == Period(date(2025, 12, 1), date(2025, 12, 3))
    assert month.previous() == Period(date(2026, 11, 1), date(2026, 11, 3))
    ytd = Period.year_to_date(2026, 12).elapsed(today)
    assert ytd.same_period_last_year() == Period(date(2025, 1, 1), date(2025, 12, 3))
    assert Period.month(2026, 11).elapsed(today) == Period.month(2026, 11)  # ended: whole
    assert Period.month(2027, 1).elapsed(today) == Period.month(2027, 1)  # not begun: unchanged
    assert Period.month(2026, 3).elapsed(date(2026, 3, 31)) == Period.month(2026, 3)  # its last day: whole
    assert Period.month(2026, 3).elapsed(date(2026, 3, 30)).previous() == Period(date(2026, 2, 1), date(2026, 2, 28))


@time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_the_dashboard_compares_this_month_with_the_same_days_last_year(client, world):
    incident(world.village1, 2026, 12, 1, minor=1)
    incident(world.village1, 2025, 12, 2, minor=1)
    incident(world.village1, 2025, 12, 20, minor=1)  # after 2 December: not in the compared days
    client.force_login(world.users["township1"])
    response = client.get(reverse("reports:dashboard"))
    stats = response.context["data"]["month_stats"]
    assert stats["current"]["incidents"] == 1 and stats["last_year"]["incidents"] == 1
    assert stats["yoy_text"]["incidents"] == "持平"  # not 下降50.0% (1 against the whole December)
    assert stats["previous_period"] == Period(date(2026, 11, 1), date(2026, 11, 3))
    note = re.search(r'id="compare-note">([^<]+)<', response.content.decode()).group(1)
    assert "2026-12-01 – 2026-12-02" in note and "2025-12-01 – 2025-12-02" in note


@time_machine.travel(dt.datetime(2026, 12, 31, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_on_the_last_day_a_whole_month_is_compared_and_no_note_is_shown(client, world):
    incident(world.village1, 2025, 12, 20, minor=1)
    client.force_login(world.users["township1"])
    response = client.get(reverse("reports:dashboard"))
    assert response.context["data"]["month_stats"]["last_year"]["incidents"] == 1
    assert 'id="compare-note"' not in response.content.decode()


@time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_statistics_of_the_current_year_say_which_days_they_compare(client, world):
    incident(world.village1, 2025, 12, 20, minor=1)
    client.force_login(world.users["township1"])
    response = client.get(reverse("incidents:statistics"), {"year": 2026})
    html = response.content.decode()
    assert "去年同期：2025-01-01 – 2025-12-02" in html
    assert "2026年（截至12月2日）" in html or "2026-01-01" in html
    assert response.context["stats"]["last_year"]["incidents"] == 0  # 20 December 2025 is after the 2nd
    whole = client.get(reverse("incidents:statistics"), {"year": 2025}).context["stats"]
    assert whole["current"]["incidents"] == 1  # a year that has ended is compared whole
