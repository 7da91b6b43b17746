"""Writes of the monthly close: submit, return, approve; corrections of an approved month; the
month-end package (requested here, built by ``tasks.package_build``)."""

import datetime as dt
from importlib import import_module

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError
from safecommunity.models import Area
from safecommunity.periods import Period
from safecommunity.permissions import EDIT_TOWNSHIP, READ_COMMITTEE_WORK, SUPERVISE
from safecommunity.privacy import mask_id_number, mask_name, mask_phone

from . import signals
from .choices import CloseAction, CloseStatus, CorrectionStatus, PackageStatus
from .lock import MonthLockedError, applying_correction, decode, encode
from .models import Correction, MonthClose, MonthCloseEvent, MonthPackage
from .selectors import (
    data_versions,
    differences,
    figures_sha256,
    month_as_of,
    month_checklist,
    month_context,
    month_figures,
)


def _send(signal, *, township, year, month, actor, reason="", **extra):
    label = f"{year}-{month:02d}"
    transaction.on_commit(
        lambda: signal.send(sender=MonthClose, township=township, month=label, actor=actor, reason=reason, **extra)
    )


def _freeze(close: MonthClose, *, today=None) -> None:
    township = close.township
    close.as_of = month_as_of(close.year, close.month, today)
    versions = data_versions(township)
    figures = month_figures(township=township, year=close.year, month=close.month)
    close.snapshot = {
        "figures": figures,
        "context": month_context(township=township, year=close.year, month=close.month, as_of=close.as_of),
    }
    close.figures_sha256 = figures_sha256(figures)
    close.data_versions = versions


def _require_township_staff(user, township) -> None:
    if user.role not in EDIT_TOWNSHIP or not user.is_township_level or user.area_id != township.pk:
        raise PermissionDenied


def _require_supervisor(user, township) -> None:
    if user.role not in SUPERVISE or not user.is_county_level or township.parent_id != user.area_id:
        raise PermissionDenied


@transaction.atomic
def month_submit(*, township: Area, year: int, month: int, user, today: dt.date | None = None) -> MonthClose:
    """Submit (or, after a return, resubmit) a month: its figures are frozen as they are now."""
    _require_township_staff(user, township)
    today = today or timezone.localdate()
    if not 1 <= month <= 12 or Period.month(year, month).last_day >= today:
        raise ApplicationError(_("只能报送已经结束的月份"))
    Area.objects.select_for_update().filter(pk=township.pk).first()  # one submission at a time
    close = MonthClose.objects.select_for_update().filter(township=township, year=year, month=month).first()
    if close and close.status == CloseStatus.SUBMITTED:
        raise ApplicationError(_("该月已报送，正在等待县级审核"))
    if close and close.status == CloseStatus.APPROVED:
        raise ApplicationError(_("该月已审核通过并锁定"))
    close = close or MonthClose(township=township, year=year, month=month)
    close.status = CloseStatus.SUBMITTED
    close.submitted_at, close.submitted_by = timezone.now(), user
    close.decided_at, close.decided_by, close.return_reason = None, None, ""
    close.checklist = month_checklist(township=township, year=year, month=month, today=today)
    _freeze(close, today=today)
    close.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            close.save()
    except IntegrityError as exc:
        raise ApplicationError(_("该月已报送，正在等待县级审核")) from exc
    MonthCloseEvent.objects.create(close=close, action=CloseAction.SUBMIT, actor=user)
    _send(signals.month_submitted, township=township, year=year, month=month, actor=user)
    return close


def _locked_close(close: MonthClose) -> MonthClose:
    return MonthClose.objects.select_for_update().select_related("township").get(pk=close.pk)


@transaction.atomic
def month_return(*, close: MonthClose, user, reason: str) -> MonthClose:
    _require_supervisor(user, close.township)
    close = _locked_close(close)
    reason = (reason or "").strip()
    if close.status != CloseStatus.SUBMITTED:
        raise ApplicationError(_("只有待审核的月份可以退回"))
    if not reason:
        raise ApplicationError(_("退回须说明原因"), field="reason")
    close.status, close.return_reason = CloseStatus.RETURNED, reason
    close.decided_at, close.decided_by = timezone.now(), user
    close.save(update_fields=["status", "return_reason", "decided_at", "decided_by", "updated_at"])
    MonthCloseEvent.objects.create(close=close, action=CloseAction.RETURN, actor=user, reason=reason)
    _send(
        signals.month_returned, township=close.township, year=close.year, month=close.month, actor=user, reason=reason
    )
    return close


