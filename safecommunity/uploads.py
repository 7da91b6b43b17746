"""Uploaded files (attachments, photos, signed scans): validated on the way in, stored under
MEDIA_ROOT with a random name, and served only through views that checked scope first."""

import mimetypes
import re
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DOCUMENT_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".txt"}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png"}
SCAN_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png"}

# The first bytes each kind of file starts with; a renamed .exe is refused.
_MAGIC = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
}


def validate_upload(upload, *, allowed=DOCUMENT_EXTENSIONS, max_bytes=MAX_UPLOAD_BYTES):
    """Refuses a file of the wrong type (by extension and by its first bytes) or too large."""
    if upload is None:
        return
    ext = PurePath(upload.name or "").suffix.lower()
    if ext not in allowed:
        raise ValidationError(_("不支持的文件类型，允许：%(types)s") % {"types": "、".join(sorted(allowed))})
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(_("文件过大，不能超过%(mb)dMB") % {"mb": max_bytes // (1024 * 1024)})
    magic = _MAGIC.get(ext)
    if magic:
        pos = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(8)
        upload.seek(pos)
        if not any(head.startswith(m) for m in magic):
            raise ValidationError(_("文件内容与扩展名不符"))


def upload_path(instance, filename):
    """<app>/<township code>/<yyyy>/<random>.<ext>: nothing of the user's file name is kept on disk."""
    ext = PurePath(filename).suffix.lower()
    township = getattr(instance, "township", None)
    code = getattr(township, "code", None) or "x"
    return f"{instance._meta.app_label}/{code}/{timezone.now():%Y}/{uuid.uuid4().hex}{ext}"


_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f]+")


def safe_filename(title: str, stored_name: str) -> str:
    ext = PurePath(stored_name).suffix.lower()
    base = _UNSAFE.sub("_", (title or "file").strip())[:80].strip(". ") or "file"
    return f"{base}{ext}"


def file_response(fieldfile, *, title: str):
    """The stored file as a download (never inline), under a safe name."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = safe_filename(title, fieldfile.name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def validate_scan(upload):
    validate_upload(upload, allowed=SCAN_EXTENSIONS)


def validate_image(upload):
    validate_upload(upload, allowed=IMAGE_EXTENSIONS)


def validate_document(upload):
    validate_upload(upload, allowed=DOCUMENT_EXTENSIONS)
