from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity.links import pk_url
from safecommunity.models import TownshipScopedModel
from safecommunity.querysets import ScopedQuerySet

from ..choices import InspectionMode, ItemResult, Rating
from ..querysets import InspectionQuerySet, PhotoQuerySet
from .checklists import ChecklistItem, ChecklistTemplate
from .entities import SupervisedEntity


class Inspection(TownshipScopedModel):
    entity = models.ForeignKey(
        SupervisedEntity, verbose_name=_("监管对象"), on_delete=models.PROTECT, related_name="inspections"
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), related_name="inspections"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="recorded_inspections",
    )
    inspected_at = models.DateTimeField(_("检查时间"))
    mode = models.CharField(
        _("检查方式"), max_length=20, choices=InspectionMode.choices, default=InspectionMode.ANNOUNCED
    )
    joint_agencies = models.JSONField(_("联合执法部门"), default=list, blank=True)
    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("检查表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    notes = models.TextField(_("检查情况"), blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    representative_name = models.CharField(_("被检查单位负责人签字"), max_length=50)
    rating = models.CharField(_("总体评价"), max_length=20, choices=Rating.choices)
    # The idempotency key of an inspection filled in offline (a UUID made on the phone): a resent
    # sync returns this row instead of recording it twice.
    client_key = models.UUIDField(_("离线同步标识"), null=True, blank=True, unique=True, editable=False)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_at", "-id"]
        verbose_name = _("巡查记录")
        verbose_name_plural = _("巡查记录")
        indexes = [
            models.Index(fields=["township", "-inspected_at", "-id"], name="inspection_township_time"),
            models.Index(fields=["-inspected_at", "-id"], name="inspection_time"),
            models.Index(fields=["entity", "-inspected_at"], name="inspection_entity_time"),
        ]

    def __str__(self):
        return f"{self.entity} {self.inspected_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return pk_url("inspections:inspection_detail", self.pk)

    @property
    def is_joint(self) -> bool:
        return bool(self.joint_agencies)

    @property
    def joint_agency_labels(self) -> list[str]:
        """The agencies of a joint inspection by name (消防、公安), never by stored code."""
        from ..choices import JointAgency

        labels = dict(JointAgency.choices)
        return [str(labels.get(code, code)) for code in self.joint_agencies or []]


class InspectionResult(models.Model):
    township_field = "inspection__township"

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("巡查记录"), on_delete=models.CASCADE, related_name="results"
    )
    item = models.ForeignKey(ChecklistItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="results")
    result = models.CharField(_("结果"), max_length=20, choices=ItemResult.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "item__order", "item_id"]
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="result_one_per_item")]

    def __str__(self):
        return f"{self.item}: {self.get_result_display()}"


class Photo(TownshipScopedModel):
    """A re-encoded JPEG of an inspection, a hazard or a step of its loop; served only by a view
    that checks scope (``inspections:photo``)."""

    entity = models.ForeignKey(
        SupervisedEntity, verbose_name=_("监管对象"), on_delete=models.PROTECT, related_name="photos"
    )
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="photos")
    hazard = models.ForeignKey(
        "inspections.Hazard", null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    event = models.ForeignKey(
        "inspections.HazardEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    image = models.FileField(_("照片"), upload_to="inspections/photos/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The idempotency key of a photo uploaded by the offline app (one request per photo).
    client_key = models.UUIDField(_("离线同步标识"), null=True, blank=True, unique=True, editable=False)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("照片")
        verbose_name_plural = _("照片")

    def __str__(self):
        return self.image.name

    def get_absolute_url(self):
        return reverse("inspections:photo", args=[self.pk])
