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
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
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
    #: How many rows of the file (in reading order, all sheets) are committed: a resumed run
    #: skips them. Updated in the same transaction as each batch.
    checkpoint = models.PositiveIntegerField(_("已提交行数"), default=0)
    #: The run that holds the job: a worker writes a batch only while the lease is still its own,
    #: so a worker thought dead that wakes up again can never write twice.
    lease = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)
    #: The file's header row (JSON), the first columns of the rejected-rows download.
    headers = models.TextField(blank=True)
    #: When the job was last handed to the broker (NULL: never, e.g. the broker was down).
    enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        indexes = [
            models.Index(fields=["township", "-created_at"], name="importjob_township_created"),
            models.Index(fields=["status", "heartbeat_at"], name="importjob_status_heartbeat"),
        ]

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
    def is_stalled(self) -> bool:
        """Running, but no batch committed for longer than a live worker ever takes."""
        from .services import stale_cutoff

        if self.status == ImportStatus.QUEUED:
            return self.created_at is not None and (self.heartbeat_at or self.created_at) < stale_cutoff()
        return self.status == ImportStatus.RUNNING and (self.heartbeat_at or self.created_at) < stale_cutoff()

    @property
    def can_retry(self) -> bool:
        return self.status == ImportStatus.FAILED or self.is_stalled

    @property
    def kind_label(self) -> str:
        from .registry import get_kind

        try:
            return str(get_kind(self.kind).label)
        except KeyError:
            return self.kind


class ImportedRow(models.Model):
    """The identity of every row an import saved: the ledger's own number when the row has
    one, else a fingerprint of all its fields and which identical copy it is in its file.

    The unique constraint is what makes imports exact: two workers importing the same file at
    once both try to insert the same identities, and PostgreSQL lets exactly one of them win
    each row. ``digest`` is the row's content, ``fields`` one short digest per field (only for
    numbered rows), so a changed row with a known number is reported with the columns that
    changed instead of being dropped as a duplicate.
    """

    township = models.ForeignKey("safecommunity.Area", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=50)
    identity = models.CharField(max_length=100)
    digest = models.CharField(max_length=32)
    fields = models.TextField(blank=True)
    job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    row_no = models.PositiveIntegerField(default=0)
    sheet = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["township", "kind", "identity"], name="importedrow_identity_unique"),
        ]
        verbose_name = _("已导入行")
        verbose_name_plural = _("已导入行")

    def __str__(self):
        return f"{self.kind} {self.identity}"


class ImportRejection(models.Model):
    """One rejected row of a job, written in the same transaction as its batch (so a resumed
    job never lists a row twice) and shown on the job's page with its row number and reason."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejections")
    sheet = models.CharField(_("工作表"), max_length=100, blank=True)
    row_no = models.PositiveIntegerField(_("行号"))
    reason = models.TextField(_("原因"))
    #: The row's cells as text (each cut to a few hundred characters), JSON.
    cells = models.TextField(blank=True)

    class Meta:
        ordering = ["job", "id"]
        verbose_name = _("被拒绝的行")
        verbose_name_plural = _("被拒绝的行")

    def __str__(self):
        return f"{self.row_no}: {self.reason[:40]}"
