"""Assessment schemes are data: a versioned scheme, a tree of criteria with points, grading rules.

A county supervisor opens an ``AssessmentRound`` (scheme × county × period); every township of
the county gets a ``Scorecard`` with one ``Score`` per leaf criterion.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity.models import TimeStampedModel, TownshipScopedModel
from safecommunity.querysets import ScopedQuerySet

from ..choices import DEFAULT_GRADE_SCALE, AssessmentResult, AssessmentStatus, CriterionMode


class AssessmentScheme(TimeStampedModel):
    code = models.CharField(_("方案代码"), max_length=40)
    version = models.PositiveIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    total_points = models.DecimalField(_("总分"), max_digits=7, decimal_places=2)
    pass_score = models.DecimalField(_("通过分数线"), max_digits=7, decimal_places=2)
    rectify_score = models.DecimalField(
        _("整改分数线"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("低于通过线但不低于此分为限期整改；为空则低于通过线即不通过"),
    )
    zero_fails = models.BooleanField(_("任一指标为零即不通过"), default=False)
    grade_scale = models.JSONField(_("评级系数"), default=dict, blank=True)
    grade_bands = models.JSONField(
        _("等次划分"),
        default=list,
        blank=True,
        help_text=_('例如 [["90", "优秀"], ["80", "良好"], ["60", "合格"], ["0", "不合格"]]'),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="reports_scheme_code_version_unique")]
        indexes = [models.Index(fields=["code", "-version"], name="reports_scheme_code_idx")]

    def __str__(self):
        return f"{self.name}（v{self.version}）"

    def scale(self) -> dict[str, Decimal]:
        return {k: Decimal(str(v)) for k, v in (self.grade_scale or DEFAULT_GRADE_SCALE).items()}


class Criterion(models.Model):
    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级指标"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("编号"), max_length=20)
    name = models.CharField(_("指标"), max_length=200)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    points = models.DecimalField(_("分值"), max_digits=7, decimal_places=2)
    mode = models.CharField(_("评分方式"), max_length=10, choices=CriterionMode.choices, blank=True)
    # PARTS: [{"key": "content", "label": "内容", "points": "0.8"}, ...]
    parts = models.JSONField(_("分项"), default=list, blank=True)
    computed_key = models.CharField(_("计算指标"), max_length=40, blank=True)
    computed_target = models.DecimalField(_("满分目标"), max_digits=9, decimal_places=2, null=True, blank=True)
    guidance = models.TextField(_("评分说明"), blank=True)

    class Meta:
        ordering = ["scheme", "order"]
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="reports_criterion_code_unique")]
        indexes = [models.Index(fields=["scheme", "order"], name="reports_criterion_order_idx")]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_leaf(self) -> bool:
        return bool(self.mode)


class RoundQuerySet(models.QuerySet):
    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active or not user.area_id:
            return self.none()
        if user.is_county_level:
            return self.filter(county_id=user.area_id)
        if user.is_township_level:
            return self.filter(county_id=user.area.parent_id)
        return self.none()


class AssessmentRound(TimeStampedModel):
    county = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("县/区"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
    )
    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="rounds"
    )
    name = models.CharField(_("名称"), max_length=200)
    period_start = models.DateField(_("考核期开始"))
    period_end = models.DateField(_("考核期结束（不含）"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "county"]
        verbose_name = _("考核")
        verbose_name_plural = _("考核")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "scheme", "period_start", "period_end"], name="reports_round_unique"
            )
        ]
        indexes = [models.Index(fields=["-period_start", "county"], name="reports_round_order_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reports:round_detail", args=[self.pk])

    @property
    def period(self):
        from safecommunity.periods import Period

        return Period(self.period_start, self.period_end)


class Scorecard(TownshipScopedModel):
    round = models.ForeignKey(
        AssessmentRound, verbose_name=_("考核"), on_delete=models.CASCADE, related_name="scorecards"
    )
    status = models.CharField(_("状态"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.OPEN)
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2, null=True, blank=True)
    result = models.CharField(_("结果"), max_length=10, choices=AssessmentResult.choices, blank=True)
    grade_label = models.CharField(_("等次"), max_length=20, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    deductions = models.JSONField(_("扣分项"), default=list, blank=True)
    snapshot = models.JSONField(_("定稿数据"), default=dict, blank=True)
    finalised_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("定稿人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["round", "township__code"]
        verbose_name = _("考核评分表")
        verbose_name_plural = _("考核评分表")
        constraints = [models.UniqueConstraint(fields=["round", "township"], name="reports_scorecard_unique")]
        indexes = [models.Index(fields=["round", "township"], name="reports_scorecard_order_idx")]

    def __str__(self):
        return f"{self.round.name} · {self.township.name}"

    def get_absolute_url(self):
        return reverse("reports:scorecard_detail", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.status == AssessmentStatus.FINALISED


class Score(models.Model):
    township_field = "scorecard__township"

    scorecard = models.ForeignKey(Scorecard, verbose_name=_("评分表"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="scores")
    grades = models.JSONField(_("分项评级"), default=dict, blank=True)
    points = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    computed_input = models.JSONField(_("计算依据"), default=dict, blank=True)
    comment = models.TextField(_("评语"), blank=True)
    evidence_url = models.URLField(_("佐证材料链接"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["scorecard", "criterion__order"]
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        constraints = [models.UniqueConstraint(fields=["scorecard", "criterion"], name="reports_score_unique")]

    def __str__(self):
        return f"{self.criterion} = {self.points if self.points is not None else '—'}"
