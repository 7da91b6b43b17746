"""Writes of the inspections app. Every door (views, importer, tasks, commands) calls these."""

from .common import check_scope, frequency_map, hazard_grades, interval_days
from .config import hazard_grade_save, supervision_class_define
from .enforcement import (
    authority_create,
    authority_next_number,
    enforcement_issue,
    officer_add,
    reinspection_issue,
)
from .entities import (
    compute_next_due,
    entities_recompute_due,
    entity_create,
    entity_document_add,
    entity_regrade,
    entity_update,
    frequency_set,
)
from .hazards import (
    escalation_daily_run,
    escalation_recipients,
    escalation_target,
    hazard_plan_save,
    hazard_register,
    hazard_supervise,
    hazard_transition,
    hazards_escalate_overdue,
    notification_mark_read,
    photo_add,
)
from .inspections import (
    ItemOutcome,
    checklist_template_revise,
    current_template,
    inspection_record,
)
from .offline import SyncConflict, inspection_sync, photo_sync
from .ratings import entity_kind_add, entity_rate, hazard_place_create

__all__ = [
    "ItemOutcome",
    "check_scope",
    "checklist_template_revise",
    "compute_next_due",
    "current_template",
    "authority_create",
    "authority_next_number",
    "officer_add",
    "enforcement_issue",
    "reinspection_issue",
    "entities_recompute_due",
    "entity_create",
    "entity_document_add",
    "entity_regrade",
    "entity_update",
    "escalation_daily_run",
    "escalation_recipients",
    "escalation_target",
    "frequency_map",
    "frequency_set",
    "hazard_grades",
    "hazard_plan_save",
    "hazard_register",
    "hazard_supervise",
    "hazard_transition",
    "hazards_escalate_overdue",
    "inspection_record",
    "interval_days",
    "notification_mark_read",
    "hazard_grade_save",
    "photo_add",
    "supervision_class_define",
    "SyncConflict",
    "inspection_sync",
    "photo_sync",
    "entity_kind_add",
    "entity_rate",
    "hazard_place_create",
]
