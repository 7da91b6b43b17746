"""Views of the inspections app (see urls.py for the routes)."""

from .entities import (
    EntityCreateView,
    EntityDetailView,
    EntityListView,
    EntityUpdateView,
    GridCoverageView,
    GridDetailView,
    entity_regrade,
)
from .hazards import (
    EnforcementDetailView,
    HazardDetailView,
    HazardListView,
    ReinspectionDetailView,
    enforcement_create,
    enforcement_notice,
    hazard_create,
    hazard_plan,
    hazard_supervise,
    hazard_transition,
    photo,
    reinspection_create,
    reinspection_opinion,
)
from .inspections import InspectionDetailView, InspectionListView, inspection_create
from .pages import index, notifications_read
from .settings import (
    checklist_revise,
    class_definition_edit,
    frequency_edit,
    hazard_grade_edit,
    settings_overview,
)

__all__ = [
    "EnforcementDetailView",
    "EntityCreateView",
    "EntityDetailView",
    "EntityListView",
    "EntityUpdateView",
    "GridCoverageView",
    "GridDetailView",
    "HazardDetailView",
    "HazardListView",
    "InspectionDetailView",
    "InspectionListView",
    "enforcement_create",
    "enforcement_notice",
    "entity_regrade",
    "hazard_create",
    "hazard_plan",
    "hazard_supervise",
    "hazard_transition",
    "index",
    "inspection_create",
    "notifications_read",
    "photo",
    "ReinspectionDetailView",
    "reinspection_create",
    "reinspection_opinion",
    "checklist_revise",
    "class_definition_edit",
    "frequency_edit",
    "hazard_grade_edit",
    "settings_overview",
]
