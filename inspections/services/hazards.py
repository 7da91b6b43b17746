"""The closed loop of a hazard: register → rectify → verify → close, enforcement, escalation."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from closing.lock import assert_month_open
from notifications import services as notifications
from safecommunity.choices import Role
from safecommunity.exceptions import ApplicationError
from safecommunity.models import User
from safecommunity.permissions import SUPERVISE, WORK_IN_FIELD

from ..choices import (
    ESCALATION_DAYS,
    OPEN_STATUSES,
    TRANSITIONS,
    EscalationLevel,
    HazardAction,
    HazardStatus,
)
from ..models import (
    DailyRun,
    Hazard,
    HazardEvent,
    Notification,
    Photo,
    RectificationPlan,
)
from ..validators import clean_photo
from .common import check_scope, next_number


def photo_add(*, user, entity, upload, inspection=None, hazard=None, event=None) -> Photo:
    """Validate (real image content, size), re-encode and store one photo."""
    content = clean_photo(upload)
    photo = Photo(
        township_id=entity.township_id,
        entity=entity,
        inspection=inspection,
        hazard=hazard,
        event=event,
        uploaded_by=user,
    )
    photo.image.save(content.name, content, save=False)
    photo.save()
    return photo


def _event(hazard, *, action, actor, reason="", from_status="", to_status="", at=None) -> HazardEvent:
    event = HazardEvent(
        hazard=hazard,
        action=action,
        actor=actor,
        reason=reason,
        from_status=from_status,
        to_status=to_status,
        at=at or timezone.now(),
    )
    event.full_clean()
    event.save()
    return event


def hazard_number(township, year: int) -> str:
    return f"YH{township.code}{year}{next_number(township=township, kind='hazard', year=year):05d}"


@transaction.atomic
def hazard_register(
    *,
    user,
    entity,
    grade,
    description: str,
    found_on: dt.date,
    deadline: dt.date,
    location: str = "",
    responsible_person: str = "",
    inspection=None,
    item=None,
    photos=(),
    status: str = HazardStatus.REGISTERED,
    closed_on: dt.date | None = None,
    check_permission: bool = True,
    place=None,
    major_basis: str = "",
) -> Hazard:
    """Register a hazard. ``status``/``closed_on`` other than the default only for loading an
    existing ledger (the importer), recorded as such in the timeline."""
    if check_permission:
        check_scope(user, entity, WORK_IN_FIELD)
    assert_month_open(
        township_id=entity.township_id,
        date_field="found_on",
        service="inspections.services.hazards.hazard_register",
        arguments={k: v for k, v in locals().items() if k != "check_permission"},
    )
    if grade.county_id != entity.township.parent_id:
        raise ApplicationError(_("隐患等级不属于本县"), field="grade")
    if deadline and found_on and deadline < found_on:
        raise ApplicationError(_("整改期限不能早于发现日期"), field="deadline")
    if place is not None and place.township_id != entity.township_id:
        raise ApplicationError(_("隐患地点不属于该乡镇"), field="place")
    if status == HazardStatus.CLOSED and closed_on is None:
        closed_on = min(deadline, timezone.localdate())
    hazard = Hazard(
        township_id=entity.township_id,
        entity=entity,
        inspection=inspection,
        item=item,
        grade=grade,
        is_major=grade.is_major,
        description=description,
        location=location,
        responsible_person=responsible_person,
        found_on=found_on,
        deadline=deadline,
        status=status,
        registered_by=user,
        closed_on=closed_on if status == HazardStatus.CLOSED else None,
        number=hazard_number(entity.township, found_on.year),
        place=place,
        major_basis=(major_basis or "").strip() if grade.is_major else "",
    )
    hazard.full_clean()
    hazard.save()
    imported = status != HazardStatus.REGISTERED
    event = _event(
        hazard,
        action=HazardAction.IMPORT if imported else HazardAction.REGISTER,
        actor=user,
        to_status=status,
        reason=_("台账导入") if imported else "",
    )
    for upload in photos:
        photo_add(user=user, entity=entity, upload=upload, hazard=hazard, event=event)
    if not imported and hazard.responsible_person:
        notifications.hazard_assigned(hazard=hazard)  # the 整改责任人, sent after the commit
    return hazard


def _locked(hazard) -> Hazard:
    return Hazard.objects.select_for_update().select_related("entity", "township").get(pk=hazard.pk)


@transaction.atomic
def hazard_transition(
    *,
    hazard: Hazard,
    user,
    action: str,
    reason: str = "",
    photos=(),
    today: dt.date | None = None,
    responsible_person: str = "",
) -> Hazard:
    """One move of the loop. Verification (pass or fail) must be done by someone other than the
    registrar and with evidence (a photo or a note); a failed one needs its reason. Starting the
    rectification may name (or change) its 整改责任人. A hazard found in an approved (locked) month
    changes state only through a correction the county approves."""
    check_scope(user, hazard, WORK_IN_FIELD)
    arguments = {"hazard": hazard, "user": user, "action": action, "reason": reason}
    if responsible_person:
        arguments["responsible_person"] = responsible_person
    if photos:
        arguments["photos"] = photos
    if today is not None:
        arguments["today"] = today
    assert_month_open(
        township_id=hazard.township_id,
        date_field="found_on",
        record=hazard,
        service="inspections.services.hazards.hazard_transition",
        arguments=arguments,
    )
    hazard = _locked(hazard)
    previous_person = hazard.responsible_person
    if action not in TRANSITIONS:
        raise ApplicationError(_("未知操作"))
    sources, target = TRANSITIONS[action]
    if hazard.status not in sources:
        raise ApplicationError(
            _("隐患当前状态为“%(s)s”，不能执行“%(a)s”")
            % {"s": hazard.get_status_display(), "a": HazardAction(action).label}
        )
    reason = (reason or "").strip()
    if action == HazardAction.START and hazard.is_major and not hasattr(hazard, "plan"):
        raise ApplicationError(_("重大隐患须先制定整改方案"))
    responsible_person = (responsible_person or "").strip()
    if action == HazardAction.START and responsible_person:
        hazard.responsible_person = responsible_person
    if action in (HazardAction.VERIFY_PASS, HazardAction.VERIFY_FAIL):
        if user.pk == hazard.registered_by_id:
            raise ApplicationError(_("验收须由登记人以外的人员进行"))
        if not reason and not photos:
            raise ApplicationError(_("验收须提供照片或验收意见"))
    if action == HazardAction.VERIFY_FAIL and not reason:
        raise ApplicationError(_("验收不通过须说明原因"), field="reason")
    previous = hazard.status
    hazard.status = target
    if target == HazardStatus.CLOSED:
        hazard.closed_on = today or timezone.localdate()
    hazard.full_clean()
    hazard.save(update_fields=["status", "closed_on", "responsible_person", "updated_at"])
    event = _event(hazard, action=action, actor=user, reason=reason, from_status=previous, to_status=target)
    for upload in photos:
        photo_add(user=user, entity=hazard.entity, upload=upload, hazard=hazard, event=event)
    if action == HazardAction.START and hazard.responsible_person and hazard.responsible_person != previous_person:
        notifications.hazard_assigned(hazard=hazard)
    return hazard


@transaction.atomic
def hazard_plan_save(*, hazard: Hazard, user, **fields) -> RectificationPlan:
    check_scope(user, hazard, WORK_IN_FIELD)
    if not hazard.is_major:
        raise ApplicationError(_("一般隐患无需整改方案"))
    if hazard.status == HazardStatus.CLOSED:
        raise ApplicationError(_("已销号的隐患不能修改整改方案"))
    plan = RectificationPlan.objects.filter(hazard=hazard).first() or RectificationPlan(hazard=hazard, created_by=user)
    for name in ("target", "measures", "funds", "responsible_people", "deadline", "interim_measures", "emergency_plan"):
        if name in fields:
            setattr(plan, name, fields[name])
    plan.full_clean()
    plan.save()
    _event(hazard, action=HazardAction.PLAN, actor=user, reason=_("整改方案已保存"))
    return plan


@transaction.atomic
def hazard_supervise(*, hazard: Hazard, user, reason: str = "") -> Hazard:
    """挂牌督办 by the county."""
    check_scope(user, hazard, SUPERVISE)
    if not hazard.is_major:
        raise ApplicationError(_("挂牌督办仅适用于重大隐患"))
    if hazard.county_supervised:
        raise ApplicationError(_("该隐患已挂牌督办"))
    hazard.county_supervised = True
    hazard.save(update_fields=["county_supervised", "updated_at"])
    _event(hazard, action=HazardAction.SUPERVISE, actor=user, reason=reason)
    return hazard


# --- Escalation ---------------------------------------------------------------------------------
def escalation_target(hazard: Hazard, today: dt.date) -> int:
    """The level an open hazard should have reached ``today`` (0 when not overdue)."""
    if hazard.status not in OPEN_STATUSES or hazard.deadline >= today:
        return EscalationLevel.NONE
    late = (today - hazard.deadline).days
    level = EscalationLevel.NONE
    for step in (EscalationLevel.OWNER, EscalationLevel.GRID_HEAD, EscalationLevel.TOWNSHIP):
        if late >= ESCALATION_DAYS[step]:
            level = step
    if hazard.is_major and late >= ESCALATION_DAYS[EscalationLevel.COUNTY]:
        level = EscalationLevel.COUNTY
    return level


def escalation_recipients(hazard: Hazard, level: int) -> list[User]:
    if level == EscalationLevel.OWNER:
        grid = hazard.entity.grid
        users = [hazard.registered_by, grid.inspector if grid else None]
    elif level == EscalationLevel.GRID_HEAD:
        grid = hazard.entity.grid
        users = [grid.head if grid else None]
    elif level == EscalationLevel.TOWNSHIP:
        users = list(User.objects.filter(area_id=hazard.township_id, role=Role.TOWNSHIP_STAFF, is_active=True))
    else:
        users = list(
            User.objects.filter(area_id=hazard.township.parent_id, role=Role.COUNTY_SUPERVISOR, is_active=True)
        )
    seen, result = set(), []
    for user in users:
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            result.append(user)
    return result


@transaction.atomic
def hazards_escalate_overdue(*, today: dt.date) -> int:
    """Raise every overdue hazard to the level its lateness calls for, notifying in the app (and by
    e-mail when mail is configured) each level passed. Returns how many hazards escalated."""
    escalated = 0
    candidates = (
        Hazard.objects.overdue(today)
        .select_related("entity__grid__inspector", "entity__grid__head", "registered_by", "township")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    for hazard in candidates:
        target = escalation_target(hazard, today)
        if target <= hazard.escalation_level:
            continue
        late = (today - hazard.deadline).days
        for level in range(hazard.escalation_level + 1, target + 1):
            if level == EscalationLevel.COUNTY and not hazard.is_major:
                continue
            label = EscalationLevel(level).label
            message = _("隐患%(n)s（%(e)s）已逾期%(d)d天，升级至%(l)s") % {
                "n": hazard.number,
                "e": hazard.entity.name,
                "d": late,
                "l": label,
            }
            recipients = escalation_recipients(hazard, level)
            Notification.objects.bulk_create(
                [Notification(recipient=u, hazard=hazard, level=level, message=message) for u in recipients]
            )
            notifications.hazard_escalated(hazard=hazard, recipients=recipients, days=late, today=today)
            _event(hazard, action=HazardAction.ESCALATE, actor=None, reason=message)
            emails = [u.email for u in recipients if u.email]
            if settings.EMAIL_CONFIGURED and emails:
                send_mail(_("隐患逾期提醒"), message, settings.DEFAULT_FROM_EMAIL, emails, fail_silently=True)
        hazard.escalation_level = target
        hazard.save(update_fields=["escalation_level", "updated_at"])
        escalated += 1
    return escalated


ESCALATION_TASK = "hazards_escalate_overdue"


def escalation_daily_run(*, today: dt.date) -> int | None:
    """Claim ``today`` for the escalation (a unique row), then escalate in the same transaction.

    A second worker's insert waits on the unique index until the first commits and then fails,
    so the day runs once; if the first run fails and rolls back, the claim goes with it.
    Returns None when the day had already been claimed.
    """
    try:
        with transaction.atomic():
            run = DailyRun.objects.create(task=ESCALATION_TASK, day=today)
            count = hazards_escalate_overdue(today=today)
            run.result = str(count)
            run.save(update_fields=["result"])
            return count
    except IntegrityError:
        return None


def notification_mark_read(*, user, notification_ids) -> int:
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    return (
        Notification.objects.for_user(user)
        .filter(pk__in=notification_ids, read_at__isnull=True)
        .update(read_at=timezone.now())
    )
