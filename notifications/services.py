"""Writes of the notifications app.

``notify`` is the one door: it writes the in-app message of each recipient (once per
``dedupe_key``), and the outbox rows (``Delivery``) of the channels each recipient chose for
the kind; they are sent by a task after the commit, so a rolled-back change tells nobody.
Mail set to "每日汇总" waits for the day's digest (``digest_claim``: one per user and day).

For the other apps: ``hazard_assigned``, ``hazard_escalated``, ``action_item_assigned`` (called
from their services), and ``notify_event`` for the monthly close (see its docstring).
"""

import contextlib
import datetime as dt
import logging
import traceback
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safecommunity.choices import Role
from safecommunity.exceptions import ApplicationError
from safecommunity.models import User
from safecommunity.queue import enqueue_on_commit
from safecommunity.services import model_update

from .channels import ADAPTERS, email_configured, send_email
from .choices import Adapter, Channel, DeliveryStatus, EmailMode, JobStatus, Kind
from .models import Delivery, Digest, JobRun, Notification, Preference, WebhookChannel

log = logging.getLogger(__name__)

#: A failed send is tried again by ``deliveries_retry`` (every 5 minutes) up to this many times.
MAX_ATTEMPTS = 5
#: A send claimed this long ago and never finished (its worker died) is tried again.
STALE_SENDING = timedelta(minutes=10)
#: A pending send whose message never reached a worker is sent by the sweep after this long.
PENDING_GRACE = timedelta(minutes=2)
#: A hazard's reminder before its deadline.
DUE_SOON_DAYS = 3


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def _bell_changed(user_ids) -> None:
    keys = [unread_cache_key(pk) for pk in set(user_ids)]
    transaction.on_commit(lambda: cache.delete_many(keys))


# --- Preferences --------------------------------------------------------------------------------
def default_preference(user, kind) -> Preference:
    return Preference(user=user, kind=kind)


def preferences_for(users, kind) -> dict[int, Preference]:
    rows = {p.user_id: p for p in Preference.objects.filter(user__in=[u.pk for u in users], kind=kind)}
    return {u.pk: rows.get(u.pk) or default_preference(u, kind) for u in users}


