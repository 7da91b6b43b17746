"""The one PDF renderer: a print template → HTML → A4 PDF with WeasyPrint (CJK font embedded
and subset). Briefings, scorecards, minutes and enforcement notices all come through here, so a
document looks the same whether a page or the download centre renders it."""

from django.conf import settings
from django.template.loader import render_to_string

PDF_FONT_FAMILY = '"Noto Serif CJK SC", "Noto Sans CJK SC", serif'


def render_html(template: str, context: dict) -> str:
    return render_to_string(template, {"pdf_font": PDF_FONT_FAMILY, **context})


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_html(template, context))
