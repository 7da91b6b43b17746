"""Reads of the reports app. Every figure comes from the other apps' selectors (the numbers their
own pages show); this module only arranges them for the briefing, the dashboards and the
computed criteria of scorecards, and turns them into JSON for the frozen snapshot."""

import uuid
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from analysis import selectors as analysis
from committees import selectors as committees
from incidents import selectors as incidents
from inspections import selectors as inspections
from projects import selectors as projects
from safecommunity.datacache import cached, township_id_list, versioned
from safecommunity.models import Area
from safecommunity.periods import Period, change_text, rate
from safecommunity.querysets import first_rows_and_count

from .charts import bar_chart, hbar_chart
from .choices import AssessmentStatus

BRIEFING_FIGURES = ("incidents", "deaths", "injured", "loss")
SNAPSHOT_VERSION = 1


def _json(value):
    """Decimals as strings, tuples as lists: a snapshot must read back exactly as it was frozen."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, (date, Period, Promise)):
        return str(value)
    return value


def _figures(stats) -> list[dict]:
    return [
        {
            "key": r.key,
            "label": r.label,
            "current": _json(r.current),
            "last_year": _json(r.last_year),
            "change": _json(r.yoy),
            "change_text": r.yoy_text,
        }
        for r in stats["figures"]
        if r.key in BRIEFING_FIGURES
    ]


# Parts of a briefing's snapshot that differ between two readings of unchanged data.
_SNAPSHOT_VOLATILE = ("generated_at",)


def briefing_data_changed(briefing) -> bool:
    """True when a draft's frozen figures no longer match the data: rows of its month were added,
    corrected or imported after it was generated (read as of the same day, so that only data
    changes count). A published briefing is frozen on purpose and never "changed"."""
    if briefing.is_published or not briefing.snapshot:
        return False
    frozen = {k: v for k, v in briefing.snapshot.items() if k not in _SNAPSHOT_VOLATILE}
    try:
        as_of = date.fromisoformat(str(frozen.get("as_of")))
    except ValueError:
        as_of = None
    fresh = briefing_sections(township=briefing.township, year=briefing.year, month=briefing.month, today=as_of)
    return {k: v for k, v in fresh.items() if k not in _SNAPSHOT_VOLATILE} != frozen


def _pct(value) -> str:
    return "—" if value is None else f"{Decimal(str(value)) * 100:.1f}%"


def briefing_sections(*, township: Area, year: int, month: int, today: date | None = None) -> dict:
    """Everything a briefing prints, as JSON (frozen into ``Briefing.snapshot``). A county's own
    briefing rolls up its townships and adds the county's own work (``reports.county``)."""
    today = today or timezone.localdate()
    is_county = township.level == "county"
    if is_county:
        townships = list(Area.objects.filter(parent=township).townships().values_list("pk", flat=True))
    else:
        townships = [township.pk]
    period, ytd = Period.month(year, month), Period.year_to_date(year, month)
    # A briefing of the month still running compares the days elapsed so far (see Period.elapsed).
    month_stats = incidents.incident_statistics_with_change(townships=townships, period=period.elapsed(today))
    ytd_stats = incidents.incident_statistics_with_change(townships=townships, period=ytd.elapsed(today))
    breakdowns = {
        name: incidents.injury_breakdowns(townships=townships, period=p, by=("cause", "place"))
        for name, p in (("month", period), ("ytd", ytd))
    }
    trend = incidents.monthly_trend(townships=townships, year=year)
    hazards = inspections.hazard_statistics(townships=townships, period=period, today=today)
    hazards_ytd = inspections.hazard_statistics(townships=townships, period=ytd, today=today)
    coverage = inspections.inspection_coverage(townships=townships, period=period, today=today)
    progress = projects.project_progress(townships=townships, today=today)
    meetings = {
        n: committees.meeting_statistics(townships=townships, period=p) for n, p in (("month", period), ("ytd", ytd))
    }
    activities = {
        n: committees.activity_sums(townships=townships, period=p) for n, p in (("month", period), ("ytd", ytd))
    }

    def breakdown_rows(dim):
        rows = []
        for (key, label, n_month), (_k, _l, n_ytd) in zip(
            breakdowns["month"][dim], breakdowns["ytd"][dim], strict=True
        ):
            if n_month or n_ytd:
                rows.append({"key": key, "label": label, "month": n_month, "ytd": n_ytd})
        return rows

    county_part = {}
    if is_county:
        from .county import county_work, county_work_text

        work = {n: county_work(county=township, period=p, today=today) for n, p in (("month", period), ("ytd", ytd))}
        county_part = {"county_work": {n: {**w, "text": county_work_text(w)} for n, w in work.items()}}
    return _json(
        {
            **county_part,
            "version": SNAPSHOT_VERSION,
            "generated_at": timezone.now().isoformat(timespec="seconds"),
            "as_of": today,
            "township": {"code": township.code, "name": township.name},
            "year": year,
            "month": month,
            "month_figures": _figures(month_stats),
            "ytd_figures": _figures(ytd_stats),
            "injuries": {"month": month_stats["current"]["injuries"], "ytd": ytd_stats["current"]["injuries"]},
            "by_cause": breakdown_rows("cause"),
            "by_place": breakdown_rows("place"),
            "trend": {
                "months": list(range(1, month + 1)),
                "current": trend["incidents"]["current"][:month],
                "previous": trend["incidents"]["previous"][:month],
            },
            "hazards": {
                **{k: hazards[k] for k in ("found", "rectified", "open", "overdue", "major")},
                "rate": hazards["rectification_rate"],
                "rate_text": _pct(hazards["rectification_rate"]),
                "ytd_found": hazards_ytd["found"],
                "ytd_rate_text": _pct(hazards_ytd["rectification_rate"]),
            },
            "inspections": {
                **coverage,
                "inspection_rate_text": _pct(coverage["inspection_rate"]),
                "coverage_rate_text": _pct(coverage["coverage_rate"]),
            },
            "projects": {
                "total": progress["total"],
                "rows": progress["rows"],
                "evaluated": progress["evaluated"],
                "evaluation_due": progress["evaluation_due"],
                "interventions": progress["interventions"],
            },
            "analysis": analysis.briefing_summary(township=township, year=year, month=month, today=today),
            "meetings": {n: {"total": m["total"], "rows": [r for r in m["rows"] if r[1]]} for n, m in meetings.items()},
            "activities": {
                n: {k: a[k] for k in ("count", "participants", "materials")}
                | {
                    "rows": [
                        {
                            "label": v["label"],
                            "count": v["count"],
                            "participants": v["participants"],
                            "materials": v["materials"],
                        }
                        for v in a["by_kind"].values()
                        if v["count"]
                    ]
                }
                for n, a in activities.items()
            },
        }
    )


