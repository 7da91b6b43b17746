"""The monthly close (a township's month submitted, approved or returned by the county, then
locked), the corrections of a locked month, and the month-end package built in the background."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safecommunity.models import TimeStampedModel, TownshipScopedModel

from .choices import CloseAction, CloseStatus, CorrectionStatus, PackageStatus


class MonthClose(TownshipScopedModel):
    """One township's month: its figures frozen when submitted (``snapshot``, with the data
    versions and the SHA-256 they were built from); approved, it locks the month's records."""

    year = models.PositiveIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    status = models.CharField(_("状态"), max_length=10, choices=CloseStatus.choices)
    as_of = models.DateField(_("数据截至"))
    snapshot = models.JSONField(_("数据快照"), default=dict)
    data_versions = models.JSONField(_("数据版本"), default=list)
    figures_sha256 = models.CharField(_("快照SHA-256"), max_length=64)
    checklist = models.JSONField(_("缺项清单"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("退回原因"), blank=True)

    class Meta:
        ordering = ["-year", "-month", "township__code"]
        verbose_name = _("月度审核")
        verbose_name_plural = _("月度审核")
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "month"], name="closing_month_unique"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="closing_month_range"),
        ]
        indexes = [models.Index(fields=["township", "status", "year", "month"], name="closing_month_lock_idx")]

    def __str__(self):
        return f"{self.township.name} {self.label}"

    @property
    def label(self) -> str:
        return gettext("%(y)d年%(m)d月") % {"y": self.year, "m": self.month}

    @property
    def is_approved(self) -> bool:
        return self.status == CloseStatus.APPROVED

    def get_absolute_url(self):
        return reverse("closing:month_detail", args=[self.pk])


class MonthCloseEvent(models.Model):
    """The trail of a month: submitted, returned (with the reason), resubmitted, approved."""

    close = models.ForeignKey(MonthClose, verbose_name=_("月度审核"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=10, choices=CloseAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")


class Correction(TownshipScopedModel):
    """An edit of an approved month's record, held until the county approves it; applying it calls
    the record's own service with the stored arguments."""

    close = models.ForeignKey(
        MonthClose, verbose_name=_("月度审核"), on_delete=models.PROTECT, related_name="corrections"
    )
    record_type = models.CharField(_("记录类别"), max_length=60)
    record_id = models.PositiveBigIntegerField(_("记录"), null=True, blank=True)
    record_label = models.CharField(_("记录"), max_length=200)
    record_date = models.DateField(_("记录日期"))
    service = models.CharField(_("服务"), max_length=120)
    arguments = models.JSONField(_("参数"), default=dict)
    changes = models.JSONField(_("修改内容"), default=list)
    status = models.CharField(
        _("状态"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.TextField(_("审核意见"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("更正申请")
        verbose_name_plural = _("更正申请")

    def __str__(self):
        return self.record_label

    def get_absolute_url(self):
        return reverse("closing:correction_detail", args=[self.pk])


class MonthPackageQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user's own packages, while the area is still in their scope (as the download centre)."""
        if user is None or not user.is_authenticated or not user.is_active or not user.area_id:
            return self.none()
        qs = self.filter(user=user)
        if user.is_county_level:
            return qs.filter(models.Q(area_id=user.area_id) | models.Q(area__parent_id=user.area_id))
        if user.is_township_level:
            return qs.filter(area_id=user.area_id)
        return self.none()


def package_upload_to(instance, filename):
    return f"closing/packages/{instance.user_id}/{instance.pk}-{filename}"


class MonthPackage(TimeStampedModel):
    """The month-end package of a township or a county: one zip and one combined PDF."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey("safecommunity.Area", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    title = models.CharField(_("名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=PackageStatus.choices, default=PackageStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    step = models.CharField(_("当前步骤"), max_length=200, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    task_id = models.CharField(_("任务"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("心跳"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    zip_file = models.FileField(_("压缩包"), upload_to=package_upload_to, blank=True, max_length=200)
    pdf_file = models.FileField(_("合订PDF"), upload_to=package_upload_to, blank=True, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    manifest = models.JSONField(_("清单"), default=dict, blank=True)

    objects = MonthPackageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("月末资料包")
        verbose_name_plural = _("月末资料包")
        constraints = [
            # One build at a time per user, area and month: a double click joins the running one.
            models.UniqueConstraint(
                fields=["user", "area", "year", "month"],
                condition=models.Q(status__in=["queued", "rendering"]),
                name="closing_package_one_pending",
            )
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="closing_package_user_idx")]

    def __str__(self):
        return self.title

    @property
    def stuck(self) -> bool:
        from .services import package_stuck

        return package_stuck(self)