@transaction.atomic
def preferences_save(*, user, choices: dict) -> None:
    """``choices``: {kind: {"in_app": bool, "email": EmailMode, "bot": bool}} for the kinds given."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    for kind, values in choices.items():
        if kind not in Kind.values:
            raise ApplicationError(_("未知的通知类型"))
        email = values.get("email", EmailMode.DIGEST)
        if email not in EmailMode.values:
            raise ApplicationError(_("未知的邮件方式"))
        pref = Preference.objects.filter(user=user, kind=kind).first() or Preference(user=user, kind=kind)
        pref.in_app = bool(values.get("in_app"))
        pref.email = email
        pref.bot = bool(values.get("bot"))
        pref.full_clean()
        pref.save()


# --- Writing notifications ----------------------------------------------------------------------
def _county_id(user):
    if not user.area_id:
        return None
    area = user.area
    return area.pk if area.level == "county" else area.parent_id


def _webhooks_by_county(county_ids) -> dict[int, list[WebhookChannel]]:
    result = defaultdict(list)
    for hook in WebhookChannel.objects.filter(county_id__in=county_ids, enabled=True).order_by("pk"):
        result[hook.county_id].append(hook)
    return result


def _unique_active(recipients) -> list:
    seen, users = set(), []
    for user in recipients:
        if user is not None and user.is_active and user.pk not in seen:
            seen.add(user.pk)
            users.append(user)
    return users


@transaction.atomic
def notify(*, kind, recipients, params: dict, url: str = "", township=None, dedupe_key: str = "") -> list[Notification]:
    """Tell each recipient (users; inactive ones and repeats skipped) about one event.

    With ``dedupe_key`` a recipient who already has a notification of that key gets nothing
    (an escalation's key carries its day: at most one a day). Returns the notifications written."""
    users = _unique_active(recipients)
    if not users:
        return []
    prefs = preferences_for(users, kind)
    mail = email_configured()
    hooks = _webhooks_by_county({_county_id(u) for u in users} - {None})
    created, deliveries = [], []
    for user in users:
        pref = prefs[user.pk]
        note = Notification(
            recipient=user,
            kind=kind,
            township=township,
            params=params,
            url=url,
            dedupe_key=dedupe_key,
            in_app=pref.in_app,
            in_digest=mail and bool(user.email) and pref.email == EmailMode.DIGEST,
        )
        if dedupe_key:
            try:
                with transaction.atomic():
                    note.save()
            except IntegrityError:
                continue
        else:
            note.save()
        created.append(note)
        if mail and user.email and pref.email == EmailMode.INSTANT:
            deliveries.append(Delivery(notification=note, user=user, channel=Channel.EMAIL, recipient=user.email))
        if pref.bot:
            for hook in hooks.get(_county_id(user), ()):
                address = user.phone if hook.adapter == Adapter.SMS else f"webhook:{hook.pk}"
                if address:
                    deliveries.append(
                        Delivery(notification=note, user=user, channel=Channel.BOT, webhook=hook, recipient=address)
                    )
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        from .tasks import deliveries_send

        enqueue_on_commit(deliveries_send, [d.pk for d in deliveries])
    _bell_changed(n.recipient_id for n in created if n.in_app)
    return created


def _month_label(month) -> str:
    if isinstance(month, (dt.date, dt.datetime)):
        return f"{month.year}-{month.month:02d}"
    return str(month or "")


def county_supervisors(county_id) -> list:
    return list(
        User.objects.filter(area_id=county_id, role=Role.COUNTY_SUPERVISOR, is_active=True).select_related("area")
    )


def township_staff(township_id) -> list:
    return list(
        User.objects.filter(area_id=township_id, role=Role.TOWNSHIP_STAFF, is_active=True).select_related("area")
    )


def notify_event(*, kind, township, actor=None, target=None, month=None, reason: str = "") -> list[Notification]:
    """An event of another app, told to the people it concerns.

    ``Kind.MONTH_SUBMITTED``: a township submitted a month → the county's supervisors.
    ``Kind.MONTH_RETURNED``: the county returned it (``reason``) → the township's staff.
    ``township`` is the township Area, ``actor`` the user who acted (not told), ``month`` a date of
    the month (or "YYYY-MM"), ``target`` the row whose ``get_absolute_url`` the message links to.

    The monthly close (closing/) sends ``month_submitted`` / ``month_returned`` with
    township, month, actor, reason; connect them with ``on_month_submitted`` / ``on_month_returned``.
    Call inside the transaction of the change: the sends go out after its commit."""
    if kind == Kind.MONTH_SUBMITTED:
        recipients = county_supervisors(township.parent_id)
    elif kind == Kind.MONTH_RETURNED:
        recipients = township_staff(township.pk)
    else:
        raise ValueError(f"notify_event does not know {kind!r}")
    recipients = [u for u in recipients if actor is None or u.pk != actor.pk]
    url = ""
    if target is not None and hasattr(target, "get_absolute_url"):
        url = target.get_absolute_url()
    month_label = _month_label(month)
    params = {"township": township.name, "month": month_label, "reason": reason or ""}
    key = f"{kind}:{township.pk}:{month_label}:{timezone.now():%Y%m%d%H%M%S%f}"
    return notify(kind=kind, recipients=recipients, params=params, url=url, township=township, dedupe_key=key)


def on_month_submitted(sender=None, *, township, month, actor=None, reason="", **kwargs):
    """Receiver for ``closing``'s ``month_submitted`` signal."""
    return notify_event(
        kind=Kind.MONTH_SUBMITTED,
        township=township,
        actor=actor,
        month=month,
        reason=reason,
        target=kwargs.get("target"),
    )


def on_month_returned(sender=None, *, township, month, actor=None, reason="", **kwargs):
    """Receiver for ``closing``'s ``month_returned`` signal."""
    return notify_event(
        kind=Kind.MONTH_RETURNED,
        township=township,
        actor=actor,
        month=month,
        reason=reason,
        target=kwargs.get("target"),
    )


# --- Hazards and action items (called from inspections and committees services) ---------------
def hazard_responsible_users(hazard) -> list:
    """The accounts of a hazard's 整改责任人: the township's active users whose name (姓名) or user
    name is the one written on the hazard."""
    name = (hazard.responsible_person or "").strip()
    if not name:
        return []
    return list(
        User.objects.filter(area_id=hazard.township_id, is_active=True)
        .filter(Q(full_name=name) | Q(username=name))
        .select_related("area")
    )


def _hazard_params(hazard, **extra) -> dict:
    return {
        "number": hazard.number,
        "entity": hazard.entity.name,
        "deadline": hazard.deadline.isoformat(),
        **extra,
    }


def hazard_assigned(*, hazard) -> list[Notification]:
    """The 整改责任人 named on a hazard (registered, or named when its rectification starts)."""
    return notify(
        kind=Kind.HAZARD_ASSIGNED,
        recipients=hazard_responsible_users(hazard),
        params=_hazard_params(hazard),
        url=hazard.get_absolute_url(),
        township=hazard.township,
        dedupe_key=f"hazard_assigned:{hazard.pk}:{hazard.responsible_person}",
    )


def hazard_escalated(*, hazard, recipients, days: int, today: dt.date) -> list[Notification]:
    """An overdue hazard raised a level (inspections' daily escalation): once a day at most."""
    return notify(
        kind=Kind.HAZARD_ESCALATED,
        recipients=recipients,
        params=_hazard_params(hazard, days=days),
        url=hazard.get_absolute_url(),
        township=hazard.township,
        dedupe_key=f"hazard_escalated:{hazard.pk}:{today.isoformat()}",
    )


def action_item_owner_users(item) -> list:
    users = []
    if item.owner_user_id:
        users.append(item.owner_user)
    if item.owner_member_id and item.owner_member.user_id:
        users.append(item.owner_member.user)
    return users


def action_item_assigned(*, item) -> list[Notification]:
    """The member (or account) given an action item."""
    owners = action_item_owner_users(item)
    key = f"action_assigned:{item.pk}:{item.owner_user_id or ''}:{item.owner_member_id or ''}"
    return notify(
        kind=Kind.ACTION_ASSIGNED,
        recipients=owners,
        params={"title": item.title, "due": item.due_on.isoformat()},
        url=item.get_absolute_url(),
        township=item.township,
        dedupe_key=key,
    )


# --- The daily reminders -----------------------------------------------------------------------
def _responsible_index(township_ids) -> dict:
    """{(township id, name): [users]} for matching 整改责任人 names in one query."""
    index = defaultdict(list)
    for user in User.objects.filter(area_id__in=township_ids, is_active=True).select_related("area"):
        for name in {user.full_name.strip(), user.username}:
            if name:
                index[(user.area_id, name)].append(user)
    return index


def hazard_reminders(*, today: dt.date) -> int:
    """Due in 3 days, and overdue (once a day), to each open hazard's 整改责任人."""
    from inspections.choices import OPEN_STATUSES
    from inspections.models import Hazard

    soon = today + timedelta(days=DUE_SOON_DAYS)
    hazards = list(
        Hazard.objects.filter(status__in=OPEN_STATUSES, deadline__lte=soon)
        .filter(Q(deadline=soon) | Q(deadline__lt=today))
        .exclude(responsible_person="")
        .select_related("entity", "township")
        .order_by("pk")
    )
    index = _responsible_index({h.township_id for h in hazards})
    sent = 0
    for hazard in hazards:
        users = index.get((hazard.township_id, hazard.responsible_person.strip()), [])
        if not users:
            continue
        if hazard.deadline == soon:
            kind, key = Kind.HAZARD_DUE_SOON, f"hazard_due_soon:{hazard.pk}:{hazard.deadline.isoformat()}"
            params = _hazard_params(hazard)
        else:
            kind, key = Kind.HAZARD_OVERDUE, f"hazard_overdue:{hazard.pk}:{today.isoformat()}"
            params = _hazard_params(hazard, days=(today - hazard.deadline).days)
        sent += len(
            notify(
                kind=kind,
                recipients=users,
                params=params,
                url=hazard.get_absolute_url(),
                township=hazard.township,
                dedupe_key=key,
            )
        )
    return sent


def action_item_escalations(*, today: dt.date) -> int:
    """Each overdue action item to the leads of its owner's working groups (once a day)."""
    from committees.choices import ActionStatus
    from committees.models import ActionItem, WorkingGroup

    items = list(
        ActionItem.objects.filter(due_on__lt=today, owner_member__isnull=False)
        .exclude(status=ActionStatus.DONE)
        .select_related("owner_member", "township")
        .order_by("pk")
    )
    groups = WorkingGroup.objects.filter(
        members__in={i.owner_member_id for i in items}, lead__user__isnull=False
    ).values_list("members", "lead__user")
    lead_users = {}
    member_leads = defaultdict(set)
    for member_id, user_id in groups:
        member_leads[member_id].add(user_id)
        lead_users[user_id] = None
    for user in User.objects.filter(pk__in=lead_users).select_related("area"):
        lead_users[user.pk] = user
    sent = 0
    for item in items:
        leads = [lead_users[pk] for pk in sorted(member_leads.get(item.owner_member_id, ()))]
        leads = [u for u in leads if u is not None and u.pk != item.owner_member.user_id]
        if not leads:
            continue
        sent += len(
            notify(
                kind=Kind.ACTION_ESCALATED,
                recipients=leads,
                params={"title": item.title, "owner": item.owner_member.name, "days": (today - item.due_on).days},
                url=item.get_absolute_url(),
                township=item.township,
                dedupe_key=f"action_escalated:{item.pk}:{today.isoformat()}",
            )
        )
    return sent


#: Read notifications, finished sends and job runs are kept this long (days).
RETENTION_DAYS = 180


def notifications_purge(*, today: dt.date) -> int:
    cutoff = timezone.make_aware(dt.datetime.combine(today - timedelta(days=RETENTION_DAYS), dt.time()))
    removed = Notification.objects.filter(read_at__lt=cutoff, created_at__lt=cutoff).delete()[0]
    removed += Delivery.objects.filter(created_at__lt=cutoff, status=DeliveryStatus.SENT).delete()[0]
    removed += JobRun.objects.filter(started_at__lt=cutoff).delete()[0]
    return removed


def reminders_run(*, today: dt.date) -> dict:
    """The daily reminders; safe to run twice (each message has its day's key). Old rows go."""
    return {
        "hazards": hazard_reminders(today=today),
        "action_items": action_item_escalations(today=today),
        "purged": notifications_purge(today=today),
    }


# --- Digests -----------------------------------------------------------------------------------
def _digest_text(user, notes, day) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(portal)s每日汇总（%(day)s）：%(n)d条提醒") % {
            "portal": settings.PORTAL_NAME,
            "day": day.isoformat(),
            "n": len(notes),
        }
        lines = [_("%(name)s，您好：") % {"name": user.full_name or user.username}, ""]
        for note in notes:
            lines.append(f"· [{note.get_kind_display()}] {note.text}")
            if note.url:
                lines.append(f"  {_base_url()}{note.url}" if _base_url() else f"  {note.url}")
        lines += ["", _("在平台的“通知”页可查看全部消息、修改接收方式。")]
    return subject, "\n".join(lines)


