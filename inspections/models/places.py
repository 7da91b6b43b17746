from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safecommunity.models import TownshipScopedModel
from safecommunity.querysets import ScopedQuerySet

from ..choices import PlaceKind, ThreeColour


class HazardPlace(TownshipScopedModel):
    """A place a hazard may belong to besides an enterprise: a road section, a fire lane, a public
    place, the surrounds of a school, a village."""

    kind = models.CharField(_("地点类别"), max_length=20, choices=PlaceKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    village = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("所属村(社区)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "village"},
    )
    description = models.CharField(_("位置说明"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["township", "kind", "name", "id"]
        verbose_name = _("隐患地点")
        verbose_name_plural = _("隐患地点")
        constraints = [models.UniqueConstraint(fields=["township", "kind", "name"], name="hazard_place_unique")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.name}"


class SafetyRating(models.Model):
    """One periodic 三色 评定 of an enterprise (绿/黄/红)."""

    township_field = "entity__township"

    entity = models.ForeignKey(
        "inspections.SupervisedEntity", verbose_name=_("监管对象"), on_delete=models.CASCADE, related_name="ratings"
    )
    period = models.CharField(_("评定期间"), max_length=30, help_text=_("例如：2026年第一季度"))
    rated_on = models.DateField(_("评定日期"))
    colour = models.CharField(_("三色评定"), max_length=10, choices=ThreeColour.choices)
    reason = models.CharField(_("评定理由"), max_length=500, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评定人"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["entity", "-rated_on", "-id"]
        verbose_name = _("三色评定")
        verbose_name_plural = _("三色评定")
        indexes = [models.Index(fields=["entity", "-rated_on", "-id"], name="rating_entity_date")]
        constraints = [models.UniqueConstraint(fields=["entity", "period"], name="rating_one_per_period")]

    def __str__(self):
        return f"{self.entity} {self.period} {self.get_colour_display()}"
