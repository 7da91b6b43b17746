"""Reads of the monthly close: the month's figures (from the apps' own selectors, the numbers their
pages and the briefing show), the checklist of what is missing, and whether what a page shows
for an approved month is what the county approved."""

import datetime as dt
import hashlib
import json

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees import selectors as committees
from incidents import selectors as incidents
from inspections import selectors as inspections
from safecommunity.datacache import versions
from safecommunity.periods import Period

from .choices import CloseStatus
from .models import MonthClose

# Figures of the month's own records: they change only when a record dated in the month is
# added, edited or deleted (statuses as of "today", like open or overdue hazards, are context).
FIGURE_LABELS = {
    "incidents": gettext_lazy("事故起数"),
    "deaths": gettext_lazy("死亡人数"),
    "injured": gettext_lazy("受伤人数"),
    "loss": gettext_lazy("直接经济损失（万元）"),
    "injuries": gettext_lazy("伤害监测报告卡"),
    "hazards_found": gettext_lazy("发现隐患"),
    "hazards_major": gettext_lazy("其中重大隐患"),
    "hazards_rectified": gettext_lazy("整改销号隐患"),
    "inspections_done": gettext_lazy("完成巡查"),
    "entities_covered": gettext_lazy("巡查覆盖对象"),
}
DATA_DOMAINS = ("incidents", "inspections")


