"""The import engine: read a file, parse and check each row, save valid rows in batches.

What makes two rows the same record (the row's *identity*):

1. the ledger's own number (``RecordKind.number_field``: 事故编号, 卡片编号) when the row has one;
2. else the kind's natural key, for reference data only (a village's 12-digit code);
3. else a fingerprint of every field of the row, plus which identical copy it is within its
   file: two rows that differ in any recorded field are two records; a file holding the same
   anonymous card twice holds two records, and importing it again adds none.

Every identity a batch saves is inserted into ``ImportedRow``, whose unique constraint (per
township and kind) makes the import exact under any interleaving: two workers importing the
same file at once both insert the same identities and the database lets one of them win each.

A row whose number (or natural key) is known but whose content differs is never dropped as a
duplicate: it is rejected as a conflict naming the columns that differ, and the saved record
stays as it is (corrections go through the record's page, where they are audited).

Each batch is one transaction holding the rows, their identities, the batch's rejected rows and
the job's progress (``checkpoint``): a job interrupted anywhere resumes after its last committed
batch and ends with the counts of an uninterrupted run.
"""

import csv
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .cells import RowError, clean_text, format_datetime
from .reading import (
    MAX_CELL_CHARS,
    CellError,
    FileRejected,
    FormulaWithoutValue,
    column_letters,
    header_names,
    open_table,
    row_is_blank,
)
from .registry import PendingRow, RecordKind, get_kind
from .writing import TEMPLATE_SHEETS, neutralise

REJECT_HEADERS = ("工作表", "行号", "原因")
#: The header row is looked for in the first rows of each sheet (title blocks above it).
HEADER_SEARCH_ROWS = 20
#: What a rejected row keeps of its cells (the rest is the user's file, which they have).
KEPT_CELLS, KEPT_CELL_CHARS = 100, 300


class LeaseLost(Exception):
    """Another run took the job over (this one was thought dead): stop without writing."""


@dataclass
class Rejected:
    sheet: str
    row_no: int
    cells: list
    reason: str


@dataclass
class ImportResult:
    headers: list = field(default_factory=list)
    total: int = 0
    processed: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected_count: int = 0
    #: Without a job: every rejected row (sheet, row number, kept cells, reason).
    rejected: list = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"imported {self.imported}, duplicates {self.duplicates}, rejected {self.rejected_count}"


# --- identity ---------------------------------------------------------------------------------


def _canonical(value) -> str:
    if type(value) is str:  # most values: tried first
        return clean_text(value)
    if isinstance(value, models.Model):
        return f"#{value.pk}"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.timezone.utc)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (list, tuple)):
        return json.dumps([_canonical(v) for v in value], ensure_ascii=False)
    if isinstance(value, str):
        return clean_text(value)
    return str(value)


def _digest(text: str, size: int = 16) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=size).hexdigest()


def content_of(data: dict) -> dict[str, str]:
    """The row's fields in canonical form; empty fields are left out, so a column added to the
    template later does not change the identity of old rows."""
    content = {}
    for key, value in data.items():
        if value is None or value == "":
            continue
        text = clean_text(value) if type(value) is str else _canonical(value)
        if text != "":
            content[key] = text
    return content


class Identities:
    """Computes each row's identity; counts identical copies within the file."""

    def __init__(self, kind: RecordKind):
        self.kind = kind
        self.copies: dict[int, int] = {}

    def of(self, data: dict) -> tuple[str, str, dict, tuple | None]:
        """(identity, digest, per-field digests, natural key) of a parsed row."""
        content = content_of(data)
        digest = _digest(json.dumps(sorted(content.items()), ensure_ascii=False))
        number = self.kind.number_field and content.get(self.kind.number_field)
        key = None if number else self.kind.natural_key(data)
        if number or key is not None:
            label = f"n:{number}" if number else "k:" + json.dumps([_canonical(k) for k in key], ensure_ascii=False)
            identity = label if len(label) <= 90 else "h:" + _digest(label)
            fields = {name: _digest(text, 4) for name, text in content.items()}
            return identity, digest, fields, key
        slot = int(digest[:16], 16)
        copy = self.copies.get(slot, 0) + 1
        self.copies[slot] = copy
        return f"f:{digest}:{copy}", digest, {}, None


# --- the run ----------------------------------------------------------------------------------


def _find_header(kind: RecordKind, cells) -> dict[str, int] | None:
    """Header → column index when ``cells`` hold every required header of the kind."""
    names = header_names(cells)
    index = {}
    for i, name in enumerate(names):
        if name and name not in index:
            index[name] = i
    if not kind.required_headers or not all(h in index for h in kind.required_headers):
        return None
    return {c.header: index[c.header] for c in kind.columns if c.header in index}


