"""Writes of the projects app: keyword-only, atomic, ``full_clean()`` before ``save()``."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError
from safecommunity.services import model_update

from .choices import InterventionStatus
from .models import Evidence, Intervention, Project

PROJECT_FIELDS = [
    "name",
    "domain",
    "working_group",
    "responsible_units",
    "target_group",
    "target_place",
    "problem",
    "injury_evidence",
    "goal",
    "indicator_village",
    "indicator_age_min",
    "indicator_age_max",
    "indicator_cause",
    "indicator_place",
    "indicator_sex",
    "target_change",
    "baseline_start",
    "baseline_end",
    "followup_start",
    "followup_end",
    "budget",
    "spent",
    "start_on",
    "end_on",
    "status",
    "progress",
]
INTERVENTION_FIELDS = ["description", "owner", "planned_start", "planned_end", "status", "cost", "done_on", "notes"]
EVIDENCE_FIELDS = ["title", "kind", "dated", "file", "description", "project", "intervention", "meeting", "activity"]


@transaction.atomic
def project_save(*, township=None, project: Project | None = None, **fields) -> Project:
    return model_update(instance=project or Project(township=township), fields=PROJECT_FIELDS, data=fields)


@transaction.atomic
def project_record_evaluation(*, project: Project, evaluation: str, evaluated_on: date | None = None) -> Project:
    if not project.has_indicator:
        raise ApplicationError(_("项目尚未设定基线期和评估期，无法评估"))
    project.evaluation = evaluation
    project.evaluated_on = evaluated_on or timezone.localdate()
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def intervention_save(
    *, project: Project | None = None, intervention: Intervention | None = None, **fields
) -> Intervention:
    if intervention is None:
        intervention = Intervention(project=project)
    if fields.get("status") == InterventionStatus.DONE and not fields.get("done_on") and not intervention.done_on:
        fields["done_on"] = timezone.localdate()
    return model_update(instance=intervention, fields=INTERVENTION_FIELDS, data=fields)


@transaction.atomic
def evidence_add(*, township, elements=(), **fields) -> Evidence:
    evidence = model_update(instance=Evidence(township=township), fields=EVIDENCE_FIELDS, data=fields)
    evidence.elements.set(elements)
    return evidence


@transaction.atomic
def evidence_update(*, evidence: Evidence, elements=None, **fields) -> Evidence:
    model_update(instance=evidence, fields=EVIDENCE_FIELDS, data=fields)
    if elements is not None:
        evidence.elements.set(elements)
    return evidence
