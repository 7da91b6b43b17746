from decimal import Decimal

import pytest

from incidents import selectors, summary
from incidents.choices import Cause, Domain, Outcome, Place, Sex
from incidents.services import rate_baseline_save
from safecommunity.models import Area
from safecommunity.periods import Period
from tests.incidents.factories import IncidentFactory, InjuryRecordFactory, aware


@pytest.fixture
def data(world):
    v1, v2 = world.village1, world.village2
    # 2025: 2 incidents in township 1, one in township 2.
    IncidentFactory(
        village=v1,
        occurred_at=aware(2025, 3, 1),
        deaths=1,
        serious_injuries=2,
        minor_injuries=3,
        direct_loss=Decimal("10.5"),
    )
    IncidentFactory(
        village=v1,
        occurred_at=aware(2025, 3, 31, 23, 30),
        deaths=2,
        serious_injuries=0,
        minor_injuries=1,
        direct_loss=Decimal("5"),
        domain=Domain.INDUSTRY,
    )
    IncidentFactory(village=v2, occurred_at=aware(2025, 3, 2), deaths=5)
    # Same period 2024 and the month before.
    IncidentFactory(
        village=v1,
        occurred_at=aware(2024, 3, 10),
        deaths=4,
        serious_injuries=0,
        minor_injuries=0,
        direct_loss=Decimal("31"),
    )
    IncidentFactory(village=v1, occurred_at=aware(2025, 2, 10), deaths=0, serious_injuries=1, minor_injuries=0)
    # Just outside March 2025 (Asia/Shanghai midnight).
    IncidentFactory(village=v1, occurred_at=aware(2025, 4, 1, 0, 0), deaths=9)
    InjuryRecordFactory(village=v1, injured_at=aware(2025, 3, 3), age=4, sex=Sex.FEMALE)
    InjuryRecordFactory(village=v1, injured_at=aware(2025, 3, 4), age=5, cause=Cause.BLUNT, place=Place.SCHOOL_PUBLIC)
    InjuryRecordFactory(village=world.villages1[1], injured_at=aware(2025, 3, 5), age=65, outcome=Outcome.DIED)
    InjuryRecordFactory(village=v1, injured_at=aware(2025, 3, 6), age=64)
    InjuryRecordFactory(village=v2, injured_at=aware(2025, 3, 6), age=30)
    InjuryRecordFactory(village=v1, injured_at=aware(2024, 3, 6), age=30)
    return world


MARCH = Period.month(2025, 3)


def test_statistics_count_period_and_scope(data, django_assert_num_queries):
    with django_assert_num_queries(2):
        stats = selectors.incident_statistics(townships=[data.township1], period=MARCH)
    assert stats == {
        "incidents": 2,
        "deaths": 3,
        "injured": 6,
        "serious": 2,
        "poisoned": 0,
        "minor": 4,
        "loss": Decimal("15.50"),
        "injuries": 4,
    }
    county = selectors.incident_statistics(townships=Area.objects.filter(parent=data.county), period=MARCH)
    assert county["incidents"] == 3 and county["deaths"] == 8 and county["injuries"] == 5


def test_statistics_with_year_on_year_and_month_on_month_change(data, django_assert_num_queries):
    with django_assert_num_queries(2):
        result = selectors.incident_statistics_with_change(townships=[data.township1.pk], period=MARCH)
    assert result["last_year"]["deaths"] == 4 and result["previous"]["incidents"] == 1
    assert result["yoy"]["deaths"] == Decimal("-0.250")
    assert result["yoy_text"]["deaths"] == "下降25.0%"
    assert result["yoy_text"]["incidents"] == "上升100.0%"
    assert result["yoy"]["injured"] is None and result["yoy_text"]["injured"] == "—"  # last year 0
    assert result["mom_text"]["incidents"] == "上升100.0%"
    assert result["yoy_text"]["loss"] == "下降50.0%"


