"""Validators: the unified social credit code (GB 32100-2015) and uploaded photos."""

import io
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from safecommunity.uploads import PHOTO_MAX_BYTES, check_photo_header

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
PHOTO_MAX_SIDE = 2048


def clean_photo(upload) -> ContentFile:
    """Returns the upload re-encoded as a fresh JPEG (metadata dropped, at most 2048 px a side).

    The limits (10 MB, 24 MP, the format) are checked from the header first
    (``safecommunity.uploads.check_photo_header``), so no oversized image is ever decoded; a JPEG is
    then decoded at the smallest DCT scale that still gives 2048 px (``draft``), so the work per photo
    is bounded. Whatever its name says, content Pillow does not decode as an image is refused.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    name = PurePath(getattr(upload, "name", "") or "").name
    check_photo_header(upload)
    upload.seek(0)
    data = upload.read(PHOTO_MAX_BYTES + 1)
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError(_("照片“%(name)s”超过每张%(max)dMB的上限") % {"name": name, "max": PHOTO_MAX_BYTES // 2**20},
                              code="too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            if image.format in ("JPEG", "MPO"):
                image.draft("RGB", (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("“%(name)s”不是有效的图片") % {"name": name}, code="invalid") from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
