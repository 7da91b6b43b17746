"""The download centre: a file a user asked for, rendered in the background, served through a view."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity.models import TimeStampedModel

from ..choices import DocumentKind, RenderStatus
from .briefings import job_stuck


class DownloadJobQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user's own requests, and only while the township or county is still in their scope."""
        if user is None or not user.is_authenticated or not user.is_active or not user.area_id:
            return self.none()
        qs = self.filter(user=user)
        if user.is_county_level:
            return qs.filter(
                models.Q(township__parent_id=user.area_id) | models.Q(township__isnull=True, county_id=user.area_id)
            )
        if user.is_township_level:
            return qs.filter(township_id=user.area_id)
        return self.none()


def download_upload_to(instance, filename):
    return f"reports/downloads/{instance.user_id}/{instance.pk}.pdf"


class DownloadJob(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="download_jobs"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=DocumentKind.choices)
    county = models.ForeignKey(
        "safecommunity.Area", verbose_name=_("县/区"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    township = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("乡镇/街道"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    object_id = models.PositiveBigIntegerField(_("对象"))
    title = models.CharField(_("名称"), max_length=200)
    filename = models.CharField(_("文件名"), max_length=120)
    status = models.CharField(_("状态"), max_length=10, choices=RenderStatus.choices, default=RenderStatus.QUEUED)
    error = models.TextField(_("失败原因"), blank=True)
    task_id = models.CharField(_("任务"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    file = models.FileField(_("文件"), upload_to=download_upload_to, blank=True, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    objects = DownloadJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("下载任务")
        verbose_name_plural = _("下载任务")
        indexes = [models.Index(fields=["user", "-created_at"], name="reports_download_user_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:download_list")

    @property
    def stuck(self) -> bool:
        return job_stuck(self.status, self.updated_at, self.started_at)
