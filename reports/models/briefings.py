"""The monthly briefing (简报): one per township per month and version, numbered per year and in total."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safecommunity.links import pk_url
from safecommunity.models import OWNER_LEVELS, CountyOwnedModel, TimeStampedModel
from safecommunity.querysets import ScopedQuerySet

from ..choices import BriefingKind, BriefingStatus, RenderStatus


class BriefingSeries(TimeStampedModel):
    """A township's briefing series: issuer and the issues published before the portal existed."""

    township = models.OneToOneField(
        "safecommunity.Area",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        related_name="briefing_series",
        limit_choices_to={"level__in": OWNER_LEVELS},
    )
    issuer = models.CharField(_("编发单位"), max_length=100)
    title = models.CharField(_("刊名"), max_length=100, default="安全社区建设简报")
    total_offset = models.PositiveIntegerField(_("此前已出期数"), default=0)
    start_year = models.PositiveIntegerField(_("启用年度"), null=True, blank=True)
    start_year_offset = models.PositiveIntegerField(
        _("启用当年此前已出期数"), default=0, help_text=_("例如10月启用、当年已出9期，则填9")
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["township__code"]
        verbose_name = _("简报刊期设置")
        verbose_name_plural = _("简报刊期设置")

    def __str__(self):
        return f"{self.township.name} {self.title}"


# A PDF render (briefing, download) is killed after this long (the reports tasks' time limit),
# so a claim older than STALE_CLAIM belongs to a run that can no longer be alive: the sweep sends
# it again and the user may retry it. A job still queued after QUEUED_GRACE lost its message.
RENDER_TIME_LIMIT = 5 * 60
STALE_CLAIM = timedelta(seconds=RENDER_TIME_LIMIT + 60)
QUEUED_GRACE = timedelta(minutes=1)


def job_stuck(status: str, changed_at, started_at, now=None) -> bool:
    """Queued past the grace (its message was lost) or rendering past any live claim (its worker died)."""
    now = now or timezone.now()
    if status == RenderStatus.QUEUED:
        return bool(changed_at and changed_at < now - QUEUED_GRACE)
    if status == RenderStatus.RENDERING:
        return bool(started_at and started_at < now - STALE_CLAIM)
    return False


def briefing_upload_to(instance, filename):
    if instance.kind != BriefingKind.MONTHLY:
        return (
            f"reports/briefings/{instance.township.code}/{instance.kind}-{instance.year}-"
            f"{instance.number_in_year:02d}-v{instance.version}.pdf"
        )
    return f"reports/briefings/{instance.township.code}/{instance.year}-{instance.month:02d}-v{instance.version}.pdf"


class Briefing(CountyOwnedModel):
    """A 简报 of a township or of the county itself: the monthly issue (its sections from the data)
    or a special issue (专刊/增刊: articles only), each kind numbered in the owner's own series.
    A township reads the county's briefings once published (``county_published``)."""

    county_published = {"status": BriefingStatus.PUBLISHED}

    kind = models.CharField(_("类别"), max_length=12, choices=BriefingKind.choices, default=BriefingKind.MONTHLY)
    subject = models.CharField(_("专刊名称"), max_length=100, blank=True, help_text=_("例如：安全社区创建专刊"))
    year = models.PositiveIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    number_in_year = models.PositiveIntegerField(_("年内期号"))
    number_total = models.PositiveIntegerField(_("总期号"))
    title = models.CharField(_("刊名"), max_length=100)
    issuer = models.CharField(_("编发单位"), max_length=100)
    issued_on = models.DateField(_("印发日期"))
    editor_note = models.TextField(_("编者按"), blank=True)
    next_month_plan = models.TextField(_("下月工作安排"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=BriefingStatus.choices, default=BriefingStatus.DRAFT)
    snapshot = models.JSONField(_("数据快照"), default=dict, blank=True)
    render_status = models.CharField(
        _("生成状态"), max_length=10, choices=RenderStatus.choices, default=RenderStatus.QUEUED
    )
    render_error = models.TextField(_("失败原因"), blank=True)
    render_task_id = models.CharField(_("任务"), max_length=64, blank=True)
    render_started_at = models.DateTimeField(_("开始生成"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=briefing_upload_to, blank=True, max_length=200)
    pdf_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    distribution_report = models.CharField(_("报"), max_length=500, blank=True, help_text=_("报送的上级机关"))
    distribution_send = models.CharField(_("送"), max_length=500, blank=True, help_text=_("送达的领导和部门"))
    distribution_issue = models.CharField(_("发"), max_length=500, blank=True, help_text=_("下发的单位"))
    print_count = models.PositiveIntegerField(_("印数(份)"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "-month", "township__code", "-version"]
        verbose_name = _("简报")
        verbose_name_plural = _("简报")
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year", "month", "version"],
                condition=models.Q(kind="monthly"),
                name="reports_briefing_unique",
            ),
            models.UniqueConstraint(
                fields=["township", "kind", "year", "number_in_year", "version"],
                condition=~models.Q(kind="monthly"),
                name="reports_briefing_special_unique",
            ),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="reports_briefing_month"),
        ]
        indexes = [models.Index(fields=["-year", "-month", "township"], name="reports_briefing_order_idx")]

    def __str__(self):
        return f"{self.township.name} {self.issue_label}"

    def get_absolute_url(self):
        return pk_url("reports:briefing_detail", self.pk)

    @property
    def is_monthly(self) -> bool:
        return self.kind == BriefingKind.MONTHLY

    @property
    def masthead(self) -> str:
        """The title printed in red: the series' title, a special issue's own name (or 专刊/增刊)."""
        if self.is_monthly:
            return self.title
        return self.subject or f"{self.title}（{self.get_kind_display()}）"

    @property
    def issue_label(self) -> str:
        """ "2026年第10期(总第58期)"; a special issue "专刊 2026年第2期(总第5期)"."""
        if not self.is_monthly:
            return gettext("%(k)s %(y)d年第%(n)d期(总第%(t)d期)") % {
                "k": self.get_kind_display(),
                "y": self.year,
                "n": self.number_in_year,
                "t": self.number_total,
            }
        return gettext("%(y)d年第%(n)d期(总第%(t)d期)") % {
            "y": self.year,
            "n": self.number_in_year,
            "t": self.number_total,
        }

    @property
    def period(self):
        from safecommunity.periods import Period

        return Period.month(self.year, self.month)

    @property
    def render_stuck(self) -> bool:
        return not self.is_published and job_stuck(self.render_status, self.updated_at, self.render_started_at)

    @property
    def is_published(self) -> bool:
        return self.status == BriefingStatus.PUBLISHED

    def download_name(self) -> str:
        if not self.is_monthly:
            return f"{self.township.code}-{self.kind}-{self.year}-{self.number_in_year:02d}-v{self.version}.pdf"
        return f"{self.township.code}-briefing-{self.year}-{self.month:02d}-v{self.version}.pdf"

    def distribution(self) -> list[tuple[str, str]]:
        """The 报、送、发 lines that are filled in, in that order."""
        rows = [
            (gettext("报"), self.distribution_report),
            (gettext("送"), self.distribution_send),
            (gettext("发"), self.distribution_issue),
        ]
        return [(label, text) for label, text in rows if text.strip()]


class BriefingArticle(TimeStampedModel):
    """One free-text article of a briefing (调研报告, 工作动态, 经验交流 …), printed in order after
    the 编者按 and, in a monthly issue, after the sections read from the data."""

    township_field = "briefing__township"

    briefing = models.ForeignKey(Briefing, verbose_name=_("简报"), on_delete=models.CASCADE, related_name="articles")
    order = models.PositiveIntegerField(_("顺序"), default=0)
    title = models.CharField(_("标题"), max_length=200)
    author = models.CharField(_("作者/来源"), max_length=100, blank=True)
    body = models.TextField(_("正文"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["briefing", "order", "id"]
        verbose_name = _("简报文章")
        verbose_name_plural = _("简报文章")

    def __str__(self):
        return self.title

    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.body.splitlines() if line.strip()]
