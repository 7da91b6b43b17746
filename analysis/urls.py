from django.urls import path

from . import views as v

app_name = "analysis"

urlpatterns = [
    path("signals/", v.signal_list, name="signal_list"),
    path("signals/scan/", v.signal_scan, name="signal_scan"),
    path("signals/<int:pk>/", v.signal_detail, name="signal_detail"),
    path("signals/<int:pk>/dismiss/", v.signal_dismiss, name="signal_dismiss"),
    path("settings/", v.settings_edit, name="settings"),
    path("readiness/", v.readiness, name="readiness"),
    path("places/", v.places, name="places"),
]
