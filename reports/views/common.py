"""Helpers shared by the report pages: files handed out as attachments."""

from django.http import HttpResponse
from django.utils.text import get_valid_filename


def safe_filename(name: str) -> str:
    """ASCII letters, digits, dot, dash, underscore only: no path, no header injection."""
    name = get_valid_filename(name.replace("/", "-").replace("\\", "-")) or "download.pdf"
    name = "".join(ch for ch in name if ch.isascii() and (ch.isalnum() or ch in "._-")) or "download.pdf"
    return name[:120]


def pdf_attachment(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
