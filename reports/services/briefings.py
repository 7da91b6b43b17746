"""Monthly briefings: numbering, idempotent generation, editing, publishing, rendering."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError
from safecommunity.models import Area

from ..choices import BriefingKind, BriefingStatus, RenderStatus
from ..models import Briefing, BriefingArticle, BriefingSeries
from ..models.briefings import QUEUED_GRACE, STALE_CLAIM, briefing_upload_to
from ..rendering import sha256, store_file


def series_for(township: Area) -> BriefingSeries:
    """The owner's series: a township's, or the county's own (issued by its 安全社区推进委员会办公室)."""
    series = BriefingSeries.objects.filter(township=township).first()
    if series:
        return series
    if township.level == "county":
        issuer = _("%(t)s安全社区推进委员会办公室") % {"t": township.name}
    else:
        issuer = _("%(t)s安全社区促进委员会办公室") % {"t": township.name}
    return BriefingSeries(township=township, issuer=issuer, title=_("安全社区建设简报"), total_offset=0)


def briefing_numbers(*, township: Area, year: int, month: int) -> tuple[int, int]:
    """(number in the year, number in total) of a month's issue.

    Every version of a month shares its number. A new month takes the next number in the order
    issues are made: in the monthly run that is the month order ("2026年第10期(总第58期)"),
    and a month drafted late takes the next free number instead of one already printed. January
    starts the year again at 第1期 while the total runs on. The series carries the issues
    published before the portal: in total, and in the year it started being used. Callers hold
    the township's lock (``briefing_generate``), so two new months never get the same number."""
    monthly = Briefing.objects.filter(township=township, kind=BriefingKind.MONTHLY)
    existing = monthly.filter(year=year, month=month).order_by("version").first()
    if existing:
        return existing.number_in_year, existing.number_total
    issued = monthly
    series = series_for(township)
    last_in_year = issued.filter(year=year).aggregate(n=Max("number_in_year"))["n"]
    if last_in_year is None:
        last_in_year = series.start_year_offset if series.start_year == year else 0
    last_total = issued.aggregate(n=Max("number_total"))["n"]
    if last_total is None:
        last_total = series.total_offset
    return last_in_year + 1, last_total + 1


def _issued_on(year: int, month: int) -> date:
    """Briefings for a month are issued early the next month."""
    return date(year + (month == 12), month % 12 + 1, 5)


@transaction.atomic
def briefing_generate(
    *, township: Area, year: int, month: int, new_version: bool = False, today: date | None = None
) -> tuple[Briefing, bool]:
    """The month's briefing, created once. Running it again returns the same row (and refreshes the
    numbers of a draft). A published briefing is never touched: ``new_version`` makes version n+1.
    Safe under concurrency: the unique (township, year, month, version) decides who creates it."""
    from ..selectors import briefing_sections

    latest = (
        Briefing.objects.filter(township=township, kind=BriefingKind.MONTHLY, year=year, month=month)
        .order_by("-version")
        .first()
    )
    if latest and not (new_version and latest.is_published):
        if not latest.is_published and new_version:
            latest.snapshot = briefing_sections(township=township, year=year, month=month, today=today)
            latest.render_status = RenderStatus.QUEUED
            latest.render_error = ""
            latest.save(update_fields=["snapshot", "render_status", "render_error", "updated_at"])
        return latest, False
    version = latest.version + 1 if latest else 1
    Area.objects.select_for_update().filter(pk=township.pk).first()  # one numbering at a time per township
    in_year, total = briefing_numbers(township=township, year=year, month=month)
    series = series_for(township)
    briefing = Briefing(
        township=township,
        year=year,
        month=month,
        version=version,
        number_in_year=in_year,
        number_total=total,
        title=series.title,
        issuer=series.issuer,
        issued_on=_issued_on(year, month),
        editor_note=latest.editor_note if latest else "",
        next_month_plan=latest.next_month_plan if latest else "",
        snapshot=briefing_sections(township=township, year=year, month=month, today=today),
    )
    briefing.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            briefing.save()
    except IntegrityError:
        return (
            Briefing.objects.get(township=township, kind=BriefingKind.MONTHLY, year=year, month=month, version=version),
            False,
        )
    return briefing, True


