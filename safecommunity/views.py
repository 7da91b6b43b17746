"""Pages every user shares: home, health check, audit trail, areas."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render, resolve_url
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .choices import AreaLevel, Role
from .filters import AreaFilterSet
from .generic import FilteredListView
from .models import Area
from .permissions import READ_COMMITTEE_WORK
from .tables import AreaTable

# What each role can reach from the home page: (url name, label, description).
# The committee's rooms are not the grid inspector's (READ_COMMITTEE_WORK): no link that 403s.
COMMITTEE_ROOMS = {"committees:index", "projects:index"}
AREA_LINKS = [
    ("committees:index", _("安全社区"), _("促进委员会、工作组、会议、活动")),
    ("projects:index", _("促进项目"), _("安全促进项目与干预措施")),
    ("incidents:index", _("事故与伤害"), _("事故登记、伤害监测、统计")),
    ("inspections:index", _("巡查与隐患"), _("网格、监管对象、巡查、隐患整改")),
    ("reports:index", _("简报与考核"), _("月度简报、考核评分、看板")),
]


@login_required
def home(request):
    user = request.user
    areas = Area.objects.for_user(user)
    counts = areas.aggregate(
        townships=Count("id", filter=Q(level=AreaLevel.TOWNSHIP)),
        villages=Count("id", filter=Q(level=AreaLevel.VILLAGE)),
    )
    return render(
        request,
        "safecommunity/home.html",
        {
            "links": [
                link
                for link in (AREA_LINKS if user.area_id else [])
                if link[0] not in COMMITTEE_ROOMS or user.role in READ_COMMITTEE_WORK
            ],
            "scope": user.area,
            "counts": counts,
            "is_admin": user.role == Role.ADMINISTRATOR,
        },
    )


@never_cache
@require_GET
def healthz(request):
    """Status of the database, the broker and the worker. No login, no secrets. Answers in
    milliseconds: the worker's state is the heartbeat it writes itself (safecommunity.health),
    never a ping that waits for replies; a broker that is down or hung costs at most 0.25 s."""
    from .health import broker_and_workers

    result = {"database": "ok", "broker": "not_configured", "worker": "not_configured"}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means the database is unusable
        result["database"] = "error"
        healthy = False
    if settings.REDIS_URL:
        result["broker"], result["worker"], result["workers"] = broker_and_workers(settings.REDIS_URL)
        healthy = healthy and result["broker"] == "ok"
    result["status"] = "ok" if healthy else "error"
    return JsonResponse(result, status=200 if healthy else 503)


# --- Error pages (handler400/403/404/500 in urls.py, CSRF_FAILURE_VIEW in settings) ---------------


def _back_url(request) -> str:
    """The page the user came from, if it is one of ours (else no "返回上一页" link)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def _error_page(request, status: int, template: str, **extra):
    return render(request, template, {"status": status, "back_url": _back_url(request), **extra}, status=status)


def bad_request(request, exception=None):
    return _error_page(request, 400, "errors/400.html")


def permission_denied(request, exception=None):
    return _error_page(request, 403, "errors/403.html")


def page_not_found(request, exception=None):
    return _error_page(request, 404, "errors/404.html")


def csrf_failure(request, reason=""):
    """The form came without a valid CSRF token (a page open too long, a session ended): say so
    and offer a new login that comes back to the page."""
    back = _back_url(request)
    back_path = request.path if request.method == "GET" else ""
    if back:
        from urllib.parse import urlsplit

        parts = urlsplit(back)
        back_path = parts.path + (f"?{parts.query}" if parts.query else "")
    if back_path.startswith(resolve_url(settings.LOGIN_URL)):
        back_path = ""  # a refused login: the new login goes home afterwards, not to itself
    return _error_page(request, 403, "errors/csrf.html", back_path=back_path)


# Shown if even the 500 template cannot be rendered: no template, no query, both languages.
SERVER_ERROR_FALLBACK = (
    '<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8"><title>500</title></head><body>'
    "<h1>服务器内部错误 · Server error</h1><p>系统处理这个请求时出错了，错误已记录，请稍后重试。"
    "<br>The request could not be completed; the error has been logged. Please try again later.</p>"
    '<p><a href="/">首页 · Home</a></p></body></html>'
)


def server_error(request):
    """The 500 page: the site's layout with only PORTAL_NAME in its context. No request context
    (no user, no session, no query), so that it renders when the database itself is the fault."""
    try:
        html = loader.get_template("errors/500.html").render({"PORTAL_NAME": settings.PORTAL_NAME, "status": 500})
    except Exception:  # noqa: BLE001 - the page of last resort must not fail in its turn
        html = SERVER_ERROR_FALLBACK
    return HttpResponseServerError(html)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, and the change goes into the audit of security events."""

    def form_valid(self, form):
        from .security import password_changed

        response = super().form_valid(form)
        password_changed(self.request, form.user)
        return response


class AreaListView(FilteredListView):
    """The administrative tree of the user's scope; township staff import their villages here."""

    model = Area
    filterset_class = AreaFilterSet
    table_class = AreaTable
    paginate_by = 100
    title = _("行政区划")
    import_kind = "villages"

    def get_queryset(self):
        return super().get_queryset().select_related("parent").annotate(n_children=Count("children")).order_by("code")
