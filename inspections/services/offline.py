"""Inspections filled in offline on the phone and sent later: each carries an idempotency key
(a UUID made on the phone), so a retried request returns what the first one stored."""

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError
from safecommunity.permissions import WORK_IN_FIELD

from ..models import Inspection, Photo, SupervisedEntity
from .common import check_scope
from .hazards import photo_add
from .inspections import inspection_record


class SyncConflict(ApplicationError):
    """The server's data changed while the phone was offline (entity closed, task reassigned):
    the record is refused with an explanation, ``code`` says which conflict."""

    def __init__(self, message, *, code: str):
        super().__init__(message, extra={"code": code})
        self.code = code


def entity_for_sync(*, user, entity_id: int) -> SupervisedEntity | None:
    """The entity an offline record names, or a conflict. ``None``: not in the user's township at
    all (another township's or county's entity: the caller answers 404, as the normal form does).
    An entity of the user's own township that is no longer in their grids was reassigned."""
    entity = SupervisedEntity.objects.for_user(user).select_related("township", "grid").filter(pk=entity_id).first()
    if entity is not None:
        return entity
    if user.role in WORK_IN_FIELD and user.area_id and user.is_township_level:
        moved = SupervisedEntity.objects.filter(pk=entity_id, township_id=user.area_id).exists()
        if moved:
            raise SyncConflict(
                _("该监管对象已改由其他网格员负责，本条巡查未保存。请与乡镇安监站核实后再处理。"), code="reassigned"
            )
    return None


def _check_open(entity: SupervisedEntity, inspected_at: dt.datetime) -> None:
    if entity.closed_on and timezone.localtime(inspected_at).date() >= entity.closed_on:
        raise SyncConflict(
            _("该监管对象已于%(day)s停业/注销，不再接受此后的巡查记录，本条巡查未保存。")
            % {"day": formats.date_format(entity.closed_on, "Y-m-d")},
            code="entity_closed",
        )


def inspection_sync(
    *, user, key: uuid.UUID, entity: SupervisedEntity, inspected_at: dt.datetime, **fields
) -> tuple[Inspection, bool]:
    """Record an offline inspection once. Returns (inspection, created); a repeat of ``key`` by the
    same user returns the inspection of the first request. ``fields``: the keyword arguments of
    ``inspection_record`` (representative_name, rating, outcomes, template, mode, notes …)."""
    check_scope(user, entity, WORK_IN_FIELD)
    existing = _existing_inspection(user=user, key=key)
    if existing is not None:
        return existing, False
    _check_open(entity, inspected_at)
    try:
        with transaction.atomic():
            inspection = inspection_record(user=user, entity=entity, inspected_at=inspected_at, **fields)
            # Under the unique index: a concurrent request with the same key waits here for the
            # first to commit, then fails and returns the first one's inspection.
            Inspection.objects.filter(pk=inspection.pk).update(client_key=key)
            inspection.client_key = key
    except IntegrityError:
        existing = _existing_inspection(user=user, key=key)
        if existing is None:
            raise
        return existing, False
    return inspection, True


def _existing_inspection(*, user, key) -> Inspection | None:
    inspection = Inspection.objects.filter(client_key=key).select_related("entity").first()
    if inspection is not None and inspection.recorded_by_id != user.pk:
        raise PermissionDenied(_("同步标识已被其他用户使用"))
    return inspection


def photo_sync(
    *, user, key: uuid.UUID, inspection: Inspection, upload, item_id: int | None = None
) -> tuple[Photo, bool]:
    """Attach one photo to a synced inspection (or to the hazard it registered from ``item_id``),
    once per ``key``. Returns (photo, created)."""
    check_scope(user, inspection, WORK_IN_FIELD)
    existing = _existing_photo(user=user, key=key)
    if existing is not None:
        return existing, False
    hazard = event = None
    if item_id is not None:
        hazard = inspection.hazards.filter(item_id=item_id).first()
        if hazard is None:
            raise ApplicationError(_("该检查项未登记隐患，照片无法归档"))
        event = hazard.events.order_by("at", "id").first()
    try:
        with transaction.atomic():
            if hazard is not None:
                photo = photo_add(user=user, entity=inspection.entity, upload=upload, hazard=hazard, event=event)
            else:
                photo = photo_add(user=user, entity=inspection.entity, upload=upload, inspection=inspection)
            Photo.objects.filter(pk=photo.pk).update(client_key=key)
            photo.client_key = key
    except IntegrityError:
        existing = _existing_photo(user=user, key=key)
        if existing is None:
            raise
        return existing, False
    return photo, True


def _existing_photo(*, user, key) -> Photo | None:
    photo = Photo.objects.filter(client_key=key).first()
    if photo is not None and photo.uploaded_by_id != user.pk:
        raise PermissionDenied(_("同步标识已被其他用户使用"))
    return photo