def special_numbers(*, owner: Area, kind: str, year: int) -> tuple[int, int]:
    """(number in the year, number in total) of a new special issue: 专刊 and 增刊 each run their
    own series per owner, beside the monthly one (callers hold the owner's lock)."""
    issued = Briefing.objects.filter(township=owner, kind=kind)
    in_year = issued.filter(year=year).aggregate(n=Max("number_in_year"))["n"] or 0
    total = issued.aggregate(n=Max("number_total"))["n"] or 0
    return in_year + 1, total + 1


@transaction.atomic
def briefing_create_special(
    *, owner: Area, user, kind: str, subject: str = "", issued_on: date | None = None
) -> Briefing:
    """A 专刊/增刊 of a township or the county: articles only, the next number of its own series."""
    if kind not in (BriefingKind.SPECIAL, BriefingKind.SUPPLEMENT):
        raise ApplicationError(_("请选择专刊或增刊"))
    if not user_may_write_for(user, owner):
        raise PermissionDenied
    issued_on = issued_on or timezone.localdate()
    Area.objects.select_for_update().filter(pk=owner.pk).first()  # one numbering at a time per owner
    in_year, total = special_numbers(owner=owner, kind=kind, year=issued_on.year)
    series = series_for(owner)
    briefing = Briefing(
        township=owner,
        kind=kind,
        subject=subject,
        year=issued_on.year,
        month=issued_on.month,
        number_in_year=in_year,
        number_total=total,
        title=series.title,
        issuer=series.issuer,
        issued_on=issued_on,
        status=BriefingStatus.EDITED,
    )
    briefing.full_clean()
    briefing.save()
    return briefing


def user_may_write_for(user, owner) -> bool:
    """Township staff write their township's briefings; the county office the county's own."""
    from safecommunity.permissions import EDIT_TOWNSHIP, RUN_COUNTY_OFFICE

    if user is None or not user.is_authenticated or user.area_id != getattr(owner, "pk", owner):
        return False
    if user.is_county_level:
        return user.role in RUN_COUNTY_OFFICE
    return user.is_township_level and user.role in EDIT_TOWNSHIP


def _require_writer(user, briefing):
    if not user_may_write_for(user, briefing.township_id):
        raise PermissionDenied


@transaction.atomic
def briefing_update(
    *,
    briefing: Briefing,
    user,
    editor_note: str,
    next_month_plan: str = "",
    issuer: str,
    issued_on: date,
    subject: str | None = None,
    distribution_report: str = "",
    distribution_send: str = "",
    distribution_issue: str = "",
    print_count: int | None = None,
    articles: list[dict] | None = None,
) -> Briefing:
    """Edit a draft: its 编者按, articles (``articles``: the whole list in order, each ``{"id"
    (None for a new one), "title", "author", "body"}``; rows left out are deleted), distribution
    block and print count. A published briefing is frozen."""
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    _require_writer(user, briefing)
    if briefing.is_published:
        raise ApplicationError(_("已发布的简报不能修改；请生成新版本"))
    briefing.editor_note, briefing.next_month_plan = editor_note, next_month_plan
    briefing.issuer, briefing.issued_on = issuer, issued_on
    if subject is not None:
        briefing.subject = subject
    briefing.distribution_report, briefing.distribution_send = distribution_report, distribution_send
    briefing.distribution_issue, briefing.print_count = distribution_issue, print_count
    if articles is not None:
        _save_articles(briefing, articles)
    briefing.status = BriefingStatus.EDITED
    briefing.render_status, briefing.render_error = RenderStatus.QUEUED, ""
    briefing.full_clean(validate_constraints=False)
    briefing.save()
    return briefing


@transaction.atomic
def briefing_publish(*, briefing: Briefing, user) -> Briefing:
    """Freeze: the numbers already in the snapshot and the PDF rendered now, with its checksum."""
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    _require_writer(user, briefing)
    if briefing.is_published:
        raise ApplicationError(_("该简报已发布"))
    content = render_briefing_pdf(briefing)
    name = store_file(briefing_upload_to(briefing, ""), content)
    now = timezone.now()
    briefing.pdf.name, briefing.pdf_sha256 = name, sha256(content)
    briefing.render_status, briefing.render_error, briefing.rendered_at = RenderStatus.READY, "", now
    briefing.status, briefing.published_at, briefing.published_by = BriefingStatus.PUBLISHED, now, user
    briefing.save()
    return briefing


