"""List pages drawn cheaply: the lean rows of a table (``safecommunity.tables.render_rows``, for
templates/tables/cards.html) and the filter form's fields from a per-worker cache (layouts/list.html)."""

from collections import OrderedDict

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from safecommunity.tables import render_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    return mark_safe(render_rows(table, context))  # noqa: S308 - every part escaped in render_rows


# --- The filter form, field by field from a small cache -------------------------------------------
# crispy renders each filter field through its bootstrap5 templates (~1 ms a field, 15 fields a
# page). A field's HTML depends only on what is fingerprinted below (its form class and name, the
# language, its value, errors, choices, label, widget attributes), so it is rendered once per
# fingerprint and kept in this worker's memory: the choices are read on every request (the same
# SQL as before), so a new village or project shows at once.

_FIELD_CACHE: "OrderedDict[tuple, str]" = OrderedDict()
_FIELD_CACHE_SIZE = 2048


def _plain(value):
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    return str(getattr(value, "value", value))  # ModelChoiceIteratorValue → its value


def _fingerprint(bound_field) -> tuple:
    field = bound_field.field
    widget = field.widget
    if hasattr(widget, "choices") and not isinstance(widget.choices, list):
        # A model choice field's widget reads the queryset on every pass over its choices: read
        # it once here, for the key and for drawing the field on a miss.
        widget.choices = list(widget.choices)
    return (
        type(bound_field.form).__module__,
        type(bound_field.form).__qualname__,
        bound_field.html_name,
        bound_field.auto_id,
        get_language(),
        bound_field.form.is_bound,
        _plain(bound_field.value()),
        _plain(list(bound_field.errors)),
        _plain(widget.choices) if hasattr(widget, "choices") else None,
        str(bound_field.label),
        str(field.help_text),
        field.required,
        field.disabled,
        type(widget).__qualname__,
        _plain(widget.attrs),
        str(field.show_hidden_initial),
    )


@register.simple_tag
def filter_field(bound_field):
    """``{{ field|as_crispy_field }}``, from this worker's cache when the same field was drawn."""
    key = _fingerprint(bound_field)
    html = _FIELD_CACHE.get(key)
    if html is None:
        html = as_crispy_field(bound_field)
        _FIELD_CACHE[key] = html
        if len(_FIELD_CACHE) > _FIELD_CACHE_SIZE:
            _FIELD_CACHE.popitem(last=False)
    else:
        _FIELD_CACHE.move_to_end(key)
    return html
