"""HTML → PDF with WeasyPrint (A4, CJK font embedded and subset), and files written atomically."""

import hashlib
import os
import tempfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

PDF_FONT_FAMILY = '"Noto Serif CJK SC", "Noto Sans CJK SC", serif'


def render_html(template: str, context: dict) -> str:
    return render_to_string(template, {"pdf_font": PDF_FONT_FAMILY, **context})


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_html(template, context))


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def store_file(name: str, content: bytes) -> str:
    """Write ``content`` under ``name`` in the default storage, replacing any earlier file of that
    name in one step (a render killed half-way leaves no stray file, and a second render of the same
    row overwrites instead of adding ``name_abc123.pdf``). Returns the stored name."""
    try:
        path = default_storage.path(name)
    except NotImplementedError:
        if default_storage.exists(name):
            default_storage.delete(name)
        return default_storage.save(name, ContentFile(content))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return name
