"""Writes of the incidents app. Forms, the importer, the demo and the admin all come through here."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from closing.lock import assert_month_open, locked_months, locked_row_reason
from safecommunity.bulkcopy import instances
from safecommunity.exceptions import ApplicationError
from safecommunity.fieldmemo import clean_fields_many
from safecommunity.services import model_update

from .choices import IncidentStatus
from .models import CasualtyRevision, Incident, InjuryRecord, PersonalDataReveal, RateBaseline

CASUALTY_FIELDS = ("deaths", "serious_injuries", "minor_injuries", "direct_loss")
INCIDENT_EDITABLE = (
    "occurred_at",
    "village",
    "grid",
    "entity",
    "address",
    "latitude",
    "longitude",
    "domain",
    "accident_type",
    *CASUALTY_FIELDS,
    "acute_poisonings",
    "narrative",
    "source",
    "reporter",
    "source_number",
    "reported_at",
)
INJURY_EDITABLE = (
    "incident",
    "name",
    "id_number",
    "sex",
    "age",
    "residence",
    "education",
    "occupation",
    "injured_at",
    "visit_at",
    "reported_at",
    "village",
    "grid",
    "cause",
    "place",
    "activity",
    "intent",
    "alcohol",
    "nature",
    "body_part",
    "severity",
    "outcome",
    "clinical_diagnosis",
    "hospital",
    "narrative",
    "source_number",
)
# Foreign keys are checked by ``clean()`` against the township (or come from the importer's
# own lookups): the per-row existence queries of ``clean_fields`` are skipped in bulk.
_FK_FIELDS = ["township", "village", "grid", "entity", "incident", "created_by"]


def _unknown(fields, allowed):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")


# --- Incidents ---------------------------------------------------------------------------------


@transaction.atomic
def incident_register(*, township, user=None, **fields) -> Incident:
    _unknown(fields, INCIDENT_EDITABLE)
    fields = {
        k: v
        for k, v in fields.items()
        if v is not None or k in ("grid", "entity", "latitude", "longitude", "reported_at")
    }
    assert_month_open(
        township_id=township.pk,
        date_field="occurred_at",
        service="incidents.services.incident_register",
        arguments={"township": township, "user": user, **fields},
    )
    incident = Incident(township=township, created_by=user, status=IncidentStatus.REPORTED, **fields)
    incident.full_clean()
    incident.save()
    return incident


@transaction.atomic
def incident_update(*, incident: Incident, user=None, reason: str = "", **fields) -> Incident:
    """Edit an incident; a change of deaths, injuries or loss is kept as a ``CasualtyRevision``."""
    _unknown(fields, INCIDENT_EDITABLE)
    assert_month_open(
        township_id=incident.township_id,
        date_field="occurred_at",
        record=incident,
        service="incidents.services.incident_update",
        arguments={"incident": incident, "user": user, "reason": reason, **fields},
    )
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status == IncidentStatus.CLOSED:
        raise ApplicationError(_("已结案的事故不能修改"))
    before = {f: getattr(incident, f) for f in CASUALTY_FIELDS}
    model_update(instance=incident, fields=INCIDENT_EDITABLE, data=fields)
    after = {f: getattr(incident, f) for f in CASUALTY_FIELDS}
    if any(Decimal(str(before[f])) != Decimal(str(after[f])) for f in CASUALTY_FIELDS):
        revision = CasualtyRevision(
            incident=incident,
            revised_by=user,
            reason=reason[:255],
            deaths_before=before["deaths"],
            serious_before=before["serious_injuries"],
            minor_before=before["minor_injuries"],
            loss_before=before["direct_loss"],
            deaths=after["deaths"],
            serious_injuries=after["serious_injuries"],
            minor_injuries=after["minor_injuries"],
            direct_loss=after["direct_loss"],
        )
        revision.full_clean()
        revision.save()
    return incident


def _transition(incident, user, *, source, target, refusal):
    updated = Incident.objects.filter(pk=incident.pk, status=source).update(status=target, updated_at=timezone.now())
    if not updated:
        raise ApplicationError(refusal)
    incident.refresh_from_db()
    return incident


@transaction.atomic
def incident_verify(*, incident: Incident, user) -> Incident:
    return _transition(
        incident,
        user,
        source=IncidentStatus.REPORTED,
        target=IncidentStatus.VERIFIED,
        refusal=_("只有“已报告”的事故可以核实"),
    )


@transaction.atomic
def incident_close(*, incident: Incident, user) -> Incident:
    return _transition(
        incident,
        user,
        source=IncidentStatus.VERIFIED,
        target=IncidentStatus.CLOSED,
        refusal=_("只有“已核实”的事故可以结案"),
    )


def _prepare(obj):
    obj.clean_fields(exclude=_FK_FIELDS)
    obj.clean()
    return obj


@transaction.atomic
def incidents_bulk_register(*, township, user=None, rows: list[dict]) -> tuple[int, dict[int, ValidationError]]:
    """Register many incidents at once (the importer). ``rows`` carry instances for their
    foreign keys. Returns (saved count, {index: ValidationError} of refused rows)."""
    ready, errors = [], {}
    locked = locked_months(township.pk)
    for i, data in enumerate(rows):
        _unknown(data, INCIDENT_EDITABLE)
        obj = Incident(township=township, created_by=user, status=IncidentStatus.REPORTED, **data)
        try:
            if refusal := locked_row_reason(township.pk, obj.occurred_at, locked):
                raise ValidationError(refusal)
            ready.append(_prepare(obj))
        except ValidationError as exc:
            errors[i] = exc
    Incident.objects.bulk_create(ready, batch_size=1000)
    return len(ready), errors


# --- Injury records -----------------------------------------------------------------------------


def _apply_warnings(record, *, user, confirm: bool, now=None):
    """Store the card's plausibility warnings of ``record``; ``confirm`` records that the user
    checked them (确认无误). A changed set of warnings needs a new confirmation."""
    found = record.current_warnings()
    confirmed = record.warnings_confirmed_at is not None and list(record.logic_warnings or []) == found
    record.logic_warnings = found
    if not found:
        record.warnings_confirmed_at, record.warnings_confirmed_by = None, None
    elif confirm and not confirmed:
        record.warnings_confirmed_at, record.warnings_confirmed_by = now or timezone.now(), user
    elif not confirmed:
        record.warnings_confirmed_at, record.warnings_confirmed_by = None, None


@transaction.atomic
def injury_record_create(*, township, user=None, confirm_warnings: bool = False, **fields) -> InjuryRecord:
    """Create one record. Plausibility warnings never block: they are stored on the record,
    open until confirmed (``confirm_warnings`` or ``injury_record_confirm_warnings``)."""
    _unknown(fields, INJURY_EDITABLE)
    fields = {k: v for k, v in fields.items() if v is not None or k in ("incident", "grid", "visit_at", "reported_at")}
    assert_month_open(
        township_id=township.pk,
        date_field="injured_at",
        service="incidents.services.injury_record_create",
        arguments={"township": township, "user": user, "confirm_warnings": confirm_warnings, **fields},
    )
    record = InjuryRecord(township=township, created_by=user, **fields)
    if record.reported_at is None:
        record.reported_at = timezone.now()
    record.full_clean()
    _apply_warnings(record, user=user, confirm=confirm_warnings)
    record.save()
    return record


@transaction.atomic
def injury_record_update(*, record: InjuryRecord, user=None, confirm_warnings: bool = False, **fields) -> InjuryRecord:
    _unknown(fields, INJURY_EDITABLE)
    assert_month_open(
        township_id=record.township_id,
        date_field="injured_at",
        record=record,
        service="incidents.services.injury_record_update",
        arguments={"record": record, "user": user, "confirm_warnings": confirm_warnings, **fields},
    )
    record = InjuryRecord.objects.select_for_update().get(pk=record.pk)
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    _apply_warnings(record, user=user, confirm=confirm_warnings)
    record.save()
    return record


@transaction.atomic
def injury_record_confirm_warnings(*, record: InjuryRecord, user) -> InjuryRecord:
    """The user checked the record's open warnings and confirms the card as it is (确认无误)."""
    record = InjuryRecord.objects.select_for_update().get(pk=record.pk)
    if not record.logic_warnings:
        raise ApplicationError(_("该记录没有需要确认的逻辑校验提示"))
    if record.warnings_confirmed_at is None:
        record.warnings_confirmed_at, record.warnings_confirmed_by = timezone.now(), user
        record.save(update_fields=["warnings_confirmed_at", "warnings_confirmed_by", "updated_at"])
    return record


