"""Scheme arithmetic: pure functions, no database (the rules are tested at their edges)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..choices import AssessmentResult, CriterionMode

CENT = Decimal("0.01")
ZERO = Decimal("0")


def q(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def parts_points(parts: list[dict], grades: dict, scale: dict[str, Decimal]) -> Decimal | None:
    """Sum of each part's points × its grade's factor; None until every part is graded."""
    total = ZERO
    for part in parts:
        grade = (grades or {}).get(part["key"])
        if grade not in scale:
            return None
        total += Decimal(str(part["points"])) * scale[grade]
    return q(total)


def computed_points(points: Decimal, *, ratio=None, count=None, target=None) -> Decimal | None:
    """A computed criterion: full points × ratio (0..1), or × count/target capped at 1."""
    if ratio is None and count is not None and target:
        ratio = Decimal(str(count)) / Decimal(str(target))
    if ratio is None:
        return None
    ratio = max(ZERO, min(Decimal("1"), Decimal(str(ratio))))
    return q(Decimal(str(points)) * ratio)


@dataclass
class Evaluation:
    total: Decimal
    result: str
    grade_label: str
    deductions: list = field(default_factory=list)
    has_zero: bool = False


def evaluate(scheme, leaves) -> Evaluation:
    """``leaves``: [(criterion, points, comment)] for every leaf; points must all be set.

    Result: any zero leaf with ``zero_fails`` → fail; total ≥ pass → pass; total ≥ rectify → rectify
    (限期整改); otherwise fail.
    """
    total = ZERO
    deductions = []
    has_zero = False
    for criterion, points, comment in leaves:
        points = q(points)
        total += points
        full = q(criterion.points)
        if points == 0:
            has_zero = True
        if points < full:
            deductions.append(
                {
                    "code": criterion.code,
                    "name": criterion.name,
                    "full": str(full),
                    "points": str(points),
                    "lost": str(full - points),
                    "comment": comment or "",
                }
            )
    total = q(total)
    if has_zero and scheme.zero_fails:
        result = AssessmentResult.FAIL
    elif total >= q(scheme.pass_score):
        result = AssessmentResult.PASS
    elif scheme.rectify_score is not None and total >= q(scheme.rectify_score):
        result = AssessmentResult.RECTIFY
    else:
        result = AssessmentResult.FAIL
    label = ""
    for threshold, name in scheme.grade_bands or []:
        if total >= Decimal(str(threshold)):
            label = name
            break
    return Evaluation(total=total, result=result, grade_label=label, deductions=deductions, has_zero=has_zero)


def competition_ranks(totals: dict) -> dict:
    """Standard competition ranking (1, 2, 2, 4): rank = 1 + how many scored strictly more."""
    values = sorted(totals.values(), reverse=True)
    return {key: 1 + sum(1 for v in values if v > total) for key, total in totals.items()}


def leaf_points(criterion, score, scale) -> Decimal | None:
    if criterion.mode == CriterionMode.PARTS:
        return parts_points(criterion.parts, score.grades, scale)
    return None if score.points is None else q(score.points)
