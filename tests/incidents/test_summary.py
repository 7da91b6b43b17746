"""The summary tables equal the raw rows after any sequence of writes (hypothesis), whichever
door the writes come in by: save, bulk_create, QuerySet.update, delete, edits that move a row to
another day, month, township, village or code. And the selectors give the same numbers from the
summary tables as from the raw rows."""

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents import selectors, summary
from incidents.choices import Cause, Domain, Outcome, Place, Severity, Sex
from incidents.models import Incident, IncidentDay, InjuryDay, InjuryRecord, MonthlyCount
from safecommunity.periods import Period
from tests.incidents.factories import IncidentFactory, InjuryRecordFactory

# Moments around month ends and local midnight (UTC+8: 00:10 local is the day before in UTC).
MOMENTS = [
    (2025, 2, 28, 23, 50),
    (2025, 3, 1, 0, 10),
    (2025, 3, 15, 12, 0),
    (2025, 3, 31, 23, 59),
    (2025, 4, 1, 0, 0),
    (2024, 3, 10, 8, 0),
]
moment = st.sampled_from(MOMENTS).map(lambda m: timezone.make_aware(dt.datetime(*m)))
injury_fields = st.fixed_dictionaries(
    {
        "where": st.tuples(st.integers(0, 1), st.integers(0, 1)),  # township, village
        "injured_at": moment,
        "cause": st.sampled_from([Cause.FALL, Cause.MOTOR_VEHICLE, Cause.DROWNING]),
        "place": st.sampled_from([Place.HOME, Place.ROAD]),
        "sex": st.sampled_from(list(Sex.values)),
        "severity": st.sampled_from(list(Severity.values)),
        "outcome": st.sampled_from([Outcome.DIED, Outcome.HOSPITALISED]),
        "age": st.sampled_from([0, 4, 5, 64, 65, 90]),
    }
)
incident_fields = st.fixed_dictionaries(
    {
        "where": st.tuples(st.integers(0, 1), st.integers(0, 1)),
        "occurred_at": moment,
        "domain": st.sampled_from([Domain.ROAD, Domain.INDUSTRY]),
        "deaths": st.integers(0, 3),
        "serious_injuries": st.integers(0, 2),
        "minor_injuries": st.integers(0, 2),
        "direct_loss": st.sampled_from([Decimal("0"), Decimal("1.25"), Decimal("30.00")]),
    }
)
operation = st.one_of(
    st.tuples(st.just("create"), injury_fields),
    st.tuples(st.just("bulk_create"), st.lists(injury_fields, min_size=1, max_size=4)),
    st.tuples(st.just("edit"), st.integers(0, 20), injury_fields),
    st.tuples(st.just("queryset_update"), st.sampled_from(list(Cause.values)[:3]), moment),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("incident"), incident_fields),
    st.tuples(st.just("incident_edit"), st.integers(0, 20), incident_fields),
    st.tuples(st.just("incident_delete"), st.integers(0, 20)),
)


def _place(world, fields):
    t, v = fields.pop("where")
    village = (world.villages1 if t == 0 else world.villages2)[v]
    return {**fields, "township": village.parent, "village": village}


def _apply(world, op):
    kind, *args = op
    injuries = list(InjuryRecord.objects.order_by("pk"))
    incidents = list(Incident.objects.order_by("pk"))
    if kind == "create":
        InjuryRecordFactory(**_place(world, dict(args[0])))
    elif kind == "bulk_create":
        InjuryRecord.objects.bulk_create([InjuryRecordFactory.build(**_place(world, dict(f))) for f in args[0]])
    elif kind == "edit" and injuries:
        record = injuries[args[0] % len(injuries)]
        for name, value in _place(world, dict(args[1])).items():
            setattr(record, name, value)
        record.save()
    elif kind == "queryset_update":
        InjuryRecord.objects.filter(pk__in=[r.pk for r in injuries[::2]]).update(cause=args[0], injured_at=args[1])
    elif kind == "delete" and injuries:
        injuries[args[0] % len(injuries)].delete()
    elif kind == "incident":
        IncidentFactory(**_place(world, dict(args[0])))
    elif kind == "incident_edit" and incidents:
        incident = incidents[args[0] % len(incidents)]
        for name, value in _place(world, dict(args[1])).items():
            setattr(incident, name, value)
        incident.save()
    elif kind == "incident_delete" and incidents:
        Incident.objects.filter(pk=incidents[args[0] % len(incidents)].pk).delete()


