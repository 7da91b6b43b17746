"""Recording an inspection: results per item, a hazard from a failed item in one step, photos."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from closing.lock import assert_month_open
from safecommunity.exceptions import ApplicationError
from safecommunity.permissions import WORK_IN_FIELD

from ..choices import SUMMONS_RATINGS, InspectionMode, ItemResult, JointAgency, Rating
from ..models import (
    ChecklistItem,
    ChecklistTemplate,
    Inspection,
    InspectionResult,
    SupervisedEntity,
)
from .common import check_scope, frequency_map
from .entities import compute_next_due
from .hazards import hazard_register, photo_add


@dataclass
class ItemOutcome:
    """The result of one checklist item; ``hazard`` (a dict of hazard_register's fields:
    grade, description, deadline, location, responsible_person) registers a hazard from it."""

    item: ChecklistItem
    result: str
    note: str = ""
    hazard: dict | None = None
    photos: list = field(default_factory=list)


def current_template(county, kind) -> ChecklistTemplate | None:
    return ChecklistTemplate.objects.filter(county=county, kind=kind, is_current=True).first()


@transaction.atomic
def checklist_template_revise(*, county, kind: str, name: str, items: list[dict], user=None) -> ChecklistTemplate:
    """A new version of the county's checklist for ``kind``; earlier inspections keep theirs.
    ``items``: dicts with category, text, legal_basis."""
    if not items:
        raise ApplicationError(_("检查表至少需要一个检查项"))
    previous = ChecklistTemplate.objects.select_for_update().filter(county=county, kind=kind).order_by("-version")
    last = previous.first()
    ChecklistTemplate.objects.filter(county=county, kind=kind, is_current=True).update(is_current=False)
    template = ChecklistTemplate(
        county=county, kind=kind, name=name, version=(last.version + 1) if last else 1, is_current=True, created_by=user
    )
    template.full_clean()
    template.save()
    objs = []
    for order, item in enumerate(items, start=1):
        obj = ChecklistItem(
            template=template,
            category=item["category"],
            text=item["text"],
            legal_basis=item.get("legal_basis", ""),
            order=order,
        )
        obj.full_clean(exclude=["template"])
        objs.append(obj)
    ChecklistItem.objects.bulk_create(objs)
    return template


@transaction.atomic
def inspection_record(
    *,
    user,
    entity: SupervisedEntity,
    inspected_at: dt.datetime,
    representative_name: str,
    rating: str,
    outcomes: list[ItemOutcome],
    template: ChecklistTemplate | None = None,
    mode: str = InspectionMode.ANNOUNCED,
    joint_agencies=(),
    notes: str = "",
    latitude=None,
    longitude=None,
    co_inspectors=(),
    photos=(),
) -> Inspection:
    check_scope(user, entity, WORK_IN_FIELD)
    assert_month_open(
        township_id=entity.township_id, date_field="inspected_at", arguments={"inspected_at": inspected_at}
    )
    if inspected_at > timezone.now() + dt.timedelta(minutes=10):
        raise ApplicationError(_("检查时间不能晚于现在"), field="inspected_at")
    joint_agencies = sorted(set(joint_agencies))
    if any(a not in JointAgency.values for a in joint_agencies):
        raise ApplicationError(_("联合执法部门不正确"), field="joint_agencies")
    if (latitude is None) != (longitude is None):
        raise ApplicationError(_("定位须同时有经度和纬度"))
    if template is not None:
        if template.county_id != entity.township.parent_id or template.kind != entity.kind:
            raise ApplicationError(_("检查表与监管对象类别不符"))
        expected = set(template.items.values_list("pk", flat=True))
        given = {o.item.pk for o in outcomes}
        if given != expected:
            raise ApplicationError(_("请对检查表的每一项填写结果"))
    for outcome in outcomes:
        if outcome.result not in ItemResult.values:
            raise ApplicationError(_("检查结果不正确"))
        if outcome.hazard and outcome.result != ItemResult.NONCONFORM:
            raise ApplicationError(_("只有“不符合”的检查项才能登记隐患"))

    inspection = Inspection(
        township_id=entity.township_id,
        entity=entity,
        recorded_by=user,
        inspected_at=inspected_at,
        mode=mode,
        joint_agencies=joint_agencies,
        template=template,
        notes=notes,
        latitude=latitude,
        longitude=longitude,
        representative_name=representative_name,
        rating=rating,
    )
    inspection.full_clean()
    inspection.save()
    inspection.inspectors.set({user.pk, *(u.pk for u in co_inspectors)})
    results = []
    for outcome in outcomes:
        result = InspectionResult(inspection=inspection, item=outcome.item, result=outcome.result, note=outcome.note)
        result.full_clean(exclude=["inspection"])
        results.append(result)
    InspectionResult.objects.bulk_create(results)
    day = timezone.localtime(inspected_at).date()
    for outcome in outcomes:
        if outcome.hazard:
            data = outcome.hazard
            hazard_register(
                user=user,
                entity=entity,
                inspection=inspection,
                item=outcome.item,
                grade=data["grade"],
                description=data.get("description") or outcome.item.text,
                found_on=day,
                deadline=data["deadline"],
                location=data.get("location", ""),
                responsible_person=data.get("responsible_person", ""),
                photos=outcome.photos,
            )
    for upload in photos:
        photo_add(user=user, entity=entity, upload=upload, inspection=inspection)
    _after_inspection(entity, inspection, day)
    return inspection


def _after_inspection(entity: SupervisedEntity, inspection: Inspection, day: dt.date) -> None:
    """Move the entity's due date and set the summons flag (一般/差 twice in a row → 约谈)."""
    entity = SupervisedEntity.objects.select_for_update().get(pk=entity.pk)
    last_two = list(entity.inspections.order_by("-inspected_at", "-id").values_list("rating", flat=True)[:2])
    entity.summons_required = len(last_two) == 2 and all(r in SUMMONS_RATINGS for r in last_two)
    if entity.last_inspected_on is None or day >= entity.last_inspected_on:
        entity.last_inspected_on = day
    entity.next_due_on = compute_next_due(entity, frequency_map(entity.township.parent))
    from analysis.places import rule_interval  # the county's outcome rule, when switched on (issue 20)

    days = rule_interval(entity, today=day)
    if days:
        entity.next_due_on = entity.last_inspected_on + dt.timedelta(days=days)
    entity.save(update_fields=["summons_required", "last_inspected_on", "next_due_on", "updated_at"])


__all__ = ["ItemOutcome", "Rating", "checklist_template_revise", "current_template", "inspection_record"]
