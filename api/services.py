"""Writes of the API app: tokens (created, revoked, their use audited) and idempotency keys."""

import datetime as dt
import hashlib
import secrets

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError

from .models import ApiToken, IdempotencyRecord

TOKEN_PREFIX = "sc_"
MAX_EXPIRY_DAYS = 3650


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, expires_days: int | None = None) -> tuple[ApiToken, str]:
    """A new token of ``user``. Returns the row and the token itself, which is never stored
    (only its SHA-256) and so can be shown only now."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("请填写令牌名称"), field="name")
    if not user.is_active or not user.area_id:
        raise PermissionDenied(_("该用户没有管辖范围，不能创建API令牌"))
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise ApplicationError(_("有效期应为1至%(n)d天") % {"n": MAX_EXPIRY_DAYS}, field="expires_days")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name[:100],
        prefix=raw[:10],
        token_hash=token_digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=expires_days) if expires_days else None,
    )
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user) -> ApiToken:
    """Revoke one of the user's own tokens (a revoked token is refused from the next request on)."""
    if token.user_id != user.pk:
        raise PermissionDenied(_("只能撤销自己的令牌"))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_used(*, token: ApiToken, ip_address: str | None = None, path: str = "") -> None:
    """Keep the token's last use; the first use of each day goes into the audit log (django-auditlog,
    an "access" entry of the token by its user, with the address). Per request that would be a row
    per call; the day's first call names the day, ``last_used_at`` the latest."""
    now = timezone.now()
    today = timezone.localdate(now)
    # A conditional update: of two requests at the start of a day only one writes the audit entry.
    first_today = (
        ApiToken.objects.filter(pk=token.pk)
        .exclude(last_audited_on=today)
        .update(last_used_at=now, last_audited_on=today)
    )
    if first_today:
        LogEntry.objects.log_create(
            token,
            force_log=True,
            action=LogEntry.Action.ACCESS,
            actor=token.user,
            remote_addr=ip_address,
            changes={"api_use": [str(today), path[:200]]},
        )
    elif token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        # last_used_at to the minute: no write per request.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def idempotency_purge(*, now=None) -> int:
    """Forget keys older than API_IDEMPOTENCY_HOURS."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    deleted, _rows = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
