from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity.models import TownshipScopedModel

from .choices import EntityKind, RiskColour


class Grid(TownshipScopedModel):
    """A grid (网格) under a village: a few dozen households or a set of enterprises."""

    village = models.ForeignKey(
        "safecommunity.Area", verbose_name=_("所属村(社区)"), on_delete=models.PROTECT, related_name="grids",
        limit_choices_to={"level": "village"},
    )
    code = models.CharField(_("网格编号"), max_length=20, unique=True)
    name = models.CharField(_("网格名称"), max_length=100)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("网格员"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="inspected_grids",
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("网格长"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="headed_grids",
    )
    households = models.PositiveIntegerField(_("覆盖户数"), default=0)
    key_units = models.PositiveIntegerField(_("重点单位数"), default=0)
    boundary = models.JSONField(_("边界(GeoJSON)"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        indexes = [models.Index(fields=["township", "code"], name="grid_township_code")]

    def __str__(self):
        return self.name


class SupervisedEntity(TownshipScopedModel):
    """A supervised enterprise or place (监管对象), one file each (一企一档)."""

    name = models.CharField(_("单位名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    kind = models.CharField(_("场所类别"), max_length=30, choices=EntityKind.choices, default=EntityKind.ENTERPRISE)
    industry = models.CharField(_("行业"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    village = models.ForeignKey(
        "safecommunity.Area", verbose_name=_("所属村(社区)"), on_delete=models.PROTECT, related_name="entities",
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

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("监管对象")
        verbose_name_plural = _("监管对象")
        indexes = [models.Index(fields=["township", "name"], name="entity_township_name")]

    def __str__(self):
        return self.name