@transaction.atomic
def injury_records_bulk_create(*, township, user=None, rows: list[dict]) -> tuple[int, dict[int, ValidationError]]:
    """Create many injury records at once (the importer, ``seed_demo``); same contract as
    ``incidents_bulk_register``. Each row is checked as ``injury_record_create`` checks it (the
    month lock, ``clean_fields``, ``clean``; warnings stored), a batch at a time: the instances
    are built by ``bulkcopy.instances`` and each column's distinct values checked once
    (``fieldmemo.clean_fields_many``), which is what made this the import's slowest step."""
    for data in rows:
        _unknown(data, INJURY_EDITABLE)
    now = timezone.now()
    locked = locked_months(township.pk)
    objs = instances(InjuryRecord, rows, township=township, created_by=user)
    errors = {}
    for i, obj in enumerate(objs):
        if obj.reported_at is None:
            obj.reported_at = max(now, obj.visit_at or obj.injured_at or now)
        if locked and (refusal := locked_row_reason(township.pk, obj.injured_at, locked)):
            errors[i] = ValidationError(refusal)
    checking = [i for i in range(len(objs)) if i not in errors]
    refused = clean_fields_many([objs[i] for i in checking], exclude=_FK_FIELDS)
    ready = []
    for n, i in enumerate(checking):
        obj = objs[i]
        if n in refused:
            errors[i] = refused[n]
            continue
        try:
            obj.clean()
        except ValidationError as exc:
            errors[i] = exc
            continue
        _apply_warnings(obj, user=user, confirm=False, now=now)
        ready.append(obj)
    InjuryRecord.objects.bulk_create(ready, batch_size=1000)
    return len(ready), dict(sorted(errors.items()))


