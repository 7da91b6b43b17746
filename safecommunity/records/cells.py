"""Cell cleaning and parsers for what real Excel ledgers contain.

Every parser takes the raw cell (str, int, float, datetime, date or None) and returns the
Python value, ``None`` for a blank cell, or raises ``RowError`` with a reason in Chinese.
"""

import datetime as dt
import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Excel's day 0 is 1899-12-30 in the 1900 date system (its fictitious 1900-02-29 included).
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Serials from 1900-01-01 to 9999-12-31; anything else is not a date.
EXCEL_SERIAL_RANGE = (1, 2958465)
# A serial written as text (a CSV saved from a date cell formatted as a number) is believed
# only between 1954 and 2119, so that a year or a count is not taken for a date.
TEXT_SERIAL_RANGE = (20000, 80000)

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\xad"), None)
_SPACES = re.compile(r"\s+")


class RowError(Exception):
    """A row (or one of its cells) cannot be imported; ``reasons`` are shown to the user."""

    def __init__(self, reasons):
        if not isinstance(reasons, (list, tuple)):
            reasons = [reasons]
        self.reasons = [str(r) for r in reasons]
        super().__init__("；".join(self.reasons))

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


def _number_text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


# A ledger repeats its short cells (codes, labels, village names, dates) on every row: they are
# normalised once. Long cells (narratives) are not kept.
_clean_short = functools.lru_cache(maxsize=16384)(_clean)


def clean_text(value, *, max_length: int | None = None) -> str:
    """NFKC (full-width digits, letters and spaces become ASCII), invisible characters removed,
    runs of white space collapsed to one space, surrounding spaces stripped. ``None`` → ``""``.

    A number stored by Excel (``371799001001``, ``3.0``) comes back as its digits.
    """
    if type(value) is str:  # most cells
        text = value
    elif value is None:
        return ""
    elif isinstance(value, (int, float, Decimal)):
        text = _number_text(value)
    elif isinstance(value, dt.datetime):
        text = format_datetime(value)
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    text = _clean_short(text) if len(text) <= 64 else _clean(text)
    if max_length is not None and len(text) > max_length:
        raise RowError(_("长度不能超过%(n)d个字符") % {"n": max_length})
    return text


_INVISIBLE_CHARS = frozenset("\u200b\u200c\u200d\u2060\ufeff\xad")


def is_blank(value) -> bool:
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    if value and not value[0].isspace() and value[0] not in _INVISIBLE_CHARS:
        return False  # a visible first character: NFKC never maps a character to nothing
    return clean_text(value) == ""


def format_datetime(value) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    if value.hour == value.minute == value.second == 0:
        return value.strftime("%Y-%m-%d")
    return value.strftime("%Y-%m-%d %H:%M")


def _from_serial(number) -> dt.datetime:
    number = float(number)
    if not (EXCEL_SERIAL_RANGE[0] <= number <= EXCEL_SERIAL_RANGE[1]):
        raise RowError(_("不是有效的日期"))
    if number < 60:  # before Excel's fictitious 1900-02-29
        number += 1
    value = EXCEL_EPOCH + dt.timedelta(days=number)
    # Excel keeps times as fractions of a day: round to the second.
    return (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)


# 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305; optional time 14:30, 14:30:05,
# 14时30分, 14点30分, 14时, T14:30.
_DATE_RE = re.compile(
    r"^(?P<y>\d{4})(?:(?P<sep>[-/.年])(?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?|(?P<m2>\d{2})(?P<d2>\d{2}))"
    r"(?:\s*T?\s*(?P<H>\d{1,2})\s*[:时点]\s*(?:(?P<M>\d{1,2})\s*分?)?(?:\s*[:]?\s*(?P<S>\d{1,2})\s*秒?)?)?$"
)


def _naive_datetime(value) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, dt.time):
        raise RowError(_("只有时间，缺少日期"))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return _from_serial(value)
    text = clean_text(value)
    if not text:
        return None
    text = text.replace(" 日", "日")
    match = _DATE_RE.match(text)
    if match is None:
        try:
            number = float(text)
            if not (TEXT_SERIAL_RANGE[0] <= number <= TEXT_SERIAL_RANGE[1]):
                raise ValueError(text)
            return _from_serial(number)
        except (ValueError, RowError):
            raise RowError(_("日期格式无法识别：%(v)s") % {"v": text}) from None
    g = match.groupdict()
    month, day = (g["m"], g["d"]) if g["m"] else (g["m2"], g["d2"])
    try:
        return dt.datetime(
            int(g["y"]),
            int(month),
            int(day),
            int(g["H"] or 0),
            int(g["M"] or 0),
            int(g["S"] or 0),
        )
    except ValueError:
        raise RowError(_("日期不存在：%(v)s") % {"v": text}) from None


def parse_datetime(value) -> dt.datetime | None:
    """A date and time in Asia/Shanghai (``TIME_ZONE``), returned aware; a date alone is midnight."""
    value = _naive_datetime(value)
    if value is None:
        return None
    if timezone.is_aware(value):
        return value
    return timezone.make_aware(value, timezone.get_default_timezone())


def parse_date(value) -> dt.date | None:
    value = _naive_datetime(value)
    if value is None:
        return None
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.date()


def _number_cell(value) -> str:
    text = clean_text(value)
    return text.replace(",", "").replace("，", "")


