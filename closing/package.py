"""The month-end package: the month's briefing, the scorecard, the overdue-hazard list, the
month's meeting minutes and the action-item status, as five PDFs in one zip (with a manifest of
the figures they print) and one combined PDF. Every figure comes from the apps' selectors."""

import io
import json
import zipfile

from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.models import Area
from safecommunity.pdf import render_pdf
from safecommunity.periods import Period

from .selectors import approval_of_figures, briefing_approval, briefing_figures, month_as_of, month_figures


def _merge(parts: list[bytes]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for content in parts:
        writer.append(io.BytesIO(content))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _briefing(township, year, month):
    from reports.models import Briefing
    from reports.services import briefing_generate

    briefing = (
        Briefing.objects.filter(township=township, year=year, month=month)
        .select_related("township")
        .order_by("-version")
        .first()
    )
    if briefing is None:
        briefing, _created = briefing_generate(township=township, year=year, month=month)
    return briefing


def _scorecard_pdf(township, period: Period, as_of) -> bytes:
    from reports.builtin_schemes import COUNTY_CODE
    from reports.documents import provisional_context, render_scorecard, scorecard_pdf
    from reports.models import AssessmentScheme, Scorecard

    card = (
        Scorecard.objects.filter(
            township=township, round__period_start__lte=period.start, round__period_end__gte=period.end
        )
        .select_related("round__scheme", "round__county", "township")
        .order_by("-round__period_start", "-id")
        .first()
    )
    if card is not None:
        return scorecard_pdf(card)
    scheme = AssessmentScheme.objects.filter(code=COUNTY_CODE).order_by("-version").first()
    ctx = provisional_context(scheme=scheme, county=township.parent, township=township, period=period, today=as_of)
    return render_scorecard(ctx)


def _overdue_pdf(area, townships, period, as_of) -> tuple[bytes, int]:
    from inspections import selectors as inspections
    from inspections.models import Hazard

    ids = [t.pk for t in townships]
    count = inspections.hazard_statistics(townships=ids, period=period, today=as_of)["overdue"]
    rows = list(
        Hazard.objects.filter(township_id__in=ids)
        .overdue(as_of)
        .select_related("township", "entity", "grade")
        .order_by("township__code", "deadline", "id")
    )
    ctx = {
        "area": area,
        "period": period,
        "as_of": as_of,
        "rows": rows,
        "count": count,
        "printed_on": timezone.localdate(),
    }
    return render_pdf("closing/pdf/overdue_hazards.html", ctx), count


def _minutes_pdf(area, townships, period) -> tuple[bytes, int]:
    from committees.models import Meeting
    from committees.pdf import minutes_pdf

    meetings = list(
        Meeting.objects.filter(township__in=townships, held_on__gte=period.start, held_on__lt=period.end)
        .select_related("township", "chair")
        .order_by("held_on", "id")
    )
    if not meetings:
        ctx = {"area": area, "period": period, "printed_on": timezone.localdate()}
        return render_pdf("closing/pdf/no_minutes.html", ctx), 0
    return _merge([minutes_pdf(m) for m in meetings]), len(meetings)


def _action_items_pdf(area, townships, as_of) -> tuple[bytes, dict]:
    from .selectors import action_item_figures, action_items

    ids = [t.pk for t in townships]
    figures = action_item_figures(townships=ids, today=as_of)
    ctx = {
        "area": area,
        "as_of": as_of,
        "figures": figures,
        "rows": list(action_items(townships=ids, today=as_of)),
        "printed_on": timezone.localdate(),
    }
    return render_pdf("closing/pdf/action_items.html", ctx), figures


def _approval_text(approval) -> str:
    if approval is None:
        return _("未经审核")
    if approval["matches"]:
        return _("基于已审核数据")
    return _("与已审核数据不符：%(d)s") % {
        "d": "、".join(f"{d['label']} 已审核{d['approved']}，现为{d['shown']}" for d in approval["differences"])
    }


def build_package(package, *, progress) -> dict:
    from reports.documents import briefing_pdf_bytes
    from reports.rendering import sha256, store_file

    from .models import package_upload_to

    area, year, month = package.area, package.year, package.month
    period = Period.month(year, month)
    as_of = month_as_of(year, month)
    townships = (
        [area] if area.level == "township" else list(Area.objects.filter(parent=area).townships().order_by("code"))
    )
    total = 2 * len(townships) + 4
    done = 0
    manifest = {
        "area": {"code": area.code, "name": area.name},
        "month": f"{year}-{month:02d}",
        "as_of": as_of.isoformat(),
        "townships": {},
        "documents": [],
    }
    briefings, cards = [], []
    for t in townships:
        progress(done, total, _("简报：%(t)s") % {"t": t.name})
        b = _briefing(t, year, month)
        briefings.append(briefing_pdf_bytes(b))
        approval = briefing_approval(b)
        manifest["townships"][t.code] = {
            "name": t.name,
            "briefing": b.issue_label,
            "briefing_figures": briefing_figures(b.snapshot),
            "figures": month_figures(township=t, year=year, month=month),
            "briefing_approval": _approval_text(approval),
            "data_approval": _approval_text(approval_of_figures(township=t, year=year, month=month)),
        }
        done += 1
        progress(done, total, _("评分表：%(t)s") % {"t": t.name})
        cards.append(_scorecard_pdf(t, period, as_of))
        done += 1
    progress(done, total, _("逾期隐患清单"))
    overdue, n_overdue = _overdue_pdf(area, townships, period, as_of)
    done += 1
    progress(done, total, _("会议纪要"))
    minutes, n_meetings = _minutes_pdf(area, townships, period)
    done += 1
    progress(done, total, _("议定事项落实情况"))
    actions, action_figures = _action_items_pdf(area, townships, as_of)
    done += 1
    manifest.update(overdue_hazards=n_overdue, meetings=n_meetings, action_items=action_figures)
    stem = f"{area.code}-{year}-{month:02d}"
    documents = [
        (f"01-{stem}-简报.pdf", _merge(briefings) if len(briefings) > 1 else briefings[0]),
        (f"02-{stem}-考核评分表.pdf", _merge(cards) if len(cards) > 1 else cards[0]),
        (f"03-{stem}-逾期隐患清单.pdf", overdue),
        (f"04-{stem}-会议纪要.pdf", minutes),
        (f"05-{stem}-议定事项落实情况.pdf", actions),
    ]
    progress(done, total, _("打包"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in documents:
            zf.writestr(name, content)
            manifest["documents"].append({"name": name, "sha256": sha256(content), "bytes": len(content)})
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    combined = _merge([content for _name, content in documents])
    zip_bytes = buffer.getvalue()
    zip_name = store_file(package_upload_to(package, f"{stem}.zip"), zip_bytes)
    pdf_name = store_file(package_upload_to(package, f"{stem}.pdf"), combined)
    return {"zip": zip_name, "pdf": pdf_name, "sha256": sha256(zip_bytes), "manifest": manifest}
