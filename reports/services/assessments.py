"""Assessments: open a round for a county, score, finalise (freeze), rank."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.choices import Role
from safecommunity.exceptions import ApplicationError
from safecommunity.models import Area

from ..choices import AssessmentStatus, CriterionMode
from ..models import AssessmentRound, AssessmentScheme, Criterion, Score, Scorecard
from .scoring import competition_ranks, computed_points, evaluate, leaf_points, q


def _require_county_supervisor(user, county):
    if user is None or user.role != Role.COUNTY_SUPERVISOR or not user.is_county_level or user.area_id != county.pk:
        raise PermissionDenied


@transaction.atomic
def assessment_round_open(
    *,
    user,
    scheme: AssessmentScheme,
    county: Area,
    name: str,
    period_start: date,
    period_end: date,
    today: date | None = None,
) -> AssessmentRound:
    """Open an assessment of every township of ``county``; computed criteria fill in at once."""
    _require_county_supervisor(user, county)
    if AssessmentRound.objects.filter(
        county=county, scheme=scheme, period_start=period_start, period_end=period_end
    ).exists():
        raise ApplicationError(_("该考核期已有同一方案的考核"))
    rnd = AssessmentRound(
        county=county, scheme=scheme, name=name, period_start=period_start, period_end=period_end, opened_by=user
    )
    rnd.full_clean()
    if period_end <= period_start:
        raise ApplicationError(_("结束日期应晚于开始日期"), field="period_end")
    rnd.save()
    leaves = list(scheme.criteria.exclude(mode=""))
    for township in Area.objects.townships().filter(parent=county).order_by("code"):
        card = Scorecard.objects.create(round=rnd, township=township)
        Score.objects.bulk_create([Score(scorecard=card, criterion=c) for c in leaves])
        scorecard_refresh_computed(scorecard=card, today=today)
    return rnd


@transaction.atomic
def scorecard_refresh_computed(*, scorecard: Scorecard, today: date | None = None) -> Scorecard:
    """Fill the computed criteria from the other apps' selectors (the numbers their pages show)."""
    from ..selectors import computed_criterion

    if scorecard.is_final:
        return scorecard
    today = today or timezone.localdate()
    rnd = scorecard.round
    for score in scorecard.scores.select_related("criterion").filter(criterion__mode=CriterionMode.COMPUTED):
        c = score.criterion
        data = computed_criterion(c.computed_key, township=scorecard.township, period=rnd.period, today=today)
        if data is None:
            # No data to compute from (e.g. no hazard found, so no rate): the supervisor scores it.
            if score.computed_input:
                score.points = None
            score.computed_input = {}
        else:
            score.points = computed_points(
                c.points, ratio=data.get("ratio"), count=data.get("count"), target=c.computed_target
            )
            score.computed_input = data
        score.save(update_fields=["points", "computed_input"])
    return scorecard


@transaction.atomic
def score_update(
    *, score: Score, user, grades: dict | None = None, points=None, comment: str = "", evidence_url: str = ""
) -> Score:
    card = Scorecard.objects.select_for_update().get(pk=score.scorecard_id)
    _require_county_supervisor(user, card.township.parent)
    if card.is_final:
        raise ApplicationError(_("评分表已定稿，不能修改"))
    criterion = score.criterion
    scale = card.round.scheme.scale()
    if criterion.mode == CriterionMode.PARTS:
        keys = {p["key"] for p in criterion.parts}
        grades = {k: v for k, v in (grades or {}).items() if v}
        if set(grades) - keys or any(v not in scale for v in grades.values()):
            raise ApplicationError(_("评级只能为 %(g)s") % {"g": "/".join(scale)}, field="grades")
        score.grades = grades
        score.points = leaf_points(criterion, score, scale)
    elif criterion.mode == CriterionMode.POINTS or (
        criterion.mode == CriterionMode.COMPUTED and not score.computed_input
    ):
        if points is not None and points != "":
            points = q(points)
            if points < 0 or points > criterion.points:
                raise ApplicationError(_("得分应在 0 到 %(p)s 之间") % {"p": criterion.points}, field="points")
        else:
            points = None
        score.points = points
    score.comment = comment
    score.evidence_url = evidence_url
    score.full_clean()
    score.save()
    return score


