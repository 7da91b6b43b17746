"""Writes of the county's accountability records. Every row belongs to the county of the user
who writes it; the areas it names must lie in that county."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError
from safecommunity.permissions import RUN_COUNTY_OFFICE
from safecommunity.services import model_update

from .models import Issuance, Leader, OfficialInspection, Visit


def _county_of(user):
    """The county a user writes for: county office roles only."""
    if user is None or user.role not in RUN_COUNTY_OFFICE or not user.is_county_level:
        raise PermissionDenied(_("当前角色无权执行此操作"))
    return user.area


def _check_area(county, area, field: str) -> None:
    if area is not None and (area.level == "county" or not area.code.startswith(county.code)):
        raise ApplicationError(_("请选择本县的乡镇或村(社区)"), field=field)


def _check_leader(county, leader, field: str = "leader") -> None:
    if leader.county_id != county.pk:
        raise ApplicationError(_("该领导干部不属于本县"), field=field)


#: What a leader's form sets (the county is the server's; the duty areas are set after the save).
LEADER_EDITABLE = ("name", "position", "unit", "rank", "side", "duties", "is_active")


@transaction.atomic
def leader_save(*, user, leader: Leader | None = None, duty_areas=(), **fields) -> Leader:
    county = _county_of(user)
    if leader is not None and leader.county_id != county.pk:
        raise PermissionDenied(_("不在您的管辖范围内"))
    for area in duty_areas:
        _check_area(county, area, "duty_areas")
    leader = model_update(instance=leader or Leader(county=county), fields=LEADER_EDITABLE, data=fields)
    leader.duty_areas.set(duty_areas)
    return leader


@transaction.atomic
def visit_record(*, user, leader: Leader, area, visited_on, findings: str, place: str = "", photo=None) -> Visit:
    """One check-in of a leader at the grassroots; the photo is re-encoded (metadata dropped)."""
    from inspections.validators import clean_photo

    county = _county_of(user)
    _check_leader(county, leader)
    _check_area(county, area, "area")
    visit = Visit(
        county=county,
        leader=leader,
        area=area,
        visited_on=visited_on,
        place=place,
        findings=findings,
        recorded_by=user,
    )
    if photo:
        content = clean_photo(photo)
        visit.photo.save(content.name, content, save=False)
    visit.full_clean()
    visit.save()
    return visit


@transaction.atomic
def official_inspection_record(*, user, inspector: Leader, area=None, **fields) -> OfficialInspection:
    county = _county_of(user)
    _check_leader(county, inspector, "inspector")
    _check_area(county, area, "area")
    inspection = OfficialInspection(county=county, inspector=inspector, area=area, recorded_by=user, **fields)
    inspection.full_clean()
    inspection.save()
    return inspection


@transaction.atomic
def issuance_record(*, user, area=None, **fields) -> Issuance:
    county = _county_of(user)
    _check_area(county, area, "area")
    issuance = Issuance(county=county, area=area, recorded_by=user, **fields)
    issuance.full_clean()
    issuance.save()
    return issuance