def briefing_charts(snapshot: dict) -> dict:
    """Inline SVG charts of a snapshot (drawn from the frozen numbers, never from live data)."""
    if not snapshot:
        return {"trend_svg": "", "cause_svg": ""}
    trend = snapshot["trend"]
    year = snapshot["year"]
    return {
        "trend_svg": bar_chart(
            [f"{m}月" for m in trend["months"]],
            [(f"{year - 1}年", trend["previous"]), (f"{year}年", trend["current"])],
            width=620,
            height=190,
            title=_("各月事故起数（同比）"),
            unit=_("起"),
            colors=["#9aa5b1", "#c00000"],
        ),
        "cause_svg": hbar_chart(
            [(r["label"], r["ytd"]) for r in snapshot["by_cause"]], width=620, title=_("年内伤害原因分布（例）")
        ),
    }


# --- Computed criteria of assessment schemes ---------------------------------------------------


def _injury_reporting(township, period: Period, today: date) -> dict | None:
    """Share of village-months with at least one report (data completeness of the surveillance)."""
    villages = Area.objects.filter(parent=township, level="village").count()
    months, cursor = [], period.start
    while cursor < period.end and cursor <= today:
        m = Period.month(cursor.year, cursor.month)
        months.append(Period(max(m.start, period.start), min(m.end, period.end)))
        cursor = m.end
    if not villages or not months:
        return None
    silent = sum(incidents.villages_without_reports(townships=[township.pk], period=m).count() for m in months)
    expected = villages * len(months)
    return {
        "ratio": str(rate(expected - silent, expected)),
        "numerator": expected - silent,
        "denominator": expected,
        "text": _("%(n)d/%(d)d 村·月有报告") % {"n": expected - silent, "d": expected},
    }