def digest_claim(*, user, day: dt.date) -> Digest | None:
    """Claim ``user``'s digest of ``day`` and attach the waiting notifications to it, with the mail
    in the outbox, in one transaction. A second claim (another beat, a rerun, a concurrent worker
    whose insert waits on the unique index) finds the day taken: None."""
    try:
        with transaction.atomic():
            digest = Digest.objects.create(user=user, day=day)
            waiting = Notification.objects.filter(recipient=user, in_digest=True, digest__isnull=True)
            count = waiting.update(digest=digest)
            digest.items = count
            digest.save(update_fields=["items"])
            if count and user.email:
                Delivery.objects.create(digest=digest, user=user, channel=Channel.EMAIL, recipient=user.email)
            return digest
    except IntegrityError:
        return None


def digests_run(*, day: dt.date) -> dict:
    """Every user's digest of ``day``: claimed, then sent. Run twice, it sends once."""
    user_ids = (
        Notification.objects.filter(in_digest=True, digest__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    claimed = skipped = 0
    delivery_ids = []
    for user in User.objects.filter(pk__in=list(user_ids)).order_by("pk"):
        digest = digest_claim(user=user, day=day)
        if digest is None:
            skipped += 1
            continue
        claimed += 1
        delivery_ids += list(digest.deliveries.values_list("pk", flat=True))
    sent = sum(delivery_send(delivery_id=pk) for pk in delivery_ids)
    return {"digests": claimed, "already_sent": skipped, "mails": sent}


# --- Sending -----------------------------------------------------------------------------------
def _base_url() -> str:
    return getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")


def _message(delivery) -> tuple[str, str]:
    if delivery.digest_id:
        digest = delivery.digest
        notes = list(digest.notifications.order_by("created_at", "id"))
        return _digest_text(digest.user, notes, digest.day)
    note = delivery.notification
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"{settings.PORTAL_NAME}：{note.get_kind_display()}"
        body = note.text
        if note.url:
            body += f"\n{_base_url()}{note.url}"
    return subject, body


def delivery_send(*, delivery_id: int) -> bool:
    """Send one outbox row once: claimed by a conditional update (pending or failed → sending), so
    two workers never send it both; a sent row is never sent again. True when it went out."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], attempts__lt=MAX_ATTEMPTS
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:
        return False
    delivery = Delivery.objects.select_related("notification", "digest__user", "webhook", "user").get(pk=delivery_id)
    try:
        subject, body = _message(delivery)
        if delivery.channel == Channel.EMAIL:
            if not email_configured():
                raise ApplicationError("mail is not configured")
            send_email(to=delivery.recipient, subject=subject, body=body)
        else:
            hook = delivery.webhook
            if hook is None or not hook.enabled:
                raise ApplicationError("webhook removed or disabled")
            name = delivery.user.full_name or delivery.user.username
            text = body if hook.adapter == Adapter.SMS else f"@{name} {subject}\n{body}"
            ADAPTERS[hook.adapter].send(url=hook.url, address=delivery.recipient, text=text)
    except Exception as exc:  # noqa: BLE001 - any failure of the far side is logged on the row
        log.warning("delivery %s failed: %s", delivery_id, exc)
        Delivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.FAILED, error=str(exc)[:2000])
        return False
    Delivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.SENT, sent_at=timezone.now(), error="")
    return True


def deliveries_retry(*, now=None) -> dict:
    """The sweep: failed sends again (up to MAX_ATTEMPTS), pending ones whose task never ran, and
    ones whose worker died while sending. What was sent is never touched."""
    now = now or timezone.now()
    Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_SENDING).update(
        status=DeliveryStatus.FAILED, error="interrupted"
    )
    due = Delivery.objects.filter(
        Q(status=DeliveryStatus.FAILED, attempts__lt=MAX_ATTEMPTS)
        | Q(status=DeliveryStatus.PENDING, created_at__lt=now - PENDING_GRACE)
    ).order_by("pk")
    ids = list(due.values_list("pk", flat=True)[:500])
    sent = sum(delivery_send(delivery_id=pk) for pk in ids)
    return {"tried": len(ids), "sent": sent}


# --- Reading ------------------------------------------------------------------------------------
def notification_mark_read(*, user, notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        cache.delete(unread_cache_key(user.pk))
    return notification


def notifications_mark_all_read(*, user) -> int:
    count = Notification.objects.for_user(user).unread().update(read_at=timezone.now())
    cache.delete(unread_cache_key(user.pk))
    return count


# --- County webhooks ----------------------------------------------------------------------------
@transaction.atomic
def webhook_channel_save(*, user, channel: WebhookChannel | None = None, **fields) -> WebhookChannel:
    if not user.is_county_level:
        raise PermissionDenied
    channel = channel or WebhookChannel(county_id=user.area_id)
    if channel.county_id != user.area_id:
        raise PermissionDenied
    editable = ("name", "adapter", "url", "enabled")
    return model_update(instance=channel, fields=editable, data={k: v for k, v in fields.items() if k in editable})


# --- The job-run log ----------------------------------------------------------------------------
@contextlib.contextmanager
def job_run(task: str):
    """Log one run of a scheduled job: a row at the start, its result (``run.result = ...``)
    or its error at the end. The exception is re-raised."""
    run = JobRun.objects.create(task=task)
    try:
        yield run
    except Exception as exc:
        JobRun.objects.filter(pk=run.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"[:5000],
        )
        raise
    JobRun.objects.filter(pk=run.pk).update(
        status=JobStatus.OK, finished_at=timezone.now(), result=str(run.result)[:300]
    )
