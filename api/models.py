"""Personal API tokens and the idempotency keys of retried POSTs."""

from auditlog.registry import auditlog
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A personal API token. Only the SHA-256 of the token is stored; the token itself is shown
    once, when it is created. It acts as its user, with the user's role and scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100)
    #: The first characters of the token, to tell tokens apart on the page (not a secret).
    prefix = models.CharField(_("前缀"), max_length=12)
    token_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    #: The day of the last audit entry of its use (one entry per token per day).
    last_audited_on = models.DateField(_("最近审计日期"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")
        indexes = [models.Index(fields=["user", "-created_at"], name="apitoken_user_created")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class IdempotencyRecord(models.Model):
    """A POST made with an ``Idempotency-Key``: the same key again returns the stored response."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("幂等键"), max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    location = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("幂等请求")
        verbose_name_plural = _("幂等请求")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_unique")]

    def __str__(self):
        return self.key


auditlog.register(ApiToken, exclude_fields=["token_hash", "last_used_at", "last_audited_on"])


class WebhookEvent(models.TextChoices):
    INCIDENT_CREATED = "incident.created", _("新登记事故")
    HAZARD_OVERDUE = "hazard.overdue", _("隐患逾期")
    BRIEFING_PUBLISHED = "briefing.published", _("简报发布")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("失败")


class Webhook(models.Model):
    """A county's subscription: signed POSTs (HMAC-SHA256 with ``secret``) to ``url`` for the events."""

    county = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("县/区"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
    )
    url = models.URLField(_("接收地址"), max_length=500)
    secret = models.CharField(_("签名密钥"), max_length=100)
    events = models.JSONField(_("事件"), default=list)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["county", "id"]
        verbose_name = _("Webhook")
        verbose_name_plural = _("Webhook")

    def __str__(self):
        return self.url

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = set(self.events or []) - set(WebhookEvent.values)
        if unknown:
            raise ValidationError({"events": _("未知事件：%(e)s") % {"e": ", ".join(sorted(unknown))}})


class WebhookDelivery(models.Model):
    """One event for one webhook: its payload, attempts and outcome (the delivery log)."""

    webhook = models.ForeignKey(Webhook, verbose_name=_("Webhook"), on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("事件"), max_length=30, choices=WebhookEvent.choices)
    object_id = models.PositiveBigIntegerField(_("对象"))
    payload = models.JSONField(_("内容"), encoder=DjangoJSONEncoder)
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Webhook 发送记录")
        verbose_name_plural = _("Webhook 发送记录")
        constraints = [models.UniqueConstraint(fields=["webhook", "event", "object_id"], name="webhook_delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self):
        return f"{self.event} #{self.object_id}"