@transaction.atomic
def personal_data_reveal(*, record: InjuryRecord, user, ip_address: str | None = None) -> PersonalDataReveal:
    """Record that ``user`` saw the full name and ID number of one record; refuse other roles."""
    if not getattr(user, "can_see_personal_data", False):
        raise ApplicationError(_("您的角色不能查看完整个人信息"))
    if not user.is_township_level or user.area_id != record.township_id:
        raise ApplicationError(_("只能查看本乡镇/街道记录的个人信息"))
    reveal = PersonalDataReveal(injury=record, user=user, ip_address=ip_address)
    reveal.save()
    return reveal


# --- Rate baselines ----------------------------------------------------------------------------

BASELINE_FIELDS = (
    "population",
    "gdp",
    "motor_vehicles",
    "employees",
    "target_gdp_death",
    "target_road_death",
    "target_employee_death",
    "target_injury_incidence",
    "target_injury_mortality",
)


@transaction.atomic
def rate_baseline_save(*, area, year: int, user=None, **fields) -> RateBaseline:
    """Create or update the denominators and targets of ``area`` for ``year`` (county roles)."""
    baseline = RateBaseline.objects.select_for_update().filter(area=area, year=year).first()
    if baseline is None:
        baseline = RateBaseline(area=area, year=year)
    baseline.updated_by = user
    return model_update(instance=baseline, fields=BASELINE_FIELDS, data=fields)
