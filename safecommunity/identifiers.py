"""The national identifiers the portal checks, each as its standard defines it (sources in
docs/domain.md):

- 公民身份号码, GB 11643-1999: 17 digits and an ISO 7064 MOD 11-2 check character (X for 10);
  a 15-digit number of the first generation converts by inserting "19" before its 2-digit year
  and appending the check character.
- 统一社会信用代码, GB 32100-2015: registration authority (1) + type (1) + the 6-digit area code of
  the registering office (GB/T 2260) + the 9-character organisation code (GB 11714-1997: 8
  characters and their MOD 11 check character, X for 10) + a MOD 31 check character.
- 统计用区划代码 (国家统计局《统计用区划代码和城乡划分代码编制规则》): the 3 digits of a township
  say what it is (001–099 街道, 100–199 镇, 200–399 乡, 400–599 other township-level units), the
  3 digits of a village likewise (001–199 居民委员会, 200–399 村民委员会, 400–599 other units).
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# --- 公民身份号码 (GB 11643-1999) --------------------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(i-1) mod 11, i = 18 … 2
ID_CHECK_CHARS = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_LEGACY_ID_RE = re.compile(r"^\d{15}$")


def id_check_digit(first17: str) -> str:
    """The 18th character of a citizen ID number for its first 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def normalise_id_number(value: str | None) -> str:
    """Spaces dropped, a lower-case x read as X."""
    return (value or "").strip().replace(" ", "").upper()


def convert_legacy_id(number: str) -> str:
    """The 18-digit number of a 15-digit first-generation one (GB 11643-1999 replaced them)."""
    first17 = number[:6] + "19" + number[6:]
    return first17 + id_check_digit(first17)


def upgrade_id_number(value: str | None) -> tuple[str, bool]:
    """(the normalised number, whether it was converted from 15 digits)."""
    number = normalise_id_number(value)
    if _LEGACY_ID_RE.match(number):
        legacy = number
        if _birth_date(legacy[6:8], legacy[8:10], legacy[10:12], century="19") is not None:
            return convert_legacy_id(legacy), True
    return number, False


def _birth_date(yy, mm, dd, century=""):
    try:
        return dt.date(int(century + yy), int(mm), int(dd))
    except ValueError:
        return None


def id_birth_date(number: str) -> dt.date | None:
    return _birth_date(number[6:10], number[10:12], number[12:14])


def id_sex(number: str) -> str:
    """ "M" or "F": the 17th digit is odd for men."""
    return "M" if int(number[16]) % 2 else "F"


def validate_id_number(value: str) -> None:
    number = normalise_id_number(value)
    if _LEGACY_ID_RE.match(number):
        raise ValidationError(_("15位旧身份证号请先转换为18位"), code="id_legacy")
    if not _ID_RE.match(number):
        raise ValidationError(_("身份证号应为18位（或15位旧号码），最后一位可为X"), code="id_format")
    if id_birth_date(number) is None:
        raise ValidationError(_("身份证号中的出生日期不存在"), code="id_birth_date")
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验码不正确"), code="id_check_digit")


# --- 组织机构代码 (GB 11714-1997) and 统一社会信用代码 (GB 32100-2015) ---------------------------------

ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORGANISATION_BODY = re.compile(r"^[0-9A-Z]{8}$")

# GB 32100: the code alphabet (no I, O, S, V, Z) and the weights of the 17 first characters (3^(i-1) mod 31).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _organisation_value(char: str) -> int:
    """GB 11714: digits are their value, letters A–Z are 10–35."""
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def organisation_code_check_char(body: str) -> str:
    """The 9th character of an organisation code (GB 11714-1997): C9 = 11 − (Σ Ci·Wi mod 11),
    10 written X and 11 written 0."""
    total = sum(_organisation_value(c) * w for c, w in zip(body, ORGANISATION_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_credit_code(value: str) -> None:
    """All three parts of GB 32100: the area code (characters 3–8, digits), the organisation
    code's own check character (characters 9–17, GB 11714) and the final check character."""
    code = normalise_credit_code(value)
    if not code:
        return
    if len(code) != 18 or any(c not in CREDIT_CODE_ALPHABET for c in code):
        raise ValidationError(_("统一社会信用代码应为18位数字或大写字母（不含I、O、S、V、Z）"), code="format")
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第3至8位应为6位数字的登记管理机关行政区划码"), code="area")
    organisation = code[8:17]
    if (
        not _ORGANISATION_BODY.match(organisation[:8])
        or organisation_code_check_char(organisation[:8]) != organisation[8]
    ):
        raise ValidationError(_("统一社会信用代码第9至17位（组织机构代码）校验码不正确"), code="organisation")
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确"), code="check")


# --- 统计用区划代码 ------------------------------------------------------------------------------------

# (first, last, level word) of the 3-digit township and village parts.
TOWNSHIP_CODE_RANGES = ((1, 99, "街道"), (100, 199, "镇"), (200, 399, "乡"), (400, 599, ""))
VILLAGE_CODE_RANGES = ((1, 199, "社区"), (200, 399, "村"), (400, 599, ""))
# The words a name ends with for each kind (a 居委会 is usually called 社区; 村 covers 村委会).
_TOWNSHIP_WORDS = {"街道": ("街道", "街道办事处"), "镇": ("镇",), "乡": ("乡", "民族乡")}
_VILLAGE_WORDS = {"社区": ("社区", "居委会", "居民委员会"), "村": ("村", "村委会", "村民委员会")}


def _code_word(number: str, ranges) -> str | None:
    """The level word for a 3-digit part, "" for other units, None outside every range."""
    if not number.isdigit():
        return None
    n = int(number)
    for first, last, word in ranges:
        if first <= n <= last:
            return word
    return None


def township_code_word(code: str) -> str | None:
    """街道, 镇, 乡, "" (other township-level units) or None for a 9-digit township code."""
    return _code_word(code[6:9], TOWNSHIP_CODE_RANGES) if len(code) == 9 else None


def village_code_word(code: str) -> str | None:
    """社区 (居委会), 村 (村委会), "" (other units) or None for a 12-digit village code."""
    return _code_word(code[9:12], VILLAGE_CODE_RANGES) if len(code) == 12 else None


def area_code_warning(*, code: str, name: str, level: str) -> str | None:
    """A message when the code's 3 digits and the name's level word disagree, else None."""
    code = code or ""
    name = (name or "").strip()
    if level == "township":
        word, words, part = township_code_word(code), _TOWNSHIP_WORDS, code[6:9]
        kinds = _("001–099 街道、100–199 镇、200–399 乡")
    elif level == "village":
        word, words, part = village_code_word(code), _VILLAGE_WORDS, code[9:12]
        kinds = _("001–199 居委会（社区）、200–399 村委会（村）")
    else:
        return None
    if word is None:
        return _("区划代码的后3位%(part)s不在统计用区划代码的范围内（%(kinds)s）") % {"part": part, "kinds": kinds}
    if not word:
        return None
    named = next((w for w, endings in words.items() if name.endswith(endings)), None)
    if named is not None and named != word:
        return _("“%(name)s”的区划代码后3位%(part)s表示%(word)s（%(kinds)s），与名称不符") % {
            "name": name,
            "part": part,
            "word": word,
            "kinds": kinds,
        }
    return None


def make_credit_code(*, area: str, body: str, authority: str = "9", kind: str = "1") -> str:
    """A valid code from the registering office's 6-digit ``area`` and an 8-character
    organisation code ``body`` (sample files, the demo, test factories)."""
    first17 = authority + kind + area + body + organisation_code_check_char(body)
    return first17 + credit_code_check_char(first17)
