"""493号令: the 1-hour report (article 9), 补报 of casualty changes within 30 days, 7 for road
traffic and fire (article 13), 急性工业中毒 counted among the serious injuries (article 3)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from incidents import selectors
from incidents.choices import AccidentType, Domain
from incidents.models import CasualtyRevision
from incidents.services import incident_register, incident_update
from safecommunity.periods import Period
from tests.incidents.factories import aware

OCCURRED = aware(2025, 3, 5, 14, 0)


def register(world, **extra):
    data = dict(
        occurred_at=OCCURRED,
        village=world.village1,
        domain=Domain.INDUSTRY,
        accident_type=AccidentType.MACHINERY,
        deaths=0,
        serious_injuries=1,
        minor_injuries=0,
        direct_loss=Decimal("2"),
    )
    data.update(extra)
    return incident_register(township=world.township1, user=world.users["township1"], **data)


def test_report_within_one_hour_is_on_time_and_later_is_flagged(world):
    assert not register(world, reported_at=OCCURRED + timedelta(minutes=60)).report_late
    assert register(world, reported_at=OCCURRED + timedelta(minutes=61)).report_late
    assert not register(world).report_late  # not recorded: nothing to judge
    with pytest.raises(ValidationError) as exc:
        register(world, reported_at=OCCURRED - timedelta(minutes=1))
    assert "reported_at" in exc.value.message_dict


@pytest.mark.parametrize(("domain", "days"), [(Domain.INDUSTRY, 30), (Domain.ROAD, 7), (Domain.FIRE, 7)])
def test_casualty_revision_is_supplementary_within_the_window_and_late_after(world, domain, days):
    incident = register(world, domain=domain)
    assert incident.revision_window_days == days
    user = world.users["township1"]
    incident_update(incident=incident, user=user, reason="伤者转重伤", serious_injuries=2)
    first = CasualtyRevision.objects.get()
    CasualtyRevision.objects.filter(pk=first.pk).update(revised_at=OCCURRED + timedelta(days=days, minutes=-1))
    first.refresh_from_db()
    assert first.is_supplementary and not first.is_late
    CasualtyRevision.objects.filter(pk=first.pk).update(revised_at=OCCURRED + timedelta(days=days, minutes=1))
    first.refresh_from_db()
    assert first.is_late and not first.is_supplementary


def test_a_loss_only_revision_is_neither(world):
    incident = register(world)
    incident_update(incident=incident, user=world.users["township1"], direct_loss=Decimal("3"))
    revision = CasualtyRevision.objects.get()
    assert not revision.is_supplementary and not revision.is_late


def test_incident_page_shows_the_report_delay_and_late_revisions(as_user, world):
    incident = register(world, domain=Domain.ROAD, reported_at=OCCURRED + timedelta(hours=3))
    incident_update(incident=incident, user=world.users["township1"], deaths=1)
    page = as_user("township1").get(reverse("incidents:incident_detail", args=[incident.pk])).content.decode()
    assert "report-late" in page and "超过1小时上报" in page
    assert "超过补报期限" in page  # revised now, long after the 7 days of a road accident
    assert "事故发生之日起7日内" in page


def test_acute_poisonings_are_counted_and_part_of_the_serious_injuries(world):
    register(world, accident_type=AccidentType.POISONING, serious_injuries=3, acute_poisonings=2)
    stats = selectors.incident_statistics(townships=[world.township1], period=Period.year(2025))
    assert (stats["serious"], stats["poisoned"], stats["injured"]) == (3, 2, 3)
    with pytest.raises(ValidationError) as exc:
        register(world, serious_injuries=1, acute_poisonings=2)
    assert "acute_poisonings" in exc.value.message_dict


def test_new_domains_are_offered():
    assert {Domain.RAILWAY.label, Domain.AVIATION.label, Domain.FISHING.label} == {"铁路交通", "民航", "渔业船舶"}
