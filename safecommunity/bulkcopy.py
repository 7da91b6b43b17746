"""``bulk_create`` of many plain rows through PostgreSQL's COPY (``ScopedQuerySet.bulk_create``).

Django's ``bulk_create`` compiles an ``INSERT ... SELECT * FROM UNNEST(...)`` whose parameters
psycopg2 then quotes one by one: for an import of 1,000 injury cards a batch (33 columns) that is
about half the cost of the write. COPY sends the same rows as tab-separated text, written here
with one converter per column, and PostgreSQL parses them without a plan. The ids are taken from
the table's sequence first (one query), so every object gets its ``pk`` as with ``bulk_create``;
statement triggers (the summary tables') fire as for an INSERT.

Only what is known to be plain is copied: columns of the types below, values of the expected
Python types, no expressions, no database defaults, no conflict handling, no parents. Anything
else returns ``False`` before a byte is sent and the caller takes Django's own path.

``instances(model, rows)`` builds the new objects of a bulk service as ``Model(**values)`` does,
in half the time (the injury import's 5,000-card batches).
"""

import datetime as dt
import io
import json
import operator
from decimal import Decimal

from django.db import connections, models, transaction

#: Fewer rows than this go through Django's INSERT (a form's save, a test's handful).
MIN_ROWS = 50

_TEXT_TYPES = {"CharField", "TextField", "SlugField", "EmailField", "URLField", "GenericIPAddressField"}
_INT_TYPES = {
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
    "ForeignKey",
    "OneToOneField",
}
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


class _NotPlain(Exception):
    pass


def _text(value):
    if value is None:
        return _NULL
    if type(value) is str:
        return value.translate(_ESCAPES)
    if isinstance(value, str):  # a TextChoices member: its value
        return str.__str__(value).translate(_ESCAPES)
    raise _NotPlain


def _integer(value):
    if value is None:
        return _NULL
    if type(value) is int or (isinstance(value, int) and not isinstance(value, bool)):
        return str(int(value))
    raise _NotPlain


def _boolean(value):
    if value is None:
        return _NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    raise _NotPlain


def _aware_datetime(value):
    if value is None:
        return _NULL
    if type(value) is dt.datetime and value.tzinfo is not None:
        return value.isoformat()
    raise _NotPlain  # naive (Django warns and converts) or not a datetime: Django's path


def _date(value):
    if value is None:
        return _NULL
    if type(value) is dt.date:
        return value.isoformat()
    raise _NotPlain


def _decimal(field):
    def convert(value):
        if value is None:
            return _NULL
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            return str(field.to_python(value))
        raise _NotPlain

    return convert


def _float(value):
    if value is None:
        return _NULL
    if type(value) in (float, int):
        return repr(float(value))
    raise _NotPlain


def _json(field):
    def convert(value):
        if value is None:
            return _NULL
        if isinstance(value, (list, dict, str, int, float, bool)):
            return json.dumps(value, cls=field.encoder).translate(_ESCAPES)
        raise _NotPlain

    return convert


def _column(convert, values) -> list[str]:
    if convert is _text:  # most columns: plain strings, escaped in place
        escapes = _ESCAPES
        return [v.translate(escapes) if type(v) is str else _text(v) for v in values]
    return list(map(convert, values))


def _converter(field):
    kind = field.get_internal_type()
    if kind in _TEXT_TYPES:
        return _text
    if kind in _INT_TYPES or kind in ("AutoField", "BigAutoField", "SmallAutoField"):
        return _integer
    if kind == "BooleanField":
        return _boolean
    if kind == "DateTimeField":
        return _aware_datetime
    if kind == "DateField":
        return _date
    if kind == "DecimalField":
        return _decimal(field)
    if kind == "FloatField":
        return _float
    if kind == "JSONField":
        return _json(field)
    return None


def _plan(model):
    """(pk, [(field, converter, stamped by pre_save)]) of a model COPY can write, or None."""
    meta = model._meta
    if meta.parents or meta.proxy or not meta.managed:
        return None
    pk = meta.pk
    if pk.get_internal_type() not in ("AutoField", "BigAutoField", "SmallAutoField"):
        return None
    plan = []
    for field in meta.concrete_fields:
        if field is pk:
            continue
        if getattr(field, "generated", False) or field.db_default is not models.NOT_PROVIDED:
            return None
        convert = _converter(field)
        if convert is None:
            return None
        stamped = isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add)
        if type(field).pre_save not in (
            models.Field.pre_save,
            models.DateField.pre_save,
            models.DateTimeField.pre_save,
        ):
            return None  # a pre_save that may return something else than the attribute
        plan.append((field, convert, stamped))
    return pk, plan


