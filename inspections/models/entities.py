from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity.links import pk_url
from safecommunity.models import TimeStampedModel, TownshipScopedModel
from safecommunity.querysets import ScopedQuerySet

from ..choices import EntityKind, RiskColour, SupervisionClass, ThreeColour
from ..kinds import entity_kind_choices
from ..querysets import EntityQuerySet, GridQuerySet
from ..validators import validate_credit_code


class Grid(TownshipScopedModel):
    """A grid (网格) under a village: a few dozen households or a set of enterprises."""

    village = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("所属村(社区)"),
        on_delete=models.PROTECT,
        related_name="grids",
        limit_choices_to={"level": "village"},
    )
    code = models.CharField(_("网格编号"), max_length=20, unique=True)
    name = models.CharField(_("网格名称"), max_length=100)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("网格员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspected_grids",
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("网格长"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_grids",
    )
    households = models.PositiveIntegerField(_("覆盖户数"), default=0)
    key_units = models.PositiveIntegerField(_("重点单位数"), default=0)
    boundary = models.JSONField(_("边界(GeoJSON)"), null=True, blank=True)

    objects = GridQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        indexes = [models.Index(fields=["township", "code"], name="grid_township_code")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:grid_detail", args=[self.pk])


class SupervisedEntity(TownshipScopedModel):
    """A supervised enterprise or place (监管对象), one file each (一企一档)."""

    name = models.CharField(_("单位名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18位；无统一社会信用代码的小场所可不填"),
    )
    kind = models.CharField(_("场所类别"), max_length=30, choices=entity_kind_choices, default=EntityKind.ENTERPRISE)
    industry = models.CharField(_("行业"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    village = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("所属村(社区)"),
        on_delete=models.PROTECT,
        related_name="entities",
        limit_choices_to={"level": "village"},
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("所属网格"), null=True, blank=True, on_delete=models.PROTECT, related_name="entities"
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    safety_officer = models.CharField(_("安全管理人员"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    employees = models.PositiveIntegerField(_("从业人数"), default=0)
    risk_colour = models.CharField(_("风险等级"), max_length=10, choices=RiskColour.choices, default=RiskColour.BLUE)
    supervision_class = models.CharField(
        _("监管分类"), max_length=1, choices=SupervisionClass.choices, default=SupervisionClass.C
    )
    # Kept by the services (inspection recorded, regrading, frequency change) so that "my tasks"
    # is one indexed query at county scale.
    last_inspected_on = models.DateField(_("最近巡查"), null=True, blank=True)
    next_due_on = models.DateField(_("下次应巡查"), null=True, blank=True)
    summons_required = models.BooleanField(_("需约谈负责人"), default=False)
    # The 三色 rating of the last periodic 评定, beside the 四色 risk class; two 一般 (黄) in a row
    # and the head is summoned (约谈).
    three_colour = models.CharField(_("三色评定"), max_length=10, choices=ThreeColour.choices, blank=True)
    colour_summons_required = models.BooleanField(_("三色评定需约谈"), default=False)
    # Closed down or deregistered (停业/注销): no inspection after this day is accepted.
    closed_on = models.DateField(_("停业/注销日期"), null=True, blank=True)

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("监管对象")
        verbose_name_plural = _("监管对象")
        indexes = [
            models.Index(fields=["township", "name"], name="entity_township_name"),
            models.Index(fields=["name", "id"], name="entity_name"),
            models.Index(fields=["next_due_on", "id"], name="entity_due"),
            models.Index(fields=["township", "next_due_on"], name="entity_township_due"),
            models.Index(fields=["grid", "next_due_on"], name="entity_grid_due"),
            models.Index(fields=["credit_code"], name="entity_credit_code"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return pk_url("inspections:entity_detail", self.pk)


def entity_document_path(instance, filename):
    return f"inspections/documents/{instance.entity.township_id}/{instance.entity_id}/{filename}"


class EntityDocument(TimeStampedModel):
    """A file of the entity's dossier (一企一档): licence, plans, contracts."""

    township_field = "entity__township"

    entity = models.ForeignKey(
        SupervisedEntity, verbose_name=_("监管对象"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=entity_document_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["entity", "-created_at"]
        verbose_name = _("档案文件")
        verbose_name_plural = _("档案文件")

    def __str__(self):
        return self.title


class EntityGrading(models.Model):
    """One yearly regrading of an entity (the history of its colour and class)."""

    township_field = "entity__township"

    entity = models.ForeignKey(
        SupervisedEntity, verbose_name=_("监管对象"), on_delete=models.CASCADE, related_name="gradings"
    )
    year = models.PositiveIntegerField(_("年度"))
    risk_colour = models.CharField(_("风险等级"), max_length=10, choices=RiskColour.choices)
    supervision_class = models.CharField(_("监管分类"), max_length=1, choices=SupervisionClass.choices)
    reason = models.CharField(_("定级理由"), max_length=500, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("定级人"), on_delete=models.PROTECT, related_name="+"
    )
    graded_at = models.DateTimeField(_("定级时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["entity", "-year"]
        verbose_name = _("年度定级")
        verbose_name_plural = _("年度定级")
        constraints = [models.UniqueConstraint(fields=["entity", "year"], name="grading_one_per_year")]

    def __str__(self):
        return f"{self.entity} {self.year}"


class SupervisionClassDefinition(models.Model):
    """What A-D mean in one county, and how often an entity of that class is inspected."""

    county = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("县/区"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
    )
    supervision_class = models.CharField(_("监管分类"), max_length=1, choices=SupervisionClass.choices)
    meaning = models.CharField(_("含义"), max_length=200, blank=True)

    class Meta:
        ordering = ["county", "supervision_class"]
        verbose_name = _("监管分类定义")
        verbose_name_plural = _("监管分类定义")
        constraints = [models.UniqueConstraint(fields=["county", "supervision_class"], name="class_def_unique")]

    def __str__(self):
        return f"{self.get_supervision_class_display()} {self.meaning}"


class InspectionFrequency(models.Model):
    """Days between inspections for a class, optionally for one kind of entity (kind blank = all)."""

    county = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("县/区"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
    )
    supervision_class = models.CharField(_("监管分类"), max_length=1, choices=SupervisionClass.choices)
    kind = models.CharField(_("场所类别"), max_length=30, choices=entity_kind_choices, blank=True)
    interval_days = models.PositiveIntegerField(_("巡查间隔(天)"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["county", "supervision_class", "kind"]
        verbose_name = _("巡查频次")
        verbose_name_plural = _("巡查频次")
        constraints = [
            models.UniqueConstraint(fields=["county", "supervision_class", "kind"], name="frequency_unique"),
        ]

    def __str__(self):
        return f"{self.supervision_class} {self.kind or '*'} {self.interval_days}"
