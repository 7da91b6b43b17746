from decimal import Decimal

import pytest

from incidents.choices import Grade
from incidents.grading import accident_grade


@pytest.mark.parametrize(
    "deaths, expected",
    [
        (0, Grade.ORDINARY),
        (2, Grade.ORDINARY),
        (3, Grade.LARGER),
        (9, Grade.LARGER),
        (10, Grade.MAJOR),
        (29, Grade.MAJOR),
        (30, Grade.EXTRAORDINARY),
        (300, Grade.EXTRAORDINARY),
    ],
)
def test_grade_by_deaths_lower_bound_included(deaths, expected):
    assert accident_grade(deaths, 0, Decimal("0")) == expected


@pytest.mark.parametrize(
    "serious, expected",
    [
        (0, Grade.ORDINARY),
        (9, Grade.ORDINARY),
        (10, Grade.LARGER),
        (49, Grade.LARGER),
        (50, Grade.MAJOR),
        (99, Grade.MAJOR),
        (100, Grade.EXTRAORDINARY),
    ],
)
def test_grade_by_serious_injuries_lower_bound_included(serious, expected):
    assert accident_grade(0, serious, 0) == expected


@pytest.mark.parametrize(
    "loss, expected",
    [
        ("0", Grade.ORDINARY),
        ("999.99", Grade.ORDINARY),
        ("1000", Grade.LARGER),
        ("4999.99", Grade.LARGER),
        ("5000", Grade.MAJOR),
        ("9999.99", Grade.MAJOR),
        ("10000", Grade.EXTRAORDINARY),
        ("10000.01", Grade.EXTRAORDINARY),
    ],
)
def test_grade_by_loss_in_wan_yuan_lower_bound_included(loss, expected):
    assert accident_grade(0, 0, Decimal(loss)) == expected


@pytest.mark.parametrize(
    "deaths, serious, loss, expected",
    [
        (2, 9, "999.99", Grade.ORDINARY),
        (3, 0, "0", Grade.LARGER),
        (0, 50, "1000", Grade.MAJOR),  # the highest dimension decides
        (9, 10, "10000", Grade.EXTRAORDINARY),
        (29, 99, "9999.99", Grade.MAJOR),
        (1, 100, "0", Grade.EXTRAORDINARY),
    ],
)
def test_highest_grade_reached_on_any_dimension_decides(deaths, serious, loss, expected):
    assert accident_grade(deaths, serious, Decimal(loss)) == expected


def test_missing_figures_count_as_zero():
    assert accident_grade(None, None, None) == Grade.ORDINARY


def test_database_grade_annotation_agrees_with_the_pure_function(world):
    from incidents.models import Incident
    from tests.incidents.factories import IncidentFactory

    cases = [
        (2, 9, "999.99"),
        (3, 0, "0"),
        (0, 49, "1000"),
        (10, 0, "0"),
        (0, 0, "5000"),
        (0, 100, "0"),
        (0, 0, "10000"),
        (29, 99, "9999.99"),
    ]
    for deaths, serious, loss in cases:
        IncidentFactory(village=world.village1, deaths=deaths, serious_injuries=serious, direct_loss=Decimal(loss))
    for incident in Incident.objects.with_grade():
        assert incident.grade_code == incident.grade
