from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("", views.schedule, name="schedule"),
    path("leaders/", views.LeaderListView.as_view(), name="leader_list"),
    path("leaders/new/", views.LeaderCreateView.as_view(), name="leader_create"),
    path("leaders/<int:pk>/edit/", views.LeaderUpdateView.as_view(), name="leader_update"),
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/new/", views.VisitCreateView.as_view(), name="visit_create"),
    path("official-inspections/", views.OfficialInspectionListView.as_view(), name="official_inspection_list"),
    path("official-inspections/new/", views.OfficialInspectionCreateView.as_view(), name="official_inspection_create"),
    path("issuances/", views.IssuanceListView.as_view(), name="issuance_list"),
    path("issuances/new/", views.IssuanceCreateView.as_view(), name="issuance_create"),
]