def parse_int(value, *, min_value: int | None = None, max_value: int | None = None) -> int | None:
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = _number_cell(value)
        if not text:
            return None
        try:
            dec = Decimal(text)
        except InvalidOperation:
            raise RowError(_("不是整数：%(v)s") % {"v": text}) from None
        if dec != dec.to_integral_value():
            raise RowError(_("不是整数：%(v)s") % {"v": text})
        number = int(dec)
    if min_value is not None and number < min_value:
        raise RowError(_("不能小于%(n)d") % {"n": min_value})
    if max_value is not None and number > max_value:
        raise RowError(_("不能大于%(n)d") % {"n": max_value})
    return number


def parse_decimal(value, *, places: int | None = None, min_value=None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        dec = Decimal(repr(value))
    elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        dec = Decimal(value)
    else:
        text = _number_cell(value)
        if not text:
            return None
        try:
            dec = Decimal(text)
        except InvalidOperation:
            raise RowError(_("不是数字：%(v)s") % {"v": text}) from None
    if not dec.is_finite():
        raise RowError(_("不是数字：%(v)s") % {"v": value})
    if places is not None:
        dec = dec.quantize(Decimal(1).scaleb(-places))
    if min_value is not None and dec < Decimal(min_value):
        raise RowError(_("不能小于%(n)s") % {"n": min_value})
    return dec


_NUMBERED_LABEL = re.compile(r"^(\d+)\s*[.、:：)\]）】\s-]\s*(.+)$")


def _norm_label(text: str) -> str:
    return clean_text(text).replace(" ", "").casefold()


_CHOICE_TABLES: dict = {}


def _choice_tables(choices):
    """(pairs, by value, by label) of a code list, built once per list and language.

    Labels match in the current language and in Chinese (the source language), so a Chinese
    ledger imports the same whatever language the importing user has chosen.
    """
    from django.utils import translation

    key = (id(choices), translation.get_language())
    cached = _CHOICE_TABLES.get(key)
    if cached is not None and cached[0] is choices:
        return cached[1]
    pairs = list(choices.choices) if hasattr(choices, "choices") else list(choices)
    by_value = {_norm_label(str(v)): v for v, _label in pairs}
    by_label = {}
    with translation.override(settings.LANGUAGE_CODE):
        by_label.update({_norm_label(str(label)): v for v, label in pairs})
    by_label.update({_norm_label(str(label)): v for v, label in pairs})
    tables = (pairs, by_value, by_label)
    _CHOICE_TABLES[key] = (choices, tables)  # the list is kept alive, so its id is not reused
    return tables


def parse_choice(value, choices):
    """A code-list entry by value, by label, as "1 机动车车祸" / "1.机动车车祸", or as a bare number.

    ``choices`` is a ``TextChoices``/``IntegerChoices`` class or a list of ``(value, label)``.
    A bare number is the value when one matches, else the n-th entry of the list (from 1).
    """
    if value is None:
        return None
    text = clean_text(value)
    if not text:
        return None
    pairs, by_value, by_label = _choice_tables(choices)
    key = _norm_label(text)
    if key in by_value:
        return by_value[key]
    if key in by_label:
        return by_label[key]
    match = _NUMBERED_LABEL.match(text)
    if match and _norm_label(match.group(2)) in by_label:
        return by_label[_norm_label(match.group(2))]
    if text.isdigit():
        n = int(text)
        if 1 <= n <= len(pairs):
            return pairs[n - 1][0]
    allowed = "、".join(f"{i}.{label}" for i, (_v, label) in enumerate(pairs, 1))
    raise RowError(_("“%(v)s”不在可选项中（%(allowed)s）") % {"v": text, "allowed": allowed})


def choice(choices):
    """A column parser for a code list: ``Column("事故类型", "kind", choice(IncidentKind))``.
    The parser carries its list (``.choices``): the import page and template show the allowed values."""

    def parse(value):
        return parse_choice(value, choices)

    parse.choices = choices
    return parse


def choice_labels(parser) -> list[str]:
    """The labels a column's parser accepts, in list order; [] for a column without a code list."""
    choices = getattr(parser, "choices", None)
    if choices is None:
        return []
    return [str(label) for _value, label in _choice_tables(choices)[0]]


def plain_text(value, *, max_length: int | None = None) -> str:
    """Free text (names, places, titles) as the ledger wrote it: only the white space around it
    is dropped. No NFKC: "，" stays "，" and full-width letters stay as typed."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value.strip()
    else:
        text = clean_text(value)
    if max_length is not None and len(text) > max_length:
        raise RowError(_("长度不能超过%(n)d个字符") % {"n": max_length})
    return text


def keep_text(value) -> str:
    """Narrative text (简要经过, 检查情况), kept byte for byte; only an empty cell becomes ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value if value.strip() else ""
    return clean_text(value)


def limited_text(max_length: int | None = None):
    """A column parser for free text with a length limit (see ``plain_text``)."""
    return lambda value: plain_text(value, max_length=max_length)


def phone_text(value) -> str:
    """A phone number is a code: full-width digits become ASCII."""
    return clean_text(value, max_length=30)


ID_AS_NUMBER = gettext_lazy("身份证号被 Excel 存成了数字，请将该列设为文本后重新导出")
PHONE_AS_NUMBER = gettext_lazy("电话被 Excel 存成了数字（可能已丢失开头的0），请将该列设为文本后重新导出")
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d+$")


def refuse_numeric(message: str):
    """Wrap a parser of a code that must be text (ID numbers, phones): a cell Excel stored as a
    number has lost digits (3.7E+17) or a leading 0, and is refused, never stored."""

    def wrap(parser):
        def parse(value):
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                raise RowError(message)
            if isinstance(value, str) and _SCIENTIFIC.match(clean_text(value)):
                raise RowError(message)
            return parser(value)

        return parse

    return wrap
