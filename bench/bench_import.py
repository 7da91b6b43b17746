"""Benchmark of the records import engine.

    .venv/bin/python bench/bench_import.py --kind villages --rows 999
    .venv/bin/python bench/bench_import.py --kind incidents --rows 100000 --format xlsx
    .venv/bin/python bench/bench_import.py --kind villages --rows 100000 --engine-only

Generates N rows with the kind's ``sample_rows(n, township)`` (in a child process, so that the
generated rows do not count in the import's memory), writes them to a temporary .csv/.xlsx,
times ``run_import`` and prints rows/s and peak RSS. ``--bomb`` instead times the refusal of a
400 KB .xlsx that decompresses to 100 MB of shared strings. The import commits batch by batch as
a real import does (deferred foreign-key checks and the summary tables' triggers included), in a
throw-away county 999999 unless ``--township CODE`` is given; the rows it added are deleted
afterwards and the tables it touched vacuumed (``--keep`` keeps them). ``--rollback`` runs it in one transaction rolled back at the
end instead: faster to clean up, but not what an import costs (one transaction of 100 batches
updates the same summary rows 100 times, and PostgreSQL walks their versions on every batch). ``--engine-only`` measures reading, parsing and
de-duplication without touching the database (existing keys: none; saving: a no-op).
``--batch-size N`` overrides the kind's rows per transaction (injuries: 5,000).
Targets: >= 5,000 rows/s; peak RSS < 300 MB for 1,000,000 rows; a bomb refused within seconds.

Measured (docs/scaling.md, "Imports, second round"; the 2 cores are shared, so print ``uptime``
with every figure and alternate before/after): ``--kind injuries --rows 100000``, 13 alternated
pairs at load 2-6, median 2,771 rows/s before and 3,336 after (1.2-1.3x at a given load);
5,030-5,184 rows/s after when the load is <= 2.5. 1,000,000 rows: 245 MB peak RSS.

    .venv/bin/python bench/bench_import.py --kind injuries --rows 1000000
    .venv/bin/python bench/bench_import.py --kind injuries --bomb
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.local")


class Rollback(Exception):
    pass


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def engine_only(kind):
    """The same kind, with the database left out: measures the engine itself."""
    from safecommunity.records import importer

    importer._claim = lambda kind, township, job, rows: {row.identity for row in rows}

    class EngineOnly(type(kind)):
        def existing_keys(self, keys, *, township):
            return set()

        def existing_numbers(self, numbers, *, township):
            return {}

        def save_batch(self, rows, *, township, user):
            return len(rows)

    return EngineOnly()


def write_sample(kind_name, n, fmt, path, township_code):
    """Runs in a child process: ``n`` sample rows of the kind written to ``path``."""
    import django

    django.setup()

    from safecommunity.records import get_kind
    from safecommunity.records.writing import write_csv, write_xlsx

    kind = get_kind(kind_name)
    township = sample_township(township_code)  # committed: the throw-away county stays in the bench database
    rows = kind.sample_rows(n, township)
    if len(rows) < n:
        distinct = rows
        rows = [distinct[i % len(distinct)] for i in range(n)]
    if fmt == "csv":
        with open(path, "w", encoding="utf-8", newline="") as fileobj:
            write_csv(fileobj, kind.headers, rows)
    else:
        write_xlsx(path, kind.headers, rows)


def bomb(kind):
    import io
    import zipfile

    from safecommunity.records import FileRejected, run_import

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/sharedStrings.xml", "w") as stream:
            for _ in range(100):
                stream.write(b"A" * (1 << 20))
    size = len(out.getvalue())
    out.name = "bomb.xlsx"
    started = time.perf_counter()
    try:
        run_import(kind, out, township=None, filename="bomb.xlsx")
        verdict = "NOT refused"
    except FileRejected as exc:
        verdict = f"refused: {exc.message}"
    elapsed = time.perf_counter() - started
    print(f"bomb: {size / 1e3:.0f} KB file, 100 MB of shared strings; {verdict}")
    print(f"bomb: {elapsed * 1000:.1f} ms; peak RSS {peak_rss_mb():.0f} MB")


def committed_state(kind, township):
    """What the township holds before the import: its last record id, and the time."""
    from django.db.models import Max
    from django.utils import timezone

    return kind.for_township(township).aggregate(m=Max("pk"))["m"] or 0, timezone.now()


def remove_added(kind, township, before):
    """Delete the records this run added, and the identities it claimed: in SQL (the ORM's
    delete loads every row to send its signals), then the data cache is told."""
    from safecommunity.datacache import bulk_changed
    from safecommunity.records.models import ImportedRow

    last_pk, started_at = before
    added = kind.for_township(township).filter(pk__gt=last_pk)
    added._raw_delete(added.db)
    claimed = ImportedRow.objects.filter(township=township, kind=kind.name, created_at__gte=started_at)
    claimed._raw_delete(claimed.db)
    bulk_changed(kind.model, township_ids=[township.pk])
    vacuum_touched(kind)


def vacuum_touched(kind):
    """``VACUUM ANALYZE`` the tables the run wrote and deleted from (the kind's, the identities,
    the summary tables its triggers keep): a run's deleted rows and the summaries' old versions
    otherwise stay as dead tuples that the next run walks (seen here: 4,000 rows/s on a database
    after a dozen runs, 5,200 after a VACUUM), so that runs would measure the bench's own debris."""
    from django.db import connection

    from incidents import summary
    from safecommunity.records.models import ImportedRow

    if connection.vendor != "postgresql":
        return
    models = [kind.model, ImportedRow, summary.IncidentDay, summary.InjuryDay, summary.MonthlyCount]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def sample_township(code):
    from safecommunity.choices import AreaLevel
    from safecommunity.models import Area
    from safecommunity.services import area_get_or_create

    if code:
        return Area.objects.get(code=code, level=AreaLevel.TOWNSHIP)
    county = area_get_or_create(code="999999", name="基准测试县", level=AreaLevel.COUNTY)
    township = area_get_or_create(code="999999001", name="基准测试镇", level=AreaLevel.TOWNSHIP, parent=county)
    for i in range(1, 6):  # kinds that name a village need some
        area_get_or_create(code=f"999999001{i:03d}", name=f"基准村{i}", level=AreaLevel.VILLAGE, parent=township)
    return township


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kind", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--township", help="township code (default: a throw-away one)")
    parser.add_argument("--engine-only", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the imported rows")
    parser.add_argument("--rollback", action="store_true", help="one transaction, rolled back at the end")
    parser.add_argument("--bomb", action="store_true", help="time the refusal of a zip bomb")
    parser.add_argument("--batch-size", type=int, help="rows per batch (default: the kind's batch_size)")
    parser.add_argument("--write-only", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_only:
        write_sample(args.kind, args.rows, args.format, args.write_only, args.township)
        return

    import django

    django.setup()
    from django.db import transaction

    from safecommunity.records import get_kind, run_import

    kind = get_kind(args.kind)
    if args.bomb:
        bomb(kind)
        return
    if args.engine_only:
        kind = engine_only(kind)
    rss_start = peak_rss_mb()
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bench.{args.format}"
        started = time.perf_counter()
        # Generated before this process opens its transaction (the child creates the same township).
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--kind",
                args.kind,
                "--rows",
                str(args.rows),
                "--format",
                args.format,
                "--write-only",
                str(path),
                *(["--township", args.township] if args.township else []),
            ],
            check=True,
        )
        n = args.rows
        generated = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6
        township = sample_township(args.township)
        if args.rollback:
            try:
                with transaction.atomic():
                    rss_before = peak_rss_mb()
                    started = time.perf_counter()
                    result = run_import(kind, path, township=township, batch_size=args.batch_size)
                    elapsed = time.perf_counter() - started
                    rss_after = peak_rss_mb()
                    if not args.keep:
                        raise Rollback
            except Rollback:
                pass
        else:
            before = committed_state(kind, township)
            rss_before = peak_rss_mb()
            started = time.perf_counter()
            try:
                result = run_import(kind, path, township=township, batch_size=args.batch_size)
                elapsed = time.perf_counter() - started
                rss_after = peak_rss_mb()
            finally:
                if not args.keep and not args.engine_only:
                    remove_added(kind, township, before)
    rate = n / elapsed if elapsed else float("inf")
    print(f"kind {args.kind}{' (engine only)' if args.engine_only else ''}, {n} rows, {args.format}, {size_mb:.1f} MB")
    print(f"generated in {generated:.1f} s; {result.summary}")
    print(f"import: {elapsed:.2f} s, {rate:,.0f} rows/s (target >= 5,000)")
    print(
        f"peak RSS: {rss_after:.0f} MB (before import {rss_before:.0f} MB, at start {rss_start:.0f} MB;"
        f" target < 300 MB)"
    )


if __name__ == "__main__":
    main()
