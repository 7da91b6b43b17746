"""Pages of the reports app (re-exported from the modules of this package)."""

from .assessments import (
    RoundCreateView,
    RoundDetailView,
    RoundListView,
    ScorecardDetailView,
    round_summary_pdf,
    scorecard_finalise,
    scorecard_pdf,
    scorecard_scores,
)
from .briefings import (
    BriefingDetailView,
    BriefingListView,
    BriefingUpdateView,
    briefing_generate,
    briefing_pdf,
    briefing_preview,
    briefing_publish,
    briefing_regenerate,
    briefing_retry,
    briefing_status,
)
from .dashboards import dashboard, dashboard_township, index
from .downloads import download_file, download_list, download_request, download_retry

__all__ = [
    "BriefingDetailView",
    "BriefingListView",
    "BriefingUpdateView",
    "RoundCreateView",
    "RoundDetailView",
    "RoundListView",
    "ScorecardDetailView",
    "briefing_generate",
    "briefing_pdf",
    "briefing_preview",
    "briefing_publish",
    "briefing_regenerate",
    "briefing_retry",
    "briefing_status",
    "dashboard",
    "dashboard_township",
    "download_file",
    "download_list",
    "download_request",
    "download_retry",
    "index",
    "round_summary_pdf",
    "scorecard_finalise",
    "scorecard_pdf",
    "scorecard_scores",
]
