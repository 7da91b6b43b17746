import datetime as dt

from django.utils import timezone

from committees.services import action_item_create
from inspections.choices import HazardAction
from inspections.services import hazard_register, hazard_transition
from notifications import services
from notifications.choices import EmailMode, JobStatus, Kind
from notifications.models import Delivery, JobRun, Notification, Preference
from tests.committees.factories import ActionItemFactory, CommitteeMemberFactory, WorkingGroupFactory
from tests.inspections.factories import HazardFactory, grade


def kinds_of(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_registered_hazard_tells_its_responsible_person_after_commit(
    entities, world, django_capture_on_commit_callbacks
):
    inspector = world.users["inspector1"]
    with django_capture_on_commit_callbacks(execute=True):
        hazard = hazard_register(
            user=world.users["township1"],
            entity=entities["e1"],
            grade=grade(world.county),
            description="配电箱无防护",
            found_on=timezone.localdate(),
            deadline=timezone.localdate() + dt.timedelta(days=7),
            responsible_person="inspector1姓名",
        )
    note = Notification.objects.get(recipient=inspector)
    assert note.kind == Kind.HAZARD_ASSIGNED and hazard.number in note.text and "东关机械厂" in note.text
    assert Notification.objects.count() == 1
    # Naming someone else when the rectification starts tells them too.
    hazard_transition(hazard=hazard, user=inspector, action=HazardAction.START, responsible_person="township1姓名")
    assert kinds_of(world.users["township1"]) == [Kind.HAZARD_ASSIGNED]


def test_reminders_due_in_three_days_once_and_overdue_once_a_day(entities, world):
    today = dt.date(2026, 6, 10)
    soon = HazardFactory(
        entity=entities["e1"],
        registered_by=world.users["township1"],
        found_on=dt.date(2026, 6, 1),
        deadline=today + dt.timedelta(days=3),
        responsible_person="inspector1",
    )
    late = HazardFactory(
        entity=entities["e1"],
        registered_by=world.users["township1"],
        found_on=dt.date(2026, 6, 1),
        deadline=today - dt.timedelta(days=2),
        responsible_person="inspector1姓名",
    )
    HazardFactory(
        entity=entities["e1"],
        registered_by=world.users["township1"],
        found_on=dt.date(2026, 6, 1),
        deadline=today + dt.timedelta(days=5),
        responsible_person="inspector1",
    )
    for _ in range(2):
        services.reminders_run(today=today)
    inspector = world.users["inspector1"]
    rows = sorted(Notification.objects.filter(recipient=inspector).values_list("kind", "params__number"))
    assert rows == [(Kind.HAZARD_DUE_SOON, soon.number), (Kind.HAZARD_OVERDUE, late.number)]
    services.reminders_run(today=today + dt.timedelta(days=1))
    assert Notification.objects.filter(recipient=inspector, kind=Kind.HAZARD_OVERDUE).count() == 2
    assert Notification.objects.filter(recipient=inspector, kind=Kind.HAZARD_DUE_SOON).count() == 1
    assert Notification.objects.exclude(recipient=inspector).count() == 0


def test_action_item_tells_its_member_and_escalates_to_the_group_lead_once_a_day(world):
    t1 = world.township1
    member = CommitteeMemberFactory(township=t1, user=world.users["member1"])
    lead = CommitteeMemberFactory(township=t1, user=world.users["township1"])
    group = WorkingGroupFactory(township=t1, lead=lead)
    group.members.add(member)
    item = action_item_create(
        township=t1, title="排查老旧小区消防通道", due_on=dt.date(2026, 6, 1), owner_member=member
    )
    assert kinds_of(world.users["member1"]) == [Kind.ACTION_ASSIGNED]
    ActionItemFactory(township=t1, owner_member=lead, due_on=dt.date(2026, 7, 1))  # not overdue
    for _ in range(2):
        services.reminders_run(today=dt.date(2026, 6, 5))
    note = Notification.objects.get(kind=Kind.ACTION_ESCALATED)
    assert note.recipient == world.users["township1"] and item.title in note.text and "4" in note.text
    services.reminders_run(today=dt.date(2026, 6, 6))
    assert Notification.objects.filter(kind=Kind.ACTION_ESCALATED).count() == 2


def test_month_submitted_tells_the_county_and_returned_tells_the_township(world):
    staff, county = world.users["township1"], world.users["county"]
    services.notify_event(kind=Kind.MONTH_SUBMITTED, township=world.township1, actor=staff, month=dt.date(2026, 5, 1))
    assert [n.recipient for n in Notification.objects.all()] == [county]
    assert "城关街道" in Notification.objects.get().text and "2026-05" in Notification.objects.get().text
    services.notify_event(
        kind=Kind.MONTH_RETURNED, township=world.township1, actor=county, month="2026-05", reason="缺少南街社区伤害报告"
    )
    returned = Notification.objects.get(kind=Kind.MONTH_RETURNED)
    assert returned.recipient == staff and "缺少南街社区伤害报告" in returned.text
    assert not Notification.objects.filter(
        recipient__in=[world.users["township2"], world.users["othercounty"]]
    ).exists()


def test_preferences_choose_the_channels(world, settings):
    settings.EMAIL_CONFIGURED = True
    member = world.users["member1"]
    member.email = "m@example.test"
    member.save()
    services.preferences_save(
        user=member, choices={Kind.ACTION_ASSIGNED: {"in_app": False, "email": EmailMode.OFF, "bot": False}}
    )
    services.notify(kind=Kind.ACTION_ASSIGNED, recipients=[member], params={"title": "x", "due": "2026-06-01"})
    note = Notification.objects.get()
    assert not note.in_app and not note.in_digest and not Delivery.objects.exists()
    assert not Notification.objects.for_user(member).exists()
    Preference.objects.filter(user=member).update(email=EmailMode.INSTANT, in_app=True)
    services.notify(kind=Kind.ACTION_ASSIGNED, recipients=[member], params={"title": "y", "due": "2026-06-01"})
    assert Delivery.objects.get().recipient == "m@example.test"


def test_no_mail_when_mail_is_not_configured(world, settings, mailoutbox):
    settings.EMAIL_CONFIGURED = False
    member = world.users["member1"]
    member.email = "m@example.test"
    member.save()
    services.notify(kind=Kind.ACTION_ASSIGNED, recipients=[member], params={"title": "x", "due": "2026-06-01"})
    assert services.digests_run(day=dt.date(2026, 6, 1))["mails"] == 0
    assert not Delivery.objects.exists() and mailoutbox == []


def test_job_run_log_records_success_and_failure(db):
    with services.job_run("notifications.test_job") as run:
        run.result = "3 sent"
    try:
        with services.job_run("notifications.test_job"):
            raise RuntimeError("SMTP down")
    except RuntimeError:
        pass
    ok, failed = JobRun.objects.order_by("pk")
    assert (ok.status, ok.result) == (JobStatus.OK, "3 sent") and ok.finished_at
    assert failed.status == JobStatus.FAILED and "SMTP down" in failed.error


def test_other_apps_daily_tasks_are_in_the_job_run_log(world):
    from inspections.tasks import hazards_escalate_overdue
    from notifications.jobs import logged_tasks

    assert "inspections.tasks.hazards_escalate_overdue" in logged_tasks()
    assert "reports.tasks.jobs_sweep" not in logged_tasks()  # minutely sweeps are not logged
    hazards_escalate_overdue.delay("2026-06-03").get()
    run = JobRun.objects.get(task="inspections.tasks.hazards_escalate_overdue")
    assert run.status == JobStatus.OK and run.result == "0" and run.finished_at


def test_month_signals_connect_to_the_receivers(world):
    from django.dispatch import Signal

    month_submitted = Signal()
    month_submitted.connect(services.on_month_submitted, weak=False)
    month_submitted.send(
        sender=None, township=world.township1, month=dt.date(2026, 5, 1), actor=world.users["township1"], reason=""
    )
    assert [n.recipient.username for n in Notification.objects.all()] == ["county"]
