"""The lock of approved months, checked by every service that writes a month's records
(incidents, injury cards, inspections, hazards; each dated by its own date field), whichever
door the data comes in by: pages, imports, the API, the offline app.

    from closing.lock import assert_month_open
    assert_month_open(township_id=..., dates=[old, new], record=obj, service="app.services.fn", arguments=kwargs)

A refusal is a ``MonthLockedError`` (an ``ApplicationError``: imports reject the row with its
message, the API answers a problem). A page's form turns it into a correction request
(``form_response``): the county approves it and ``correction_apply`` calls the same service
with the same arguments inside ``applying_correction``, where the lock lets that one call through.
"""

import contextvars
import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError

_applying = contextvars.ContextVar("closing_applying", default=None)


@contextmanager
def applying_correction(correction_id: int):
    token = _applying.set(correction_id)
    try:
        yield
    finally:
        _applying.reset(token)


def _month_of(value) -> tuple[int, int] | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return (value.year, value.month)


def locked_months(township_id) -> set[tuple[int, int]]:
    """The approved (locked) months of a township: one query (bulk services check every row)."""
    from .choices import CloseStatus
    from .models import MonthClose

    if _applying.get() is not None or not township_id:
        return set()
    return set(
        MonthClose.objects.filter(township_id=township_id, status=CloseStatus.APPROVED).values_list("year", "month")
    )


def locked_reason(year: int, month: int) -> str:
    return _(
        "%(y)d年%(m)d月的数据已经县级审核锁定，不能直接新增或修改；在记录的编辑页面保存修改即提交更正申请，经县级审核后生效"
    ) % {
        "y": year,
        "m": month,
    }


class MonthLockedError(ApplicationError, ValidationError):
    """Both a refusal (``ApplicationError``) and a validation error, so that every door handles it
    as it handles its own refusals: forms, imports, the API, the offline app."""

    def __init__(self, *, township_id, year, month, record=None, service="", arguments=None, record_date=None):
        message = locked_reason(year, month)
        ValidationError.__init__(self, message)
        ApplicationError.__init__(self, message)
        self.township_id, self.year, self.month = township_id, year, month
        self.record, self.service, self.arguments, self.record_date = record, service, arguments or {}, record_date

    def form_response(self, request, form):
        """A page's edit of a locked month becomes a correction request (see ``generic.ServiceFormMixin``)."""
        from django.contrib import messages
        from django.shortcuts import redirect

        from .services import correction_request

        try:
            correction = correction_request(user=request.user, locked=self)
        except ApplicationError as exc:
            from safecommunity.generic import add_service_errors

            add_service_errors(form, exc)
            return None
        messages.warning(request, _("该月已审核锁定：您的修改已作为更正申请提交，经县级审核后生效"))
        return redirect(correction)


def assert_month_open(
    *, township_id, date_field: str, record=None, service: str = "", arguments: dict | None = None
) -> None:
    """Refuse a write touching an approved month of ``township_id``: the record's ``date_field``
    as stored (an edit) or as given in ``arguments`` (an edit or a new record)."""
    if _applying.get() is not None:
        return
    arguments = arguments or {}
    stored = None
    if record is not None and record.pk:
        # The stored row, not the instance: a model form has already set the new values on it.
        stored = type(record)._default_manager.filter(pk=record.pk).first()
    dates = [getattr(stored, date_field, None), arguments.get(date_field)]
    months = [m for m in (_month_of(d) for d in dates) if m]
    if not months:
        return
    from .choices import CloseStatus
    from .models import MonthClose

    q = models.Q()
    for y, m in set(months):
        q |= models.Q(year=y, month=m)
    hit = (
        MonthClose.objects.filter(township_id=township_id, status=CloseStatus.APPROVED)
        .filter(q)
        .values_list("year", "month")
        .first()
    )
    if hit:
        first = next(d for d in dates if _month_of(d) == hit)
        day = timezone.localtime(first).date() if isinstance(first, dt.datetime) else first
        raise MonthLockedError(
            township_id=township_id,
            year=hit[0],
            month=hit[1],
            record=stored,
            service=service,
            arguments=arguments,
            record_date=day,
        )


def locked_row_reason(township_id, value, months=None) -> str:
    """The refusal of one row of a bulk write (imports) dated ``value``, or ""."""
    months = locked_months(township_id) if months is None else months
    m = _month_of(value)
    return locked_reason(*m) if m and m in months else ""


# --- Arguments of a service call, stored as JSON and read back the same -------------------------


def encode(value):
    if isinstance(value, models.Model):
        return {"__model__": value._meta.label, "pk": value.pk}
    if isinstance(value, dt.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, Decimal):
        return {"__decimal__": str(value)}
    if isinstance(value, models.QuerySet):
        return {"__models__": value.model._meta.label, "pks": list(value.values_list("pk", flat=True))}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise ApplicationError(_("该修改含有附件等无法保存为更正申请的内容，请联系县级审核人员"))


def decode(value):
    if isinstance(value, dict):
        if "__model__" in value:
            return apps.get_model(value["__model__"])._default_manager.get(pk=value["pk"])
        if "__models__" in value:
            return list(apps.get_model(value["__models__"])._default_manager.filter(pk__in=value["pks"]))
        if "__datetime__" in value:
            return dt.datetime.fromisoformat(value["__datetime__"])
        if "__date__" in value:
            return dt.date.fromisoformat(value["__date__"])
        if "__decimal__" in value:
            return Decimal(value["__decimal__"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value
