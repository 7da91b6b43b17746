"""Helpers shared by the services: permissions, configuration, numbering."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ..choices import DEFAULT_INTERVAL_DAYS
from ..models import DocumentCounter, HazardGrade, InspectionFrequency

DEFAULT_GRADES = [("一般隐患", False, 15, 1), ("重大隐患", True, 60, 2)]


def check_scope(user, obj, roles) -> None:
    """The same rule whichever door the write comes in by: a role allowed to write, and the row
    within the user's scope (a grid inspector: their own grids)."""
    if user is None or user.role not in roles:
        raise PermissionDenied(_("当前角色无权执行此操作"))
    if not type(obj).objects.for_user(user).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("不在您的管辖范围内"))


def county_of(township):
    return township.parent


def hazard_grades(county):
    """The county's grades; the two grades of 16号令 are created the first time they are asked for."""
    grades = list(HazardGrade.objects.filter(county=county))
    if not grades:
        for name, is_major, days, order in DEFAULT_GRADES:
            HazardGrade.objects.get_or_create(
                county=county, name=name, defaults={"is_major": is_major, "default_days": days, "order": order}
            )
        grades = list(HazardGrade.objects.filter(county=county))
    return grades


def frequency_map(county) -> dict:
    """(class, kind or "") → interval in days; the typical defaults where nothing is configured."""
    result = {(cls, ""): days for cls, days in DEFAULT_INTERVAL_DAYS.items()}
    for row in InspectionFrequency.objects.filter(county=county).values("supervision_class", "kind", "interval_days"):
        result[(row["supervision_class"], row["kind"])] = row["interval_days"]
    return result


def interval_days(freq: dict, supervision_class: str, kind: str) -> int:
    return freq.get((supervision_class, kind)) or freq.get((supervision_class, "")) or 30


def next_number(*, township, kind: str, year: int) -> int:
    """The next sequence number, taken under a row lock so two requests never get the same one."""
    counter, _created = DocumentCounter.objects.select_for_update().get_or_create(
        township=township, kind=kind, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
