"""The printed documents: briefing, scorecard, county summary (context built here, HTML in
``templates/reports/pdf/``, PDF by ``rendering``). Provisional scorecards (no finalised
assessment) are built in memory from the computed criteria and marked 未定稿."""

from datetime import date
from decimal import Decimal

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis.readiness import evidence_index
from safecommunity.exceptions import ApplicationError
from safecommunity.pdf import in_document_language, render_html, render_pdf

from .charts import bar_chart
from .choices import AssessmentResult, CriterionMode
from .rendering import sha256
from .selectors import briefing_charts, computed_criterion, scorecard_rows
from .services.scoring import computed_points, evaluate

BRIEFING_TEMPLATE = "reports/pdf/briefing.html"


def _briefing_context(briefing) -> dict:
    return {"briefing": briefing, **briefing_charts(briefing.snapshot)}


@in_document_language
def briefing_html(briefing) -> str:
    return render_html(BRIEFING_TEMPLATE, _briefing_context(briefing))


@in_document_language
def briefing_render(briefing) -> bytes:
    """A new rendering of the briefing's PDF (the preview, the worker and publishing all use it)."""
    return render_pdf(BRIEFING_TEMPLATE, _briefing_context(briefing))


class PublishedFileError(ApplicationError):
    """A published document's stored file is missing or is not the frozen one (its SHA-256 differs).
    It is never rendered again: a new rendering would not be the document that was published."""

    def __init__(self, *, name: str, expected: str, actual: str = ""):
        self.name, self.expected, self.actual = name, expected, actual
        reason = _("文件缺失") if not actual else _("校验不符（实为 %(a)s）") % {"a": actual}
        super().__init__(
            _("已发布文件缺失或校验不符：%(n)s %(r)s，应为 SHA-256 %(e)s。请从备份恢复。")
            % {"n": name or "-", "r": reason, "e": expected or "-"}
        )


def _stored_bytes(name: str) -> bytes | None:
    if not name or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as fh:
        return fh.read()


def published_pdf_bytes(briefing) -> bytes:
    """The frozen file of a published briefing, byte for byte, or PublishedFileError."""
    content = _stored_bytes(briefing.pdf.name if briefing.pdf else "")
    if content is None:
        raise PublishedFileError(name=briefing.pdf.name if briefing.pdf else "", expected=briefing.pdf_sha256)
    actual = sha256(content)
    if not briefing.pdf_sha256 or actual != briefing.pdf_sha256:
        raise PublishedFileError(name=briefing.pdf.name, expected=briefing.pdf_sha256, actual=actual)
    return content


def published_file_problem(briefing) -> str:
    """ "" when the published briefing's file is its frozen one, else the reason (for checks after a restore)."""
    try:
        published_pdf_bytes(briefing)
    except PublishedFileError as exc:
        return exc.message
    return ""


@in_document_language
def briefing_pdf_bytes(briefing) -> bytes:
    """A published briefing: its frozen file only (never a new rendering). Otherwise the stored
    PDF when there is one, else a fresh render."""
    if briefing.is_published:
        return published_pdf_bytes(briefing)
    content = _stored_bytes(briefing.pdf.name if briefing.pdf else "")
    if content is not None:
        return content
    return briefing_render(briefing)


def _issuer(county) -> str:
    return _("%(c)s安全生产委员会办公室") % {"c": county.name}


def _row_dicts(rows) -> list[dict]:
    out = []
    for r in rows:
        c = r["criterion"]
        if r["group"]:
            out.append(
                {
                    "group": True,
                    "code": c.code,
                    "name": c.name,
                    "full": c.points,
                    "points": r["summary"]["points"] if r["summary"]["complete"] else None,
                }
            )
            continue
        score = r.get("score")
        grades = ""
        if c.mode == CriterionMode.PARTS and score is not None and score.grades:
            grades = " ".join(f"{p['label']}{score.grades.get(p['key'], '-')}" for p in c.parts)
        out.append(
            {
                "group": False,
                "code": c.code,
                "name": c.name,
                "full": c.points,
                "points": r["points"],
                "grades": grades,
                "comment": getattr(score, "comment", "") or "",
                "computed": (getattr(score, "computed_input", None) or {}).get("text", ""),
                "evidence_url": getattr(score, "evidence_url", "") or "",
            }
        )
    return out


