"""Checks of the national injury card: ID numbers (GB 11643-1999) and what they imply."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def id_check_digit(first17: str) -> str:
    """The 18th character of a citizen ID number for its first 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def normalise_id_number(value: str | None) -> str:
    return (value or "").strip().replace(" ", "").upper()


def id_birth_date(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_sex(number: str) -> str:
    """"M" or "F": the 17th digit is odd for men."""
    return "M" if int(number[16]) % 2 else "F"


def validate_id_number(value: str) -> None:
    number = normalise_id_number(value)
    if not _ID_RE.match(number):
        raise ValidationError(_("身份证号应为18位，最后一位可为X"), code="id_format")
    if id_birth_date(number) is None:
        raise ValidationError(_("身份证号中的出生日期不存在"), code="id_birth_date")
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验码不正确"), code="id_check_digit")


def age_on(birth: dt.date, day: dt.date) -> int:
    """Full years of age on ``day`` (周岁)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
