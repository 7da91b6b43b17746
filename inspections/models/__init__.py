"""Grids, supervised entities, checklists, inspections and the hazard loop."""

from auditlog.registry import auditlog

from safecommunity import datacache

from .checklists import ChecklistItem, ChecklistTemplate
from .enforcement import AuthorityCounter, EnforcementOfficer, IssuingAuthority, Reinspection
from .entities import (
    EntityDocument,
    EntityGrading,
    Grid,
    InspectionFrequency,
    SupervisedEntity,
    SupervisionClassDefinition,
)
from .hazards import (
    DailyRun,
    DocumentCounter,
    Enforcement,
    Hazard,
    HazardEvent,
    HazardGrade,
    Notification,
    RectificationPlan,
)
from .inspections import Inspection, InspectionResult, Photo
from .kinds import EntityKindOption
from .places import HazardPlace, SafetyRating

__all__ = [
    "AuthorityCounter",
    "EnforcementOfficer",
    "IssuingAuthority",
    "Reinspection",
    "ChecklistItem",
    "ChecklistTemplate",
    "DailyRun",
    "DocumentCounter",
    "Enforcement",
    "EntityDocument",
    "EntityGrading",
    "EntityKindOption",
    "Grid",
    "Hazard",
    "HazardEvent",
    "HazardGrade",
    "HazardPlace",
    "Inspection",
    "InspectionFrequency",
    "InspectionResult",
    "Notification",
    "Photo",
    "RectificationPlan",
    "SafetyRating",
    "SupervisedEntity",
    "SupervisionClassDefinition",
]

auditlog.register(Grid)
auditlog.register(SupervisedEntity, mask_fields=["legal_representative", "safety_officer", "phone"])
auditlog.register(EntityGrading)
auditlog.register(InspectionFrequency)
auditlog.register(ChecklistTemplate)
auditlog.register(ChecklistItem)
auditlog.register(Inspection, exclude_fields=["updated_at"])
auditlog.register(Hazard, exclude_fields=["updated_at"])
auditlog.register(RectificationPlan)
auditlog.register(Enforcement)
auditlog.register(HazardGrade)
auditlog.register(IssuingAuthority)
auditlog.register(EnforcementOfficer)
auditlog.register(Reinspection)
auditlog.register(EntityKindOption)
auditlog.register(HazardPlace)
auditlog.register(SafetyRating)

# Dashboards, briefings and list counts are cached per data version (safecommunity.datacache).
for _model in (Grid, SupervisedEntity, Inspection, Hazard, Enforcement, Reinspection):
    datacache.track(_model, "inspections")
