"""The minutes of a meeting (会议纪要) as an A4 PDF in official style (WeasyPrint)."""

from django.utils.translation import gettext as _

from safecommunity.pdf import in_document_language, render_pdf

from . import selectors


@in_document_language
def minutes_pdf(meeting) -> bytes:
    context = {
        "meeting": meeting,
        "issuer": meeting.issuer or _("%(t)s安全社区促进委员会办公室") % {"t": meeting.township.name},
        **selectors.meeting_detail_context(meeting=meeting),
    }
    return render_pdf("committees/pdf/minutes.html", context)
