from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/township/<int:pk>/", views.dashboard_township, name="dashboard_township"),
    path("briefings/", views.BriefingListView.as_view(), name="briefing_list"),
    path("briefings/generate/", views.briefing_generate, name="briefing_generate"),
    path("briefings/<int:pk>/", views.BriefingDetailView.as_view(), name="briefing_detail"),
    path("briefings/<int:pk>/edit/", views.BriefingUpdateView.as_view(), name="briefing_update"),
    path("briefings/<int:pk>/publish/", views.briefing_publish, name="briefing_publish"),
    path("briefings/<int:pk>/regenerate/", views.briefing_regenerate, name="briefing_regenerate"),
    path("briefings/<int:pk>/retry/", views.briefing_retry, name="briefing_retry"),
    path("briefings/<int:pk>/status/", views.briefing_status, name="briefing_status"),
    path("briefings/<int:pk>/pdf/", views.briefing_pdf, name="briefing_pdf"),
    path("briefings/<int:pk>/preview/", views.briefing_preview, name="briefing_preview"),
    path("assessments/", views.RoundListView.as_view(), name="round_list"),
    path("assessments/new/", views.RoundCreateView.as_view(), name="round_create"),
    path("assessments/<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("assessments/<int:pk>/summary.pdf", views.round_summary_pdf, name="round_summary_pdf"),
    path("scorecards/<int:pk>/", views.ScorecardDetailView.as_view(), name="scorecard_detail"),
    path("scorecards/<int:pk>/scores/", views.scorecard_scores, name="scorecard_scores"),
    path("scorecards/<int:pk>/finalise/", views.scorecard_finalise, name="scorecard_finalise"),
    path("scorecards/<int:pk>/pdf/", views.scorecard_pdf, name="scorecard_pdf"),
    path("downloads/", views.download_list, name="download_list"),
    path("downloads/request/", views.download_request, name="download_request"),
    path("downloads/<int:pk>/retry/", views.download_retry, name="download_retry"),
    path("downloads/<int:pk>/file/", views.download_file, name="download_file"),
]