# briefing_claim / briefing_render / briefing_build are deliberately not one transaction: the claim
# must be visible to other workers at once, and a PDF is rendered outside any open transaction.
def briefing_claim(*, briefing_id: int, task_id: str) -> bool:
    """Claim the render with one conditional UPDATE. Claimable: queued or failed; or rendering under
    this same task id (the broker redelivered the message of a worker that died mid-render); or a
    claim older than any task may live. A second task, or a second worker, gets False."""
    now = timezone.now()
    claimable = (
        Q(render_status__in=[RenderStatus.QUEUED, RenderStatus.FAILED])
        | Q(render_status=RenderStatus.RENDERING, render_task_id=task_id)
        | Q(render_status=RenderStatus.RENDERING, render_started_at__lt=now - STALE_CLAIM)
    )
    return bool(
        Briefing.objects.filter(pk=briefing_id)
        .exclude(status=BriefingStatus.PUBLISHED)
        .filter(claimable)
        .update(render_status=RenderStatus.RENDERING, render_task_id=task_id, render_started_at=now, render_error="")
    )


def briefing_render(*, briefing_id: int, task_id: str) -> str:
    """Render the PDF of a claimed briefing; returns "rendered", "skipped" or "failed"."""
    if not briefing_claim(briefing_id=briefing_id, task_id=task_id):
        return "skipped"
    briefing = Briefing.objects.select_related("township").get(pk=briefing_id)
    mine = Briefing.objects.filter(pk=briefing_id, render_task_id=task_id, render_status=RenderStatus.RENDERING)
    try:
        content = render_briefing_pdf(briefing)
        name = store_file(briefing_upload_to(briefing, ""), content)
    except Exception as exc:  # the reason is shown in the page, with a retry
        mine.update(render_status=RenderStatus.FAILED, render_error=f"{type(exc).__name__}: {exc}"[:2000])
        return "failed"
    mine.update(render_status=RenderStatus.READY, pdf=name, pdf_sha256=sha256(content), rendered_at=timezone.now())
    return "rendered"


def briefing_build(*, township: Area, year: int, month: int, task_id: str) -> Briefing:
    """What the beat task does for one township: the draft (once) and its PDF (once)."""
    briefing, _created = briefing_generate(township=township, year=year, month=month)
    briefing_render(briefing_id=briefing.pk, task_id=task_id)
    return briefing


@transaction.atomic
def briefing_retry(*, briefing: Briefing, user) -> Briefing:
    """Failed, or stuck (queued with its message lost, rendering by a worker that died): queued
    again. A render that is still alive is never doubled: it is not stuck before its time limit."""
    _require_writer(user, briefing)
    now = timezone.now()
    Briefing.objects.filter(pk=briefing.pk).exclude(status=BriefingStatus.PUBLISHED).filter(
        Q(render_status=RenderStatus.FAILED)
        | Q(render_status=RenderStatus.QUEUED, updated_at__lt=now - QUEUED_GRACE)
        | Q(render_status=RenderStatus.RENDERING, render_started_at__lt=now - STALE_CLAIM)
    ).update(render_status=RenderStatus.QUEUED, render_error="", render_task_id="", updated_at=now)
    briefing.refresh_from_db()
    return briefing


def _save_articles(briefing: Briefing, articles: list[dict]) -> None:
    existing = {a.pk: a for a in briefing.articles.all()}
    keep = set()
    for order, data in enumerate(articles, start=1):
        article = existing.get(data.get("id")) or BriefingArticle(briefing=briefing)
        article.order, article.title = order, data["title"]
        article.author, article.body = data.get("author", ""), data["body"]
        article.full_clean()
        article.save()
        keep.add(article.pk)
    briefing.articles.exclude(pk__in=keep).delete()


def render_briefing_pdf(briefing: Briefing) -> bytes:
    from ..documents import briefing_render  # documents reads the services' scoring

    return briefing_render(briefing)
