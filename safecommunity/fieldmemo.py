"""``clean_fields`` that checks each repeated value of a field once (bulk imports).

An import of 100,000 injury cards validates the same few codes, villages and lengths on every
row: Django's ``Field.clean`` (``to_python``, the choices, the validators) costs about 1 µs a
field and a row, a third of the bulk service's own work. A model with ``MemoCleanFieldsMixin``
remembers, per field, the plain values (``str``/``int``) that passed, and the value they became;
a value not seen before, or one that failed, is checked exactly as Django does (the errors and
their messages, in the current language, are never remembered). Only Django's own field classes
without a relation are remembered: their ``clean`` does not depend on the instance.
``clean_fields_many(objs)`` does the same for a batch, column by column (the bulk services).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import DatabaseDefault

#: Remembered values per model; the memo starts afresh past this (a file of distinct names).
MEMO_SIZE = 50_000


def _memoisable(field) -> bool:
    return not field.is_relation and type(field).__module__.startswith("django.db.models.")


def _memo_of(cls) -> tuple[dict, set]:
    """The model's memo, and the attnames of its fields whose ``clean`` it may remember."""
    memo = cls.__dict__.get("_clean_memo")
    if memo is None:
        memo = {}
        cls._clean_memo = memo
        cls._clean_memoisable = {f.attname for f in cls._meta.fields if _memoisable(f)}
    return memo, cls._clean_memoisable


class MemoCleanFieldsMixin(models.Model):
    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        memo, memoisable = _memo_of(type(self))
        skipped = exclude or set()
        errors = {}
        for f in self._meta.fields:
            if f.name in skipped or f.generated:
                continue
            raw_value = getattr(self, f.attname)
            if f.blank and raw_value in f.empty_values:
                continue
            if isinstance(raw_value, DatabaseDefault):
                continue
            key = None
            if f.attname in memoisable and type(raw_value) in (str, int):
                key = (f.attname, type(raw_value), raw_value)
                if key in memo:
                    setattr(self, f.attname, memo[key])
                    continue
            try:
                cleaned = f.clean(raw_value, self)
            except ValidationError as e:
                errors[f.name] = e.error_list
                continue
            setattr(self, f.attname, cleaned)
            if key is not None:
                if len(memo) >= MEMO_SIZE:
                    memo.clear()
                memo[key] = cleaned
        if errors:
            raise ValidationError(errors)


def clean_fields_many(objs, exclude=None) -> dict[int, ValidationError]:
    """``obj.clean_fields(exclude)`` of every instance of ``objs`` (one model with the mixin),
    field by field: each distinct plain value (``str``, ``int``) of a column is checked once for
    the batch, through the same memo; other values (dates, decimals: equal values that ``clean``
    may tell apart) and the fields whose ``clean`` may depend on the instance (not Django's own
    classes) are checked row by row. Returns {index: ValidationError} of the instances that
    fail, each holding the errors ``clean_fields`` raises for it, fields in the model's order;
    the others have their cleaned values, as after ``clean_fields``."""
    if not objs:
        return {}
    cls = type(objs[0])
    memo, memoisable = _memo_of(cls)
    skipped = exclude or set()
    found: dict[int, dict] = {}
    states = [obj.__dict__ for obj in objs]
    for f in cls._meta.fields:
        if f.name in skipped or f.generated:
            continue
        attname, blank, empty = f.attname, f.blank, f.empty_values
        reuse = attname in memoisable
        outcomes: dict = {}  # (type, value) → (cleaned, errors) within this batch
        for i, state in enumerate(states):
            raw_value = state[attname] if attname in state else getattr(objs[i], attname)
            if blank and raw_value in empty:
                continue
            if isinstance(raw_value, DatabaseDefault):
                continue
            kind = type(raw_value)
            key = outcome = None
            if reuse and kind in (str, int):  # equal means the same to ``clean`` (not so 1.0 and 1.00)
                key = (kind, raw_value)
                outcome = outcomes.get(key)
            if outcome is None:
                memo_key = (attname, kind, raw_value) if key is not None else None
                if memo_key is not None and memo_key in memo:
                    outcome = (memo[memo_key], None)
                else:
                    try:
                        outcome = (f.clean(raw_value, objs[i]), None)
                    except ValidationError as e:
                        outcome = (None, e.error_list)
                    else:
                        if memo_key is not None:
                            if len(memo) >= MEMO_SIZE:
                                memo.clear()
                            memo[memo_key] = outcome[0]
                if key is not None:
                    outcomes[key] = outcome
            cleaned, errors = outcome
            if errors is not None:
                found.setdefault(i, {})[f.name] = errors
            elif cleaned is not raw_value:
                setattr(objs[i], attname, cleaned)
    return {i: ValidationError(errors) for i, errors in found.items()}
