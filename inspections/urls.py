from django.urls import path

from . import views
from .views import offline

app_name = "inspections"

urlpatterns = [
    path("", views.index, name="index"),
    path("notifications/read/", views.notifications_read, name="notification_read"),
    path("grids/", views.GridCoverageView.as_view(), name="grid_list"),
    path("grids/<int:pk>/", views.GridDetailView.as_view(), name="grid_detail"),
    path("entities/", views.EntityListView.as_view(), name="entity_list"),
    path("entities/new/", views.EntityCreateView.as_view(), name="entity_create"),
    path("entities/<int:pk>/", views.EntityDetailView.as_view(), name="entity_detail"),
    path("entities/<int:pk>/edit/", views.EntityUpdateView.as_view(), name="entity_update"),
    path("entities/<int:pk>/regrade/", views.entity_regrade, name="entity_regrade"),
    path("entities/<int:pk>/rate/", views.entity_rate, name="entity_rate"),
    path("entities/<int:entity_pk>/inspect/", views.inspection_create, name="inspection_create"),
    path("entities/<int:entity_pk>/hazard/", views.hazard_create, name="hazard_create"),
    path("entities/<int:entity_pk>/enforce/", views.enforcement_create, name="enforcement_create"),
    path("inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("hazards/", views.HazardListView.as_view(), name="hazard_list"),
    path("hazards/<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
    path("hazards/<int:pk>/transition/", views.hazard_transition, name="hazard_transition"),
    path("hazards/<int:pk>/plan/", views.hazard_plan, name="hazard_plan"),
    path("hazards/<int:pk>/supervise/", views.hazard_supervise, name="hazard_supervise"),
    path("enforcements/<int:pk>/", views.EnforcementDetailView.as_view(), name="enforcement_detail"),
    path("enforcements/<int:pk>/notice.pdf", views.enforcement_notice, name="enforcement_notice"),
    path("enforcements/<int:pk>/reinspect/", views.reinspection_create, name="reinspection_create"),
    path("reinspections/<int:pk>/", views.ReinspectionDetailView.as_view(), name="reinspection_detail"),
    path("reinspections/<int:pk>/opinion.pdf", views.reinspection_opinion, name="reinspection_opinion"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("settings/", views.settings_overview, name="settings_overview"),
    path("settings/checklist/", views.checklist_revise, name="checklist_revise"),
    path("settings/frequency/", views.frequency_edit, name="frequency_edit"),
    path("settings/classes/", views.class_definition_edit, name="class_definition_edit"),
    path("settings/kinds/new/", views.entity_kind_create, name="entity_kind_create"),
    path("settings/grades/new/", views.hazard_grade_edit, name="hazard_grade_create"),
    path("settings/grades/<int:pk>/edit/", views.hazard_grade_edit, name="hazard_grade_update"),
    # The inspector's offline app (PWA): its start page, data, sync endpoints and manifest.
    path("field/", offline.field, name="field"),
    path("field/manifest.webmanifest", offline.manifest, name="offline_manifest"),
    path("offline/session/", offline.session, name="offline_session"),
    path("offline/data.json", offline.data, name="offline_data"),
    path("offline/inspections/", offline.inspection_sync_view, name="offline_inspection_sync"),
    path("offline/photos/", offline.photo_sync_view, name="offline_photo_sync"),
]
