"""Kinds of supervised place (企业, 九小场所 …) as data the county extends (e.g. 专业库房,
民房改出租库房). The built-in kinds (``choices.EntityKind``) keep their codes, so every stored row
keeps its value; a county adds its own in ``EntityKindOption``.

``entity_kind_choices`` is the model fields' (callable) choices: the built-ins and every county's
own kinds, read once and kept for a short while per process (a new kind clears it)."""

import time

from django.db import DatabaseError

from .choices import EntityKind

_TTL_SECONDS = 30
_memo: dict = {"at": 0.0, "choices": None}


def forget() -> None:
    _memo["choices"] = None


def follow(generation) -> None:
    """Read the kinds again when their generation (``safecommunity.filters.choice_generations``,
    moved by every write of a kind in any process) is not the one they were read under: a page
    kept under the generation (``safecommunity.pages``) then shows the kinds of that generation."""
    if generation is not None and _memo.get("generation") != generation:
        _memo.update(choices=None, generation=generation)


def _extra_kinds(county_id=None) -> list[tuple[str, str]]:
    from .models import EntityKindOption

    rows = EntityKindOption.objects.filter(is_active=True).exclude(code__in=EntityKind.values)
    if county_id is not None:
        rows = rows.filter(county_id=county_id)
    return list(rows.order_by("order", "id").values_list("code", "name"))


def entity_kind_choices() -> list[tuple[str, str]]:
    now = time.monotonic()
    if _memo["choices"] is None or now - _memo["at"] > _TTL_SECONDS:
        try:
            extra = _extra_kinds()
        except DatabaseError:  # before the table exists (the first migrate's checks)
            extra = []
        _memo.update(at=now, choices=list(EntityKind.choices) + extra)
    return _memo["choices"]


def county_kind_choices(county) -> list[tuple[str, str]]:
    """The kinds a county's forms offer: the built-ins and the county's own (one query)."""
    county_id = getattr(county, "pk", county)
    disabled = set()
    from .models import EntityKindOption

    for code, active in EntityKindOption.objects.filter(county_id=county_id).values_list("code", "is_active"):
        if not active:
            disabled.add(code)
    builtins = [(code, label) for code, label in EntityKind.choices if code not in disabled]
    return builtins + _extra_kinds(county_id)


def kind_label(code: str) -> str:
    return str(dict(entity_kind_choices()).get(code, code))