@transaction.atomic
def month_approve(*, close: MonthClose, user, reason: str = "") -> MonthClose:
    """Approve the submitted figures. Refused when the data changed after submission: the county
    approves exactly what it sees, so the township resubmits first."""
    _require_supervisor(user, close.township)
    close = _locked_close(close)
    if close.status != CloseStatus.SUBMITTED:
        raise ApplicationError(_("只有待审核的月份可以审核通过"))
    live = month_figures(township=close.township, year=close.year, month=close.month)
    diff = differences(close.snapshot.get("figures", {}), live)
    if diff:
        raise ApplicationError(
            _("报送后数据已变化（%(d)s），请退回乡镇重新报送") % {"d": "、".join(str(d["label"]) for d in diff)}
        )
    close.status = CloseStatus.APPROVED
    close.decided_at, close.decided_by = timezone.now(), user
    close.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    MonthCloseEvent.objects.create(close=close, action=CloseAction.APPROVE, actor=user, reason=(reason or "").strip())
    _send(signals.month_approved, township=close.township, year=close.year, month=close.month, actor=user)
    return close


# --- Corrections of an approved month -----------------------------------------------------------

_PERSONAL = {"name": mask_name, "id_number": mask_id_number, "phone": mask_phone}
_NOT_SHOWN = {"user", "township", "confirm_warnings", "check_permission", "reason", "photos", "outcomes"}


def _display(model, name, value) -> str:
    from django.core.exceptions import FieldDoesNotExist

    if value is None or value == "":
        return ""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def _changes(locked: MonthLockedError) -> list[dict]:
    from django.apps import apps

    record = locked.record
    model = type(record) if record is not None else None
    if model is None and locked.service:
        model = {
            "incidents.services.incident_register": "incidents.Incident",
            "incidents.services.injury_record_create": "incidents.InjuryRecord",
            "inspections.services.inspections.inspection_record": "inspections.Inspection",
            "inspections.services.hazards.hazard_register": "inspections.Hazard",
        }.get(locked.service)
        model = apps.get_model(model) if model else None
    rows = []
    for name, after in locked.arguments.items():
        if name in _NOT_SHOWN or (model and isinstance(after, model)):
            continue
        label = name
        if model is not None:
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except Exception:  # noqa: BLE001 - an argument that is no field keeps its name
                pass
        raw_before = getattr(record, name, None) if record is not None else None
        if name in _PERSONAL:  # personal data are shown masked to the approver, as on every list
            if (raw_before or "") != (after or ""):
                mask = _PERSONAL[name]
                rows.append({"field": name, "label": label, "before": mask(raw_before), "after": mask(after)})
            continue
        before = _display(model, name, raw_before) if record is not None else ""
        shown_after = _display(model, name, after) if model else str(after)
        if before != shown_after:
            rows.append({"field": name, "label": label, "before": before, "after": shown_after})
    return rows


@transaction.atomic
def correction_request(*, user, locked: MonthLockedError) -> Correction:
    """Keep a refused edit of an approved month as a correction for the county to decide."""
    if not user.is_township_level or user.area_id != locked.township_id:
        raise PermissionDenied
    close = MonthClose.objects.filter(
        township_id=locked.township_id, year=locked.year, month=locked.month, status=CloseStatus.APPROVED
    ).first()
    if close is None or not locked.service:
        raise ApplicationError(locked.message)
    changes = _changes(locked)
    if not changes:
        raise ApplicationError(_("没有修改任何内容"))
    record = locked.record
    correction = Correction(
        township_id=locked.township_id,
        close=close,
        record_type=record._meta.label if record is not None else locked.service,
        record_id=record.pk if record is not None else None,
        record_label=(str(record) if record is not None else _("新增记录"))[:200],
        record_date=locked.record_date,
        service=locked.service,
        arguments=encode(locked.arguments),
        changes=changes,
        requested_by=user,
    )
    correction.full_clean()
    correction.save()
    _send(
        signals.correction_requested,
        township=close.township,
        year=close.year,
        month=close.month,
        actor=user,
        correction=correction,
    )
    return correction


