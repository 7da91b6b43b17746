"""Promotion projects (安全促进项目), their interventions (干预措施) and the evidence archive (创建档案)."""

from datetime import date, timedelta

from auditlog.registry import auditlog
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity import datacache
from safecommunity.links import pk_url
from safecommunity.models import TimeStampedModel, TownshipScopedModel
from safecommunity.periods import Period
from safecommunity.uploads import upload_path, validate_document

from .choices import EvidenceKind, InterventionStatus, ProjectDomain, ProjectStatus
from .querysets import CLOSED_INTERVENTION, InterventionQuerySet, ProjectQuerySet


class AqElement(models.Model):
    """One of the 12 elements of AQ/T 9001-2006 (reference data, seeded by a data migration)."""

    number = models.PositiveSmallIntegerField(_("序号"), unique=True)
    name = models.CharField(_("要素"), max_length=100)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("AQ/T 9001要素")
        verbose_name_plural = _("AQ/T 9001要素")

    def __str__(self):
        return f"{self.number}. {self.name}"

    def get_absolute_url(self):
        return reverse("projects:evidence_list") + f"?element={self.pk}"


def _inclusive_period(start, end):
    if not start or not end:
        return None
    return Period(start, end + timedelta(days=1))


class Project(TownshipScopedModel):
    name = models.CharField(_("项目名称"), max_length=200)
    domain = models.CharField(_("项目领域"), max_length=30, choices=ProjectDomain.choices)
    working_group = models.ForeignKey(
        "committees.WorkingGroup",
        verbose_name=_("责任工作组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    responsible_units = models.CharField(_("责任单位"), max_length=300, blank=True)
    target_group = models.CharField(_("目标人群"), max_length=200, blank=True)
    target_place = models.CharField(_("目标环境/场所"), max_length=200, blank=True)
    problem = models.TextField(_("问题描述"), blank=True)
    injury_evidence = models.TextField(_("伤害数据依据"), blank=True)
    goal = models.CharField(_("项目目标"), max_length=300, blank=True)
    # The indicator the goal is measured by: an injury count with these filters.
    indicator_village = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("指标：村/社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "village"},
    )
    indicator_age_min = models.PositiveSmallIntegerField(_("指标：最小年龄"), null=True, blank=True)
    indicator_age_max = models.PositiveSmallIntegerField(_("指标：最大年龄"), null=True, blank=True)
    indicator_cause = models.CharField(_("指标：伤害原因"), max_length=30, blank=True)
    indicator_place = models.CharField(_("指标：发生地点"), max_length=30, blank=True)
    indicator_sex = models.CharField(_("指标：性别"), max_length=10, blank=True)
    target_change = models.DecimalField(
        _("目标变化"), max_digits=5, decimal_places=3, null=True, blank=True, help_text=_("如 -0.200 表示下降20%")
    )
    baseline_start = models.DateField(_("基线期开始"), null=True, blank=True)
    baseline_end = models.DateField(_("基线期结束"), null=True, blank=True)
    followup_start = models.DateField(_("评估期开始"), null=True, blank=True)
    followup_end = models.DateField(_("评估期结束"), null=True, blank=True)
    budget = models.DecimalField(_("预算(元)"), max_digits=12, decimal_places=2, default=0)
    spent = models.DecimalField(_("已支出(元)"), max_digits=12, decimal_places=2, default=0)
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    evaluated_on = models.DateField(_("评估日期"), null=True, blank=True)
    evaluation = models.TextField(_("评估结论"), blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["township", "-start_on", "id"]
        verbose_name = _("安全促进项目")
        verbose_name_plural = _("安全促进项目")
        indexes = [
            models.Index(fields=["township", "-start_on", "id"], name="project_township_start"),
            models.Index(fields=["township", "status"], name="project_township_status"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return pk_url("projects:project_detail", self.pk)

    def clean(self):
        errors = {}
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = _("结束日期不能早于开始日期")
        if self.progress is not None and self.progress > 100:
            errors["progress"] = _("进度不能超过100%")
        if (
            self.indicator_age_min is not None
            and self.indicator_age_max is not None
            and self.indicator_age_max < self.indicator_age_min
        ):
            errors["indicator_age_max"] = _("最大年龄不能小于最小年龄")
        for a, b in (("baseline_start", "baseline_end"), ("followup_start", "followup_end")):
            sa, sb = getattr(self, a), getattr(self, b)
            if bool(sa) != bool(sb):
                errors[b] = _("请同时填写开始和结束日期")
            elif sa and sb < sa:
                errors[b] = _("结束日期不能早于开始日期")
        if self.baseline_end and self.followup_start and self.followup_start <= self.baseline_end:
            errors["followup_start"] = _("评估期应在基线期之后")
        if self.indicator_village_id and self.township_id and self.indicator_village.parent_id != self.township_id:
            errors["indicator_village"] = _("村/社区不属于本乡镇")
        if self.working_group_id and self.township_id and self.working_group.township_id != self.township_id:
            errors["working_group"] = _("工作组不属于本乡镇")
        if self.budget is not None and self.budget < 0:
            errors["budget"] = _("不能为负数")
        if self.spent is not None and self.spent < 0:
            errors["spent"] = _("不能为负数")
        from .indicators import indicator_choice_errors

        errors.update(indicator_choice_errors(self))
        if errors:
            raise ValidationError(errors)

    @property
    def baseline_period(self) -> Period | None:
        return _inclusive_period(self.baseline_start, self.baseline_end)

    @property
    def followup_period(self) -> Period | None:
        return _inclusive_period(self.followup_start, self.followup_end)

    @property
    def has_indicator(self) -> bool:
        return self.baseline_period is not None and self.followup_period is not None

    def evaluation_due(self, today: date) -> bool:
        return self.evaluated_on is None and self.followup_end is not None and self.followup_end < today

    @property
    def budget_rate(self):
        from safecommunity.periods import rate

        return rate(self.spent, self.budget)


class Intervention(TimeStampedModel):
    township_field = "project__township"

    project = models.ForeignKey(
        Project, verbose_name=_("所属项目"), on_delete=models.CASCADE, related_name="interventions"
    )
    description = models.CharField(_("干预措施"), max_length=300)
    owner = models.CharField(_("责任单位/人"), max_length=100, blank=True)
    planned_start = models.DateField(_("计划开始"))
    planned_end = models.DateField(_("计划完成"))
    status = models.CharField(
        _("状态"), max_length=20, choices=InterventionStatus.choices, default=InterventionStatus.PLANNED
    )
    cost = models.DecimalField(_("费用(元)"), max_digits=12, decimal_places=2, default=0)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    notes = models.TextField(_("实施情况"), blank=True)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["project", "planned_start", "id"]
        verbose_name = _("干预措施")
        verbose_name_plural = _("干预措施")
        indexes = [models.Index(fields=["project", "planned_start", "id"], name="intervention_project_start")]

    def __str__(self):
        return self.description

    def get_absolute_url(self):
        return reverse("projects:intervention_detail", args=[self.pk])

    @property
    def township(self):
        return self.project.township

    def clean(self):
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("计划完成不能早于计划开始")
        if self.status == InterventionStatus.DONE and not self.done_on:
            errors["done_on"] = _("已完成的措施须有完成日期")
        if self.cost is not None and self.cost < 0:
            errors["cost"] = _("不能为负数")
        if errors:
            raise ValidationError(errors)
        if self.status != InterventionStatus.DONE:
            self.done_on = None

    def is_overdue(self, today: date) -> bool:
        return self.status not in CLOSED_INTERVENTION and self.planned_end < today


class Evidence(TownshipScopedModel):
    """One item of the archive (创建档案): a document, photo, minutes or record, tagged with the
    AQ/T 9001 elements it supports, optionally attached to a project, intervention, meeting or activity."""

    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=EvidenceKind.choices, default=EvidenceKind.DOCUMENT)
    dated = models.DateField(_("日期"))
    file = models.FileField(_("文件"), upload_to=upload_path, blank=True, validators=[validate_document])
    description = models.TextField(_("说明"), blank=True)
    elements = models.ManyToManyField(AqElement, verbose_name=_("支撑要素"), blank=True, related_name="evidence")
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("干预措施"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    meeting = models.ForeignKey(
        "committees.Meeting",
        verbose_name=_("会议"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    activity = models.ForeignKey(
        "committees.Activity",
        verbose_name=_("活动"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )

    class Meta:
        ordering = ["township", "-dated", "-id"]
        verbose_name = _("档案资料")
        verbose_name_plural = _("档案资料")
        indexes = [models.Index(fields=["township", "-dated", "-id"], name="evidence_township_date")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:evidence_detail", args=[self.pk])

    def clean(self):
        errors = {}
        for name in ("project", "meeting", "activity"):
            target = getattr(self, name)
            if target is not None and self.township_id and target.township_id != self.township_id:
                errors[name] = _("不属于本乡镇")
        if self.intervention_id and self.township_id and self.intervention.project.township_id != self.township_id:
            errors["intervention"] = _("不属于本乡镇")
        if self.intervention_id and self.project_id and self.intervention.project_id != self.project_id:
            errors["intervention"] = _("干预措施不属于所选项目")
        if errors:
            raise ValidationError(errors)
        if self.intervention_id and not self.project_id:
            self.project_id = self.intervention.project_id


auditlog.register(Project)
auditlog.register(Intervention)
auditlog.register(Evidence, m2m_fields={"elements"})


# Dashboards, briefings and list counts are cached per data version (safecommunity.datacache).
datacache.track(Project, "projects")
datacache.track(Intervention, "projects", township_field="project.township_id")
datacache.track(Evidence, "projects")
