from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from . import pages, views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("areas", views.AreaViewSet, basename="area")
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("injuries", views.InjuryRecordViewSet, basename="injury")
router.register("entities", views.EntityViewSet, basename="entity")
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("hazards", views.HazardViewSet, basename="hazard")
router.register("communities", views.CommunityViewSet, basename="community")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("action-items", views.ActionItemViewSet, basename="actionitem")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("interventions", views.InterventionViewSet, basename="intervention")
router.register("briefings", views.BriefingViewSet, basename="briefing")
router.register("scorecards", views.ScorecardViewSet, basename="scorecard")

urlpatterns = [
    # The schema is public (it describes the API, not the data); the docs load it and the
    # Swagger UI script from our own static files (drf-spectacular-sidecar), no CDN, no inline script.
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[], throttle_classes=[]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", permission_classes=[AllowAny], authentication_classes=[], throttle_classes=[]
        ),
        name="docs",
    ),
    path("tokens/", pages.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
    path("v1/statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("v1/dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("v1/", include(router.urls)),
]
