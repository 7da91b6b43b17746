from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from inspections.views.offline import service_worker

from . import audit, views
from .forms import LoginForm

handler400 = "safecommunity.views.bad_request"
handler403 = "safecommunity.views.permission_denied"
handler404 = "safecommunity.views.page_not_found"
handler500 = "safecommunity.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("sw.js", service_worker, name="service_worker"),  # the offline app's worker, scope "/"
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("audit/", audit.audit, name="audit"),
    path("audit/unlock/", audit.unlock, name="audit_unlock"),
    path("areas/", views.AreaListView.as_view(), name="area_list"),
    path("imports/", include("safecommunity.records.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("committees/", include("committees.urls")),
    path("projects/", include("projects.urls")),
    path("incidents/", include("incidents.urls")),
    path("inspections/", include("inspections.urls")),
    path("reports/", include("reports.urls")),
    path("accountability/", include("accountability.urls")),
    path("closing/", include("closing.urls")),
    path("api/", include("api.urls")),
    path("notifications/", include("notifications.urls")),
    path("analysis/", include("analysis.urls")),
    path("admin/", admin.site.urls),
]
