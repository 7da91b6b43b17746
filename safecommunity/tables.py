"""Shared table columns (django-tables2)."""

import django_tables2 as tables
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape, format_html
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_lazy as _
from django_tables2.columns import DateColumn, DateTimeColumn
from django_tables2.utils import A

from .privacy import mask_phone


class PhoneColumn(tables.Column):
    """Phones are masked unless the user may see personal data. The user is the table's ``user``
    when the table takes one from the view (``TableUserMixin``), else that of the table's request."""

    def render(self, value, table):
        user = table.user if hasattr(table, "user") else getattr(getattr(table, "request", None), "user", None)
        return value if user is not None and user.can_see_personal_data else mask_phone(value)


def link_for_editors(url_name: str, roles=None):
    """``linkify`` for a row whose only page is its edit form (members, local roles, surveys):
    the link is offered to the roles that may edit it, plain text to the others (a committee
    member would otherwise meet a 403)."""
    from .links import pk_url
    from .permissions import EDIT_TOWNSHIP

    allowed = EDIT_TOWNSHIP if roles is None else roles

    def link(record, table):
        user = table.user if hasattr(table, "user") else getattr(getattr(table, "request", None), "user", None)
        if user is None or user.role not in allowed:
            return None
        return pk_url(url_name, record.pk)

    return link


# --- Lean cell rendering ---------------------------------------------------------------------------
# django-tables2 renders each cell through ``BoundRow.get_cell``: it resolves the accessor twice,
# calls the model's ``get_FOO_display`` (which rebuilds the field's choices dict and translates
# every label, ~0.5 ms a cell), inspects the render method's signature, and the template then
# recomputes the column's ``attrs`` and header for every cell. ``render_rows`` does the same work
# once per column and keeps only the per-cell part: the same HTML, a fraction of the time.
# Columns it cannot plan for (many-to-many, a render needing ``**kwargs`` …) take the library's
# own path, cell by cell. What a plan reads that does not change while the process lives (a render
# method's signature, a choice field found from the accessor and its labels in a language) is
# kept per function, per (model, accessor) and per (field, language), not rebuilt every request.

_SIGNATURES: dict = {}
_FIELDS: dict = {}
_LABELS: dict = {}


def _signature(render):
    from django_tables2.utils import signature

    function = getattr(render, "__func__", render)
    found = _SIGNATURES.get(function)
    if found is None:
        found = _SIGNATURES[function] = signature(render)
    return found


def _choice_field(model, accessor):
    """The model field with choices that ``accessor`` ends on (as the library finds it), or None."""
    from django.core.exceptions import FieldDoesNotExist

    key = (model, str(accessor))
    if key in _FIELDS:
        return _FIELDS[key]
    path, _, remainder = accessor.rpartition(accessor.SEPARATOR)
    try:
        field = accessor.get_field(model)
    except FieldDoesNotExist:  # pragma: no cover - get_field stops at the first unknown bit
        field = None
    if not (field is not None and getattr(field, "choices", None) and field.name == remainder.split(".")[-1]):
        field = None
    elif not hasattr(field.model, f"get_{field.name}_display"):
        field = None
    _FIELDS[key] = field
    return field


def _labels(field) -> dict:
    """value → label of a choice field, in the current language (static choices kept per language)."""
    from django.utils.encoding import force_str
    from django.utils.translation import get_language

    static = isinstance(field.choices, (list, tuple))
    key = (field, get_language())
    found = _LABELS.get(key) if static else None
    if found is None:
        found = {k: force_str(v) for k, v in field.flatchoices}
        if static:
            _LABELS[key] = found
    return found


def _plain_link(link) -> bool:
    """``linkify=True`` with nothing else: the href is the row's (or the cell's) ``get_absolute_url``."""
    from django_tables2.columns.base import LinkTransform

    return (
        type(link) is LinkTransform
        and link.url is None
        and not link.reverse_args
        and not link.attrs
        and link.accessor is None
    )


_DATE_TEMPLATE = __import__("re").compile(r'\{\{ value\|date:"([^"]*)"\|default:default \}\}')