def _missing_headers(kind: RecordKind) -> FileRejected:
    return FileRejected(
        _("缺少必填列：%(missing)s。表头（前%(n)d行中的一行）须包含：%(expected)s（可下载导入模板对照）")
        % {"missing": "、".join(kind.required_headers), "n": HEADER_SEARCH_ROWS, "expected": "、".join(kind.headers)}
    )


def _kept(cells) -> list[str]:
    return [_cell_text(c)[:KEPT_CELL_CHARS] for c in list(cells)[:KEPT_CELLS]]


def _cell_problems(kind, positions, cells) -> list[str]:
    """Reasons a row cannot be read as the ledger meant it, before any parsing."""
    if all(type(cell) is str for cell in cells) and max(map(len, cells), default=0) <= MAX_CELL_CHARS:
        return []  # a CSV row of ordinary cells (most rows): nothing to look for
    reasons = []
    for cell in cells:
        if isinstance(cell, CellError):
            return [cell.reason]
    for header, i in positions.items():
        cell = cells[i] if i < len(cells) else None
        if isinstance(cell, FormulaWithoutValue):
            reasons.append(
                _("%(h)s：单元格%(ref)s是没有计算结果的公式，请在 Excel 中打开、重新计算并保存，或改为数值后重新导入")
                % {"h": header, "ref": cell.ref}
            )
        elif isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            reasons.append(_("%(h)s：内容超过%(n)d个字符") % {"h": header, "n": MAX_CELL_CHARS})
    return reasons


