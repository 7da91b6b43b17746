"""Reading .xlsx and .csv files row by row, whatever Excel saved them as, in bounded memory.

CSV: UTF-8 with or without BOM, GB18030 (Excel on Chinese Windows), UTF-16 with BOM (Excel's
"Unicode text", tab-separated). The encoding is detected by decoding the whole file once,
incrementally; the rows are then streamed. A cell longer than Excel's own limit rejects its row.

XLSX: every worksheet, streamed with openpyxl's read-only reader. Before openpyxl opens the
file, its zip directory is checked (decompressed size, compression ratio, shared strings), so a
"zip bomb" is refused in milliseconds instead of filling memory. One quick pass over each
sheet's XML finds what the read-only reader cannot see: merged cells (filled in from their
top-left cell, as a person reads a ledger with merged 村 or 日期 cells) and formulas saved
without a computed value (which openpyxl would read as an empty cell).

The reader knows nothing of record kinds: it yields every row of every sheet from row 1;
the importer finds the header row (a title block above it is common in Chinese ledgers).
"""

import codecs
import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from django.utils.translation import gettext as _

from .cells import clean_text, is_blank

XLSX_MAGIC = b"PK\x03\x04"
CHUNK = 1 << 16

#: Excel's own limit for one cell; anything longer did not come from Excel.
MAX_CELL_CHARS = 32767
#: Limits of the zip inside an .xlsx, checked before anything is decompressed.
MAX_UNCOMPRESSED_BYTES = 2 << 30
MAX_SHARED_STRINGS_BYTES = 96 << 20
MAX_COMPRESSION_RATIO = 200
MAX_MERGED_RANGES = 200_000
MAX_EMPTY_FORMULAS = 100_000


class FileRejected(Exception):
    """The file as a whole cannot be imported (format, encoding, headers); nothing was saved."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


class FormulaWithoutValue:
    """A cell holding a formula whose result was never computed (saved by a program that does
    not calculate, or with calculation switched off). Never imported as empty or 0."""

    __slots__ = ("ref",)

    def __init__(self, ref: str):
        self.ref = ref

    def __repr__(self):
        return f"<formula without value {self.ref}>"

    def __str__(self):
        return ""


class CellError:
    """A cell the reader could not read (a CSV field past the size limit)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason

    def __str__(self):
        return ""


def _rewind(fileobj):
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)


def detect_format(fileobj, filename: str | None = None) -> str:
    ext = Path(filename or getattr(fileobj, "name", "") or "").suffix.lower()
    _rewind(fileobj)
    head = fileobj.read(4)
    _rewind(fileobj)
    if head == XLSX_MAGIC:
        return "xlsx"
    if ext in (".xlsx", ".xlsm"):
        raise FileRejected(_("文件不是有效的 Excel (.xlsx) 文件"))
    if ext == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(_("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 .csv"))
    return "csv"


def detect_encoding(fileobj) -> str:
    _rewind(fileobj)
    head = fileobj.read(4)
    _rewind(fileobj)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := fileobj.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            _rewind(fileobj)
        return encoding
    raise FileRejected(_("无法识别文件编码，请另存为 UTF-8 或 .xlsx 文件"))


@dataclass
class Sheet:
    """One worksheet (a CSV file is one sheet): its name and its rows ``(row_no, cells)`` from 1."""

    name: str
    rows: Iterator[tuple[int, list]]
    total: int | None


@dataclass
class Table:
    """The sheets of a file, read one after the other. ``total`` counts the rows of all sheets
    (header and blank rows included) for the progress bar."""

    sheets: Iterator[Sheet]
    total: int | None
    format: str
    close: Callable = lambda: None


# --- CSV --------------------------------------------------------------------------------------


