"""``fieldmemo.clean_fields_many`` gives each instance what its own ``clean_fields`` gives: the
same errors (messages, fields, their order) and the same cleaned values."""

import pytest
from django.core.exceptions import ValidationError

from incidents.services import _FK_FIELDS
from safecommunity.fieldmemo import clean_fields_many
from tests.incidents.factories import InjuryRecordFactory, aware

BAD = [
    {},
    {"name": "长" * 51},  # too long
    {"sex": "X", "cause": "99"},  # not choices: two fields, in the model's order
    {"age": "七十"},  # not a number
    {"age": "70"},  # a number as text: cleaned to 70
    {"injured_at": "2025-13-01"},  # not a date
    {"injured_at": "2025-03-01 08:00:00+08:00", "visit_at": None},
    {"outcome": ""},  # required
    {"name": "长" * 51, "sex": "X"},  # the same bad values again: the same errors
    {},
]


def _records(world):
    return [InjuryRecordFactory.build(village=world.village1, **values) for values in BAD]


def _one_by_one(objs):
    errors = {}
    for i, obj in enumerate(objs):
        try:
            obj.clean_fields(exclude=_FK_FIELDS)
        except ValidationError as exc:
            errors[i] = exc
    return errors


def _values(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.fields}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_many_at_once_equal_one_by_one(world, language):
    from django.utils import translation

    with translation.override(language):
        expected_objs, objs = _records(world), _records(world)
        expected = _one_by_one(expected_objs)
        found = clean_fields_many(objs, exclude=_FK_FIELDS)
    assert sorted(found) == sorted(expected) == [1, 2, 3, 5, 7, 8]
    for i in expected:
        assert found[i].message_dict == expected[i].message_dict
        assert list(found[i].message_dict) == list(expected[i].message_dict)
    assert [_values(o) for o in objs] == [_values(o) for o in expected_objs]
    assert objs[4].age == 70 and objs[6].injured_at == aware(2025, 3, 1, 8)


def test_nothing_to_check_gives_nothing():
    assert clean_fields_many([]) == {}


def test_equal_decimals_that_clean_tells_apart_are_checked_each(world):
    from decimal import Decimal

    from tests.incidents.factories import IncidentFactory

    objs = [IncidentFactory.build(village=world.village1, direct_loss=Decimal(v)) for v in ("1.10", "1.1000")]
    assert objs[0].direct_loss == objs[1].direct_loss  # equal, and the same hash
    found = clean_fields_many(objs, exclude=_FK_FIELDS)
    assert list(found) == [1] and list(found[1].message_dict) == ["direct_loss"]
