"""Reading .xlsx and .csv files row by row, whatever Excel saved them as.

CSV: UTF-8 with or without BOM, GB18030 (Excel on Chinese Windows), UTF-16 with BOM (Excel's
"Unicode text", tab-separated). The encoding is detected by decoding the whole file once,
incrementally; the rows are then streamed.
"""

import codecs
import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from django.utils.translation import gettext as _

from .cells import clean_text, is_blank

XLSX_MAGIC = b"PK\x03\x04"
CHUNK = 1 << 16


class FileRejected(Exception):
    """The file as a whole cannot be imported (format, encoding, headers); nothing was saved."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


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
    if ext == ".xls":
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
class Table:
    """A file's header row and an iterator of ``(row_no, cells)``; data rows start at 2.

    ``total`` counts the data rows (blank rows included) for the progress bar."""

    headers: list[str]
    raw_headers: list
    rows: Iterator[tuple[int, list]]
    total: int | None
    format: str
    close: callable = lambda: None


def _csv_table(fileobj) -> Table:
    encoding = detect_encoding(fileobj)
    text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
    first = text.readline()
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    text.seek(0)
    total = sum(1 for _ in csv.reader(text, delimiter=delimiter)) - 1
    text.seek(0)  # the utf-8-sig decoder restarts too, and skips the BOM again
    reader = csv.reader(text, delimiter=delimiter)
    raw_headers = next(reader, [])

    def rows():
        for row_no, cells in enumerate(reader, start=2):
            yield row_no, cells

    return Table(_header_names(raw_headers), raw_headers, rows(), max(total, 0), "csv", text.detach)


def _xlsx_table(fileobj) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise FileRejected(_("文件不是有效的 Excel (.xlsx) 文件")) from exc
    sheet = workbook.worksheets[0]
    declared = sheet.max_row if sheet.max_row and sheet.max_row > 1 else None
    # Some programs write a wrong <dimension>; reading without it never cuts rows off.
    sheet.reset_dimensions()
    iterator = sheet.iter_rows(values_only=True)
    raw_headers = list(next(iterator, ()) or ())

    def rows():
        for row_no, cells in enumerate(iterator, start=2):
            yield row_no, list(cells)

    total = declared - 1 if declared else None
    return Table(_header_names(raw_headers), raw_headers, rows(), total, "xlsx", workbook.close)


def _header_names(raw_headers) -> list[str]:
    names = [clean_text(h) for h in raw_headers]
    while names and not names[-1]:
        names.pop()
    return names


def open_table(fileobj, filename: str | None = None) -> Table:
    """Open a binary file object (or a path) as a ``Table``."""
    if isinstance(fileobj, (str, os.PathLike)):
        filename = filename or str(fileobj)
        fileobj = open(fileobj, "rb")  # noqa: SIM115 - closed by the importer
    fmt = detect_format(fileobj, filename)
    table = _xlsx_table(fileobj) if fmt == "xlsx" else _csv_table(fileobj)
    if not any(table.headers):
        raise FileRejected(_("文件第1行应为表头，但它是空的"))
    return table


def row_is_blank(cells) -> bool:
    return all(is_blank(c) for c in cells)
