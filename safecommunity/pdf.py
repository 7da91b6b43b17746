"""The one PDF renderer: a print template → HTML → A4 PDF with WeasyPrint (CJK font embedded
and subset). Briefings, scorecards, minutes and enforcement notices all come through here, so a
document looks the same whether a page or the download centre renders it.

Documents are issued in Chinese whatever the reader's interface language: a briefing, the minutes
or a 指令书 is an official paper of a Chinese authority, and the same document must not come out in
two languages (or half in each) depending on who pressed the button."""

import functools

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

PDF_FONT_FAMILY = '"Noto Serif CJK SC", "Noto Sans CJK SC", serif'


def in_document_language(func):
    """Build a document's context and its HTML in ``DOCUMENT_LANGUAGE`` (labels, dates, numbers)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override(settings.DOCUMENT_LANGUAGE):
            return func(*args, **kwargs)

    return wrapper


def render_html(template: str, context: dict) -> str:
    with translation.override(settings.DOCUMENT_LANGUAGE):
        return render_to_string(template, {"pdf_font": PDF_FONT_FAMILY, **context})


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_html(template, context))