def computed_criterion(key: str, *, township: Area, period: Period, today: date) -> dict | None:
    """The input of a computed criterion: {"ratio"} (0..1) or {"count"}, with a text for the card."""
    ids = [township.pk]
    if key == "hazard_rectification_rate":
        s = inspections.hazard_statistics(townships=ids, period=period, today=today)
        r = s["rectification_rate"]
        return (
            None
            if r is None
            else {
                "ratio": str(r),
                "numerator": s["found_closed"],
                "denominator": s["found"],
                "text": _("发现%(f)d项，已整改%(c)d项，整改率%(r)s")
                % {"f": s["found"], "c": s["found_closed"], "r": _pct(r)},
            }
        )
    if key == "inspection_coverage":
        c = inspections.inspection_coverage(townships=ids, period=period, today=today)
        r = c["coverage_rate"]
        return (
            None
            if r is None
            else {
                "ratio": str(r),
                "numerator": c["entities_covered"],
                "denominator": c["entities_due"],
                "text": _("应巡查对象%(d)d个，已覆盖%(n)d个，覆盖率%(r)s")
                % {"d": c["entities_due"], "n": c["entities_covered"], "r": _pct(r)},
            }
        )
    if key == "injury_reporting":
        return _injury_reporting(township, period, today)
    if key == "meetings_held":
        m = committees.meeting_statistics(townships=ids, period=period)
        return {"count": m["total"], "text": _("召开会议%(n)d次") % {"n": m["total"]}}
    if key == "projects_evaluated":
        p = projects.project_progress(townships=ids, today=today)
        r = rate(p["evaluated"], p["total"])
        return (
            None
            if r is None
            else {
                "ratio": str(r),
                "numerator": p["evaluated"],
                "denominator": p["total"],
                "text": _("项目%(t)d个，已评估%(e)d个") % {"t": p["total"], "e": p["evaluated"]},
            }
        )
    if key == "activities":
        a = committees.activity_sums(townships=ids, period=period)
        return {
            "count": a["count"],
            "text": _("开展活动%(n)d次，参与%(p)d人次") % {"n": a["count"], "p": a["participants"]},
        }
    raise ValueError(f"unknown computed criterion: {key}")


# --- Scorecards --------------------------------------------------------------------------------


def scorecard_rows(scorecard) -> list[dict]:
    """The criteria tree of a scorecard with each leaf's score, in order (two queries)."""
    scores = {s.criterion_id: s for s in scorecard.scores.all()}
    scale = scorecard.round.scheme.scale()
    from .services.scoring import leaf_points

    rows, group = [], None
    for c in scorecard.round.scheme.criteria.order_by("order"):
        if not c.is_leaf:
            group = {"criterion": c, "points": Decimal(0), "complete": True}
            rows.append({"group": True, "criterion": c, "summary": group})
            continue
        score = scores.get(c.pk)
        pts = leaf_points(c, score, scale) if score else None
        if group is not None:
            group["points"] += pts or 0
            group["complete"] = group["complete"] and pts is not None
        rows.append({"group": False, "criterion": c, "score": score, "points": pts})
    return rows


def round_ranking(assessment_round) -> list:
    """Scorecards of a round, finalised first by rank, then the open ones by township."""
    cards = list(assessment_round.scorecards.select_related("township"))
    cards.sort(key=lambda c: (c.status != AssessmentStatus.FINALISED, c.rank or 0, c.township.code))
    return cards


# --- Dashboards --------------------------------------------------------------------------------

# The apps whose rows the dashboards read: their results are cached per data version of these.
DATA_DOMAINS = ("incidents", "inspections", "committees", "projects")


@versioned(DATA_DOMAINS)
def dashboard(*, townships, today: date) -> dict:
    """The figures of a committee (one township) or county (all townships) dashboard; exact
    (cached until a row of one of the townships changes, see safecommunity.datacache)."""
    month, ytd = Period.month(today.year, today.month), Period.year_to_date(today.year, today.month)
    # 同比/环比 of a month or year still running compare the same elapsed days (1–2 December
    # against 1–2 December of last year), never a part against a whole period.
    month_stats = incidents.incident_statistics_with_change(townships=townships, period=month.elapsed(today))
    ytd_stats = incidents.incident_statistics_with_change(townships=townships, period=ytd.elapsed(today))
    breakdowns = incidents.injury_breakdowns(
        townships=townships, period=ytd, by=("cause", "place", "age_band", "village")
    )
    silent_villages, silent_count = first_rows_and_count(
        incidents.villages_without_reports(townships=townships, period=month), 20
    )
    stale_grids, stale_count = inspections.grids_not_inspected_first(townships=townships, today=today, limit=20)
    return {
        "today": today,
        "month": month,
        "ytd": ytd,
        "month_stats": month_stats,
        "ytd_stats": ytd_stats,
        "trend": incidents.monthly_trend(townships=townships, year=today.year),
        "breakdowns": {k: [r for r in v if r[2]] for k, v in breakdowns.items()},
        "hazards": inspections.hazard_statistics(townships=townships, period=ytd, today=today),
        "coverage": inspections.inspection_coverage(townships=townships, period=month, today=today),
        "projects": projects.project_progress(townships=townships, today=today),
        "actions": committees.action_item_statistics(townships=townships, today=today),
        "meetings": committees.meeting_statistics(townships=townships, period=ytd),
        "activities": committees.activity_sums(townships=townships, period=ytd),
        "silent_villages": silent_villages,
        "silent_count": silent_count,
        "grids_not_inspected": stale_grids,
        "grids_not_inspected_count": stale_count,
    }


