"""The download centre: ask for a file, render it in the background, hand it out through a view."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError
from safecommunity.permissions import READ_COMMITTEE_WORK, READ_SCORECARDS

from ..choices import DocumentKind, RenderStatus
from ..models import AssessmentRound, Briefing, DownloadJob, Scorecard
from ..models.briefings import QUEUED_GRACE, STALE_CLAIM
from ..models.downloads import download_upload_to
from ..rendering import sha256, store_file


def _target(user, kind: str, object_id: int):
    """(township, county, title, filename) of an object the user may download, else 404-like refusal."""
    if kind == DocumentKind.BRIEFING:
        if user.role not in READ_COMMITTEE_WORK:
            raise PermissionDenied
        b = Briefing.objects.for_user(user).select_related("township").filter(pk=object_id).first()
        if b:
            return b.township, b.township.parent, f"{b.township.name} {b.issue_label}", b.download_name()
    elif kind == DocumentKind.SCORECARD:
        if user.role not in READ_SCORECARDS:
            raise PermissionDenied
        c = Scorecard.objects.for_user(user).select_related("township", "round").filter(pk=object_id).first()
        if c:
            return (
                c.township,
                c.township.parent,
                f"{c.round.name} · {c.township.name}",
                f"scorecard-{c.round_id}-{c.township.code}.pdf",
            )
    elif kind == DocumentKind.COUNTY_SUMMARY:
        if user.is_county_level:
            r = AssessmentRound.objects.for_user(user).filter(pk=object_id).first()
            if r:
                return None, r.county, _("%(n)s 汇总") % {"n": r.name}, f"county-summary-{r.pk}.pdf"
        else:
            raise PermissionDenied
    elif kind == DocumentKind.MINUTES:
        from committees.models import Meeting

        if user.role not in READ_COMMITTEE_WORK:
            raise PermissionDenied
        m = Meeting.objects.for_user(user).select_related("township").filter(pk=object_id).first()
        if m:
            return (
                m.township,
                m.township.parent,
                _("会议纪要：%(t)s") % {"t": m.title},
                f"minutes-{m.held_on:%Y%m%d}-{m.pk}.pdf",
            )
    elif kind == DocumentKind.NOTICE:
        from inspections.choices import EnforcementKind
        from inspections.models import Enforcement

        e = (
            Enforcement.objects.for_user(user)
            .select_related("township", "entity")
            .filter(pk=object_id, kind=EnforcementKind.ORDER_RECTIFY)
            .first()
        )
        if e:
            return e.township, e.township.parent, _("责令整改通知：%(t)s") % {"t": e.entity.name}, f"notice-{e.pk}.pdf"
    else:
        raise ApplicationError(_("该类文件暂不支持在下载中心生成"))
    raise ApplicationError(_("没有找到该文件或无权下载"))


@transaction.atomic
def download_request(*, user, kind: str, object_id: int) -> DownloadJob:
    township, county, title, filename = _target(user, kind, object_id)
    pending = DownloadJob.objects.filter(
        user=user, kind=kind, object_id=object_id, status__in=[RenderStatus.QUEUED, RenderStatus.RENDERING]
    ).first()
    if pending:
        return pending
    job = DownloadJob(
        user=user, kind=kind, object_id=object_id, township=township, county=county, title=title, filename=filename
    )
    job.full_clean()
    job.save()
    _enqueue(job)
    return job


def _enqueue(job):
    from safecommunity import queue

    from ..tasks import download_render as task

    queue.enqueue_on_commit(task, job.pk)


@transaction.atomic
def download_retry(*, job: DownloadJob, user) -> DownloadJob:
    if job.user_id != user.pk:
        raise PermissionDenied
    now = timezone.now()
    retryable = (
        Q(status=RenderStatus.FAILED)
        | Q(status=RenderStatus.QUEUED, updated_at__lt=now - QUEUED_GRACE)
        | Q(status=RenderStatus.RENDERING, started_at__lt=now - STALE_CLAIM)
    )
    if (
        DownloadJob.objects.filter(pk=job.pk)
        .filter(retryable)
        .update(status=RenderStatus.QUEUED, error="", task_id="", updated_at=now)
    ):
        _enqueue(job)
    job.refresh_from_db()
    return job


def _render(job: DownloadJob) -> bytes:
    from .. import documents

    if job.kind == DocumentKind.BRIEFING:
        return documents.briefing_pdf_bytes(Briefing.objects.select_related("township").get(pk=job.object_id))
    if job.kind == DocumentKind.SCORECARD:
        return documents.scorecard_pdf(Scorecard.objects.get(pk=job.object_id))
    if job.kind == DocumentKind.COUNTY_SUMMARY:
        return documents.county_summary_pdf(AssessmentRound.objects.get(pk=job.object_id))
    if job.kind == DocumentKind.MINUTES:
        from committees.models import Meeting
        from committees.pdf import minutes_pdf

        return minutes_pdf(Meeting.objects.select_related("township", "chair").get(pk=job.object_id))
    if job.kind == DocumentKind.NOTICE:
        from inspections.documents import ENFORCEMENT_RELATED, enforcement_notice_pdf
        from inspections.models import Enforcement

        return enforcement_notice_pdf(Enforcement.objects.select_related(*ENFORCEMENT_RELATED).get(pk=job.object_id))
    raise ApplicationError(_("该类文件暂不支持在下载中心生成"))


def download_render(*, job_id: int, task_id: str) -> str:
    now = timezone.now()
    claimable = (
        Q(status=RenderStatus.QUEUED)
        | Q(status=RenderStatus.RENDERING, task_id=task_id)
        | Q(status=RenderStatus.RENDERING, started_at__lt=now - STALE_CLAIM)
    )
    if (
        not DownloadJob.objects.filter(pk=job_id)
        .filter(claimable)
        .update(status=RenderStatus.RENDERING, task_id=task_id, started_at=now)
    ):
        return "skipped"
    job = DownloadJob.objects.get(pk=job_id)
    mine = DownloadJob.objects.filter(pk=job_id, task_id=task_id, status=RenderStatus.RENDERING)
    try:
        content = _render(job)
        name = store_file(download_upload_to(job, ""), content)
    except Exception as exc:  # shown in the download centre with a retry button
        mine.update(status=RenderStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now())
        return "failed"
    mine.update(status=RenderStatus.READY, file=name, sha256=sha256(content), finished_at=timezone.now())
    return "rendered"
