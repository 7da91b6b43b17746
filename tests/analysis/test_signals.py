"""Injury signals on synthetic data: a planted rise fires, a flat series does not; the committee
turns a signal into an agenda line, an action item and an intervention; the project page shows
the indicator before and after with the hand-computed interval."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from analysis import selectors, services
from analysis.choices import SignalStatus
from analysis.models import InjurySignal
from incidents.choices import Cause
from safecommunity.exceptions import ApplicationError

from ..committees.factories import CommitteeMemberFactory, MeetingFactory
from ..projects.factories import ProjectFactory
from .conftest import plant

AS_OF = date(2026, 12, 2)  # window: September–November 2026


def test_window_is_the_last_three_complete_months():
    w = selectors.signal_window(AS_OF)
    assert (w.start, w.end) == (date(2026, 9, 1), date(2026, 12, 1))
    assert selectors.signal_window(date(2026, 2, 15)).start == date(2025, 11, 1)


def test_planted_rise_in_a_village_raises_signals(baseline_history):
    world = baseline_history
    plant(world.villages1[0], 2026, 10, 12)  # 12 falls against 2 a year
    plant(world.villages1[1], 2026, 10, 2, cause=Cause.MOTOR_VEHICLE, age=30)
    created = services.signals_scan(township=world.township1, as_of=AS_OF)
    raised = {(s.dimension, s.key) for s in created}
    assert ("village", str(world.villages1[0].pk)) in raised
    assert ("cause", Cause.FALL) in raised
    assert ("age_band", "65+") in raised
    assert ("village", str(world.villages1[1].pk)) not in raised
    v = next(s for s in created if s.dimension == "village")
    assert (v.observed, v.baseline_total, v.baseline_years, float(v.expected)) == (12, 6, 3, 2.0)
    assert v.p_value <= v.threshold
    # idempotent: a second scan raises nothing new
    assert services.signals_scan(township=world.township1, as_of=AS_OF) == []
    assert InjurySignal.objects.filter(township=world.township1).count() == len(created)


def test_flat_series_raises_nothing(baseline_history):
    world = baseline_history
    plant(world.villages1[0], 2026, 10, 3)
    plant(world.villages1[1], 2026, 10, 2, cause=Cause.MOTOR_VEHICLE, age=30)
    assert services.signals_scan(township=world.township1, as_of=AS_OF) == []


def test_no_history_means_no_signal(world):
    plant(world.villages1[0], 2026, 10, 12)  # first year of reporting: no baseline
    assert services.signals_scan(township=world.township1, as_of=AS_OF) == []


@pytest.fixture
def signal(baseline_history):
    plant(baseline_history.villages1[0], 2026, 10, 12)
    created = services.signals_scan(township=baseline_history.township1, as_of=AS_OF)
    return next(s for s in created if s.dimension == "village")


def test_signal_becomes_agenda_action_item_and_project_intervention(signal, world):
    today = timezone.localdate()
    meeting = MeetingFactory(township=world.township1, held_on=today + timedelta(days=7), agenda="一、通报")
    member = CommitteeMemberFactory(township=world.township1)
    acted = services.signal_act(
        signal=signal,
        user=world.users["township1"],
        meeting=meeting,
        owner_member=member,
        due_on=today + timedelta(days=30),
        intervention="为东关社区独居老人家中加装扶手",
        intervention_end=today + timedelta(days=60),
        target_change="-0.300",
    )
    assert acted.status == SignalStatus.ACTED
    meeting.refresh_from_db()
    assert meeting.agenda.startswith("一、通报\n")
    assert "东关社区" in meeting.agenda.splitlines()[1]
    assert acted.action_item.meeting == meeting and acted.action_item.owner_member == member
    project = acted.project
    assert project.indicator_village == world.villages1[0]
    assert (project.baseline_start, project.baseline_end) == (date(2026, 9, 1), date(2026, 11, 30))
    assert (project.followup_start, project.followup_end) == (date(2027, 9, 1), date(2027, 11, 30))
    assert str(project.target_change) == "-0.300"
    assert acted.intervention.project == project
    with pytest.raises(ApplicationError):
        services.signal_dismiss(signal=acted, user=world.users["township1"], note="重复")


def test_act_refuses_a_past_meeting(signal, world):
    meeting = MeetingFactory(township=world.township1, held_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ApplicationError):
        services.signal_act(
            signal=signal,
            user=world.users["township1"],
            meeting=meeting,
            owner_member=CommitteeMemberFactory(township=world.township1),
            due_on=timezone.localdate(),
            intervention="x",
            intervention_end=timezone.localdate(),
            target_change="-0.2",
        )


def test_act_through_the_page(signal, world, as_user):
    today = timezone.localdate()
    meeting = MeetingFactory(township=world.township1, held_on=today + timedelta(days=3))
    member = CommitteeMemberFactory(township=world.township1)
    client = as_user("township1")
    url = reverse("analysis:signal_detail", args=[signal.pk])
    assert "act-form" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "meeting": meeting.pk,
            "owner_member": member.pk,
            "due_on": (today + timedelta(days=20)).isoformat(),
            "intervention": "入户排查防滑",
            "intervention_end": (today + timedelta(days=40)).isoformat(),
            "target_change": "-0.200",
            "project_domain": "elderly_falls",
        },
    )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ACTED and signal.project.domain == "elderly_falls"
    assert "act-form" not in client.get(url).content.decode()


def test_dismiss_needs_a_reason(signal, as_user):
    client = as_user("township1")
    url = reverse("analysis:signal_dismiss", args=[signal.pk])
    client.post(url, {"note": ""})
    signal.refresh_from_db()
    assert signal.status == SignalStatus.OPEN
    client.post(url, {"note": "重复录入，已核实"})
    signal.refresh_from_db()
    assert signal.status == SignalStatus.DISMISSED


def test_before_after_indicator_reproduces_hand_computed_values(world, as_user):
    """12 falls in 181 days (Jan–Jun 2025) before, 3 in 365 days (2026) after:
    RR = (3/365)/(12/181) = 0.124; Clopper–Pearson of 3/15 is (0.0433, 0.4809), so the interval is
    0.0433/0.9567 × 181/365 = 0.022 to 0.4809/0.5191 × 181/365 = 0.459."""
    v = world.villages1[0]
    for m in (1, 2, 3, 4, 5, 6):
        plant(v, 2025, m, 2)
    plant(v, 2026, 3, 3)
    plant(world.villages1[1], 2026, 3, 5)  # another village: not in the indicator
    project = ProjectFactory(
        township=world.township1,
        indicator_village=v,
        baseline_start=date(2025, 1, 1),
        baseline_end=date(2025, 6, 30),
        followup_start=date(2026, 1, 1),
        followup_end=date(2026, 12, 31),
        target_change="-0.500",
    )
    effect = selectors.indicator_effect(project)
    rr = effect["rr"]
    assert (effect["before"], effect["after"], effect["before_days"], effect["after_days"]) == (12, 3, 181, 365)
    assert rr.ratio == pytest.approx((3 / 365) / (12 / 181))
    assert round(rr.lower, 3) == round(0.0433 / 0.9567 * 181 / 365, 3) == 0.022
    assert round(rr.upper, 3) == round(0.48089 / 0.51911 * 181 / 365, 3) == 0.459
    assert effect["met"] is True and effect["significant_fall"]
    page = as_user("township1").get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert 'id="effect-ratio">0.12<' in page
    assert 'id="effect-ci">0.02–0.46<' in page
    # a member sees neither the small follow-up count nor the ratio it would give back
    page = as_user("member1").get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert 'id="indicator-followup">&lt;5<' in page
    assert "effect-ratio" not in page


def test_briefing_reports_signals_and_project_effects(signal, world):
    from django.template.loader import render_to_string

    from reports.selectors import briefing_sections

    project = ProjectFactory(
        township=world.township1,
        indicator_village=world.villages1[0],
        baseline_start=date(2025, 9, 1),
        baseline_end=date(2025, 11, 30),
        followup_start=date(2026, 9, 1),
        followup_end=date(2026, 11, 30),
        target_change="-0.200",
    )
    snapshot = briefing_sections(township=world.township1, year=2026, month=11, today=AS_OF)
    a = snapshot["analysis"]
    assert any(r["label"] == world.villages1[0].name and r["ratio"] == "6.0" for r in a["signals"])
    (effect,) = [e for e in a["effects"] if e["project"] == project.name]
    # 2 cases in Sep–Nov 2025 (91 days), 12 in Sep–Nov 2026 (91 days): RR = 6
    assert effect["ratio"] == "6.00" and effect["met"] is False
    html = render_to_string("analysis/pdf/_briefing_section.html", {"a": a})
    assert "briefing-signals" in html and "6.00" in html