def dashboard_page_reads(*, townships, county=None) -> tuple[tuple[str, ...], list[int]]:
    """(the data domains, the areas) whose data versions ``dashboard_page`` is cached under: the
    townships' and, a county's page, the county's own rows and accountability figures too."""
    from .county import COUNTY_WORK_DOMAINS

    ids = township_id_list(townships)
    if county is not None:
        return DATA_DOMAINS + COUNTY_WORK_DOMAINS, [*ids, county.pk]
    return DATA_DOMAINS, ids


def dashboard_page(*, townships, today: date, county=None, work_year: int | None = None) -> dict:
    """Everything a dashboard page shows, as one cached result: {"data" (``dashboard``), "ranking"
    (``township_ranking``, a county's page), "county_work" (the county's own work of ``work_year``,
    ``reports.county.county_work``) and "token" (unique to this computation: the page's parts
    rendered from it are cached under it)}. One result, so that after a write the readers of the
    page arriving at once wait for one computation of all of it (and read it in one round trip)
    instead of a chain of single flights, each of which may be computed by another reader."""
    from .county import county_work

    ids = township_id_list(townships)
    domains, scope = dashboard_page_reads(townships=ids, county=county)

    def compute():
        page = {"data": dashboard(townships=ids, today=today), "ranking": None, "county_work": None}
        if county is not None:
            page["ranking"] = township_ranking(county=county, today=today)
            year = work_year or today.year
            page["county_work"] = {"year": year, **county_work(county=county, period=Period.year(year), today=today)}
        page["token"] = uuid.uuid4().hex
        return page

    args = {"county": getattr(county, "pk", None), "today": today, "work_year": work_year}
    return cached(domains, scope, "reports.dashboard_page", {"townships": ids, **args}, compute)


RANKING_INDICATORS = (
    ("incidents", _("事故起数"), False),
    ("deaths", _("死亡人数"), False),
    ("rectification_rate", _("隐患整改率"), True),
    ("coverage_rate", _("巡查覆盖率"), True),
    ("meetings", _("会议次数"), True),
    ("activities", _("活动次数"), True),
)


def township_ranking(*, county, today: date) -> list[dict]:
    """Each township of the county on the main indicators of the year to date, ranked by hazard
    rectification rate then coverage (higher first), fewer deaths and incidents breaking ties."""
    townships = list(Area.objects.filter(parent=county).townships().order_by("code"))
    return cached(
        DATA_DOMAINS,
        townships,
        "reports.township_ranking",
        {"county": county.pk, "today": today},
        lambda: _township_ranking(townships, today),
    )


def _township_ranking(townships, today: date) -> list[dict]:
    from .services.scoring import competition_ranks

    ytd = Period.year_to_date(today.year, today.month)
    # One grouped read per selector for every township at once: the cold ranking costs the same
    # number of queries for 3 townships as for 21.
    ids = [t.pk for t in townships]
    stats = incidents.incident_statistics_by_township(townships=ids, period=ytd)
    hazards = inspections.hazard_statistics_by_township(townships=ids, period=ytd, today=today)
    coverage = inspections.inspection_coverage_by_township(townships=ids, period=ytd, today=today)
    work = committees.meeting_and_activity_counts_by_township(townships=ids, period=ytd)
    rows = [
        {
            "township": t,
            "incidents": stats[t.pk]["incidents"],
            "deaths": stats[t.pk]["deaths"],
            "rectification_rate": hazards[t.pk]["rectification_rate"],
            "coverage_rate": coverage[t.pk]["coverage_rate"],
            "overdue": hazards[t.pk]["overdue"],
            "meetings": work[t.pk]["meetings"],
            "activities": work[t.pk]["activities"],
        }
        for t in townships
    ]

    def key(r):
        return (r["rectification_rate"] or Decimal(0), r["coverage_rate"] or Decimal(0), -r["deaths"], -r["incidents"])

    ranks = competition_ranks({i: key(r) for i, r in enumerate(rows)})
    for i, r in enumerate(rows):
        r["rank"] = ranks[i]
    rows.sort(key=lambda r: (r["rank"], r["township"].code))
    return rows


__all__ = [
    "briefing_charts",
    "briefing_sections",
    "change_text",
    "computed_criterion",
    "dashboard",
    "dashboard_page",
    "round_ranking",
    "scorecard_rows",
    "township_ranking",
]
