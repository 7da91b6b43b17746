"""Reads of the analysis app. Every count comes from the other apps' selectors
(incidents.selectors.injury_breakdowns, projects.indicators.count_injuries): the numbers the
statistics page and the project page show. Methods: docs/analysis.md."""

from dataclasses import dataclass
from datetime import date

from incidents import selectors as incidents
from safecommunity.periods import Period

from . import stats
from .choices import SignalDimension
from .models import AnalysisSettings

WINDOW_MONTHS = 3
BASELINE_YEARS = 3
DIMENSIONS = (SignalDimension.VILLAGE, SignalDimension.CAUSE, SignalDimension.AGE_BAND)


def settings_of(county) -> AnalysisSettings:
    """The county's analysis settings (unsaved defaults when it has none)."""
    county_id = getattr(county, "pk", county)
    return AnalysisSettings.objects.filter(county_id=county_id).first() or AnalysisSettings(county_id=county_id)


def signal_window(as_of: date, months: int = WINDOW_MONTHS) -> Period:
    """The last ``months`` complete months before ``as_of``'s month."""
    end = date(as_of.year, as_of.month, 1)
    y, m = end.year, end.month - months
    while m < 1:
        y, m = y - 1, m + 12
    return Period(date(y, m, 1), end)


def _shift_years(period: Period, years: int) -> Period:
    return Period(
        period.start.replace(year=period.start.year - years), period.end.replace(year=period.end.year - years)
    )


@dataclass(frozen=True)
class Candidate:
    dimension: str
    key: str
    label: str
    test: stats.StratumTest


def signal_candidates(*, township, as_of: date, alpha: float = 0.05, min_count: int = 3) -> dict:
    """Every stratum of the township tested for a rise in the window before ``as_of``.

    Returns {"window", "baseline_periods" (years with any report in the window), "m", "threshold",
    "tests": [Candidate]}. Counts from injury_breakdowns: one call per period (4 in all).
    """
    window = signal_window(as_of)
    by = tuple(str(d) for d in DIMENSIONS)
    current = incidents.injury_breakdowns(townships=[township.pk], period=window, by=by)
    baselines = []
    for k in range(1, BASELINE_YEARS + 1):
        period = _shift_years(window, k)
        rows = incidents.injury_breakdowns(townships=[township.pk], period=period, by=by)
        # A year in which the township reported nothing in the window is not a baseline (not yet
        # reporting); leaving it out can only make a rise harder to find.
        if sum(n for _k, _l, n in rows["cause"]):
            baselines.append((period, rows))
    years = len(baselines)
    strata, labels = {}, {}
    for dim in by:
        for key, label, n in current[dim]:
            strata[(dim, str(key))] = [n, 0]
            labels[(dim, str(key))] = str(label)
        for _period, rows in baselines:
            for key, label, n in rows[dim]:
                entry = strata.setdefault((dim, str(key)), [0, 0])
                entry[1] += n
                labels.setdefault((dim, str(key)), str(label))
    results = stats.detect_rises(
        {k: tuple(v) for k, v in strata.items()}, baseline_years=years, alpha=alpha, min_count=min_count
    )
    m = max(len(results), 1)
    return {
        "window": window,
        "baseline_periods": [p for p, _rows in baselines],
        "m": m,
        "threshold": alpha / m,
        "tests": [Candidate(t.key[0], t.key[1], labels[t.key], t) for t in results],
    }


# --- A project's indicator before and after, with its interval ---------------------------------


def indicator_effect(project) -> dict | None:
    """The project's indicator (projects' own ``count_injuries``: the statistics page's selector)
    in its baseline and follow-up periods, as a rate ratio with its exact 95% interval."""
    if not project.has_indicator:
        return None
    from projects.indicators import count_injuries

    before_p, after_p = project.baseline_period, project.followup_period
    before, after = count_injuries(project, before_p), count_injuries(project, after_p)
    before_days, after_days = (before_p.end - before_p.start).days, (after_p.end - after_p.start).days
    rr = stats.rate_ratio(before, before_days, after, after_days)
    met = None
    if project.target_change is not None and rr.ratio is not None:
        met = rr.change <= float(project.target_change)
    return {
        "before": before,
        "after": after,
        "before_period": before_p,
        "after_period": after_p,
        "before_days": before_days,
        "after_days": after_days,
        "before_per_year": before * 365 / before_days,
        "after_per_year": after * 365 / after_days,
        "rr": rr,
        "target_change": project.target_change,
        "met": met,
        "significant_fall": rr.significant_fall,
    }


def briefing_summary(*, township, year: int, month: int, today: date) -> dict:
    """What a month's briefing reports (JSON): the signals of the window ending with the month and
    the open ones, and each project's indicator effect once its follow-up has begun (ratios and
    intervals only, no small counts: the briefing goes to every committee member)."""
    from projects.models import Project

    from .choices import SignalStatus
    from .models import InjurySignal

    month_end = Period.month(year, month).end
    signals = InjurySignal.objects.filter(township=township).filter(window_end=month_end) | InjurySignal.objects.filter(
        township=township, status=SignalStatus.OPEN, window_end__lte=month_end
    )
    rows = [
        {
            "dimension": s.get_dimension_display(),
            "label": s.label,
            "window": f"{s.window_start:%Y-%m}–{s.last_day:%Y-%m}",
            "ratio": f"{s.ratio:.1f}" if s.ratio is not None else "—",
            "status": s.get_status_display(),
            "project": s.project.name if s.project_id else "",
        }
        for s in signals.distinct().select_related("project").order_by("p_value", "id")[:20]
    ]
    effects = []
    projects = Project.objects.filter(township=township, followup_start__lt=month_end).exclude(baseline_start=None)
    for p in projects.order_by("followup_start", "id")[:20]:
        e = indicator_effect(p)
        if e is None or e["rr"].ratio is None:
            continue
        rr = e["rr"]
        effects.append(
            {
                "project": p.name,
                "ratio": f"{rr.ratio:.2f}",
                "ci": f"{rr.lower:.2f}–{rr.upper:.2f}" if rr.upper != float("inf") else f"{rr.lower:.2f}–∞",
                "significant_fall": rr.significant_fall,
                "target": None if p.target_change is None else f"{p.target_change * 100:.0f}%",
                "met": e["met"],
            }
        )
    return {"signals": rows, "effects": effects}
