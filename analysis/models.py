"""Injury signals (伤害预警) and the county's analysis settings (small-cell threshold, signal
test level, the rule an entity's inspection frequency follows). Methods: docs/analysis.md."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity import datacache
from safecommunity.models import TimeStampedModel, TownshipScopedModel

from .choices import SignalDimension, SignalStatus

DEFAULT_SUPPRESSION_THRESHOLD = 5


class AnalysisSettings(TimeStampedModel):
    """One row per county (absent: the defaults)."""

    county = models.OneToOneField(
        "safecommunity.Area",
        verbose_name=_("县/区"),
        on_delete=models.CASCADE,
        related_name="analysis_settings",
        limit_choices_to={"level": "county"},
    )
    suppression_threshold = models.PositiveSmallIntegerField(
        _("小数抑制阈值"),
        default=DEFAULT_SUPPRESSION_THRESHOLD,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
        help_text=_("成员和只读角色看到的统计中，小于此数的计数显示为“<阈值”"),
    )
    signal_alpha = models.DecimalField(
        _("预警检验水准"),
        max_digits=4,
        decimal_places=3,
        default="0.050",
        validators=[MinValueValidator(0.001), MaxValueValidator(0.2)],
        help_text=_("每个乡镇每次检测的总误报率上限（Bonferroni校正）"),
    )
    signal_min_count = models.PositiveSmallIntegerField(
        _("预警最少例数"), default=3, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    cluster_min_injuries = models.PositiveSmallIntegerField(
        _("聚集：90天内伤害例数"),
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
        help_text=_("一个网格或监管对象90天内伤害/事故伤亡达到此数，建议定向巡查"),
    )
    tighten_after_hazards = models.PositiveSmallIntegerField(
        _("加密：12个月内隐患数"), default=3, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    tightened_interval_days = models.PositiveSmallIntegerField(
        _("加密后巡查间隔(天)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    relax_after_clean = models.PositiveSmallIntegerField(
        _("放宽：连续无隐患巡查次数"), default=4, validators=[MinValueValidator(2), MaxValueValidator(50)]
    )
    relaxed_interval_factor = models.PositiveSmallIntegerField(
        _("放宽后间隔倍数"), default=2, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    apply_inspection_rule = models.BooleanField(
        _("按巡查结果调整巡查间隔"),
        default=False,
        help_text=_("开启后，每次巡查后按上述规则计算监管对象的下次应巡查日期"),
    )

    class Meta:
        verbose_name = _("分析设置")
        verbose_name_plural = _("分析设置")

    def __str__(self):
        return str(self.county)


class InjurySignal(TownshipScopedModel):
    """A stratum (village, cause or age group) of a township whose injuries in a 3-month window
    rose significantly above the same months of earlier years."""

    dimension = models.CharField(_("维度"), max_length=20, choices=SignalDimension.choices)
    key = models.CharField(_("分组代码"), max_length=30)
    label = models.CharField(_("分组"), max_length=100)
    window_start = models.DateField(_("窗口开始"))
    window_end = models.DateField(_("窗口结束(不含)"))
    observed = models.PositiveIntegerField(_("窗口例数"))
    baseline_total = models.PositiveIntegerField(_("往年同期合计"))
    baseline_years = models.PositiveSmallIntegerField(_("往年年数"))
    expected = models.DecimalField(_("往年同期均数"), max_digits=9, decimal_places=2)
    p_value = models.FloatField(_("P值"))
    threshold = models.FloatField(_("判定水准"))
    status = models.CharField(_("状态"), max_length=20, choices=SignalStatus.choices, default=SignalStatus.OPEN)
    note = models.TextField(_("处理说明"), blank=True)
    meeting = models.ForeignKey(
        "committees.Meeting",
        verbose_name=_("列入会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action_item = models.ForeignKey(
        "committees.ActionItem",
        verbose_name=_("督办事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("促进项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intervention = models.ForeignKey(
        "projects.Intervention",
        verbose_name=_("干预措施"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        ordering = ["township", "-window_end", "p_value", "id"]
        verbose_name = _("伤害预警")
        verbose_name_plural = _("伤害预警")
        constraints = [
            models.UniqueConstraint(fields=["township", "dimension", "key", "window_start"], name="signal_unique")
        ]
        indexes = [models.Index(fields=["township", "status", "-window_end"], name="signal_township_status")]

    def __str__(self):
        return f"{self.get_dimension_display()} {self.label} {self.window_start:%Y-%m}"

    def get_absolute_url(self):
        return reverse("analysis:signal_detail", args=[self.pk])

    @property
    def last_day(self):
        return date.fromordinal(self.window_end.toordinal() - 1)

    @property
    def ratio(self):
        return None if not self.expected else self.observed / float(self.expected)

    def indicator_filters(self) -> dict:
        """The project indicator (projects.Project.indicator_*) this signal's stratum is."""
        from incidents.choices import AGE_BAND_BOUNDS

        if self.dimension == SignalDimension.VILLAGE:
            from safecommunity.models import Area

            return {"indicator_village": Area.objects.get(pk=int(self.key), parent_id=self.township_id)}
        if self.dimension == SignalDimension.CAUSE:
            return {"indicator_cause": self.key}
        low, high = AGE_BAND_BOUNDS[self.key]
        return {"indicator_age_min": low, "indicator_age_max": high}


datacache.track(InjurySignal, "analysis")