def _service(path: str):
    module, name = path.rsplit(".", 1)
    return getattr(import_module(module), name)


def _refreeze_approved(township, months) -> None:
    for close in MonthClose.objects.select_for_update().filter(township=township, status=CloseStatus.APPROVED):
        if (close.year, close.month) in months:
            _freeze(close)
            close.save(update_fields=["snapshot", "figures_sha256", "data_versions", "as_of", "updated_at"])


def _months_in(arguments) -> set[tuple[int, int]]:
    found = set()
    for value in arguments.values():
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
        if isinstance(value, dt.date):
            found.add((value.year, value.month))
    return found


@transaction.atomic
def correction_approve(*, correction: Correction, user, reason: str = "") -> Correction:
    """Apply the correction through the record's own service, then freeze the approved figures of
    the months it touched again (the county approved the new figures)."""
    close = correction.close
    _require_supervisor(user, close.township)
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if correction.status != CorrectionStatus.PENDING:
        raise ApplicationError(_("该更正申请已处理"))
    arguments = decode(correction.arguments)
    with applying_correction(correction.pk):
        _service(correction.service)(**arguments)
    months = {(close.year, close.month)} | _months_in(arguments)
    _refreeze_approved(close.township, months)
    correction.status, correction.decided_by, correction.decided_at = CorrectionStatus.APPROVED, user, timezone.now()
    correction.reason = (reason or "").strip()
    correction.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    MonthCloseEvent.objects.create(
        close=close, action=CloseAction.CORRECT, actor=user, reason=f"{correction.record_label} {correction.reason}"
    )
    _send(
        signals.correction_decided,
        township=close.township,
        year=close.year,
        month=close.month,
        actor=user,
        reason=correction.reason,
        correction=correction,
        approved=True,
    )
    return correction


@transaction.atomic
def correction_reject(*, correction: Correction, user, reason: str) -> Correction:
    _require_supervisor(user, correction.close.township)
    correction = Correction.objects.select_for_update().select_related("close__township").get(pk=correction.pk)
    reason = (reason or "").strip()
    if correction.status != CorrectionStatus.PENDING:
        raise ApplicationError(_("该更正申请已处理"))
    if not reason:
        raise ApplicationError(_("驳回须说明原因"), field="reason")
    correction.status, correction.decided_by, correction.decided_at = CorrectionStatus.REJECTED, user, timezone.now()
    correction.reason = reason
    correction.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    close = correction.close
    _send(
        signals.correction_decided,
        township=close.township,
        year=close.year,
        month=close.month,
        actor=user,
        reason=reason,
        correction=correction,
        approved=False,
    )
    return correction


# --- The month-end package ----------------------------------------------------------------------

# A build is killed after this long (the task's time limit); a claim older than STALE_CLAIM,
# or a heartbeat older than STALE_HEARTBEAT, belongs to a worker that died: the sweep sends it again.
PACKAGE_TIME_LIMIT = 10 * 60
STALE_CLAIM = dt.timedelta(seconds=PACKAGE_TIME_LIMIT + 60)
STALE_HEARTBEAT = dt.timedelta(minutes=5)
QUEUED_GRACE = dt.timedelta(minutes=1)


def _stale_q(now):
    return Q(status=PackageStatus.QUEUED, updated_at__lt=now - QUEUED_GRACE) | Q(
        Q(started_at__lt=now - STALE_CLAIM) | Q(heartbeat_at__lt=now - STALE_HEARTBEAT),
        status=PackageStatus.RENDERING,
    )


def package_stuck(package: MonthPackage, now=None) -> bool:
    now = now or timezone.now()
    return MonthPackage.objects.filter(pk=package.pk).filter(_stale_q(now)).exists() if package.pk else False


