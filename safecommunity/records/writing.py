"""Writing exports and templates as .xlsx (write-only, streamed) or .csv (UTF-8 with BOM).

Every string cell that a spreadsheet could take for a formula (= + - @, tab, carriage return)
is neutralised with a leading single quote, in both formats. Numbers stay numbers in .xlsx;
dates are YYYY-MM-DD and times YYYY-MM-DD HH:MM (Asia/Shanghai).
"""

import csv
import datetime as dt
import io
import re
import tempfile
from decimal import Decimal
from pathlib import Path

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
FORMATS = ("xlsx", "csv")
# Characters not allowed in a sheet title or a downloaded file name.
_UNSAFE = re.compile(r'[\\/:*?"<>|\[\]\x00-\x1f]')


def neutralise(value):
    """'=1+1' → "'=1+1": a cell a spreadsheet would run as a formula is shown as text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _local(value: dt.datetime) -> dt.datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, second=0, microsecond=0)


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (int, float, Decimal)):
        return value
    return neutralise(str(value))


def _xlsx_cell(sheet, value):
    """The value openpyxl writes: numbers and dates typed, text neutralised."""
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=_local(value))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return neutralise(str(value))


class _Echo:
    def write(self, value):
        return value


def iter_rows(kind, queryset, user):
    queryset = kind.export_queryset(queryset)
    for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield kind.export_row(obj, user=user)


def write_csv(fileobj, headers, rows):
    """Write to a text file object (opened with newline="")."""
    fileobj.write("\ufeff")
    writer = csv.writer(fileobj)
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])


def iter_csv(headers, rows):
    """The CSV as an iterator of str chunks, for a streaming response."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        yield writer.writerow([csv_value(v) for v in row])


def write_xlsx(fileobj_or_path, headers, rows, *, title="Sheet1"):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_UNSAFE.sub("_", str(title))[:31] or "Sheet1")
    sheet.append([neutralise(h) for h in headers])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    workbook.save(fileobj_or_path)


def _headers(kind):
    return [c.header for c in kind.get_export_columns()]


def write_export(kind, queryset, path, user=None) -> int:
    """Write ``queryset`` to ``path`` (.xlsx or .csv by its extension); returns the row count."""
    from .registry import get_kind

    kind = get_kind(kind) if isinstance(kind, str) else kind
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"unsupported export format: {path.suffix!r} (use .xlsx or .csv)")
    count = 0

    def counted():
        nonlocal count
        for row in iter_rows(kind, queryset, user):
            count += 1
            yield row

    if fmt == "csv":
        with open(path, "w", encoding="utf-8", newline="") as fileobj:
            write_csv(fileobj, _headers(kind), counted())
    else:
        write_xlsx(path, _headers(kind), counted(), title=str(kind.label))
    return count


def _filename(kind, suffix, fmt):
    stamp = timezone.localdate().strftime("%Y%m%d")
    return safe_filename(f"{kind.label}{suffix}-{stamp}.{fmt}")


def export_response(kind_name: str, queryset, *, fmt: str = "xlsx", user=None):
    """The list page's export: ``queryset`` (already limited to the user) as a download.

    CSV streams row by row; .xlsx is written to a temporary file first (the format needs the
    whole archive), with openpyxl's write-only mode so memory does not grow with the rows.
    """
    from .registry import get_kind

    try:
        kind = get_kind(kind_name)
    except KeyError:
        raise Http404 from None
    if fmt not in FORMATS:
        raise Http404
    filename = _filename(kind, "", fmt)
    rows = iter_rows(kind, queryset, user)
    if fmt == "csv":
        response = StreamingHttpResponse(iter_csv(_headers(kind), rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = _content_disposition(filename)
        return response
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_xlsx(tmp, _headers(kind), rows, title=str(kind.label))
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename)


def _content_disposition(filename: str) -> str:
    from django.utils.http import content_disposition_header

    return content_disposition_header(True, filename)


def template_response(kind, fmt: str = "xlsx"):
    """The header-only import template of ``kind``."""
    if fmt not in FORMATS:
        raise Http404
    filename = _filename_template(kind, fmt)
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    if fmt == "csv":
        buffer = io.StringIO()
        write_csv(buffer, kind.headers, [])
        tmp.write(buffer.getvalue().encode("utf-8"))
    else:
        write_xlsx(tmp, kind.headers, [], title=str(kind.label))
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename)


def _filename_template(kind, fmt):
    return safe_filename(_("%(label)s导入模板.%(fmt)s") % {"label": kind.label, "fmt": fmt})


def safe_filename(name: str) -> str:
    """A download name without path separators or characters Windows refuses."""
    return _UNSAFE.sub("_", str(name)).strip(". ") or "download"
