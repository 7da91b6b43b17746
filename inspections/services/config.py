"""County reference data edited by county-level users: what supervision classes A-D mean and the
hazard grade list. (Checklist revisions: ``checklist_template_revise``; intervals: ``frequency_set``.)"""

from django.db import transaction
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError

from ..models import HazardGrade, SupervisionClassDefinition


@transaction.atomic
def supervision_class_define(*, county, supervision_class: str, meaning: str) -> SupervisionClassDefinition:
    """Create or update the meaning of one class (A-D) in ``county``."""
    definition = (
        SupervisionClassDefinition.objects.select_for_update()
        .filter(county=county, supervision_class=supervision_class)
        .first()
    )
    if definition is None:
        definition = SupervisionClassDefinition(county=county, supervision_class=supervision_class)
    definition.meaning = meaning.strip()
    definition.full_clean()
    definition.save()
    return definition


@transaction.atomic
def hazard_grade_save(
    *, county, name: str, is_major: bool, default_days: int, order: int, grade: HazardGrade | None = None
) -> HazardGrade:
    """Add a grade to the county's list, or edit one of its grades. Grades are never deleted here:
    hazards refer to them."""
    if grade is None:
        grade = HazardGrade(county=county)
    elif grade.county_id != county.pk:
        raise ApplicationError(_("该隐患等级不属于本县"))
    if default_days is None or default_days < 1:
        raise ApplicationError(_("默认整改期限至少为1天"), field="default_days")
    grade.name, grade.is_major, grade.default_days, grade.order = name.strip(), is_major, default_days, order
    grade.full_clean()
    grade.save()
    return grade