def _local(value):
    return timezone.localtime(value).date()


def _expected_tables():
    days, months, incident_days = Counter(), Counter(), {}
    for r in InjuryRecord.objects.all():
        day = _local(r.injured_at)
        days[(r.township_id, day, "n")] += 1
        days[(r.township_id, day, "died")] += r.outcome == Outcome.DIED
        for dim in summary.INJURY_DIMENSIONS:
            value = r.village_id if dim == "village" else getattr(r, dim)
            months[(r.township_id, day.replace(day=1), dim, str(value))] += 1
    for i in Incident.objects.all():
        day = _local(i.occurred_at)
        months[(i.township_id, day.replace(day=1), summary.INCIDENT_VILLAGE, str(i.village_id))] += 1
        row = incident_days.setdefault((i.township_id, day, i.domain), [0, 0, 0, 0, 0, Decimal("0")])
        for n, value in enumerate(
            (1, i.deaths, i.serious_injuries, i.minor_injuries, i.acute_poisonings, Decimal(i.direct_loss))
        ):
            row[n] += value
    return +days, +months, {k: tuple(v) for k, v in incident_days.items() if any(v)}


def _actual_tables():
    days = Counter()
    for d in InjuryDay.objects.all():
        days[(d.township_id, d.day, "n")] += d.n
        days[(d.township_id, d.day, "died")] += d.died
    months = Counter({(m.township_id, m.month, m.dimension, m.value): m.n for m in MonthlyCount.objects.all() if m.n})
    incident_days = {
        (d.township_id, d.day, d.domain): (d.incidents, d.deaths, d.serious, d.minor, d.poisoned, d.loss)
        for d in IncidentDay.objects.all()
        if any((d.incidents, d.deaths, d.serious, d.minor, d.poisoned, d.loss))
    }
    return +days, +months, incident_days


PERIODS = [Period.month(2025, 3), Period(dt.date(2025, 2, 20), dt.date(2025, 3, 16)), Period.year(2025)]


def _selector_results(townships):
    out = []
    for period in PERIODS:
        out.append(selectors.incident_statistics_with_change.uncached(townships=townships, period=period)["current"])
        out.append(selectors.incident_statistics_by_township.uncached(townships=townships, period=period))
        out.append(selectors.injury_breakdowns.uncached(townships=townships, period=period))
        out.append(selectors.injury_count.uncached(townships=townships, period=period))
    out.append(selectors.monthly_trend.uncached(townships=townships, year=2025))
    out.append(selectors._rate_counts.uncached(townships=townships, year=2025))
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=8))
def test_summary_tables_equal_the_raw_rows_after_any_writes(world, operations):
    assert summary.enabled()
    with transaction.atomic():
        for op in operations:
            _apply(world, op)
        assert _actual_tables() == _expected_tables()
        townships = [world.township1.pk, world.township2.pk]
        from_summary = _selector_results(townships)
        with override_settings(SC_SUMMARY_TABLES=False):
            from_rows = _selector_results(townships)
        assert from_summary == from_rows
        transaction.set_rollback(True)


def test_rebuild_gives_back_what_the_triggers_kept(world):
    """The migration's backfill (``rebuild_sql``) computes the same tables from the raw rows."""
    from django.db import connection

    InjuryRecordFactory(village=world.villages1[0])
    IncidentFactory(village=world.villages2[1], deaths=2)
    kept = _actual_tables()
    with connection.cursor() as cursor:
        for statement in summary.rebuild_sql():
            cursor.execute(statement)
    assert _actual_tables() == kept == _expected_tables()
