"""Writes of the entity files (一企一档): create, edit, yearly regrading, frequencies."""

import datetime as dt

from django.db import transaction
from django.db.models import DateField, F
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError
from safecommunity.permissions import EDIT_TOWNSHIP

from ..choices import WORST_CLASS
from ..models import (
    EntityDocument,
    EntityGrading,
    Grid,
    InspectionFrequency,
    SupervisedEntity,
)
from ..validators import normalise_credit_code
from .common import check_scope, frequency_map, interval_days

ENTITY_FIELDS = (
    "name",
    "credit_code",
    "kind",
    "industry",
    "address",
    "village",
    "grid",
    "legal_representative",
    "safety_officer",
    "phone",
    "employees",
    "risk_colour",
    "supervision_class",
)


def _check_place(entity: SupervisedEntity) -> None:
    if entity.village_id and entity.village.parent_id != entity.township_id:
        raise ApplicationError(_("所属村(社区)不在本乡镇/街道"), field="village")
    if entity.grid_id and entity.grid.village_id != entity.village_id:
        raise ApplicationError(_("所属网格不在所选村(社区)"), field="grid")
    if entity.credit_code:
        clash = SupervisedEntity.objects.filter(credit_code=entity.credit_code).exclude(pk=entity.pk)
        if clash.exists():
            raise ApplicationError(_("该统一社会信用代码已登记"), field="credit_code")


def compute_next_due(entity: SupervisedEntity, freq: dict, today: dt.date | None = None) -> dt.date:
    """Never inspected: due from the day it was filed; otherwise last inspection + interval."""
    if entity.last_inspected_on is None:
        return today or timezone.localdate()
    return entity.last_inspected_on + dt.timedelta(days=interval_days(freq, entity.supervision_class, entity.kind))


@transaction.atomic
def entity_create(*, user, township=None, **fields) -> SupervisedEntity:
    village = fields["village"]
    township = township or village.parent
    entity = SupervisedEntity(township=township, **{k: v for k, v in fields.items() if k in ENTITY_FIELDS})
    entity.credit_code = normalise_credit_code(entity.credit_code)
    if user is not None and user.role not in EDIT_TOWNSHIP:
        raise ApplicationError(_("当前角色无权新增监管对象"))
    entity.next_due_on = compute_next_due(entity, frequency_map(township.parent))
    entity.full_clean()
    _check_place(entity)
    entity.save()
    return entity


@transaction.atomic
def entity_update(*, entity: SupervisedEntity, user, **fields) -> SupervisedEntity:
    check_scope(user, entity, EDIT_TOWNSHIP)
    for name, value in fields.items():
        if name in ENTITY_FIELDS:
            setattr(entity, name, value)
    entity.credit_code = normalise_credit_code(entity.credit_code)
    entity.next_due_on = compute_next_due(entity, frequency_map(entity.township.parent))
    entity.full_clean()
    _check_place(entity)
    entity.save()
    return entity


@transaction.atomic
def entity_regrade(
    *,
    entity: SupervisedEntity,
    user,
    year: int,
    risk_colour: str,
    supervision_class: str,
    reason: str = "",
    today: dt.date | None = None,
) -> EntityGrading:
    """The yearly regrading: kept as history; the entity takes the new colour and class.

    An entity flagged for the worst class (a fatal accident or three serious injuries in the past
    year) may be given another class only with a written reason.
    """
    from ..selectors import entity_accident_flags

    check_scope(user, entity, EDIT_TOWNSHIP)
    entity = SupervisedEntity.objects.select_for_update().select_related("township").get(pk=entity.pk)
    today = today or timezone.localdate()
    flags = entity_accident_flags([entity.pk], today=today)
    if flags.get(entity.pk) and supervision_class != WORST_CLASS and not reason.strip():
        raise ApplicationError(
            _("该单位近一年发生死亡事故或重伤3人以上，应列为%(c)s类；如不列入须说明理由") % {"c": WORST_CLASS},
            field="supervision_class",
        )
    grading, _created = EntityGrading.objects.update_or_create(
        entity=entity,
        year=year,
        defaults={
            "risk_colour": risk_colour,
            "supervision_class": supervision_class,
            "reason": reason,
            "graded_by": user,
        },
    )
    grading.full_clean()
    entity.risk_colour, entity.supervision_class = risk_colour, supervision_class
    entity.next_due_on = compute_next_due(entity, frequency_map(entity.township.parent), today)
    entity.full_clean()
    entity.save(update_fields=["risk_colour", "supervision_class", "next_due_on", "updated_at"])
    return grading


@transaction.atomic
def entity_document_add(*, entity: SupervisedEntity, user, title: str, upload) -> EntityDocument:
    check_scope(user, entity, EDIT_TOWNSHIP)
    document = EntityDocument(entity=entity, title=title, file=upload, uploaded_by=user)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def frequency_set(*, county, supervision_class: str, kind: str, interval_days: int) -> InspectionFrequency:
    """Set a county's interval and move the next due date of every entity it applies to."""
    frequency, _created = InspectionFrequency.objects.update_or_create(
        county=county, supervision_class=supervision_class, kind=kind, defaults={"interval_days": interval_days}
    )
    frequency.full_clean()
    entities_recompute_due(county=county)
    return frequency


def entities_recompute_due(*, county) -> int:
    """next_due_on = last_inspected_on + interval for every inspected entity of the county: one
    UPDATE per configured interval (kind-specific ones override the class default)."""
    freq = frequency_map(county)
    qs = SupervisedEntity.objects.in_county(county).filter(last_inspected_on__isnull=False)
    updated = 0
    for (cls, kind), days in freq.items():
        rows = qs.filter(supervision_class=cls)
        if kind:
            rows = rows.filter(kind=kind)
        else:
            specific = [k for (c, k) in freq if c == cls and k]
            rows = rows.exclude(kind__in=specific)
        updated += rows.update(next_due_on=Cast(F("last_inspected_on") + dt.timedelta(days=days), DateField()))
    return updated


def grid_check(grid: Grid, village) -> None:
    if grid.village_id != village.pk:
        raise ApplicationError(_("所属网格不在所选村(社区)"), field="grid")
