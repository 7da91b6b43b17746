"""Notifications: the message (in the app), each send by mail or bot (the outbox and its log),
the daily digest's claim, each user's choices, a county's webhooks and the log of scheduled jobs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import TEXTS, Adapter, Channel, DeliveryStatus, EmailMode, JobStatus, Kind
from .querysets import CountyScopedQuerySet, DeliveryQuerySet, NotificationQuerySet


class Notification(models.Model):
    """One message to one user. Its text is the kind's template filled with ``params`` in the
    reader's language; ``dedupe_key`` (per recipient) makes a reminder or escalation once only."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    township = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("乡镇/街道"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    params = models.JSONField(_("参数"), default=dict, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=120, blank=True)
    in_app = models.BooleanField(_("站内显示"), default=True)
    in_digest = models.BooleanField(_("进入每日汇总"), default=False)
    digest = models.ForeignKey("Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_recipient_time"),
            models.Index(fields=["recipient"], name="notif_unread", condition=Q(read_at__isnull=True, in_app=True)),
            models.Index(
                fields=["recipient"], name="notif_digest_due", condition=Q(in_digest=True, digest__isnull=True)
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~Q(dedupe_key=""), name="notif_once_per_key"
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        try:
            return str(TEXTS[self.kind]) % self.params
        except (KeyError, TypeError, ValueError):
            return self.get_kind_display()

    def get_absolute_url(self):
        return reverse("notifications:notification_open", args=[self.pk])


class Digest(models.Model):
    """The claim of a user's digest of a day: unique, so the day's mail goes out once however
    many beats or workers run the digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    day = models.DateField(_("日期"))
    items = models.PositiveIntegerField(_("条数"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "user"]
        verbose_name = _("每日汇总")
        verbose_name_plural = _("每日汇总")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_day")]

    def __str__(self):
        return f"{self.user} {self.day}"


class WebhookChannel(models.Model):
    """A county's group bot (企业微信/钉钉) or SMS gateway, reached by an HTTP POST."""

    county = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("县/区"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"level": "county"},
    )
    name = models.CharField(_("名称"), max_length=100)
    adapter = models.CharField(_("类型"), max_length=20, choices=Adapter.choices, default=Adapter.WECOM)
    url = models.URLField(_("Webhook地址"), max_length=500)
    enabled = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CountyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["county", "name", "id"]
        verbose_name = _("通知渠道")
        verbose_name_plural = _("通知渠道")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("notifications:channel_list")


class Delivery(models.Model):
    """One send (a mail or a webhook POST) of a notification or a digest: the outbox and the log.
    Unique per message, channel and address, so a retry sends only what has not gone out."""

    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    digest = models.ForeignKey(Digest, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    webhook = models.ForeignKey(WebhookChannel, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    recipient = models.CharField(_("地址"), max_length=254)
    status = models.CharField(_("状态"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        indexes = [
            models.Index(fields=["status", "created_at"], name="delivery_status"),
            models.Index(fields=["-created_at", "-id"], name="delivery_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel", "recipient"],
                condition=Q(notification__isnull=False),
                name="delivery_once_per_notification",
            ),
            models.UniqueConstraint(
                fields=["digest", "channel", "recipient"],
                condition=Q(digest__isnull=False),
                name="delivery_once_per_digest",
            ),
            models.CheckConstraint(
                condition=Q(notification__isnull=False) | Q(digest__isnull=False), name="delivery_has_message"
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.recipient} {self.get_status_display()}"


class Preference(models.Model):
    """A user's channels for one kind; without a row: in the app and in the daily digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    in_app = models.BooleanField(_("站内消息"), default=True)
    email = models.CharField(_("邮件"), max_length=10, choices=EmailMode.choices, default=EmailMode.DIGEST)
    bot = models.BooleanField(_("群机器人/短信"), default=False)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_unique")]

    def __str__(self):
        return f"{self.user} {self.kind}"


class JobRun(models.Model):
    """One run of a scheduled job (written by the task): what ran, when, and what failed."""

    task = models.CharField(_("任务"), max_length=100)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=JobStatus.choices, default=JobStatus.RUNNING)
    result = models.CharField(_("结果"), max_length=300, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("定时任务记录")
        verbose_name_plural = _("定时任务记录")
        indexes = [models.Index(fields=["-started_at", "-id"], name="jobrun_time")]

    def __str__(self):
        return f"{self.task} {self.started_at:%Y-%m-%d %H:%M} {self.status}"
