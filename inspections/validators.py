"""Validators: the unified social credit code (GB 32100-2015) and uploaded photos."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

# The unified social credit code (GB 32100-2015, all three of its checks) lives with the other
# national identifiers.
from safecommunity.identifiers import (  # noqa: E402, F401
    CREDIT_CODE_ALPHABET,
    CREDIT_CODE_WEIGHTS,
    credit_code_check_char,
    make_credit_code,
    normalise_credit_code,
    validate_credit_code,
)

# --- Photos -----------------------------------------------------------------------------------
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_SIDE = 2048
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
PHOTO_MAX_PIXELS = 40_000_000


def clean_photo(upload) -> ContentFile:
    """Returns the upload re-encoded as a fresh JPEG (metadata dropped, at most 2048 px a side).

    Refuses anything larger than 10 MB or whose content Pillow does not decode as an image,
    whatever its name says (a renamed HTML file is refused).
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    size = getattr(upload, "size", None)
    if size is not None and size > PHOTO_MAX_BYTES:
        raise ValidationError(_("照片不能超过10MB"), code="too_large")
    data = upload.read()
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError(_("照片不能超过10MB"), code="too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in PHOTO_FORMATS:
                raise ValidationError(_("不支持的图片格式"), code="format")
            if probe.width * probe.height > PHOTO_MAX_PIXELS:
                raise ValidationError(_("图片尺寸过大"), code="too_large")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("文件不是有效的图片"), code="invalid") from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
