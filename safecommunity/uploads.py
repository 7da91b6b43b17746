"""Uploaded files (attachments, photos, signed scans): validated on the way in, stored under
MEDIA_ROOT with a random name, and served only through views that checked scope first."""

import mimetypes
import struct
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .downloads import safe_filename

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DOCUMENT_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".txt"}
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


def file_response(fieldfile, *, title: str):
    """The stored file as a download (never inline), under a safe name."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = safe_filename(title or "file", ext=PurePath(fieldfile.name).suffix)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def validate_scan(upload):
    validate_upload(upload, allowed=SCAN_EXTENSIONS)


def validate_document(upload):
    validate_upload(upload, allowed=DOCUMENT_EXTENSIONS)


# --- Photos: limits checked from the file's header, before anything is decoded ------------------
PHOTO_MAX_COUNT = 10  # photos in one request (all the photo fields of a form together)
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 24_000_000  # 24 MP: a phone's full-resolution photo passes, a 6300×6300 bomb does not
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}


def configure_pillow():
    """Pillow's own decompression-bomb guard at our limit: an image of more than twice as many pixels
    is refused by ``Image.open`` itself, anywhere in the process (called once from the app's ready())."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = PHOTO_MAX_PIXELS


def _photo_name(upload) -> str:
    return PurePath(getattr(upload, "name", "") or "").name or _("照片")


def check_photo_count(uploads) -> None:
    n = len([u for u in uploads if u])
    if n > PHOTO_MAX_COUNT:
        raise ValidationError(
            _("一次最多上传%(max)d张照片，本次选择了%(n)d张；请分次上传") % {"max": PHOTO_MAX_COUNT, "n": n},
            code="too_many",
        )


def check_photo_header(upload) -> tuple[str, int, int]:
    """(format, width, height) read from the header only: ``Image.open`` parses the header and
    ``.size`` is known before ``load()``; no pixel is decoded here. Refuses, naming the file, a file
    over 10 MB, a file that is not an image, a format we do not take, or more than 24 MP."""
    from PIL import Image, UnidentifiedImageError

    name = _photo_name(upload)
    size = getattr(upload, "size", None)
    if size is not None and size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("照片“%(name)s”有%(size).1fMB，超过每张%(max)dMB的上限")
            % {"name": name, "size": size / 1024 / 1024, "max": PHOTO_MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    pos = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    try:
        with Image.open(upload) as probe:  # over 24 MP Pillow warns, over 48 MP it raises; refused either way
            fmt, (width, height) = probe.format, probe.size
    except Image.DecompressionBombError:
        raise ValidationError(
            _("照片“%(name)s”像素过多，超过每张%(max)d万像素的上限")
            % {"name": name, "max": PHOTO_MAX_PIXELS // 10_000, "max_mp": PHOTO_MAX_PIXELS // 10**6},
            code="too_large",
        )
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, struct.error):
        raise ValidationError(_("“%(name)s”不是有效的图片") % {"name": name}, code="invalid")
    finally:
        upload.seek(pos)
    if fmt not in PHOTO_FORMATS:
        raise ValidationError(_("“%(name)s”的图片格式不支持") % {"name": name}, code="format")
    if width * height > PHOTO_MAX_PIXELS:
        raise ValidationError(
            _("照片“%(name)s”为%(w)d×%(h)d像素（%(wan)d万像素），超过每张%(max)d万像素的上限；请缩小后再上传")
            # Chinese counts in 万 (10,000), English in megapixels: both are given, each text uses its own.
            % {
                "name": name,
                "w": width,
                "h": height,
                "wan": width * height // 10_000,
                "max": PHOTO_MAX_PIXELS // 10_000,
                "mp": width * height / 10**6,
                "max_mp": PHOTO_MAX_PIXELS // 10**6,
            },
            code="too_large",
        )
    return fmt, width, height


def check_photos(uploads) -> list:
    """All the limits for one request's photos, every file named in the errors (none is decoded)."""
    uploads = [u for u in uploads if u]
    check_photo_count(uploads)
    errors = []
    for upload in uploads:
        try:
            check_photo_header(upload)
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    return uploads
