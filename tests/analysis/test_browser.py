"""The committee's loop in Chromium: township staff open a signal, put it on the next meeting's
agenda with an intervention, and find the new project; the places page draws the grid map."""

import datetime as dt

import pytest
from django.utils import timezone

from analysis import services
from analysis.models import InjurySignal

from ..committees.factories import CommitteeMemberFactory, MeetingFactory
from ..inspections.factories import GridFactory
from .conftest import plant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_turn_a_signal_into_an_intervention(page, live_server, browser_login, baseline_history):
    world = baseline_history
    plant(world.villages1[0], 2026, 10, 12)
    signal = next(
        s
        for s in services.signals_scan(township=world.township1, as_of=dt.date(2026, 12, 2))
        if s.dimension == "village"
    )
    today = timezone.localdate()
    MeetingFactory(township=world.township1, title="下月创安联席会议", held_on=today + dt.timedelta(days=5))
    CommitteeMemberFactory(township=world.township1, name="李主任")
    box = {"type": "Polygon", "coordinates": [[[115.4, 35.2], [115.41, 35.2], [115.41, 35.21], [115.4, 35.2]]]}
    GridFactory(village=world.village1, name="东关一网格", boundary=box)
    browser_login(page, "township1")
    page.goto(f"{live_server.url}/analysis/signals/")
    page.click(f'#signal-table tr[data-signal="{signal.pk}"] a')
    page.select_option("#id_meeting", label=page.locator("#id_meeting option").nth(1).inner_text())
    page.select_option("#id_owner_member", index=1)
    page.fill("#id_due_on", (today + dt.timedelta(days=20)).isoformat())
    page.fill("#id_intervention", "独居老人家中加装扶手")
    page.fill("#id_intervention_end", (today + dt.timedelta(days=40)).isoformat())
    page.click("#act-button")
    page.wait_for_selector("#signal-project")
    assert "已列入议程" in page.inner_text("#signal-status")
    page.click("#signal-project")
    page.wait_for_selector("#indicator")
    assert InjurySignal.objects.get(pk=signal.pk).project.interventions.count() == 1
    page.goto(f"{live_server.url}/analysis/places/")
    page.wait_for_selector('#grid-map[data-rendered="1"]')
