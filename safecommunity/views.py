"""Pages every user shares: home, health check, audit trail, areas."""

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import ListView

from .choices import AreaLevel, Role
from .mixins import ScopedAccessMixin
from .models import Area, SecurityEvent
from .permissions import ADMINISTER

# What each role can reach from the home page: (url name, label, description).
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
    return render(request, "safecommunity/home.html", {
        "links": AREA_LINKS if user.area_id else [],
        "scope": user.area,
        "counts": counts,
        "is_admin": user.role == Role.ADMINISTRATOR,
    })


@never_cache
@require_GET
def healthz(request):
    """Status of the database, the broker and the worker. No login, no secrets."""
    result = {"database": "ok", "broker": "not_configured", "worker": "not_configured"}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means the database is unusable
        result["database"] = "error"
        healthy = False
    if settings.REDIS_URL:
        from .celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            result["broker"] = "ok"
        except Exception:  # noqa: BLE001
            result["broker"] = "error"
            healthy = False
        if result["broker"] == "ok":
            try:
                replies = app.control.ping(timeout=1.0)
            except Exception:  # noqa: BLE001
                replies = []
            result["worker"] = "ok" if replies else "no_worker"
            result["workers"] = len(replies)
    result["status"] = "ok" if healthy else "error"
    return JsonResponse(result, status=200 if healthy else 503)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, and the change goes into the audit of security events."""

    def form_valid(self, form):
        from .security import password_changed

        response = super().form_valid(form)
        password_changed(self.request, form.user)
        return response


class SecurityEventListView(ScopedAccessMixin, ListView):
    """Logins, failures and lockouts of the administrator's county."""

    allowed_roles = ADMINISTER
    template_name = "safecommunity/audit.html"
    paginate_by = 50

    def get_queryset(self):
        county = self.request.user.county
        return (
            # Failures for unknown usernames belong to no county: the superuser's admin shows them.
            SecurityEvent.objects.filter(user__area__code__startswith=county.code)
            .select_related("user")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        county = self.request.user.county
        ctx["changes"] = (
            LogEntry.objects.filter(actor__area__code__startswith=county.code)
            .select_related("actor", "content_type")
            .order_by("-timestamp")[:100]
        )
        return ctx


class AreaListView(ScopedAccessMixin, ListView):
    model = Area
    template_name = "safecommunity/area_list.html"
    paginate_by = 100

    def get_queryset(self):
        return super().get_queryset().select_related("parent").annotate(n_children=Count("children")).order_by("code")

