"""Models of the outputs: assessment schemes and scorecards, monthly briefings, the download centre."""

from auditlog.registry import auditlog

from safecommunity import datacache

from .briefings import Briefing, BriefingArticle, BriefingSeries
from .downloads import DownloadJob
from .schemes import AssessmentRound, AssessmentScheme, Criterion, Score, Scorecard

__all__ = [
    "AssessmentRound",
    "AssessmentScheme",
    "Briefing",
    "BriefingArticle",
    "BriefingSeries",
    "Criterion",
    "DownloadJob",
    "Score",
    "Scorecard",
]

auditlog.register(AssessmentScheme)
auditlog.register(AssessmentRound)
auditlog.register(Scorecard, exclude_fields=["snapshot"])
auditlog.register(Score)
auditlog.register(Briefing, exclude_fields=["snapshot"])
auditlog.register(BriefingSeries)
auditlog.register(BriefingArticle)

# The briefing list is kept per data version of its townships (safecommunity.pages): every write of
# a briefing (its status, its rendering by the worker) moves the "briefings" version.
datacache.track(Briefing, "briefings")
