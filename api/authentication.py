"""Authentication of the API: ``Authorization: Bearer <token>`` (a personal API token), or the
browser session for the interactive docs."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from safecommunity.security import client_ip

from .models import ApiToken
from .services import api_token_used, token_digest


def _audit_as(user):
    """Writes made with a token are audited as its user (AuditlogMiddleware saw no session user)."""
    from auditlog.context import auditlog_value

    try:
        auditlog_value.get()["actor"] = user
    except LookupError:
        pass


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Authorization 头格式应为“Bearer 令牌”"))
        token = (
            ApiToken.objects.select_related("user", "user__area", "user__area__parent")
            .filter(token_hash=token_digest(header[1]))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("API令牌无效"))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("API令牌已撤销"))
        if token.expires_at is not None and token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("API令牌已过期"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("该用户已停用"))
        api_token_used(token=token, ip_address=client_ip(request._request), path=request.path)
        _audit_as(token.user)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The signed-in browser (the docs' "Try it out"); CSRF is enforced for writes, as for DRF's own."""
