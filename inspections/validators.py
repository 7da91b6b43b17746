"""Validators: the unified social credit code (GB 32100-2015) and uploaded photos."""

import io
import uuid
from pathlib import PurePath

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
from safecommunity.uploads import PHOTO_MAX_BYTES, check_photo_header

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
        raise ValidationError(
            _("照片“%(name)s”超过每张%(max)dMB的上限") % {"name": name, "max": PHOTO_MAX_BYTES // 2**20},
            code="too_large",
        )
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