def scorecard_context(scorecard) -> dict:
    rnd = scorecard.round
    n = rnd.scorecards.count()
    provisional = not scorecard.is_final
    if provisional:
        from .services.assessments import scorecard_preview

        ev, missing = scorecard_preview(scorecard=scorecard)
        total, result, label, deductions = ev.total, "", ev.grade_label, ev.deductions
    else:
        total, result, label, deductions, missing = (
            scorecard.total,
            scorecard.result,
            scorecard.grade_label,
            scorecard.deductions,
            [],
        )
    return {
        "title": _("%(s)s评分表") % {"s": rnd.scheme.name},
        "issuer": _issuer(rnd.county),
        "round": rnd.name,
        "period": rnd.period,
        "township": scorecard.township,
        "scheme": rnd.scheme,
        "total": total,
        "result": AssessmentResult(result).label if result else "",
        "grade_label": label,
        "rank": scorecard.rank,
        "n_townships": n,
        "deductions": deductions,
        "missing": missing,
        "rows": _row_dicts(scorecard_rows(scorecard)),
        "evidence_index": evidence_index(township=scorecard.township, period=rnd.period, today=timezone.localdate()),
        "provisional": provisional,
        "finalised_at": scorecard.finalised_at,
        "printed_on": timezone.localdate(),
    }


@in_document_language
def scorecard_pdf(scorecard) -> bytes:
    return render_scorecard(scorecard_context(scorecard))


def render_scorecard(context: dict) -> bytes:
    """The scorecard's PDF from its context: a scorecard's (``scorecard_context``) or a provisional
    one (``provisional_context``)."""
    return render_pdf("reports/pdf/scorecard.html", context)


def render_county_summary(context: dict) -> bytes:
    """The county's 汇总表 from ``county_summary_context``."""
    return render_pdf("reports/pdf/county_summary.html", context)


class _Leaf:
    """A score in memory for a provisional card (no assessment row exists)."""

    def __init__(self, points=None, computed_input=None):
        self.points, self.computed_input, self.grades, self.comment, self.evidence_url = (
            points,
            computed_input or {},
            {},
            "",
            "",
        )


def provisional_context(*, scheme, county, township, period, today: date) -> dict:
    """The computed criteria of ``scheme`` for ``township``, the rest left blank: 未定稿."""
    rows, group = [], None
    leaves = []
    for c in scheme.criteria.order_by("order"):
        if not c.is_leaf:
            group = {"points": Decimal(0), "complete": True}
            rows.append({"group": True, "criterion": c, "summary": group})
            continue
        leaf = _Leaf()
        if c.mode == CriterionMode.COMPUTED:
            data = computed_criterion(c.computed_key, township=township, period=period, today=today)
            if data:
                leaf = _Leaf(
                    computed_points(
                        c.points, ratio=data.get("ratio"), count=data.get("count"), target=c.computed_target
                    ),
                    data,
                )
        group["points"] += leaf.points or 0
        group["complete"] = group["complete"] and leaf.points is not None
        rows.append({"group": False, "criterion": c, "score": leaf, "points": leaf.points})
        leaves.append((c, leaf.points or 0, ""))
    ev = evaluate(scheme, leaves)
    return {
        "title": _("%(s)s评分表") % {"s": scheme.name},
        "issuer": _issuer(county),
        "round": str(period),
        "period": period,
        "township": township,
        "scheme": scheme,
        "total": ev.total,
        "result": "",
        "grade_label": "",
        "rank": None,
        "n_townships": None,
        "deductions": [],
        "missing": [],
        "rows": _row_dicts(rows),
        "provisional": True,
        "finalised_at": None,
        "printed_on": today,
    }


def county_summary_context(*, title, county, period, cards, provisional: bool) -> dict:
    """``cards``: [{"township", "total", "result", "grade_label", "rank"}] sorted by rank."""
    chart = bar_chart(
        [c["township"].name[:4] for c in cards],
        [(_("总分"), [float(c["total"] or 0) for c in cards])],
        width=640,
        height=220,
        title=_("各乡镇（街道）得分"),
        unit=_("分"),
    )
    return {
        "title": title,
        "issuer": _issuer(county),
        "county": county,
        "period": period,
        "cards": cards,
        "chart_svg": chart,
        "provisional": provisional,
        "printed_on": timezone.localdate(),
    }


@in_document_language
def county_summary_pdf(assessment_round) -> bytes:
    from .selectors import round_ranking

    cards = [
        {
            "township": c.township,
            "total": c.total if c.is_final else None,
            "result": c.get_result_display() if c.result else "",
            "grade_label": c.grade_label,
            "rank": c.rank,
            "final": c.is_final,
        }
        for c in round_ranking(assessment_round)
    ]
    ctx = county_summary_context(
        title=_("%(n)s汇总表") % {"n": assessment_round.name},
        county=assessment_round.county,
        period=assessment_round.period,
        cards=cards,
        provisional=any(not c["final"] for c in cards),
    )
    return render_county_summary(ctx)
