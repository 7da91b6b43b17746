"""Scheme arithmetic and the pass/rectify/fail rules at their edges (no database needed)."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from reports.builtin_schemes import PARTS
from reports.choices import AssessmentResult
from reports.services.scoring import competition_ranks, computed_points, evaluate, parts_points

SCALE = {"a": Decimal("1"), "b": Decimal("0.7"), "c": Decimal("0.3"), "d": Decimal("0")}


@dataclass
class FakeScheme:
    pass_score: Decimal = Decimal("100")
    rectify_score: Decimal | None = Decimal("75")
    zero_fails: bool = True
    grade_bands: tuple = ()


@dataclass
class Leaf:
    code: str
    name: str = "指标"
    points: Decimal = Decimal("3")


def leaves_totalling(total: Decimal, n=50, zero=False):
    """50 leaves of 3 points whose points add up to ``total`` (one leaf 0 when ``zero``)."""
    rows, remaining = [], Decimal(total)
    for i in range(n):
        if zero and i == 0:
            pts = Decimal(0)
        else:
            pts = min(Decimal(3), remaining - Decimal("0.01") * (n - i - 1) if remaining > 0 else Decimal(0))
            pts = max(pts, Decimal("0.01")) if remaining > 0 else Decimal(0)
        remaining -= pts
        rows.append((Leaf(f"{i}"), pts, ""))
    assert sum(p for _, p, _ in rows) == total
    return rows


def test_parts_split_into_content_evidence_effect_and_grades_scale_them():
    assert parts_points(PARTS, {"content": "a", "evidence": "a", "effect": "a"}, SCALE) == Decimal("3.00")
    # 0.8×0.7 + 1.0×0.3 + 1.2×0 = 0.56 + 0.30 = 0.86
    assert parts_points(PARTS, {"content": "b", "evidence": "c", "effect": "d"}, SCALE) == Decimal("0.86")
    assert parts_points(PARTS, {"content": "d", "evidence": "d", "effect": "d"}, SCALE) == Decimal("0.00")


def test_parts_not_all_graded_give_no_score():
    assert parts_points(PARTS, {"content": "a", "evidence": "a"}, SCALE) is None
    assert parts_points(PARTS, {"content": "a", "evidence": "a", "effect": "x"}, SCALE) is None


@pytest.mark.parametrize(
    "total,expected",
    [
        (Decimal("150"), AssessmentResult.PASS),
        (Decimal("100"), AssessmentResult.PASS),
        (Decimal("99.99"), AssessmentResult.RECTIFY),
        (Decimal("75"), AssessmentResult.RECTIFY),
        (Decimal("74.99"), AssessmentResult.FAIL),
        (Decimal("10"), AssessmentResult.FAIL),
    ],
)
def test_national_result_at_the_edges(total, expected):
    assert evaluate(FakeScheme(), leaves_totalling(total)).result == expected


def test_any_zero_indicator_fails_even_above_the_pass_line():
    ev = evaluate(FakeScheme(), leaves_totalling(Decimal("140"), zero=True))
    assert ev.total == Decimal("140.00") and ev.has_zero
    assert ev.result == AssessmentResult.FAIL


def test_zero_indicator_does_not_fail_a_scheme_without_that_rule():
    scheme = FakeScheme(
        pass_score=Decimal("60"),
        rectify_score=None,
        zero_fails=False,
        grade_bands=(("90", "优秀"), ("80", "良好"), ("60", "合格"), ("0", "不合格")),
    )
    leaves = [(Leaf("1", points=Decimal("10")), Decimal("0"), ""), (Leaf("2", points=Decimal("90")), Decimal("80"), "")]
    ev = evaluate(scheme, leaves)
    assert (ev.total, ev.result, ev.grade_label) == (Decimal("80.00"), AssessmentResult.PASS, "良好")
    assert evaluate(scheme, [(Leaf("1", points=Decimal("100")), Decimal("59.99"), "")]).result == AssessmentResult.FAIL
    assert evaluate(scheme, [(Leaf("1", points=Decimal("100")), Decimal("59.99"), "")]).grade_label == "不合格"
    assert evaluate(scheme, [(Leaf("1", points=Decimal("100")), Decimal("90"), "")]).grade_label == "优秀"


def test_deductions_list_every_indicator_below_full_points_with_the_comment():
    leaves = [(Leaf("1.1"), Decimal("3"), ""), (Leaf("1.2", name="工作组"), Decimal("2.1"), "缺少工作组会议记录")]
    ev = evaluate(FakeScheme(), leaves)
    assert ev.deductions == [
        {
            "code": "1.2",
            "name": "工作组",
            "full": "3.00",
            "points": "2.10",
            "lost": "0.90",
            "comment": "缺少工作组会议记录",
        }
    ]


def test_competition_ranking_gives_ties_the_same_rank_and_skips_the_next():
    ranks = competition_ranks(
        {"a": Decimal("90"), "b": Decimal("85"), "c": Decimal("85"), "d": Decimal("80"), "e": Decimal("95")}
    )
    assert ranks == {"e": 1, "a": 2, "b": 3, "c": 3, "d": 5}
    assert competition_ranks({"x": 1, "y": 1}) == {"x": 1, "y": 1}
    assert competition_ranks({}) == {}


def test_computed_points_scale_by_ratio_or_count_over_target_capped_at_full():
    assert computed_points(Decimal("15"), ratio=Decimal("0.8")) == Decimal("12.00")
    assert computed_points(Decimal("10"), count=6, target=Decimal("12")) == Decimal("5.00")
    assert computed_points(Decimal("10"), count=30, target=Decimal("12")) == Decimal("10.00")
    assert computed_points(Decimal("10"), ratio=None) is None
