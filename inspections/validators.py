"""Validators: the unified social credit code (GB 32100-2015) and uploaded photos."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

# GB 32100: the code alphabet (no I, O, S, V, Z) and the weights of the 17 first characters.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=False))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_credit_code(value: str) -> None:
    """18 characters of the GB 32100 alphabet whose last one is the check character."""
    code = normalise_credit_code(value)
    if not code:
        return
    if len(code) != 18 or any(c not in CREDIT_CODE_ALPHABET for c in code):
        raise ValidationError(_("统一社会信用代码应为18位数字或大写字母（不含I、O、S、V、Z）"), code="format")
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确"), code="check")


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
