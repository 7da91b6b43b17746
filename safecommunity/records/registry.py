"""Record kinds: what one app's rows look like in a spreadsheet, and how they are saved.

An app declares its kinds in ``<app>/records.py``::

    @register
    class IncidentRecordKind(RecordKind):
        name = "incidents"
        label = _("事故登记")
        model = Incident
        columns = [Column("发生时间", "occurred_at", parse_datetime, required=True), ...]
        table = IncidentTable                   # the export: the columns above, then the table's
        export_extra = [ExportColumn("报告人", "reporter")]   # others, then what only it shows
        scope = {"township": "township", "county": "township__parent"}

        number_field = "source_number"     # the ledger's own number (事故编号), when it has one
        def save_row(self, data, *, township, user): incident_register(township=township, user=user, **data)

Identity (what makes two rows the same record) is the importer's: the row's ``number_field``
when filled in, else the kind's ``natural_key`` when it has one (reference data such as villages
and entities: a 12-digit code *is* the village), else a fingerprint of every field of the row.

The registry imports ``<app>.records`` of every installed app (``autodiscover_modules``) the first
time it is used: a new app's kinds need no list here.
"""

import importlib
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError
from safecommunity.permissions import EDIT_TOWNSHIP

from .cells import RowError, clean_text


@dataclass(frozen=True)
class Column:
    """One import column: its header in the template, the key it fills in the row's data, the
    parser of its cells, and whether the header and a value are required."""

    header: str
    field: str
    parser: Callable[[Any], Any] = clean_text
    required: bool = False
    help_text: str = ""
    #: What the export writes under this header, so that it imports back: a dotted path
    #: ("village.name") or ``(obj, user) -> value``. By default the list table's column named
    #: ``field`` (its masking included), else the model's field (its label when it has choices).
    export: str | Callable[[Any, Any], Any] | None = None


@dataclass(frozen=True)
class ExportColumn:
    """One export column: header and accessor, a dotted path ("township.name",
    "get_kind_display") or a callable ``(obj, user) -> value``."""

    header: str
    accessor: str | Callable[[Any, Any], Any]
    #: The name of a column of the kind's list table: the value is that table's (``table_value``).
    table_column: str = ""

    def value(self, obj, user, table=None):
        if self.table_column:
            return table_value(table, self.table_column, obj)
        if callable(self.accessor):
            return self.accessor(obj, user)
        value = obj
        for part in self.accessor.split("."):
            if value is None:
                return None
            value = getattr(value, part)
            if callable(value):
                value = value()
        return value


def table_value(table, name: str, record):
    """The cell ``name`` of ``record`` as an export writes it: the table's ``value_<name>`` or
    ``render_<name>`` without its HTML (the masking of ``PhoneColumn`` and ``render_name``
    included), else the column's value itself, typed (a number stays a number, a date a date),
    a choice as its label and a row as its ``str``."""
    import html

    from django.db.models import Model
    from django.utils.html import strip_tags
    from django.utils.safestring import SafeString
    from django_tables2 import DateColumn, DateTimeColumn
    from django_tables2.rows import BoundRow
    from django_tables2.utils import A

    bound = table.columns[name]
    custom = hasattr(table, f"value_{name}") or hasattr(table, f"render_{name}")
    if not custom and type(bound.column) in (DateColumn, DateTimeColumn):
        value = A(bound.accessor).resolve(record, quiet=True)
    else:
        value = BoundRow(record, table=table).get_cell_value(name)
    if isinstance(value, SafeString):  # a badge, a link: its text
        value = html.unescape(strip_tags(value))
    if isinstance(value, Model):
        return str(value)
    return value


def masked(path: str, mask: Callable[[str], str]) -> Callable[[Any, Any], Any]:
    """An accessor that shows personal data in full only to roles allowed to see it."""
    column = ExportColumn("", path)

    def accessor(obj, user):
        value = column.value(obj, user)
        if user is not None and getattr(user, "can_see_personal_data", False):
            return value
        return mask(value)

    return accessor


@dataclass
class PendingRow:
    """A parsed row on its way to ``save_batch``; the kind calls ``reject(reason)`` to refuse it."""

    row_no: int
    values: list
    data: dict
    key: tuple | None = None
    sheet: str = ""
    identity: str = ""
    digest: str = ""
    fields: dict = field(default_factory=dict)
    error: str | None = field(default=None)

    def reject(self, reason: str):
        self.error = reason


