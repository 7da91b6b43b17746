"""The monthly close: submit → return → resubmit → approve → an edit of the locked month needs
the county's approval (page, import, API, service), and figures say whether they are approved."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from closing import services, signals
from closing.choices import CloseStatus, CorrectionStatus
from closing.lock import MonthLockedError
from closing.models import Correction
from closing.selectors import briefing_approval, month_figures
from incidents import services as incident_services
from incidents.models import Incident
from safecommunity.exceptions import ApplicationError
from safecommunity.records import run_import
from tests.api.test_writes import incident_payload
from tests.incidents.factories import IncidentFactory, aware
from tests.incidents.test_records import INCIDENT_HEADERS, csv_bytes
from tests.incidents.test_views import incident_post

YEAR, MONTH = 2026, 3


@pytest.fixture
def sent():
    received = []

    def record(signal):
        def handler(sender, **kwargs):
            received.append((signal, kwargs))

        return handler

    handlers = {
        s: record(n)
        for n, s in [
            ("submitted", signals.month_submitted),
            ("returned", signals.month_returned),
            ("approved", signals.month_approved),
            ("correction_requested", signals.correction_requested),
            ("correction_decided", signals.correction_decided),
        ]
    }
    for s, h in handlers.items():
        s.connect(h)
    yield received
    for s, h in handlers.items():
        s.disconnect(h)


def _approved(world, capture):
    township, county = world.users["township1"], world.users["county"]
    with capture(execute=True):
        close = services.month_submit(township=world.township1, year=YEAR, month=MONTH, user=township)
        services.month_approve(close=close, user=county)
    close.refresh_from_db()
    return close


def test_submit_return_resubmit_approve_then_a_locked_edit_needs_the_countys_approval(
    client, world, sent, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    township, county = world.users["township1"], world.users["county"]
    incident = IncidentFactory(village=world.village1, occurred_at=aware(YEAR, MONTH, 5), deaths=1, minor_injuries=2)
    with capture(execute=True):
        close = services.month_submit(township=world.township1, year=YEAR, month=MONTH, user=township)
    assert close.status == CloseStatus.SUBMITTED
    assert close.snapshot["figures"]["incidents"] == 1 and close.snapshot["figures"]["deaths"] == 1
    assert len(close.figures_sha256) == 64 and close.data_versions
    checklist = {c["key"]: c for c in close.checklist}
    assert checklist["villages"]["count"] >= 1 and world.village1.name not in checklist["villages"]["items"]
    with pytest.raises(ApplicationError):  # a submitted month waits for the county
        services.month_submit(township=world.township1, year=YEAR, month=MONTH, user=township)
    with pytest.raises(PermissionDenied):  # another county's supervisor
        services.month_approve(close=close, user=world.users["othercounty"])
    with pytest.raises(Exception, match="退回"):
        services.month_return(close=close, user=county, reason=" ")
    with capture(execute=True):
        services.month_return(close=close, user=county, reason="东关村伤害报告缺失")
    close.refresh_from_db()
    assert close.status == CloseStatus.RETURNED and close.return_reason == "东关村伤害报告缺失"

    # The township adds the missing record and resubmits; the county approves the new figures.
    IncidentFactory(village=world.village1, occurred_at=aware(YEAR, MONTH, 20), minor_injuries=1)
    with capture(execute=True):
        close = services.month_submit(township=world.township1, year=YEAR, month=MONTH, user=township)
        services.month_approve(close=close, user=county)
    close.refresh_from_db()
    assert close.status == CloseStatus.APPROVED and close.snapshot["figures"]["incidents"] == 2
    assert [e.action for e in close.events.all()] == ["submit", "return", "submit", "approve"]
    kinds = [s for s, _kw in sent]
    assert kinds == ["submitted", "returned", "submitted", "approved"]
    assert sent[1][1]["reason"] == "东关村伤害报告缺失" and sent[1][1]["month"] == "2026-03"
    assert sent[1][1]["township"] == world.township1 and sent[1][1]["actor"] == county

    # Locked: the edit page turns the edit into a correction; the record is unchanged.
    client.force_login(township)
    data = incident_post(world, occurred_at="2026-03-05T10:00", deaths="2", revision_reason="补报")
    with capture(execute=True):
        response = client.post(reverse("incidents:incident_update", args=[incident.pk]), data)
    correction = Correction.objects.get()
    assert response.status_code == 302 and response["Location"] == correction.get_absolute_url()
    incident.refresh_from_db()
    assert incident.deaths == 1
    changes = {c["field"]: (c["before"], c["after"]) for c in correction.changes}
    assert changes["deaths"] == ("1", "2")
    page = client.get(correction.get_absolute_url()).content.decode()
    assert "修改前" in page and "待审核" in page
    # The service refuses whatever the door: a direct call, a new record dated in the month.
    with pytest.raises(MonthLockedError):
        incident_services.incident_update(incident=incident, user=township, deaths=5)
    with pytest.raises(MonthLockedError):
        incident_services.incident_register(township=world.township1, occurred_at=aware(YEAR, MONTH, 9), deaths=0)

    # The county approves: applied through incident_update, the approved figures follow.
    with capture(execute=True):
        services.correction_approve(correction=correction, user=county, reason="核实无误")
    incident.refresh_from_db()
    correction.refresh_from_db()
    close.refresh_from_db()
    assert incident.deaths == 2 and incident.revisions.get().reason == "补报"
    assert correction.status == CorrectionStatus.APPROVED
    assert close.snapshot["figures"]["deaths"] == 2
    assert month_figures(township=world.township1, year=YEAR, month=MONTH) == close.snapshot["figures"]
    assert [s for s, _kw in sent][-2:] == ["correction_requested", "correction_decided"]
    # Another month stays open.
    incident_services.incident_update(
        incident=IncidentFactory(village=world.village1, occurred_at=aware(YEAR, 4, 2)), user=township, deaths=1
    )


def test_an_import_row_and_an_api_write_into_an_approved_month_are_refused_with_the_reason(
    client, world, django_capture_on_commit_callbacks
):
    from api.services import api_token_create

    _approved(world, django_capture_on_commit_callbacks)
    row = [
        "2026-03-08 09:00",
        world.village1.name,
        "南街",
        "道路交通",
        "车辆伤害",
        0,
        0,
        1,
        0.5,
        "追尾",
        "公安交警",
        "",
        "",
        0,
    ]
    ok = [
        "2026-04-08 09:00",
        world.village1.name,
        "北街",
        "道路交通",
        "车辆伤害",
        0,
        0,
        1,
        0.5,
        "追尾",
        "公安交警",
        "",
        "",
        0,
    ]
    result = run_import(
        "incidents",
        io.BytesIO(csv_bytes(INCIDENT_HEADERS, [row, ok])),
        township=world.township1,
        user=world.users["township1"],
        filename="a.csv",
    )
    assert result.imported == 1
    (reason,) = [r[3] for r in result.rejected]
    assert "2026年3月" in reason and "审核锁定" in reason
    token = api_token_create(user=world.users["township1"], name="t")[1]
    response = client.post(
        "/api/v1/incidents/",
        {**incident_payload(world), "occurred_at": "2026-03-09T10:00:00+08:00"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code in (409, 422, 400) and "审核锁定" in response.content.decode()
    assert not Incident.objects.filter(occurred_at__month=3).exists()


def test_a_briefing_says_whether_it_shows_the_approved_figures(world, django_capture_on_commit_callbacks):
    from reports.services import briefing_generate

    IncidentFactory(village=world.village1, occurred_at=aware(YEAR, MONTH, 5), direct_loss=Decimal("2.50"))
    close = _approved(world, django_capture_on_commit_callbacks)
    briefing, _created = briefing_generate(township=world.township1, year=YEAR, month=MONTH)
    approval = briefing_approval(briefing)
    assert approval["matches"] and approval["close"] == close
    # A briefing frozen with other figures says so, naming the figure.
    briefing.snapshot["month_figures"][0]["current"] = 7
    approval = briefing_approval(briefing)
    assert not approval["matches"] and approval["differences"][0]["approved"] == 1


def test_hazards_and_inspections_of_an_approved_month_are_refused_on_every_door(
    as_user, world, django_capture_on_commit_callbacks
):
    from datetime import date

    from inspections.services import hazard_register, inspection_record
    from tests.inspections.factories import EntityFactory, GridFactory, grade

    entity = EntityFactory(grid=GridFactory(village=world.village1, inspector=world.users["inspector1"]))
    _approved(world, django_capture_on_commit_callbacks)
    with pytest.raises(MonthLockedError):
        hazard_register(
            user=world.users["township1"],
            entity=entity,
            grade=grade(world.county),
            description="配电箱无门",
            found_on=date(YEAR, MONTH, 3),
            deadline=date(YEAR, MONTH, 20),
        )
    with pytest.raises(MonthLockedError):
        inspection_record(
            user=world.users["inspector1"],
            entity=entity,
            inspected_at=aware(YEAR, MONTH, 3),
            representative_name="张三",
            rating="good",
            outcomes=[],
        )
    client = as_user("township1")
    response = client.post(
        reverse("inspections:hazard_create", args=[entity.pk]),
        {
            "grade": grade(world.county).pk,
            "description": "配电箱无门",
            "found_on": "2026-03-03",
            "deadline": "2026-03-20",
        },
    )
    assert response.status_code == 200 and "审核锁定" in response.content.decode()


def test_a_hazard_of_an_approved_month_changes_state_only_through_an_approved_correction(
    as_user, world, django_capture_on_commit_callbacks
):
    from datetime import date

    from django.contrib.messages import get_messages

    from closing.lock import locked_reason
    from inspections.choices import HazardAction, HazardStatus
    from inspections.services import hazard_transition
    from tests.inspections.factories import EntityFactory, GridFactory, HazardFactory

    capture = django_capture_on_commit_callbacks
    township, county = world.users["township1"], world.users["county"]
    entity = EntityFactory(grid=GridFactory(village=world.village1, inspector=world.users["inspector1"]))
    hazard = HazardFactory(entity=entity, found_on=date(YEAR, MONTH, 3), registered_by=township)
    april = HazardFactory(entity=entity, found_on=date(YEAR, 4, 3), registered_by=township)
    _approved(world, capture)

    # A direct call: refused with the lock's reason, the hazard unchanged.
    with pytest.raises(MonthLockedError) as refused:
        hazard_transition(hazard=hazard, user=township, action=HazardAction.START, responsible_person="李四")
    assert refused.value.message == locked_reason(YEAR, MONTH)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.REGISTERED and hazard.responsible_person == ""
    assert list(hazard.events.values_list("action", flat=True)) == []

    # The page: the same refusal as a message, back on the hazard, nothing changed.
    client = as_user("inspector1")
    url = reverse("inspections:hazard_transition", args=[hazard.pk])
    response = client.post(url, {"action": HazardAction.START})
    assert response.status_code == 302 and response["Location"] == hazard.get_absolute_url()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [locked_reason(YEAR, MONTH)]
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.REGISTERED

    # Through a correction the county approves, the same move is applied by the same service.
    with capture(execute=True):
        correction = services.correction_request(user=township, locked=refused.value)
        services.correction_approve(correction=correction, user=county, reason="核实无误")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.RECTIFYING and hazard.responsible_person == "李四"
    assert correction.record_type == "inspections.Hazard" and correction.record_id == hazard.pk

    # A hazard of a month still open moves as before.
    hazard_transition(hazard=april, user=township, action=HazardAction.START)
    april.refresh_from_db()
    assert april.status == HazardStatus.RECTIFYING


def test_submitting_tells_the_county_and_returning_tells_the_township(world, django_capture_on_commit_callbacks):
    """The close's signals reach the notifications app (connected in its ready()): the county's
    supervisor sees the submitted month in the bell, the township's staff the returned one."""
    from notifications.choices import Kind
    from notifications.models import Notification

    township, county = world.users["township1"], world.users["county"]
    with django_capture_on_commit_callbacks(execute=True):
        close = services.month_submit(township=world.township1, year=YEAR, month=MONTH, user=township)
    told = Notification.objects.filter(kind=Kind.MONTH_SUBMITTED)
    assert county in {n.recipient for n in told} and township not in {n.recipient for n in told}
    with django_capture_on_commit_callbacks(execute=True):
        services.month_return(close=close, user=county, reason="缺少3月第二周巡查记录")
    returned = Notification.objects.filter(kind=Kind.MONTH_RETURNED)
    assert township in {n.recipient for n in returned} and county not in {n.recipient for n in returned}
