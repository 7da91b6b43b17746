"""Files handed out as attachments: the one rule for their names and their headers."""

import re
from pathlib import PurePath

from django.http import HttpResponse
from django.utils.http import content_disposition_header

# Path separators, characters Windows refuses in a name, control characters (header injection).
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_STEM_MAX = 100


def safe_filename(name: str, *, ext: str | None = None, default: str = "download") -> str:
    """A download name without a path, characters Windows refuses or control characters, at most
    100 characters before its extension. Chinese is kept: the header carries it as RFC 5987
    ``filename*`` (``attachment_header``). ``ext`` replaces the name's own extension (".pdf")."""
    name = str(name or "")
    suffix = (ext if ext is not None else PurePath(name.replace("\\", "/")).suffix).lower()
    if ext is None and suffix:
        name = name[: -len(suffix)]
    suffix = _UNSAFE.sub("", suffix)
    stem = _UNSAFE.sub("_", name).strip(" ._")[:_STEM_MAX].strip(" ._") or default
    return f"{stem}{suffix}"


def attachment_header(filename: str, *, inline: bool = False) -> str:
    """The Content-Disposition value of a download (or, ``inline``, a file shown in the browser)
    under a safe name."""
    return content_disposition_header(not inline, safe_filename(filename))


def attachment(content: bytes, filename: str, *, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment_header(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_attachment(content: bytes, filename: str) -> HttpResponse:
    return attachment(content, filename, content_type="application/pdf")
