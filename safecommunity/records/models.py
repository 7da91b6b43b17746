"""An import run in the background: the uploaded file, its progress and its outcome."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity.models import TownshipScopedModel

from .choices import ImportStatus


def upload_path(instance, filename):
    # The stored name never comes from the user; the original name is kept in a field.
    return f"imports/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


def rejects_upload_path(instance, filename):
    return f"imports/rejects/{uuid.uuid4().hex}.csv"


class ImportJob(TownshipScopedModel):
    kind = models.CharField(_("数据类型"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="import_jobs",
    )
    file = models.FileField(_("上传文件"), upload_to=upload_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    imported = models.PositiveIntegerField(_("已导入"), default=0)
    duplicates = models.PositiveIntegerField(_("重复"), default=0)
    rejected = models.PositiveIntegerField(_("被拒绝"), default=0)
    reject_file = models.FileField(_("被拒绝行"), upload_to=rejects_upload_path, max_length=255, blank=True)
    error_message = models.TextField(_("错误信息"), blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        indexes = [models.Index(fields=["township", "-created_at"], name="importjob_township_created")]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("records:import_detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(self.processed * 100 / self.total_rows))

    @property
    def kind_label(self) -> str:
        from .registry import get_kind

        try:
            return str(get_kind(self.kind).label)
        except KeyError:
            return self.kind
