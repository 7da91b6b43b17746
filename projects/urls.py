from django.urls import path

from . import views as v

app_name = "projects"

urlpatterns = [
    path("", v.index, name="index"),
    path("list/", v.ProjectListView.as_view(), name="project_list"),
    path("new/", v.ProjectCreateView.as_view(), name="project_create"),
    path("<int:pk>/", v.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", v.ProjectUpdateView.as_view(), name="project_update"),
    path("<int:pk>/evaluate/", v.project_evaluate, name="project_evaluate"),
    path("<int:pk>/interventions/new/", v.InterventionCreateView.as_view(), name="intervention_create"),
    path("interventions/", v.InterventionListView.as_view(), name="intervention_list"),
    path("interventions/<int:pk>/", v.InterventionDetailView.as_view(), name="intervention_detail"),
    path("interventions/<int:pk>/edit/", v.InterventionUpdateView.as_view(), name="intervention_update"),
    path("evidence/", v.EvidenceListView.as_view(), name="evidence_list"),
    path("evidence/new/", v.EvidenceCreateView.as_view(), name="evidence_create"),
    path("evidence/coverage/", v.CoverageView.as_view(), name="evidence_coverage"),
    path("evidence/<int:pk>/", v.EvidenceDetailView.as_view(), name="evidence_detail"),
    path("evidence/<int:pk>/edit/", v.EvidenceUpdateView.as_view(), name="evidence_update"),
    path("evidence/<int:pk>/file/", v.evidence_file, name="evidence_file"),
]
