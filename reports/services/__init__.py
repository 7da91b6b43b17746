"""Writes of the reports app (services re-exported from the modules of this package)."""

from .assessments import (
    assessment_round_open,
    round_rerank,
    score_update,
    scorecard_finalise,
    scorecard_preview,
    scorecard_refresh_computed,
    scorecard_scores_update,
)
from .briefings import (
    briefing_build,
    briefing_claim,
    briefing_create_special,
    briefing_generate,
    briefing_numbers,
    briefing_publish,
    briefing_render,
    briefing_retry,
    briefing_update,
    special_numbers,
    user_may_write_for,
)
from .downloads import download_render, download_request, download_retry
from .recovery import jobs_requeue
from .scoring import competition_ranks, computed_points, evaluate, parts_points

__all__ = [
    "assessment_round_open",
    "briefing_build",
    "briefing_claim",
    "briefing_create_special",
    "briefing_generate",
    "briefing_numbers",
    "briefing_publish",
    "briefing_render",
    "briefing_retry",
    "briefing_update",
    "competition_ranks",
    "computed_points",
    "download_render",
    "download_request",
    "download_retry",
    "evaluate",
    "jobs_requeue",
    "parts_points",
    "round_rerank",
    "score_update",
    "scorecard_finalise",
    "scorecard_preview",
    "scorecard_refresh_computed",
    "scorecard_scores_update",
    "special_numbers",
    "user_may_write_for",
]