class _ColumnPlan:
    __slots__ = (
        "bound_column",
        "name",
        "accessor",
        "labels",
        "render",
        "wants",
        "empty_values",
        "default",
        "link",
        "td",
        "dynamic_td",
        "header",
        "localize",
        "generic",
        "pass_all",
        "date_format",
        "plain_link",
    )

    def __init__(self, table, bound_column, model):
        from django.utils.html import conditional_escape
        from django_tables2.columns import ManyToManyColumn
        from django_tables2.columns.linkcolumn import BaseLinkColumn
        from django_tables2.utils import A

        column = bound_column.column
        self.bound_column = bound_column
        self.name = bound_column.name
        self.accessor = A(bound_column.accessor)
        self.empty_values = column.empty_values
        self.default = bound_column.default
        self.link = bound_column.link
        self.plain_link = bool(self.link) and _plain_link(self.link)
        self.render = bound_column.render
        self.localize = column.localize
        self.header = conditional_escape(bound_column.header)
        args, kwargs_name = _signature(self.render)
        self.wants = tuple(args)
        self.pass_all = bool(kwargs_name)
        self.generic = isinstance(column, (ManyToManyColumn, BaseLinkColumn))
        # A date column's own render compiles its one-filter template for every cell: the same
        # filter is applied here (``|date`` on the local time, then ``|default:default``).
        self.date_format = None
        if isinstance(column, (DateColumn, DateTimeColumn)) and self.render == column.render:
            match = _DATE_TEMPLATE.fullmatch(column.template_code or "")
            self.date_format = match.group(1) if match else None
        self.labels = None
        if model is not None and not self.generic:
            # A choice field (followed through relations like the library): its labels, in the
            # request's language, from one dict instead of ``get_FOO_display``.
            field = _choice_field(model, self.accessor)
            if field is not None:
                self.labels = _labels(field)
        attrs = dict(table.attrs)
        attrs.update(dict(column.attrs))
        td = attrs.get("td", attrs.get("cell", {}))
        self.dynamic_td = any(callable(v) for v in td.values())
        self.td = None if self.dynamic_td else bound_column.attrs["td"].as_html()

    def linked(self, content, row, record, value):
        """``content`` in the column's link, as ``LinkTransform`` draws it."""
        if self.plain_link:
            # ``LinkTransform.compose_url``: the cell's object (by the column's name) when it has
            # a page, else the row's; then ``<a href="…">`` with nothing else in the tag.
            try:
                target = A(self.name).resolve(record)
            except Exception:  # noqa: BLE001 - the library's own path decides
                target = None
            else:
                if not hasattr(target, "get_absolute_url"):
                    target = record if hasattr(record, "get_absolute_url") else None
            if target is not None:
                href = target.get_absolute_url()
                return content if href is None else format_html('<a href="{}">{}</a>', href, content)
        return self.link(
            content,
            record=record,
            value=value,
            column=self.bound_column.column,
            bound_column=self.bound_column,
            bound_row=row,
            table=row.table,
        )

    def cell(self, row, record):
        """The rendered cell, as ``BoundRow.get_cell`` gives it."""
        if self.generic:
            return row.get_cell(self.name)
        try:
            value = self.accessor.resolve(record)
        except Exception:
            return row.get_cell(self.name)
        if self.labels is not None and value is not None:
            try:
                value = self.labels.get(value, value)
            except TypeError:  # an unhashable value: the library's own path
                return row.get_cell(self.name)
        if value in self.empty_values:
            return self.default
        if self.date_format is not None:
            content = conditional_escape(date_filter(template_localtime(value), self.date_format) or self.default)
            return self.linked(content, row, record, value) if self.link else content
        available = {
            "value": value,
            "record": record,
            "column": self.bound_column.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": row.table,
        }
        if self.pass_all:
            content = self.render(**available)
            return self.link(content, **available) if self.link else content
        kwargs = {}
        for arg in self.wants:
            if arg not in available:
                return None  # as ``call_with_appropriate``: a wanted argument is not offered
            kwargs[arg] = available[arg]
        content = self.render(**kwargs)
        return self.linked(content, row, record, value) if self.link else content


def render_rows(table, context) -> str:
    """The ``<tr>`` rows of the table's current page (or its empty-text row), as
    ``templates/tables/cards.html`` would draw them cell by cell: each ``<td>`` with its
    column's attributes and its header in ``data-label`` (the cards layout on a phone)."""
    from django.template.base import render_value_in_context
    from django.templatetags.l10n import localize, unlocalize
    from django.utils.html import conditional_escape
    from django.utils.safestring import SafeString
    from django_tables2.rows import BoundRow

    model = getattr(table.data, "model", None) or getattr(table._meta, "model", None)
    columns = list(table.columns)
    plans = [_ColumnPlan(table, bc, model) for bc in columns]
    # Without row attributes of the table's own a row's are its odd/even class alone; text is
    # what ``render_value_in_context`` makes of a string (no local time, no localisation).
    plain_rows = not table.row_attrs
    escape_text = context.autoescape
    out = []
    for row in table.paginated_rows:
        record = row.record
        if plain_rows and type(row) is BoundRow:
            out.append(f'<tr class="{row.get_even_odd_css_class()}">\n')
        else:
            out.append(f"<tr {row.attrs.as_html()}>\n")
        for plan in plans:
            cell = plan.cell(row, record)
            if plan.td is None:
                bc = plan.bound_column
                bc.current_value, bc.current_record = cell, record
                td = bc.attrs["td"].as_html()
            else:
                td = plan.td
            if plan.localize is None:
                if escape_text and (type(cell) is str or type(cell) is SafeString):
                    text = conditional_escape(cell)
                else:
                    text = render_value_in_context(cell, context)
            elif plan.localize:
                text = conditional_escape(localize(cell))
            else:
                text = conditional_escape(unlocalize(cell))
            out.append(f'    <td {td} data-label="{plan.header}">{text}</td>\n')
        out.append("</tr>\n")
    if not out and table.empty_text:
        out.append(f'<tr><td colspan="{len(columns)}">{conditional_escape(table.empty_text)}</td></tr>')
    return "".join(out)


class AreaTable(tables.Table):
    """The administrative tree (``area_list``); ``n_children`` is annotated by the view."""

    n_children = tables.Column(verbose_name=_("下级数"), orderable=False, attrs={"td": {"class": "text-end"}})

    class Meta:
        from .models import Area

        model = Area
        fields = ["code", "name", "level", "parent", "n_children"]
        attrs = {"class": "table table-sm table-hover"}
        empty_text = _("暂无记录")
