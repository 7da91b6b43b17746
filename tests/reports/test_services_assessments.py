from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from reports import services
from reports.choices import AssessmentResult, AssessmentStatus
from safecommunity.choices import AreaLevel
from safecommunity.exceptions import ApplicationError
from safecommunity.services import area_create
from tests.committees.factories import ActivityFactory, MeetingFactory
from tests.inspections.factories import EntityFactory, GridFactory, HazardFactory

TODAY = date(2026, 11, 20)


def open_round(world, scheme, **kw):
    return services.assessment_round_open(
        user=world.users["county"],
        scheme=scheme,
        county=world.county,
        name=kw.get("name", "2026年度考核"),
        period_start=date(2026, 1, 1),
        period_end=date(2027, 1, 1),
        today=TODAY,
    )


def grade_all(card, user, grades):
    """Grade every leaf of a national card; ``grades`` maps criterion code → (content, evidence, effect)."""
    for score in card.scores.select_related("criterion"):
        g = grades.get(score.criterion.code, ("a", "a", "a"))
        services.score_update(
            score=score, user=user, grades=dict(zip(("content", "evidence", "effect"), g, strict=True))
        )


def test_opening_a_round_gives_every_township_of_the_county_a_card_with_every_leaf(world, national):
    rnd = open_round(world, national)
    cards = list(rnd.scorecards.order_by("township__code"))
    assert [c.township for c in cards] == [world.township1, world.township2]
    assert all(c.scores.count() == 50 for c in cards)
    with pytest.raises(ApplicationError):
        open_round(world, national)


def test_only_the_countys_supervisor_opens_and_scores(world, national):
    for username in ("admin", "othercounty", "township1"):
        with pytest.raises(PermissionDenied):
            services.assessment_round_open(
                user=world.users[username],
                scheme=national,
                county=world.county,
                name="x",
                period_start=date(2026, 1, 1),
                period_end=date(2027, 1, 1),
            )
    rnd = open_round(world, national)
    score = rnd.scorecards.first().scores.first()
    with pytest.raises(PermissionDenied):
        services.score_update(score=score, user=world.users["othercounty"], grades={"content": "a"})


def test_computed_criteria_fill_in_from_the_other_apps_selectors(world, county_scheme):
    grid = GridFactory(village=world.village1)
    entity = EntityFactory(grid=grid)
    by = world.users["township1"]
    for i in range(3):
        HazardFactory(
            entity=entity, found_on=date(2026, 3, 1 + i), status="closed", closed_on=date(2026, 3, 20), registered_by=by
        )
    HazardFactory(entity=entity, found_on=date(2026, 4, 1), registered_by=by)
    for i in range(6):
        MeetingFactory(township=world.township1, held_on=date(2026, 1 + i, 10))
    for i in range(30):
        ActivityFactory(township=world.township1, held_on=date(2026, 5, 1 + i % 28))
    card = open_round(world, county_scheme).scorecards.get(township=world.township1)
    points = {
        s.criterion.computed_key: s.points for s in card.scores.select_related("criterion") if s.criterion.computed_key
    }
    assert points["hazard_rectification_rate"] == Decimal("11.25")  # 15 × 3/4
    assert points["meetings_held"] == Decimal("5.00")  # 10 × 6/12
    assert points["activities"] == Decimal("10.00")  # 30 of 24: capped at full points
    assert points["projects_evaluated"] is None  # no project: no rate, the supervisor scores it
    hazard = card.scores.get(criterion__computed_key="hazard_rectification_rate")
    assert hazard.computed_input["text"] == "发现4项，已整改3项，整改率75.0%"
    with pytest.raises(ApplicationError):
        services.score_update(score=card.scores.get(criterion__code="1.2"), user=world.users["county"], points="6")


def test_finalise_needs_every_leaf_then_freezes_with_total_result_and_deductions(world, national):
    county = world.users["county"]
    card = open_round(world, national).scorecards.get(township=world.township1)
    with pytest.raises(ApplicationError, match="尚未评分"):
        services.scorecard_finalise(scorecard=card, user=county, today=TODAY)
    grade_all(card, county, {"1.2": ("b", "c", "a")})  # 0.56 + 0.3 + 1.2 = 2.06: 0.94 lost
    card = services.scorecard_finalise(scorecard=card, user=county, today=TODAY)
    assert card.status == AssessmentStatus.FINALISED
    assert card.total == Decimal("149.06") and card.result == AssessmentResult.PASS and card.rank == 1
    assert [(d["code"], d["lost"]) for d in card.deductions] == [("1.2", "0.94")]
    assert len(card.snapshot["scores"]) == 50
    with pytest.raises(ApplicationError):
        services.score_update(score=card.scores.first(), user=county, grades={"content": "d"})
    with pytest.raises(ApplicationError):
        services.scorecard_finalise(scorecard=card, user=county, today=TODAY)


def test_one_zero_indicator_fails_the_national_scoresheet(world, national):
    county = world.users["county"]
    card = open_round(world, national).scorecards.get(township=world.township1)
    grade_all(card, county, {"5.2": ("d", "d", "d")})
    card = services.scorecard_finalise(scorecard=card, user=county, today=TODAY)
    assert card.total == Decimal("147.00") and card.result == AssessmentResult.FAIL


def test_ranking_among_the_countys_townships_shares_ranks_on_ties(world, national):
    area_create(code="371799102", name="河口镇", level=AreaLevel.TOWNSHIP, parent=world.county)
    area_create(code="371799103", name="柳林镇", level=AreaLevel.TOWNSHIP, parent=world.county)
    county = world.users["county"]
    rnd = open_round(world, national)
    cards = {c.township.code: c for c in rnd.scorecards.select_related("township")}
    plan = {
        "371799001": {"1.1": ("b", "a", "a")},  # 149.76
        "371799101": {"1.1": ("a", "a", "c")},  # 149.16
        "371799102": {"2.1": ("a", "a", "c")},  # 149.16 (tie)
        "371799103": {"3.1": ("c", "c", "c")},
    }  # 147.90
    for code, grades in plan.items():
        grade_all(cards[code], county, grades)
        services.scorecard_finalise(scorecard=cards[code], user=county, today=TODAY)
    ranks = {c.township.code: (c.total, c.rank) for c in rnd.scorecards.select_related("township")}
    assert ranks == {
        "371799001": (Decimal("149.76"), 1),
        "371799101": (Decimal("149.16"), 2),
        "371799102": (Decimal("149.16"), 2),
        "371799103": (Decimal("147.90"), 4),
    }
