from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("", views.index, name="index"),
    path("list/", views.IncidentListView.as_view(), name="incident_list"),
    path("new/", views.IncidentCreateView.as_view(), name="incident_create"),
    path("<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("<int:pk>/edit/", views.IncidentUpdateView.as_view(), name="incident_update"),
    path("<int:pk>/verify/", views.incident_verify, name="incident_verify"),
    path("<int:pk>/close/", views.incident_close, name="incident_close"),
    path("injuries/", views.InjuryRecordListView.as_view(), name="injury_list"),
    path("injuries/new/", views.InjuryRecordCreateView.as_view(), name="injury_create"),
    path("injuries/<int:pk>/", views.InjuryRecordDetailView.as_view(), name="injury_detail"),
    path("injuries/<int:pk>/edit/", views.InjuryRecordUpdateView.as_view(), name="injury_update"),
    path("injuries/<int:pk>/reveal/", views.injury_reveal, name="injury_reveal"),
    path("injuries/<int:pk>/confirm-warnings/", views.injury_confirm_warnings, name="injury_confirm_warnings"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("baselines/", views.RateBaselineListView.as_view(), name="baseline_list"),
    path("baselines/new/", views.RateBaselineCreateView.as_view(), name="baseline_create"),
    path("baselines/<int:pk>/edit/", views.RateBaselineUpdateView.as_view(), name="baseline_update"),
]
