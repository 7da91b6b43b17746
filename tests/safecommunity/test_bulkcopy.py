"""``ScopedQuerySet.bulk_create`` of many rows goes through COPY (``safecommunity.bulkcopy``):
the rows read back exactly as Django's INSERT writes them, every object gets its pk, the summary
tables' statement triggers fire, and anything not plain takes Django's own path."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Upper
from django.test.utils import CaptureQueriesContext

from incidents.models import Incident, InjuryDay, InjuryRecord, MonthlyCount
from safecommunity import bulkcopy
from tests.incidents.factories import IncidentFactory, InjuryRecordFactory, aware

TRICKY = ["a\tb", "line1\nline2\r\n", "back\\slash \\N", "", "全角，文字 ｘ", "'quoted' \"double\""]
COMPARED = ["township_id", "village_id", "name", "sex", "age", "injured_at", "visit_at", "cause", "narrative"]


def _injuries(world, n):
    rows = []
    for i in range(n):
        village = world.villages1[i % len(world.villages1)]
        rows.append(
            InjuryRecordFactory.build(
                village=village,
                name=f"张{i}",
                age=i % 100,
                injured_at=aware(2025, 1 + i % 12, 1 + i % 28, i % 24, i % 60),
                visit_at=None if i % 2 else aware(2025, 1 + i % 12, 1 + i % 28, 23, 59),
                narrative=TRICKY[i % len(TRICKY)],
                logic_warnings=["age_child_work"] if i % 3 == 0 else [],
            )
        )
    return rows


def _copies(queries) -> bool:
    return any("nextval" in q["sql"] for q in queries)


def test_many_rows_are_copied_and_read_back_as_written(world):
    objs = _injuries(world, 120)
    with CaptureQueriesContext(connection) as queries:
        saved = InjuryRecord.objects.bulk_create(objs)
    assert _copies(queries.captured_queries)
    assert saved is not None and all(o.pk is not None and not o._state.adding for o in objs)
    assert len({o.pk for o in objs}) == 120
    stored = {r.pk: r for r in InjuryRecord.objects.all()}
    assert set(stored) == {o.pk for o in objs}
    for obj in objs:
        row = stored[obj.pk]
        for name in COMPARED:
            assert getattr(row, name) == getattr(obj, name), name
        assert row.logic_warnings == obj.logic_warnings
        assert row.created_at == obj.created_at and row.created_at is not None
    # The next row saved one by one takes the next id: the sequence was advanced.
    one = InjuryRecordFactory(village=world.village1)
    assert one.pk > max(o.pk for o in objs)


def test_copied_rows_fill_the_summary_tables(world):
    InjuryRecord.objects.bulk_create(_injuries(world, 90))
    assert sum(InjuryDay.objects.values_list("n", flat=True)) == 90
    by_cause = MonthlyCount.objects.filter(dimension="cause").values_list("n", flat=True)
    assert sum(by_cause) == 90


def test_decimals_and_counts_of_incidents(world):
    objs = [
        IncidentFactory.build(village=world.village2, direct_loss=Decimal(f"{i}.{i % 100:02d}"), deaths=i % 3)
        for i in range(60)
    ]
    with CaptureQueriesContext(connection) as queries:
        Incident.objects.bulk_create(objs)
    assert _copies(queries.captured_queries)
    stored = {r.pk: r for r in Incident.objects.all()}
    for obj in objs:
        assert stored[obj.pk].direct_loss == obj.direct_loss
        assert stored[obj.pk].deaths == obj.deaths
        assert stored[obj.pk].occurred_at == obj.occurred_at


def test_few_rows_an_expression_or_conflict_options_take_djangos_insert(world):
    with CaptureQueriesContext(connection) as queries:
        InjuryRecord.objects.bulk_create(_injuries(world, bulkcopy.MIN_ROWS - 1))
    assert not _copies(queries.captured_queries)

    objs = _injuries(world, 60)
    objs[7].name = Upper(Value("expression"))
    with CaptureQueriesContext(connection) as queries:
        InjuryRecord.objects.bulk_create(objs)
    assert not _copies(queries.captured_queries)
    assert InjuryRecord.objects.filter(name="EXPRESSION").count() == 1

    with CaptureQueriesContext(connection) as queries:
        InjuryRecord.objects.bulk_create(_injuries(world, 60), ignore_conflicts=True)
    assert not _copies(queries.captured_queries)
    assert InjuryRecord.objects.count() == bulkcopy.MIN_ROWS - 1 + 120


def test_a_naive_datetime_takes_djangos_path(world, recwarn):
    objs = _injuries(world, 60)
    objs[3].visit_at = dt.datetime(2025, 5, 5, 10, 0)
    with CaptureQueriesContext(connection) as queries:
        InjuryRecord.objects.bulk_create(objs)
    assert not _copies(queries.captured_queries)
    assert InjuryRecord.objects.count() == 60


# --- bulkcopy.instances: what Model(**values) builds, without its __init__ -----------------------


def _state(obj):
    attributes = dict(obj.__dict__)
    state = attributes.pop("_state")
    return list(attributes.items()), state.db, state.adding, dict(state.fields_cache)


def test_instances_are_what_the_models_init_builds(world):
    incident = IncidentFactory(village=world.village1)
    rows = [
        {"name": "张三", "village": world.village1, "age": 5, "injured_at": aware(2025, 3, 1, 8)},
        {"name": "李四", "village_id": world.village2.pk, "incident": incident, "grid": None, "cause": "9"},
        {"village": world.villages1[1], "logic_warnings": ["burn_nature"], "residence": "2"},
    ]
    common = {"township": world.township1, "created_by": world.users["township1"]}
    built = bulkcopy.instances(InjuryRecord, rows, **common)
    expected = [InjuryRecord(**common, **values) for values in rows]
    assert [_state(o) for o in built] == [_state(o) for o in expected]
    assert [list(o.__dict__) for o in built] == [list(o.__dict__) for o in expected]  # same order
    assert built[0].residence == "1" and built[0].intent == "1"  # the model's defaults
    assert built[1].logic_warnings == [] and built[1].logic_warnings is not built[0].logic_warnings
    assert built[0].village is world.village1 and built[1].incident is incident


def test_instances_refuse_what_the_models_init_refuses(world):
    with pytest.raises(ValueError):  # the descriptor's type check: an incident is no village
        bulkcopy.instances(InjuryRecord, [{"village": IncidentFactory(village=world.village1)}])
    with pytest.raises(TypeError):  # no such field: Model.__init__ itself says so
        bulkcopy.instances(InjuryRecord, [{"village": world.village1, "colour": "red"}])


def test_instances_of_a_model_with_post_init_receivers_go_through_init(world):
    from django.db.models.signals import post_init

    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.name)

    post_init.connect(receiver, sender=InjuryRecord)
    try:
        built = bulkcopy.instances(InjuryRecord, [{"name": "王五", "village": world.village1}])
    finally:
        post_init.disconnect(receiver, sender=InjuryRecord)
    assert seen == ["王五"] and built[0].name == "王五"
