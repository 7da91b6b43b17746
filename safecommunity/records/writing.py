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

from ..downloads import attachment_header, safe_filename

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
    """The export's rows, read from the replica when one is configured and nothing the user or
    the townships wrote is too recent for it (``safecommunity.dbrouting``). The database is chosen
    now, not when a streaming response is iterated after the request's middleware has run."""
    from ..dbrouting import read_alias
    from ..querysets import scope_township_ids

    alias = read_alias(scope_township_ids(user) if user is not None else None)
    return _rows(kind, kind.export_queryset(queryset).using(alias), user)


def _rows(kind, queryset, user):
    row = kind.exporter(user)
    for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield row(obj)


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
    return attachment_header(filename)


# The sheets a template adds beside the data sheet; the importer passes over them.
HELP_SHEET, LISTS_SHEET = "填写说明", "可选值"
TEMPLATE_SHEETS = frozenset({HELP_SHEET, LISTS_SHEET})
TEMPLATE_ROWS = 5000  # rows of the data sheet that offer the drop-downs
EXAMPLES = {
    "parse_date": "2026-03-15",
    "parse_datetime": "2026-03-15 14:30",
    "parse_int": "1",
    "parse_decimal": "1.50",
    "phone_text": "13800000000",
}


def column_example(column) -> str:
    """What a filled-in cell of ``column`` looks like (the help sheet's 示例)."""
    from .cells import choice_labels

    labels = choice_labels(column.parser)
    if labels:
        return labels[0]
    name = getattr(column.parser, "__name__", "")
    return EXAMPLES.get(name, "")


def write_template_xlsx(fileobj, kind):
    """The import template: the header row on the data sheet, a drop-down (data validation)
    on every coded column, and a sheet 填写说明 with each column's rule, an example and its values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from .cells import choice_labels

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _UNSAFE.sub("_", str(kind.label))[:31] or "Sheet1"
    sheet.append([neutralise(c.header) for c in kind.columns])
    sheet.freeze_panes = "A2"
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for i, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(i)
        sheet.cell(row=1, column=i).font = Font(bold=True, color="C00000" if column.required else "000000")
        sheet.column_dimensions[letter].width = max(10, min(40, 2 * len(column.header) + 4))
        labels = choice_labels(column.parser)
        if not labels:
            continue
        for r, label in enumerate(labels, start=1):
            lists.cell(row=r, column=i, value=neutralise(label))
        validation = DataValidation(
            type="list",
            formula1=f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(labels)}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=_("不在可选项中"),
            error=_("请从下拉列表中选择%(h)s") % {"h": column.header},
        )
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
    help_sheet = workbook.create_sheet(HELP_SHEET)
    help_sheet.append([_("列名"), _("必填"), _("说明"), _("示例"), _("可选值")])
    for column in kind.columns:
        help_sheet.append(
            [
                neutralise(column.header),
                _("是") if column.required else "",
                str(column.help_text),
                neutralise(column_example(column)),
                "、".join(choice_labels(column.parser)),
            ]
        )
    for letter, width in zip("ABCDE", (18, 6, 50, 20, 60), strict=True):
        help_sheet.column_dimensions[letter].width = width
    workbook.save(fileobj)


def template_response(kind, fmt: str = "xlsx"):
    """The import template of ``kind``: .csv is the header row; .xlsx adds drop-downs and help."""
    if fmt not in FORMATS:
        raise Http404
    filename = _filename_template(kind, fmt)
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    if fmt == "csv":
        buffer = io.StringIO()
        write_csv(buffer, kind.headers, [])
        tmp.write(buffer.getvalue().encode("utf-8"))
    else:
        write_template_xlsx(tmp, kind)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename)


def _filename_template(kind, fmt):
    return safe_filename(_("%(label)s导入模板.%(fmt)s") % {"label": kind.label, "fmt": fmt})
