"""The 三色 评定 of enterprises, hazards at places (road sections, fire lanes …) and the county's
own kinds of place (九小场所 extended)."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError
from safecommunity.permissions import EDIT_TOWNSHIP

from .. import kinds
from ..choices import COLOUR_SUMMONS
from ..models import EntityKindOption, HazardPlace, SafetyRating, SupervisedEntity
from .common import check_scope


@transaction.atomic
def entity_rate(*, entity: SupervisedEntity, user, period: str, rated_on: dt.date, colour: str, reason: str = ""):
    """Record one periodic 三色 评定. The entity carries the colour of its latest rating; two 一般
    (黄) ratings in a row and its head is to be summoned (约谈), until a later rating is not 一般."""
    check_scope(user, entity, EDIT_TOWNSHIP)
    entity = SupervisedEntity.objects.select_for_update().get(pk=entity.pk)
    if SafetyRating.objects.filter(entity=entity, period=period.strip()).exists():
        raise ApplicationError(_("该评定期间已有评定"), field="period")
    rating = SafetyRating(
        entity=entity, period=period.strip(), rated_on=rated_on, colour=colour, reason=reason, rated_by=user
    )
    rating.full_clean()
    rating.save()
    last_two = list(entity.ratings.order_by("-rated_on", "-id").values_list("colour", flat=True)[:2])
    entity.three_colour = last_two[0]
    entity.colour_summons_required = len(last_two) == 2 and all(c == COLOUR_SUMMONS for c in last_two)
    entity.save(update_fields=["three_colour", "colour_summons_required", "updated_at"])
    return rating


@transaction.atomic
def hazard_place_create(*, user, township, kind: str, name: str, village=None, description: str = "") -> HazardPlace:
    if user.role not in EDIT_TOWNSHIP and not user.is_county_level:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("当前角色无权执行此操作"))
    if village is not None and village.parent_id != township.pk:
        raise ApplicationError(_("村(社区)不属于该乡镇"), field="village")
    place = HazardPlace(township=township, kind=kind, name=name, village=village, description=description)
    place.full_clean()
    place.save()
    return place


@transaction.atomic
def entity_kind_add(*, county, name: str, code: str, is_small_place: bool = True, order: int = 100):
    """A kind of place of the county's own (e.g. 专业库房); entities and checklists may use it."""
    option = EntityKindOption(county=county, code=code, name=name, is_small_place=is_small_place, order=order)
    option.full_clean()
    if code in kinds.EntityKind.values:
        raise ApplicationError(_("该代码为内置类别"), field="code")
    option.save()
    kinds.forget()
    return option