def validation_reasons(exc: ValidationError, headers: dict[str, str] | None = None) -> list[str]:
    """A ``ValidationError`` as reasons, each field prefixed with its column header."""
    headers = headers or {}
    if hasattr(exc, "error_dict"):
        reasons = []
        for name, errors in exc.error_dict.items():
            prefix = headers.get(name)
            for error in errors:
                for message in error.messages:
                    reasons.append(f"{prefix}：{message}" if prefix and name != "__all__" else message)
        return reasons
    return list(exc.messages)


class RecordKind:
    #: Registry name, used in URLs and on the command line ("villages").
    name: str = ""
    #: What the rows are, in Chinese ("村/社区").
    label: str = ""
    model = None
    #: Import columns, in template order.
    columns: list[Column] = []
    #: The list page's table (django-tables2): the export is the import columns (so that it
    #: imports back) and then this table's other columns, then ``export_extra``.
    table = None
    #: Export headers of table columns whose page header is shorter ({"grade": "事故等级"}).
    export_headers: dict[str, str] = {}
    #: Columns only the export has (neither imported nor on the list page).
    export_extra: list[ExportColumn] = []
    #: A kind without a table and without import columns declares its export here instead.
    export_columns: list[ExportColumn] | None = None
    #: Lookups from the export's base queryset to the township and to the county.
    scope: dict[str, str] = {"township": "township", "county": "township__parent"}
    #: Roles that may import this kind from the web pages.
    import_roles = EDIT_TOWNSHIP
    #: Rows saved per transaction.
    batch_size: int = 1000
    #: The data key holding the ledger's own number of a row (事故编号, 卡片编号), if the kind has one.
    number_field: str | None = None

    # --- import -----------------------------------------------------------------------------
    def import_context(self, township) -> dict:
        """Reference data loaded once per import (e.g. a village name → id map)."""
        return {}

    def parse_row(self, values: dict, *, context: dict) -> dict:
        """Header → raw cell, to the data ``save_batch`` receives. Raises ``RowError`` with all
        the row's reasons. The default applies each column's parser and its required flag."""
        data, reasons = {}, []
        for column in self.columns:
            raw = values.get(column.header)
            try:
                value = column.parser(raw)
            except RowError as exc:
                reasons.extend(f"{column.header}：{r}" for r in exc.reasons)
                continue
            except (ValueError, TypeError):
                reasons.append(_("%(h)s：格式不正确") % {"h": column.header})
                continue
            if column.required and value in (None, ""):
                reasons.append(_("%(h)s：不能为空") % {"h": column.header})
                continue
            data[column.field] = value
        if reasons:
            raise RowError(reasons)
        return data

    def natural_key(self, data: dict) -> tuple | None:
        """Reference data only: the key that makes two rows the same thing whatever else they
        say (a village's code). Records of events return None and are identified by their number
        or by all their fields (see the importer)."""
        return None

    def existing_keys(self, keys: list[tuple], *, township) -> set[tuple]:
        """Which natural ``keys`` are already saved (also by the pages, not only by imports):
        one query for the whole batch."""
        return set()

    def existing_numbers(self, numbers: list[str], *, township) -> dict:
        """Records of ``township`` already saved under these numbers (``number_field``), by any
        door: number → instance. One query for the batch. The default reads the model's field
        of that name, and "#<id>", the portal's own number that exports write for records that
        have none."""
        if not self.number_field or self.model is None:
            return {}
        from django.db.models import Q

        ids = [int(n[1:]) for n in numbers if n.startswith("#") and n[1:].isdigit()]
        query = Q(**{f"{self.number_field}__in": numbers})
        if ids:
            query |= Q(pk__in=ids)
        found = {}
        for obj in self.for_township(township).filter(query):
            number = getattr(obj, self.number_field)
            if number in numbers:
                found[number] = obj
            if f"#{obj.pk}" in numbers:
                found[f"#{obj.pk}"] = obj
        return found

    def save_batch(self, rows: list[PendingRow], *, township, user) -> int:
        """Save the rows (inside the batch's transaction); return how many were saved.

        The default calls ``save_row`` for each row in a savepoint, so a row refused by the
        service is rejected with the service's reason and the others are kept. A kind with a
        bulk service overrides this and calls ``row.reject(reason)`` for the rows it refuses.
        """
        saved = 0
        headers = {c.field: c.header for c in self.columns}
        for row in rows:
            try:
                with transaction.atomic():
                    self.save_row(row.data, township=township, user=user)
            except ValidationError as exc:
                row.reject("；".join(validation_reasons(exc, headers)))
            except ApplicationError as exc:  # a refusal about one field names its column, as above
                prefix = headers.get(exc.field)
                row.reject(f"{prefix}：{exc.message}" if prefix else str(exc.message))
            else:
                saved += 1
        return saved

    def save_row(self, data: dict, *, township, user):
        raise NotImplementedError

    # --- export -----------------------------------------------------------------------------
    def base_queryset(self):
        return self.model._default_manager.all()

    def export_queryset(self, queryset):
        """The export's queryset: add ``select_related`` so rows cost no extra query."""
        return queryset

    def export_table(self, user=None):
        """An empty instance of the list table, drawn for ``user`` (``PhoneColumn`` masks by it)."""
        if self.table is None:
            return None
        table = self.table(data=self.model._default_manager.none())  # headers from the model's fields
        table.user = user
        return table

    def get_export_columns(self) -> list[ExportColumn]:
        if self.export_columns is not None:
            return list(self.export_columns)
        from django.conf import settings
        from django.utils import translation

        table = self.export_table()
        names = table.columns.names() if table is not None else []
        columns, covered = [], set()
        for column in self.columns:
            covered.add(column.field)
            if isinstance(column.export, str):
                covered.add(column.export.split(".")[0])
            if column.export is not None:
                columns.append(ExportColumn(column.header, column.export))
            elif column.field in names:
                columns.append(ExportColumn(column.header, column.field, table_column=column.field))
            else:
                columns.append(ExportColumn(column.header, self._field_accessor(column.field)))
        with translation.override(settings.LANGUAGE_CODE):  # headers stay those the importer reads
            for name in names:
                if name not in covered:
                    header = self.export_headers.get(name) or str(table.columns[name].header)
                    columns.append(ExportColumn(header, name, table_column=name))
        return columns + list(self.export_extra)

    def _field_accessor(self, name: str) -> str:
        """A model field's attribute; the label of a field with choices (it imports back)."""
        from django.core.exceptions import FieldDoesNotExist

        try:
            field = self.model._meta.get_field(name)
        except (FieldDoesNotExist, AttributeError):
            return name
        return f"get_{name}_display" if getattr(field, "choices", None) else name

    def exporter(self, user) -> Callable[[Any], list]:
        """``obj -> row`` for one export: the columns and the table are built once."""
        columns, table = self.get_export_columns(), self.export_table(user)
        return lambda obj: [column.value(obj, user, table) for column in columns]

    def export_row(self, obj, *, user) -> list:
        return self.exporter(user)(obj)

    def for_township(self, township):
        return self.base_queryset().filter(**{self.scope["township"]: township})

    def for_county(self, county):
        return self.base_queryset().filter(**{self.scope["county"]: county})

    # --- templates and benchmarks ---------------------------------------------------------------
    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def required_headers(self) -> list[str]:
        return [c.header for c in self.columns if c.required]

    def sample_rows(self, n: int, township) -> list[list]:
        """Optional: ``n`` plausible rows (cells in template order) for the benchmark."""
        raise NotImplementedError

    def __repr__(self):
        return f"<RecordKind {self.name}>"


_registry: dict[str, RecordKind] = {}
_discovered = False


def register(cls):
    """Class decorator: registers one instance of the kind under ``cls.name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    existing = _registry.get(cls.name)
    if existing is not None and type(existing).__qualname__ != cls.__qualname__:
        raise ValueError(f"record kind {cls.name!r} is registered twice")
    _registry[cls.name] = cls()
    return cls


_discovering = threading.RLock()


def discover():
    """Import every app's ``records`` module once. Threaded workers (gunicorn gthread) may ask
    from two requests at once: the second waits for the first's imports instead of reading a
    half-filled registry (the flag is set only when they are done; ``RLock``: a records module
    may ask again while it is imported)."""
    global _discovered
    if _discovered:
        return
    with _discovering:
        if _discovered:
            return
        # The kinds of the project package itself (``safecommunity.records.kinds``).
        importlib.import_module(f"{__package__}.kinds")
        autodiscover_modules("records")
        _discovered = True


def get_kind(name: str) -> RecordKind:
    """The kind registered under ``name``; ``KeyError`` when there is none."""
    discover()
    return _registry[name]


def kinds() -> list[RecordKind]:
    discover()
    return sorted(_registry.values(), key=lambda k: k.name)