def month_as_of(year: int, month: int, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return min(today, Period.month(year, month).last_day)


def month_figures(*, township, year: int, month: int) -> dict:
    """{key: value} of FIGURE_LABELS for one township's month, as JSON values."""
    period = Period.month(year, month)
    as_of = month_as_of(year, month)
    ids = [township.pk]
    stats = incidents.incident_statistics(townships=ids, period=period)
    hazards = inspections.hazard_statistics(townships=ids, period=period, today=as_of)
    coverage = inspections.inspection_coverage(townships=ids, period=period, today=as_of)
    return {
        "incidents": stats["incidents"],
        "deaths": stats["deaths"],
        "injured": stats["injured"],
        "loss": str(stats["loss"]),
        "injuries": stats["injuries"],
        "hazards_found": hazards["found"],
        "hazards_major": hazards["major"],
        "hazards_rectified": hazards["rectified"],
        "inspections_done": coverage["inspections_done"],
        "entities_covered": coverage["entities_covered"],
    }


def month_context(*, township, year: int, month: int, as_of: dt.date) -> dict:
    """What the month looked like when it was submitted (open and overdue as of ``as_of``)."""
    period = Period.month(year, month)
    hazards = inspections.hazard_statistics(townships=[township.pk], period=period, today=as_of)
    coverage = inspections.inspection_coverage(townships=[township.pk], period=period, today=as_of)
    return {
        "as_of": as_of.isoformat(),
        "hazards_open": hazards["open"],
        "hazards_overdue": hazards["overdue"],
        "inspections_due": coverage["inspections_due"],
        "entities_due": coverage["entities_due"],
    }


def figures_sha256(figures: dict) -> str:
    return hashlib.sha256(json.dumps(figures, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def data_versions(township) -> list:
    return versions(DATA_DOMAINS, [township.pk])


def month_checklist(*, township, year: int, month: int, today: dt.date | None = None) -> list[dict]:
    """What is missing (warnings, never blockers): villages with no report, inspections behind,
    overdue hazards. [{"key", "title", "count", "items": [text]}]."""
    from inspections.models import Hazard

    period = Period.month(year, month)
    as_of = month_as_of(year, month, today)
    silent = list(incidents.villages_without_reports(townships=[township.pk], period=period))
    coverage = inspections.inspection_coverage(townships=[township.pk], period=period, today=as_of)
    overdue = Hazard.objects.filter(township=township).overdue(as_of).select_related("entity").order_by("deadline")
    overdue_list = list(overdue[:20])
    n_overdue = inspections.hazard_statistics(townships=[township.pk], period=period, today=as_of)["overdue"]
    behind = max(coverage["inspections_due"] - coverage["inspections_done"], 0)
    return [
        {
            "key": "villages",
            "title": _("本月无报告的村（社区）"),
            "count": len(silent),
            "items": [v.name for v in silent[:50]],
        },
        {
            "key": "inspections",
            "title": _("巡查未完成"),
            "count": behind,
            "items": [
                _("应巡查%(due)d次，已完成%(done)d次；应覆盖对象%(ed)d个，已覆盖%(ec)d个")
                % {
                    "due": coverage["inspections_due"],
                    "done": coverage["inspections_done"],
                    "ed": coverage["entities_due"],
                    "ec": coverage["entities_covered"],
                }
            ]
            if behind
            else [],
        },
        {
            "key": "hazards",
            "title": _("逾期未整改隐患"),
            "count": n_overdue,
            "items": [
                f"{h.number} {h.entity.name}：{h.description[:40]}（{h.deadline:%Y-%m-%d}）" for h in overdue_list
            ],
        },
    ]


def approved_close(*, township_id, year: int, month: int) -> MonthClose | None:
    return MonthClose.objects.filter(
        township_id=township_id, year=year, month=month, status=CloseStatus.APPROVED
    ).first()


def differences(approved: dict, shown: dict) -> list[dict]:
    """The figures where ``shown`` differs from ``approved`` (keys both carry)."""
    return [
        {"key": k, "label": FIGURE_LABELS[k], "approved": approved[k], "shown": shown[k]}
        for k in FIGURE_LABELS
        if k in approved and k in shown and str(approved[k]) != str(shown[k])
    ]


def approval_of_figures(*, township, year: int, month: int, shown: dict | None = None) -> dict | None:
    """None when the month is not approved; else {"close", "matches", "differences"} comparing
    ``shown`` (figures a page or document shows; default: the live data) with the approved snapshot."""
    close = approved_close(township_id=township.pk, year=year, month=month)
    if close is None:
        return None
    approved = close.snapshot.get("figures", {})
    live = shown if shown is not None else month_figures(township=township, year=year, month=month)
    diff = differences(approved, live)
    return {"close": close, "matches": not diff, "differences": diff}


def briefing_figures(snapshot: dict) -> dict:
    """The figures a briefing's frozen snapshot shows, under the keys of FIGURE_LABELS."""
    if not snapshot:
        return {}
    month = {f["key"]: f["current"] for f in snapshot.get("month_figures", [])}
    hazards = snapshot.get("hazards", {})
    insp = snapshot.get("inspections", {})
    shown = {k: month[k] for k in ("incidents", "deaths", "injured", "loss") if k in month}
    shown["injuries"] = snapshot.get("injuries", {}).get("month")
    shown["hazards_found"] = hazards.get("found")
    shown["hazards_major"] = hazards.get("major")
    shown["hazards_rectified"] = hazards.get("rectified")
    shown["inspections_done"] = insp.get("inspections_done")
    shown["entities_covered"] = insp.get("entities_covered")
    return {k: v for k, v in shown.items() if v is not None}


def briefing_approval(briefing) -> dict | None:
    return approval_of_figures(
        township=briefing.township,
        year=briefing.year,
        month=briefing.month,
        shown=briefing_figures(briefing.snapshot),
    )


def period_approval(*, township, period: Period, today: dt.date | None = None) -> dict | None:
    """For a scorecard's period: None when no month of it is approved; else {"months",
    "approved", "matches", "differences"} over the months that have ended."""
    today = today or timezone.localdate()
    months, cursor = [], period.start
    while cursor < period.end and cursor <= today:
        months.append((cursor.year, cursor.month))
        cursor = Period.month(cursor.year, cursor.month).end
    closes = {
        (c.year, c.month): c
        for c in MonthClose.objects.filter(township=township, status=CloseStatus.APPROVED).filter(
            year__in={y for y, _m in months}
        )
    }
    approved = [m for m in months if m in closes]
    if not approved:
        return None
    diffs = []
    for y, m in approved:
        live = month_figures(township=township, year=y, month=m)
        for d in differences(closes[(y, m)].snapshot.get("figures", {}), live):
            diffs.append({**d, "month": f"{y}-{m:02d}"})
    return {
        "months": len(months),
        "approved": len(approved),
        "all_approved": len(approved) == len(months),
        "matches": not diffs,
        "differences": diffs,
    }


def action_items(*, townships, today: dt.date):
    from committees.models import ActionItem

    return (
        ActionItem.objects.filter(township_id__in=townships)
        .select_related("township", "owner_member", "owner_user", "meeting")
        .order_by("township__code", "due_on", "id")
    )


def action_item_figures(*, townships, today: dt.date) -> dict:
    return committees.action_item_statistics(townships=townships, today=today)