class Run:
    """One pass over a file; with a ``job``, every batch commits the job's progress with it."""

    def __init__(self, kind, *, township, user, batch_size, progress, job=None, lease=""):
        self.kind, self.township, self.user = kind, township, user
        self.batch_size, self.progress = batch_size, progress
        self.job, self.lease = job, lease
        self.result = ImportResult()
        self.checkpoint = 0
        if job is not None:
            self.checkpoint = job.checkpoint
            r = self.result
            r.processed, r.imported, r.duplicates, r.rejected_count = (
                job.processed,
                job.imported,
                job.duplicates,
                job.rejected,
            )
        self.identities = Identities(kind)
        self.batch: list[PendingRow] = []
        self.rejects: list[Rejected] = []
        self.position = 0

    def reject(self, sheet, row_no, cells, reason):
        self.rejects.append(Rejected(sheet, row_no, _kept(cells), reason))

    def run(self, table) -> ImportResult:
        context = self.kind.import_context(self.township)
        found_header = False
        self.result.total = table.total or 0
        for sheet in table.sheets:
            if sheet.name in TEMPLATE_SHEETS:
                # The template's own help and drop-down lists, not data.
                self.result.total = max(self.result.total - (sheet.total or 0), 0)
                continue
            positions = None
            content_seen = False
            for row_no, cells in sheet.rows:
                self.position += 1
                resumed = self.position <= self.checkpoint
                if positions is None:
                    if row_no > HEADER_SEARCH_ROWS:
                        break
                    positions = _find_header(self.kind, cells)
                    if positions is not None:
                        found_header = True
                        self.result.total = max(self.result.total - row_no, 0)  # data rows only
                        if not self.result.headers:
                            self.result.headers = list(cells)
                    elif not row_is_blank(cells):
                        content_seen = True
                    continue
                if row_is_blank(cells):
                    if not resumed:
                        self.result.processed += 1
                    continue
                if resumed:
                    self._replay(positions, cells, context)
                    continue
                self.result.processed += 1
                self._row(sheet.name, row_no, positions, cells, context)
                if len(self.batch) + len(self.rejects) >= self.batch_size:
                    self.flush()
            if positions is None and content_seen and self.position > self.checkpoint:
                # Never silently skipped: a sheet with content but no header is reported.
                self.reject(
                    sheet.name,
                    0,
                    [],
                    _("工作表“%(s)s”的前%(n)d行中没有表头（须包含：%(h)s），该表未导入")
                    % {"s": sheet.name or "-", "n": HEADER_SEARCH_ROWS, "h": "、".join(self.kind.required_headers)},
                )
        if not found_header:
            raise _missing_headers(self.kind)
        self.flush(final=True)
        self.result.total = max(self.result.total, self.result.processed)
        return self.result

    def _parse(self, positions, cells, context):
        values = {header: (cells[i] if i < len(cells) else None) for header, i in positions.items()}
        return self.kind.parse_row(values, context=context)

    def _replay(self, positions, cells, context):
        """A row committed by an earlier run: only counted, so identical copies keep their places."""
        if _cell_problems(self.kind, positions, cells):
            return
        try:
            data = self._parse(positions, cells, context)
        except RowError:
            return
        self.identities.of(data)

    def _row(self, sheet, row_no, positions, cells, context):
        problems = _cell_problems(self.kind, positions, cells)
        if problems:
            self.reject(sheet, row_no, cells, "；".join(problems))
            return
        try:
            data = self._parse(positions, cells, context)
        except RowError as exc:
            self.reject(sheet, row_no, cells, exc.reason)
            return
        identity, digest, fields, key = self.identities.of(data)
        self.batch.append(
            PendingRow(
                row_no=row_no,
                values=cells,
                data=data,
                key=key,
                sheet=sheet,
                identity=identity,
                digest=digest,
                fields=fields,
            )
        )

    # --- one transaction per batch ---------------------------------------------------------
    def flush(self, final=False):
        if self.batch or self.rejects or (final and self.job is not None):
            with transaction.atomic():
                if self.job is not None:
                    self._hold_lease()
                if self.batch:
                    self._save(self.batch)
                self._record(final)
            self.batch, self.rejects = [], []
        if self.progress is not None:
            self.progress(self.result)

    def _hold_lease(self):
        from .models import ImportJob

        held = ImportJob.objects.select_for_update().filter(pk=self.job.pk, lease=self.lease).exists()
        if not held:
            raise LeaseLost

    def _save(self, batch):
        from .models import ImportedRow

        kind, township = self.kind, self.township
        first: dict[str, PendingRow] = {}
        claim = []
        for row in batch:
            earlier = first.get(row.identity)
            if earlier is None:
                first[row.identity] = row
                claim.append(row)
            elif earlier.digest == row.digest:
                self.result.duplicates += 1
            else:
                self.reject(
                    row.sheet,
                    row.row_no,
                    row.values,
                    _conflict_reason(
                        kind,
                        earlier.fields,
                        row.fields,
                        _("本文件%(where)s") % {"where": _where(earlier.sheet, earlier.row_no)},
                    ),
                )
        won = _claim(kind, township, self.job, claim)
        lost = [row for row in claim if row.identity not in won]
        if lost:
            saved = {
                r["identity"]: r
                for r in ImportedRow.objects.filter(
                    township=township, kind=kind.name, identity__in=[row.identity for row in lost]
                ).values("identity", "digest", "fields", "row_no", "sheet", "job_id", "created_at")
            }
            for row in lost:
                before = saved.get(row.identity)
                if before is None or before["digest"] == row.digest:
                    self.result.duplicates += 1
                else:
                    self.reject(
                        row.sheet,
                        row.row_no,
                        row.values,
                        _conflict_reason(kind, json.loads(before["fields"] or "{}"), row.fields, _earlier(before)),
                    )
        fresh = [row for row in claim if row.identity in won]
        fresh = self._known_numbers(fresh)
        keyed = [row for row in fresh if row.key is not None]
        if keyed:
            existing = kind.existing_keys([row.key for row in keyed], township=township)
            if existing:
                self.result.duplicates += sum(1 for row in keyed if row.key in existing)
                fresh = [row for row in fresh if row.key is None or row.key not in existing]
        if fresh:
            if kind.number_field:
                for row in fresh:  # a portal number of a record not found here is no ledger number
                    if str(row.data.get(kind.number_field) or "").startswith("#"):
                        row.data[kind.number_field] = ""
            self.result.imported += kind.save_batch(fresh, township=township, user=self.user)
        refused = [row for row in fresh if row.error is not None]
        if refused:
            ImportedRow.objects.filter(
                township=township, kind=kind.name, identity__in=[row.identity for row in refused]
            ).delete()
            for row in refused:
                self.reject(row.sheet, row.row_no, row.values, row.error)

    def _known_numbers(self, rows):
        """Rows whose number is a record saved by another door (a page, or exported with its
        portal number "#id"): the same record, unless the row says something else."""
        kind = self.kind
        if not kind.number_field:
            return rows
        numbered = {
            row.data[kind.number_field]: row
            for row in rows
            if row.identity.startswith("n:") and row.data.get(kind.number_field)
        }
        if not numbered:
            return rows
        found = kind.existing_numbers(list(numbered), township=self.township)
        if not found:
            return rows
        from .models import ImportedRow

        known, conflicts = set(), []
        for number, obj in found.items():
            row = numbered.get(number)
            if row is None:
                continue
            known.add(id(row))
            changed = record_differences(kind, obj, row.data)
            if changed:
                conflicts.append(row)
                self.reject(
                    row.sheet,
                    row.row_no,
                    row.values,
                    _(
                        "编号与已保存的记录相同，但以下各列不同：%(cols)s。本行未导入，已保存的记录未改动；如需更正，请在该记录的页面修改（修改会留痕）"
                    )
                    % {"cols": "、".join(changed)},
                )
            else:
                self.result.duplicates += 1
        if conflicts:
            ImportedRow.objects.filter(
                township=self.township, kind=kind.name, identity__in=[row.identity for row in conflicts]
            ).delete()
        return [row for row in rows if id(row) not in known]

    def _record(self, final):
        r = self.result
        r.rejected_count += len(self.rejects)
        if self.job is None:
            r.rejected.extend((x.sheet, x.row_no, x.cells, x.reason) for x in self.rejects)
            return
        from .models import ImportJob, ImportRejection

        ImportRejection.objects.bulk_create(
            [
                ImportRejection(
                    job_id=self.job.pk,
                    sheet=x.sheet[:100],
                    row_no=x.row_no,
                    reason=x.reason,
                    cells=json.dumps(x.cells, ensure_ascii=False),
                )
                for x in self.rejects
            ]
        )
        ImportJob.objects.filter(pk=self.job.pk).update(
            total_rows=max(r.total, r.processed),
            processed=r.processed,
            imported=r.imported,
            duplicates=r.duplicates,
            rejected=r.rejected_count,
            checkpoint=self.position,
            heartbeat_at=timezone.now(),
            headers=json.dumps([_cell_text(h)[:100] for h in r.headers], ensure_ascii=False),
        )


