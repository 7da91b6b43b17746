"""Activities (publicity, training, drills, competitions) and awareness surveys."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity.models import CountyOwnedModel, TownshipScopedModel
from safecommunity.periods import rate

from ..choices import ActivityKind

AWARENESS_TARGET = Decimal("0.80")


class Activity(CountyOwnedModel):
    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    held_on = models.DateField(_("活动日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    village = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("村/社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        limit_choices_to={"level": "village"},
    )
    organiser = models.CharField(_("组织单位"), max_length=100, blank=True)
    participants = models.PositiveIntegerField(_("参加人数"), default=0)
    materials = models.PositiveIntegerField(_("发放资料(份)"), default=0)
    description = models.TextField(_("活动情况"), blank=True)

    class Meta:
        ordering = ["township", "-held_on", "-id"]
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        indexes = [
            models.Index(fields=["township", "-held_on", "-id"], name="activity_township_date"),
            models.Index(fields=["township", "kind", "held_on"], name="activity_township_kind"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.village_id and self.township_id and self.village.parent_id != self.township_id:
            raise ValidationError({"village": _("村/社区不属于本乡镇")})

    def get_absolute_url(self):
        return reverse("committees:activity_detail", args=[self.pk])


class AwarenessSurvey(TownshipScopedModel):
    """A survey of residents' awareness (知晓率) and participation (参与率); rates are computed."""

    title = models.CharField(_("调查名称"), max_length=200)
    conducted_on = models.DateField(_("调查日期"))
    sample_size = models.PositiveIntegerField(_("样本量"))
    aware_count = models.PositiveIntegerField(_("知晓人数"))
    participating_count = models.PositiveIntegerField(_("参与人数"))
    target = models.DecimalField(_("目标"), max_digits=4, decimal_places=3, default=AWARENESS_TARGET)
    notes = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["township", "-conducted_on", "-id"]
        verbose_name = _("知晓率调查")
        verbose_name_plural = _("知晓率调查")
        indexes = [models.Index(fields=["township", "-conducted_on", "-id"], name="survey_township_date")]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.sample_size is not None and self.sample_size <= 0:
            errors["sample_size"] = _("样本量应大于0")
        for name in ("aware_count", "participating_count"):
            value = getattr(self, name)
            if value is not None and self.sample_size and value > self.sample_size:
                errors[name] = _("不能超过样本量")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("committees:survey_list")

    @property
    def awareness_rate(self):
        return rate(self.aware_count, self.sample_size)

    @property
    def participation_rate(self):
        return rate(self.participating_count, self.sample_size)

    @property
    def awareness_met(self) -> bool:
        r = self.awareness_rate
        return r is not None and r >= self.target

    @property
    def participation_met(self) -> bool:
        r = self.participation_rate
        return r is not None and r >= self.target