def _csv_records(reader) -> Iterator[list]:
    """The reader's records; a field past the size limit becomes one ``CellError`` row and
    reading goes on with the next record."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                yield [CellError(_("有单元格超过%(n)d个字符（Excel 单元格的上限）") % {"n": MAX_CELL_CHARS})]
            else:
                yield [CellError(_("CSV 格式错误：%(e)s") % {"e": exc})]


def _csv_table(fileobj) -> Table:
    encoding = detect_encoding(fileobj)
    text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
    first = text.readline()
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    csv.field_size_limit(MAX_CELL_CHARS)
    text.seek(0)
    total = sum(1 for _ in _csv_records(csv.reader(text, delimiter=delimiter)))
    text.seek(0)  # the utf-8-sig decoder restarts too, and skips the BOM again
    reader = csv.reader(text, delimiter=delimiter)

    def rows():
        for row_no, cells in enumerate(_csv_records(reader), start=1):
            yield row_no, cells

    return Table(iter([Sheet("", rows(), total)]), total, "csv", text.detach)


# --- XLSX -------------------------------------------------------------------------------------


def _check_zip(fileobj) -> zipfile.ZipFile:
    """Refuse a zip bomb from its directory alone (sizes are enforced again while reading:
    Python's zipfile never yields more than a member's declared size)."""
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRejected(_("文件不是有效的 Excel (.xlsx) 文件")) from exc
    total = 0
    bomb = FileRejected(_("文件解压后过大或压缩比异常（疑似“压缩炸弹”），已拒绝导入。请在 Excel 中检查后重新保存"))
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > (1 << 20) and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise bomb
        if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > MAX_SHARED_STRINGS_BYTES:
            raise bomb
    if total > MAX_UNCOMPRESSED_BYTES:
        raise bomb
    return archive


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')
_EMPTY_FORMULA = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*"
    rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
_REF_ATTR = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')


def column_index(letters: str) -> int:
    """ "A" → 1, "AB" → 28."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(index: int) -> str:
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _scan_sheet(archive: zipfile.ZipFile, path: str):
    """Merged ranges and formula cells without a value, from one streamed pass over the XML."""
    merges: set[tuple[int, int, int, int]] = set()
    formulas: set[tuple[int, int]] = set()
    tail = b""
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            if b"mergeCell" in data:
                for m in _MERGE.finditer(data):
                    c1, r1 = column_index(m.group(1).decode()), int(m.group(2))
                    c2, r2 = (column_index(m.group(3).decode()), int(m.group(4))) if m.group(3) else (c1, r1)
                    merges.add((r1, c1, r2, c2))
            if b"<f" in data or b":f" in data:
                for m in _EMPTY_FORMULA.finditer(data):
                    ref = _REF_ATTR.search(m.group(1))
                    if ref:
                        formulas.add((int(ref.group(2)), column_index(ref.group(1).decode())))
            if len(merges) > MAX_MERGED_RANGES or len(formulas) > MAX_EMPTY_FORMULAS:
                raise FileRejected(_("文件中的合并单元格或公式过多，请另存为只含数值的 .xlsx 或 .csv 后重新导入"))
            tail = data[-65536:]
    return sorted(merges), formulas


def _sheet_rows(sheet, merges, formulas) -> Iterator[tuple[int, list]]:
    """Rows of a read-only sheet with merged cells filled in and empty formulas marked."""
    pending = list(merges)  # sorted by first row
    active: list[tuple[int, int, int, object]] = []  # (last row, first col, last col, value)
    next_merge = 0
    for row_no, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = list(values)
        while next_merge < len(pending) and pending[next_merge][0] <= row_no:
            r1, c1, r2, c2 = pending[next_merge]
            next_merge += 1
            if r1 == row_no:
                active.append((r2, c1, c2, cells[c1 - 1] if c1 - 1 < len(cells) else None))
        if active:
            for _last, c1, c2, value in active:
                if len(cells) < c2:
                    cells.extend([None] * (c2 - len(cells)))
                for c in range(c1, c2 + 1):
                    cells[c - 1] = value
            active = [a for a in active if a[0] > row_no]
        if formulas:
            for col in range(1, len(cells) + 1):
                if (row_no, col) in formulas:
                    cells[col - 1] = FormulaWithoutValue(f"{column_letters(col)}{row_no}")
        yield row_no, cells


def _xlsx_table(fileobj) -> Table:
    from openpyxl import load_workbook

    archive = _check_zip(fileobj)
    _rewind(fileobj)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise FileRejected(_("文件不是有效的 Excel (.xlsx) 文件")) from exc
    plan = []
    total = 0
    for sheet in workbook.worksheets:
        if not hasattr(sheet, "iter_rows"):  # a chart sheet
            continue
        declared = sheet.max_row if sheet.max_row else None
        total += declared or 0
        path = getattr(sheet, "_worksheet_path", "").lstrip("/")
        merges, formulas = _scan_sheet(archive, path) if path in archive.namelist() else ([], set())
        plan.append((sheet, merges, formulas, declared))

    def sheets():
        for sheet, merges, formulas, declared in plan:
            # Some programs write a wrong <dimension>; reading without it never cuts rows off.
            sheet.reset_dimensions()
            yield Sheet(sheet.title, _sheet_rows(sheet, merges, formulas), declared)

    def close():
        workbook.close()
        archive.close()

    return Table(sheets(), total or None, "xlsx", close)


def open_table(fileobj, filename: str | None = None) -> Table:
    """Open a binary file object (or a path) as a ``Table``."""
    if isinstance(fileobj, (str, os.PathLike)):
        filename = filename or str(fileobj)
        fileobj = open(fileobj, "rb")  # noqa: SIM115 - closed by the importer
    fmt = detect_format(fileobj, filename)
    return _xlsx_table(fileobj) if fmt == "xlsx" else _csv_table(fileobj)


def row_is_blank(cells) -> bool:
    return all(is_blank(c) for c in cells)


def header_names(raw_headers) -> list[str]:
    names = [clean_text(h) if isinstance(h, str) or h is not None else "" for h in raw_headers]
    while names and not names[-1]:
        names.pop()
    return names