def record_differences(kind, obj, data) -> list[str]:
    """Headers of the columns where ``data`` (a parsed row) says something other than the saved
    ``obj``. Only what the row fills in is compared; the number itself is not."""
    headers = {c.field: c.header for c in kind.columns}
    changed = []
    for name, text in content_of(data).items():
        if name == kind.number_field or name not in headers:
            continue
        try:
            model_field = obj._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a parsed key that is no model field
            continue
        if model_field.is_relation:
            saved = f"#{getattr(obj, model_field.attname)}"
        else:
            saved = _canonical(getattr(obj, name))
        if saved != text:
            changed.append(headers[name])
    return changed


def _claim(kind, township, job, rows) -> set[str]:
    """Insert the rows' identities; the ones this transaction won (the others exist already,
    or a concurrent import holds them and wins). One statement a batch: the columns go as arrays
    and are inserted in identity order, so concurrent imports lock in one order and never
    deadlock."""
    if not rows:
        return set()
    from .models import ImportedRow

    table = connection.ops.quote_name(ImportedRow._meta.db_table)
    rows = sorted(rows, key=lambda r: r.identity)
    dumps = json.dumps
    if connection.vendor != "postgresql":
        return _claim_by_values(table, kind, township, job, rows)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (township_id, kind, identity, digest, fields, job_id, row_no, sheet, created_at) "
            "SELECT %s, %s, c.identity, c.digest, c.fields, %s, c.row_no, c.sheet, %s "
            "FROM unnest(%s::text[], %s::text[], %s::text[], %s::int[], %s::text[]) "
            "WITH ORDINALITY AS c(identity, digest, fields, row_no, sheet, position) ORDER BY c.position "
            "ON CONFLICT (township_id, kind, identity) DO NOTHING RETURNING identity",
            [
                township.pk,
                kind.name,
                job.pk if job else None,
                timezone.now(),
                [row.identity for row in rows],
                [row.digest for row in rows],
                [dumps(row.fields) if row.fields else "" for row in rows],
                [row.row_no for row in rows],
                [row.sheet[:100] for row in rows],
            ],
        )
        return {identity for (identity,) in cursor.fetchall()}


def _claim_by_values(table, kind, township, job, rows) -> set[str]:
    """``_claim`` where there are no arrays to unnest (SQLite, the embedded demo): the same
    insert, 500 rows a statement."""
    now = timezone.now()
    won: set[str] = set()
    columns = "township_id, kind, identity, digest, fields, job_id, row_no, sheet, created_at"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            params = []
            for row in chunk:
                params += [
                    township.pk,
                    kind.name,
                    row.identity,
                    row.digest,
                    json.dumps(row.fields) if row.fields else "",
                    job.pk if job else None,
                    row.row_no,
                    row.sheet[:100],
                    now,
                ]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values} "
                f"ON CONFLICT (township_id, kind, identity) DO NOTHING RETURNING identity",
                params,
            )
            won.update(identity for (identity,) in cursor.fetchall())
    return won