def _leaves_with_points(card):
    scale = card.round.scheme.scale()
    rows, missing = [], []
    for score in card.scores.select_related("criterion").order_by("criterion__order"):
        pts = leaf_points(score.criterion, score, scale)
        if pts is None:
            missing.append(score.criterion.code)
        rows.append((score, pts))
    return rows, missing


def scorecard_preview(*, scorecard: Scorecard):
    """Total so far (unscored leaves count as 0) and the result it would give; for provisional cards."""
    rows, missing = _leaves_with_points(scorecard)
    ev = evaluate(scorecard.round.scheme, [(s.criterion, p or 0, s.comment) for s, p in rows])
    return ev, missing


@transaction.atomic
def scorecard_finalise(*, scorecard: Scorecard, user, today: date | None = None) -> Scorecard:
    card = Scorecard.objects.select_for_update().select_related("round__scheme", "township").get(pk=scorecard.pk)
    _require_county_supervisor(user, card.township.parent)
    if card.is_final:
        raise ApplicationError(_("评分表已定稿"))
    scorecard_refresh_computed(scorecard=card, today=today)
    rows, missing = _leaves_with_points(card)
    if missing:
        raise ApplicationError(_("以下指标尚未评分：%(codes)s") % {"codes": "、".join(missing)})
    ev = evaluate(card.round.scheme, [(s.criterion, p, s.comment) for s, p in rows])
    card.total, card.result, card.grade_label, card.deductions = ev.total, ev.result, ev.grade_label, ev.deductions
    card.snapshot = {
        "scores": [
            {
                "code": s.criterion.code,
                "points": str(p),
                "grades": s.grades,
                "comment": s.comment,
                "evidence_url": s.evidence_url,
                "computed_input": s.computed_input,
            }
            for s, p in rows
        ],
    }
    card.status = AssessmentStatus.FINALISED
    card.finalised_at, card.finalised_by = timezone.now(), user
    card.full_clean()
    card.save()
    round_rerank(assessment_round=card.round)
    card.refresh_from_db()
    return card


@transaction.atomic
def round_rerank(*, assessment_round: AssessmentRound) -> dict:
    """Rank the finalised scorecards of a round (1, 2, 2, 4). The rank is the one field of a
    finalised card that still moves, as the other townships are finalised."""
    cards = list(assessment_round.scorecards.filter(status=AssessmentStatus.FINALISED))
    ranks = competition_ranks({c.pk: c.total for c in cards})
    for c in cards:
        c.rank = ranks[c.pk]
    Scorecard.objects.bulk_update(cards, ["rank"])
    return ranks


@transaction.atomic
def scorecard_scores_update(*, scorecard: Scorecard, user, entries: dict) -> list[str]:
    """Save many leaves at once: ``entries`` = {score_id: {"grades", "points", "comment", "evidence_url"}}.
    Returns the error messages (the valid rows are saved)."""
    errors = []
    scores = {s.pk: s for s in scorecard.scores.select_related("criterion")}
    for score_id, data in entries.items():
        score = scores.get(int(score_id))
        if score is None:
            continue
        try:
            with transaction.atomic():
                score_update(
                    score=score,
                    user=user,
                    grades=data.get("grades"),
                    points=data.get("points"),
                    comment=data.get("comment", ""),
                    evidence_url=data.get("evidence_url", ""),
                )
        except ValidationError as exc:
            errors.append(f"{score.criterion.code}: {'; '.join(exc.messages)}")
        except ApplicationError as exc:
            if exc.field is None:  # the card itself refuses (final): nothing of it is saved
                raise
            errors.append(f"{score.criterion.code}: {exc.message}")
    return errors


def leaves_of(scheme) -> list[Criterion]:
    return list(scheme.criteria.exclude(mode=""))