def _package_area(user, area_id: int | None) -> Area:
    if user.role not in READ_COMMITTEE_WORK:
        raise PermissionDenied
    if area_id is None:
        area_id = user.area_id
    area = Area.objects.for_user(user).filter(pk=area_id, level__in=["township", "county"]).first()
    if area is None:
        raise ApplicationError(_("没有找到该区划或无权生成"))
    return area


@transaction.atomic
def package_request(*, user, year: int, month: int, area_id: int | None = None) -> MonthPackage:
    """One click: the month-end package of the user's township (or county, or one of its
    townships). A second click while it builds returns the same job."""
    area = _package_area(user, area_id)
    if not 1 <= month <= 12 or Period.month(year, month).start > timezone.localdate():
        raise ApplicationError(_("月份不正确"))
    pending = MonthPackage.objects.filter(
        user=user, area=area, year=year, month=month, status__in=[PackageStatus.QUEUED, PackageStatus.RENDERING]
    ).first()
    if pending:
        return pending
    package = MonthPackage(
        user=user,
        area=area,
        year=year,
        month=month,
        title=_("%(a)s %(y)d年%(m)d月 月末资料包") % {"a": area.name, "y": year, "m": month},
    )
    try:
        with transaction.atomic():
            package.save()
    except IntegrityError:  # a concurrent click won
        return MonthPackage.objects.get(
            user=user, area=area, year=year, month=month, status__in=[PackageStatus.QUEUED, PackageStatus.RENDERING]
        )
    _enqueue(package)
    return package


def _enqueue(package):
    from safecommunity import queue

    from .tasks import package_build

    queue.enqueue_on_commit(package_build, package.pk)


@transaction.atomic
def package_retry(*, package: MonthPackage, user) -> MonthPackage:
    if package.user_id != user.pk:
        raise PermissionDenied
    now = timezone.now()
    if (
        MonthPackage.objects.filter(pk=package.pk)
        .filter(Q(status=PackageStatus.FAILED) | _stale_q(now))
        .update(status=PackageStatus.QUEUED, error="", task_id="", progress=0, step="", updated_at=now)
    ):
        _enqueue(package)
    package.refresh_from_db()
    return package


def package_build(*, package_id: int, task_id: str) -> str:
    """Claim the job (conditional update: a second message, or a second worker, does nothing),
    build, store. A worker killed mid-build leaves a stale claim the sweep sends again."""
    from .package import build_package

    now = timezone.now()
    claimable = Q(status=PackageStatus.QUEUED) | Q(status=PackageStatus.RENDERING, task_id=task_id) | _stale_q(now)
    if (
        not MonthPackage.objects.filter(pk=package_id)
        .filter(claimable)
        .update(status=PackageStatus.RENDERING, task_id=task_id, started_at=now, heartbeat_at=now, progress=0)
    ):
        return "skipped"
    package = MonthPackage.objects.select_related("area", "user").get(pk=package_id)
    mine = MonthPackage.objects.filter(pk=package_id, task_id=task_id, status=PackageStatus.RENDERING)

    def progress(done: int, total: int, step: str) -> None:
        mine.update(progress=int(done * 100 / max(total, 1)), step=str(step)[:200], heartbeat_at=timezone.now())

    try:
        result = build_package(package, progress=progress)
    except Exception as exc:  # shown in the download centre with a retry button
        mine.update(
            status=PackageStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        return "failed"
    updated = mine.update(
        status=PackageStatus.READY,
        progress=100,
        step="",
        zip_file=result["zip"],
        pdf_file=result["pdf"],
        sha256=result["sha256"],
        manifest=result["manifest"],
        finished_at=timezone.now(),
    )
    return "built" if updated else "skipped"


def packages_requeue(*, now=None) -> int:
    """The sweep: send again packages whose message was lost or whose worker died."""
    from safecommunity import queue

    from .tasks import package_build as task

    now = now or timezone.now()
    sent = 0
    for pk in MonthPackage.objects.filter(_stale_q(now)).values_list("pk", flat=True):
        sent += queue.enqueue(task, pk)
    return sent