def test_injury_count_filters_with_inclusive_age_bounds(data, django_assert_num_queries):
    t = [data.township1]
    with django_assert_num_queries(1):
        assert selectors.injury_count(townships=t, period=MARCH, age_min=5, age_max=64) == 2
    assert selectors.injury_count(townships=t, period=MARCH, age_min=65) == 1
    assert selectors.injury_count(townships=t, period=MARCH, cause=Cause.BLUNT) == 1
    assert selectors.injury_count(townships=t, period=MARCH, place=[Place.HOME, Place.SCHOOL_PUBLIC]) == 4
    assert selectors.injury_count(townships=t, period=MARCH, sex=Sex.FEMALE) == 1
    assert selectors.injury_count(townships=t, period=MARCH, village=data.villages1[1]) == 1


def test_breakdowns_list_every_code_with_a_fixed_number_of_queries(data, django_assert_num_queries):
    t = [data.township1]
    for by in ("cause", "place", "activity", "age_band", "sex", "village", "severity", "outcome"):
        with django_assert_num_queries(2 if by == "village" else 1):
            rows = selectors.injury_breakdown(townships=t, period=MARCH, by=by)
        assert sum(r[2] for r in rows) == 4, by
    ages = {k: n for k, _label, n in selectors.injury_breakdown(townships=t, period=MARCH, by="age_band")}
    assert ages == {"0-4": 1, "5-14": 1, "15-24": 0, "25-44": 0, "45-64": 1, "65+": 1}
    causes = selectors.injury_breakdown(townships=t, period=MARCH, by="cause")
    assert len(causes) == 14 and causes[2] == ("03", "跌倒/坠落", 3)
    villages = selectors.injury_breakdown(townships=t, period=MARCH, by="village")
    assert villages[0][1:] == ("东关社区", 3)
    # The summary table answers every dimension in one query (the raw rows: ages, codes, villages).
    with django_assert_num_queries(2 if summary.enabled() else 4):
        all_of_them = selectors.injury_breakdowns(townships=t, period=MARCH)
    assert set(all_of_them) == set(selectors.BREAKDOWNS)


def test_monthly_trend_this_year_against_last(data, django_assert_num_queries):
    with django_assert_num_queries(2):
        trend = selectors.monthly_trend(townships=[data.township1], year=2025)
    assert trend["incidents"]["current"][2] == 2 and trend["incidents"]["current"][1] == 1
    assert trend["incidents"]["current"][3] == 1  # 1 April 00:00 local belongs to April
    assert trend["deaths"]["previous"][2] == 4
    assert trend["injuries"]["current"][2] == 4 and trend["injuries"]["previous"][2] == 1
    assert len(trend["injured"]["current"]) == 12


def test_villages_without_reports(data, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = [v.name for v in selectors.villages_without_reports(townships=[data.township1], period=MARCH)]
    assert names == ["南街社区"]


def test_rates_against_control_targets(data):
    rate_baseline_save(
        area=data.township1,
        year=2025,
        population=20000,
        gdp=Decimal("12.5"),
        motor_vehicles=8000,
        employees=4000,
        target_gdp_death=Decimal("0.5"),
        target_road_death=Decimal("2"),
    )
    figures = {r.key: r for r in selectors.rates(area=data.township1, year=2025)}
    # 2025 deaths in township 1: 1 + 2 + 0 + 9 = 12 (road 10, industry 2)
    assert figures["gdp_death"].value == Decimal("0.9600") and figures["gdp_death"].within_target is False
    assert figures["road_death"].value == Decimal("12.5000")
    assert figures["employee_death"].value == Decimal("50.0000")
    assert figures["injury_incidence"].value == Decimal("20.00")  # 4 records / 20000 × 10^5
    assert figures["injury_mortality"].value == Decimal("5.00")
    assert figures["injury_mortality"].within_target is None


def test_rates_without_denominators_are_empty(data):
    figures = selectors.rates(area=data.county, year=2025)
    assert all(f.value is None for f in figures)
    assert figures[0].numerator == 17  # county: both townships
