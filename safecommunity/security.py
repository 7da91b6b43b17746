"""Client address, and the audit of logins, failures, lockouts and password changes."""

import ipaddress
import time

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver

from .choices import SecurityEventKind


def is_trusted_proxy(address: str | None) -> bool:
    """Whether ``address`` is one of DJANGO_TRUSTED_PROXY_IPS (addresses or networks)."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in settings.TRUSTED_PROXY_IPS:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


class TrustedProxyHeadersMiddleware:
    """X-Forwarded-Proto (which SECURE_PROXY_SSL_HEADER reads to decide that a request came
    over HTTPS) is believed only from a proxy of DJANGO_TRUSTED_PROXY_IPS: from anyone else
    the header is dropped before SecurityMiddleware sees it. First in MIDDLEWARE."""

    HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            for header in self.HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the last address a trusted proxy appended to X-Forwarded-For.

    A client can write anything into X-Forwarded-For; only a proxy we run may be believed,
    and only for the hop it added itself (the right-most entry).
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote and forwarded and is_trusted_proxy(remote):
        candidate = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            return remote
    return remote


def _record(kind, request, username, user=None, detail=""):
    from .services import security_event_record

    security_event_record(
        kind=kind,
        username=username or "",
        user=user,
        detail=detail,
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:255],
    )


SESSION_STARTED_KEY = "sc_authenticated_at"
SESSION_SEEN_KEY = "sc_seen_at"  # the last renewal of the idle expiry


@receiver(user_logged_in, dispatch_uid="sc_login")
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = request.session[SESSION_SEEN_KEY] = int(time.time())
    _record(SecurityEventKind.LOGIN, request, user.get_username(), user)


class AbsoluteSessionLifetimeMiddleware:
    """A session ends SESSION_ABSOLUTE_AGE seconds after its login, however active it is. A
    session that carries no login time (created before this rule) starts counting now.

    The idle timeout (SESSION_COOKIE_AGE) is renewed by a request when SESSION_REFRESH_SECONDS
    have passed since the last renewal (marking the session modified saves it with a new expiry
    and cookie), not by every request (SESSION_SAVE_EVERY_REQUEST is off): a page view costs no
    session write, and an idle session ends between SESSION_COOKIE_AGE − SESSION_REFRESH_SECONDS
    and SESSION_COOKIE_AGE after the last request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = int(time.time())
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - int(started) > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - int(request.session.get(SESSION_SEEN_KEY, 0)) >= settings.SESSION_REFRESH_SECONDS:
                request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


@receiver(user_logged_out, dispatch_uid="sc_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        _record(SecurityEventKind.LOGOUT, request, user.get_username(), user)


def _account(username):
    """The account a username names, so that its failures and lockouts show on its county's
    audit page; None for a username nobody has (those stay on the superuser's admin)."""
    from django.contrib.auth import get_user_model

    if not username:
        return None
    return get_user_model()._default_manager.filter(username=username).first()


@receiver(user_login_failed, dispatch_uid="sc_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    _record(SecurityEventKind.LOGIN_FAILED, request, username, _account(username))


@receiver(user_locked_out, dispatch_uid="sc_locked_out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    _record(SecurityEventKind.LOCKED_OUT, request, username, _account(username))


def password_changed(request, user):
    """Called by the password change page once the new password is saved."""
    _record(SecurityEventKind.PASSWORD_CHANGED, request, user.get_username(), user)