def _where(sheet, row_no) -> str:
    if sheet:
        return _("工作表“%(s)s”第%(n)d行") % {"s": sheet, "n": row_no}
    return _("第%(n)d行") % {"n": row_no}


def _earlier(before) -> str:
    when = timezone.localtime(before["created_at"]).strftime("%Y-%m-%d")
    return _("%(date)s导入的%(where)s") % {"date": when, "where": _where(before["sheet"], before["row_no"])}


def _conflict_reason(kind, before: dict, after: dict, where: str) -> str:
    headers = {c.field: c.header for c in kind.columns}
    changed = [
        headers.get(name, name)
        for name in sorted(set(before) | set(after), key=lambda n: list(headers).index(n) if n in headers else 99)
        if before.get(name) != after.get(name)
    ]
    changed = list(dict.fromkeys(changed)) or [_("（内容）")]
    return _(
        "编号与%(where)s相同，但以下各列不同：%(cols)s。本行未导入，已保存的记录未改动；如需更正，请在该记录的页面修改（修改会留痕）"
    ) % {"where": where, "cols": "、".join(changed)}


def run_import(
    kind: RecordKind | str,
    fileobj,
    *,
    township,
    user=None,
    filename: str | None = None,
    progress: Callable[[ImportResult], None] | None = None,
    batch_size: int | None = None,
    job=None,
    lease: str = "",
) -> ImportResult:
    """Import ``fileobj`` (binary file object or path) into ``township``.

    Raises ``FileRejected`` when the file as a whole is unusable (no sheet has the headers,
    not a spreadsheet, a zip bomb); nothing is saved then. ``progress(result)`` is called after
    each batch. With ``job`` (an ``ImportJob`` holding ``lease``), rejected rows and progress are
    committed with each batch and the run resumes after ``job.checkpoint``.
    """
    kind = get_kind(kind) if isinstance(kind, str) else kind
    opened = None
    if isinstance(fileobj, (str, os.PathLike)):
        filename = filename or str(fileobj)
        fileobj = opened = open(fileobj, "rb")  # noqa: SIM115
    try:
        table = open_table(fileobj, filename)
        try:
            run = Run(
                kind,
                township=township,
                user=user,
                batch_size=batch_size or kind.batch_size,
                progress=progress,
                job=job,
                lease=lease,
            )
            return run.run(table)
        finally:
            table.close()
    finally:
        if opened is not None:
            opened.close()


def _cell_text(value) -> str:
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, FormulaWithoutValue):
        return f"(={value.ref})"
    return "" if value is None else str(value)


def reject_csv_header(headers) -> list[str]:
    return [*REJECT_HEADERS, *(clean_text(h) for h in headers)]


def reject_csv_row(width, sheet, row_no, cells, reason) -> list[str]:
    cells = [neutralise(_cell_text(c)) for c in cells]
    cells += [""] * (width - len(cells))
    return [neutralise(sheet), row_no or "", reason, *cells]


def write_rejects_rows(headers, rejected, fileobj) -> None:
    """Rejected rows as CSV (UTF-8 with BOM for Excel): 工作表, 行号, 原因, then the original columns.
    ``rejected`` yields (sheet, row number, cells, reason)."""
    fileobj.write("\ufeff")
    writer = csv.writer(fileobj)
    writer.writerow(reject_csv_header(headers))
    width = len(headers)
    for sheet, row_no, cells, reason in rejected:
        writer.writerow(reject_csv_row(width, sheet, row_no, cells, reason))


def write_rejects(result: ImportResult, fileobj) -> None:
    write_rejects_rows(result.headers, result.rejected, fileobj)


def rejects_path(path) -> Path:
    path = Path(path)
    return path.with_name(f"{path.stem}.rejected.csv")


def reject_columns(kind: RecordKind, reason: str) -> list[str]:
    """The columns a reason names (each of its parts starts "列名：")."""
    headers = set(kind.headers)
    found = []
    for part in reason.split("；"):
        head = part.split("：", 1)[0]
        if head in headers and head not in found:
            found.append(head)
    return found


__all__ = ["ImportResult", "LeaseLost", "column_letters", "reject_columns", "run_import", "write_rejects"]
