"""The minutes of a meeting (会议纪要) as an A4 PDF in official style (WeasyPrint)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import selectors


def minutes_pdf(meeting) -> bytes:
    from weasyprint import HTML

    context = {
        "meeting": meeting,
        "issuer": meeting.issuer or _("%(t)s安全社区促进委员会办公室") % {"t": meeting.township.name},
        **selectors.meeting_detail_context(meeting=meeting),
    }
    html = render_to_string("committees/pdf/minutes.html", context)
    return HTML(string=html).write_pdf()


def minutes_filename(meeting) -> str:
    return f"会议纪要-{meeting.held_on:%Y%m%d}.pdf"
