"""List pages drawn cheaply: the lean rows of a table (``safecommunity.tables.render_rows``, for
templates/tables/cards.html) and the filter form's fields from a per-worker cache (layouts/list.html)."""

import threading
import time
from collections import OrderedDict

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.core.exceptions import EmptyResultSet
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from safecommunity.filters import CHOICE_MODELS, choice_generations
from safecommunity.tables import render_rows

register = template.Library()


# The drawn rows of a list whose view keys them (``FilteredListView.rows_cache``): kept in this
# worker's memory under the key, which holds the data versions they were read under.
_ROWS_CACHE: "OrderedDict[tuple, str]" = OrderedDict()
_ROWS_CACHE_SIZE = 512
# A worker may serve requests in threads (gthread): the caches' orders change under this lock.
_LOCK = threading.Lock()


def _remember(cache: OrderedDict, size: int, key, html: str) -> None:
    with _LOCK:
        cache[key] = html
        while len(cache) > size:
            cache.popitem(last=False)


def _recall(cache: OrderedDict, key):
    html = cache.get(key)
    if html is not None:
        with _LOCK:
            if key in cache:
                cache.move_to_end(key)
    return html


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    key = getattr(table, "rows_cache_key", None)
    if key is None:
        return mark_safe(render_rows(table, context))  # noqa: S308 - every part escaped in render_rows
    key = (*key, context.autoescape)
    html = _recall(_ROWS_CACHE, key)
    if html is None:
        html = render_rows(table, context)
        _remember(_ROWS_CACHE, _ROWS_CACHE_SIZE, key, html)
    return mark_safe(html)  # noqa: S308 - every part escaped in render_rows


# --- The filter form, field by field from a small cache -------------------------------------------
# crispy renders each filter field through its bootstrap5 templates (~1 ms a field, 15 fields a
# page). A field's HTML depends only on what is fingerprinted below (its form class and name, the
# language, its value, errors, choices, label, widget attributes), so it is rendered once per
# fingerprint and kept in this worker's memory. A model choice field's choices are not read for
# the key: they stand in it as their queryset's SQL and their model's generation
# (``safecommunity.filters.choice_generations``, moved by every write of such a row), so a new
# village or project shows at once while a page reads no choices (two queries a field before).
# Such an entry also ends after ``CHOICES_SECONDS``, for rows written past the model's signals
# (raw SQL). Choices of another model are read and are part of the key, as before.

_FIELD_CACHE: "OrderedDict[tuple, str]" = OrderedDict()
_FIELD_CACHE_SIZE = 2048
CHOICES_SECONDS = 300


def _plain(value):
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    return str(getattr(value, "value", value))  # ModelChoiceIteratorValue → its value


def _model_choices(field, widget):
    """The ``ModelChoiceIterator`` the widget draws, when its rows' model has a generation."""
    choices = getattr(widget, "choices", None)
    if not isinstance(choices, ModelChoiceIterator) or choices.field is not field:
        return None
    label = choices.queryset.model._meta.concrete_model._meta.label
    return choices if label in CHOICE_MODELS else None


def _generations(form) -> dict:
    """The generations of the models of the form's model choice fields: one cache read a form."""
    found = getattr(form, "_sc_choice_generations", None)
    if found is None:
        labels = set()
        for field in form.fields.values():
            choices = _model_choices(field, field.widget)
            if choices is not None:
                labels.add(choices.queryset.model._meta.concrete_model._meta.label)
        found = choice_generations(labels) if labels else {}
        form._sc_choice_generations = found
    return found


def _choices_part(bound_field):
    """What the field's choices add to its key (reading them only when they must be)."""
    field = bound_field.field
    widget = field.widget
    if not hasattr(widget, "choices"):
        return None
    choices = _model_choices(field, widget)
    if choices is not None:
        queryset = choices.queryset
        label = queryset.model._meta.concrete_model._meta.label
        generation = _generations(bound_field.form).get(label)
        if generation is not None:
            try:
                sql = queryset.query.sql_with_params()
            except EmptyResultSet:
                sql = None  # ``.none()``: no rows
            return (
                "model",
                type(choices).__module__,
                type(choices).__qualname__,
                label,
                sql,
                bool(queryset._prefetch_related_lookups),
                generation,
                int(time.monotonic() // CHOICES_SECONDS),
                str(field.empty_label),
                str(getattr(field, "null_label", None)),
                str(getattr(field, "null_value", None)),
                field.to_field_name,
                getattr(field.label_from_instance, "__qualname__", repr(field.label_from_instance)),
            )
    if not isinstance(widget.choices, list):
        # The widget reads its choices on every pass over them: read them once here (without a
        # COUNT: no ``len``), for the key and for drawing the field on a miss.
        widget.choices = list(iter(widget.choices))
    return _plain(widget.choices)


def _fingerprint(bound_field) -> tuple:
    field = bound_field.field
    widget = field.widget
    return (
        type(bound_field.form).__module__,
        type(bound_field.form).__qualname__,
        bound_field.html_name,
        bound_field.auto_id,
        get_language(),
        bound_field.form.is_bound,
        _plain(bound_field.value()),
        _plain(list(bound_field.errors)),
        _choices_part(bound_field),
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
    html = _recall(_FIELD_CACHE, key)
    if html is None:
        widget = bound_field.field.widget
        if hasattr(widget, "choices") and not isinstance(widget.choices, list):
            widget.choices = list(iter(widget.choices))  # one query, no COUNT
        html = as_crispy_field(bound_field)
        _remember(_FIELD_CACHE, _FIELD_CACHE_SIZE, key, html)
    return html
