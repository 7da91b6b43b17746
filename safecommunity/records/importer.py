"""The import engine: read a file, parse and check each row, save valid rows in batches.

Nothing already saved is modified: a row whose natural key exists in the database, or earlier
in the same file, is counted as a duplicate and skipped. Each batch is one transaction and
costs one query for the existing keys plus what the kind's ``save_batch`` needs.
"""

import csv
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from .cells import RowError, clean_text, format_datetime
from .reading import FileRejected, open_table, row_is_blank
from .registry import PendingRow, RecordKind, get_kind
from .writing import neutralise

REJECT_HEADERS = ("行号", "原因")


@dataclass
class ImportResult:
    headers: list = field(default_factory=list)
    total: int = 0
    processed: int = 0
    imported: int = 0
    duplicates: int = 0
    #: (row number, original cells, reason) of every rejected row
    rejected: list = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"imported {self.imported}, duplicates {self.duplicates}, rejected {len(self.rejected)}"


def _check_headers(kind: RecordKind, headers: list[str]) -> dict[str, int]:
    """Header → column index; the whole file is refused when a required header is missing."""
    index = {}
    for i, header in enumerate(headers):
        if header and header not in index:
            index[header] = i
    missing = [h for h in kind.required_headers if h not in index]
    if missing:
        raise FileRejected(
            _("缺少必填列：%(missing)s。第1行应为表头，需包含：%(expected)s（可下载导入模板对照）")
            % {"missing": "、".join(missing), "expected": "、".join(kind.headers)}
        )
    return {c.header: index[c.header] for c in kind.columns if c.header in index}


def run_import(
    kind: RecordKind | str,
    fileobj,
    *,
    township,
    user=None,
    filename: str | None = None,
    progress: Callable[[ImportResult], None] | None = None,
    batch_size: int | None = None,
) -> ImportResult:
    """Import ``fileobj`` (binary file object or path) into ``township``.

    Raises ``FileRejected`` (nothing saved) when the file as a whole is unusable.
    ``progress(result)`` is called after each batch.
    """
    kind = get_kind(kind) if isinstance(kind, str) else kind
    batch_size = batch_size or kind.batch_size
    opened = None
    if isinstance(fileobj, (str, os.PathLike)):
        filename = filename or str(fileobj)
        fileobj = opened = open(fileobj, "rb")  # noqa: SIM115
    try:
        table = open_table(fileobj, filename)
        try:
            return _run(kind, table, township=township, user=user, progress=progress, batch_size=batch_size)
        finally:
            table.close()
    finally:
        if opened is not None:
            opened.close()


def _run(kind, table, *, township, user, progress, batch_size) -> ImportResult:
    positions = _check_headers(kind, table.headers)
    result = ImportResult(headers=list(table.raw_headers), total=table.total or 0)
    context = kind.import_context(township)
    seen: set[tuple] = set()
    batch: list[PendingRow] = []

    def flush():
        if batch:
            _save_batch(kind, batch, seen, result, township=township, user=user)
            batch.clear()
        if progress is not None:
            progress(result)

    for row_no, cells in table.rows:
        result.processed += 1
        if row_is_blank(cells):
            continue
        values = {header: (cells[i] if i < len(cells) else None) for header, i in positions.items()}
        try:
            data = kind.parse_row(values, context=context)
            key = kind.natural_key(data)
        except RowError as exc:
            result.rejected.append((row_no, cells, exc.reason))
            continue
        if key in seen:
            result.duplicates += 1
            continue
        seen.add(key)
        batch.append(PendingRow(row_no=row_no, values=cells, data=data, key=key))
        if len(batch) >= batch_size:
            flush()
    flush()
    result.total = max(result.total, result.processed)
    result.rejected.sort(key=lambda r: r[0])
    return result


def _save_batch(kind, batch, seen, result, *, township, user):
    with transaction.atomic():
        existing = kind.existing_keys([row.key for row in batch], township=township)
        fresh = []
        for row in batch:
            if row.key in existing:
                result.duplicates += 1
            else:
                fresh.append(row)
        if fresh:
            result.imported += kind.save_batch(fresh, township=township, user=user)
    for row in fresh:
        if row.error is not None:
            seen.discard(row.key)  # a later row with the same key may still be imported
            result.rejected.append((row.row_no, row.values, row.error))


def _cell_text(value) -> str:
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def write_rejects(result: ImportResult, fileobj) -> None:
    """The rejected rows as CSV (UTF-8 with BOM for Excel): 行号, 原因, then the original columns."""
    fileobj.write("\ufeff")
    writer = csv.writer(fileobj)
    headers = [clean_text(h) for h in result.headers]
    writer.writerow([*REJECT_HEADERS, *headers])
    width = len(headers)
    for row_no, cells, reason in result.rejected:
        cells = [neutralise(_cell_text(c)) for c in cells]
        cells += [""] * (width - len(cells))
        writer.writerow([row_no, reason, *cells])


def rejects_path(path) -> Path:
    path = Path(path)
    return path.with_name(f"{path.stem}.rejected.csv")