def copy_create(queryset, objs) -> bool:
    """Insert ``objs`` (new instances of the queryset's model) with COPY and give each its pk;
    ``False`` (nothing written) when they are not plain enough, or too few."""
    if len(objs) < MIN_ROWS:
        return False
    queryset._for_write = True  # ``db`` is then the router's database for writes, as in bulk_create
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return False
    model = queryset.model
    planned = _plan(model)
    if planned is None or any(obj.pk is not None for obj in objs):
        return False
    pk, plan = planned
    queryset._prepare_for_bulk_create(objs)  # related objects' ids, as bulk_create does
    if any(obj.pk is not None for obj in objs):  # a pk default filled some in
        return False
    saved = [field for field, _convert, pre_save in plan if pre_save]  # auto_now fields and the like
    converters = [convert for _field, convert, _pre_save in plan]
    read = operator.attrgetter(*(field.attname for field, _c, _p in plan))
    for obj in objs:
        for field in saved:
            field.pre_save(obj, True)  # sets the attribute, as an INSERT does
    try:  # column by column: one converter over a column's values
        cells = [
            _column(convert, values)
            for convert, values in zip(converters, zip(*map(read, objs), strict=True), strict=True)
        ]
    except _NotPlain:
        return False
    rows = list(map("\t".join, zip(*cells, strict=True)))
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(c) for c in [pk.column, *(f.column for f, _c, _p in plan)])
    with transaction.atomic(using=queryset.db, savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        text = "".join(f"{i}\t{row}\n" for i, row in zip(ids, rows, strict=True))
        # One read of the whole text: psycopg2 sends each read (8 KB by default) in a message of
        # its own, a few hundred a batch.
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO(text), size=max(len(text), 8192))
    for obj, i in zip(objs, ids, strict=True):
        obj.pk = i
        obj._state.adding = False
        obj._state.db = queryset.db
    return True


# --- Instances for a bulk write -----------------------------------------------------------------


_MISSING = object()


def _builder(model):
    """[(field, related, default per row, default)] for ``instances``, or None when
    ``model(**values)`` must build them: a model with its own ``__init__`` or with
    ``pre_init``/``post_init`` receivers."""
    if model.__init__ is not models.Model.__init__ or any(
        signal.has_listeners(model) for signal in (models.signals.pre_init, models.signals.post_init)
    ):
        return None
    fields = []
    for field in model._meta.fields:
        if field.column is None or field.generated:
            continue
        related = isinstance(field.remote_field, models.ForeignObjectRel)
        per_row = field.has_default() and callable(field.default)  # a new list per row, as __init__
        fields.append((field, related, per_row, None if per_row else field.get_default()))
    return fields


def instances(model, rows, **common) -> list:
    """``[model(**common, **values) for values in rows]``, built without ``Model.__init__``'s
    per-field machinery (in half its time on a 35-field card): the same attributes in the
    same order, each default as ``__init__`` computes it (a callable default called per row),
    related objects set through their descriptor (checked, cached, the instance's database
    chosen by the router). A key that is no field's name or attname, a model with its own
    ``__init__`` or with ``pre_init``/``post_init`` receivers: ``model(...)`` itself."""
    fields = _builder(model)
    if fields is None:
        return [model(**common, **values) for values in rows]
    names = {f.name for f, *_ in fields} | {f.attname for f, *_ in fields}
    both = [(f.name, f.attname) for f, related, *_ in fields if related]
    new, state = model.__new__, models.base.ModelState
    built = []
    for values in rows:
        values = {**common, **values}
        if not names.issuperset(values) or any(n in values and a in values for n, a in both):
            built.append(model(**values))
            continue
        obj = new(model)
        obj._state = state()
        attributes = obj.__dict__
        for field, related, per_row, default in fields:
            if related and field.name in values:
                setattr(obj, field.name, values[field.name])  # the descriptor: type check, cache, db
                continue
            value = values.get(field.attname, _MISSING)
            if value is _MISSING:
                value = field.get_default() if per_row else default
            attributes[field.attname] = value
        built.append(obj)
    return built
