"""Incidents benchmark at county scale (PostgreSQL, seed_scale data in sc_bench).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sc_bench .venv/bin/python bench/bench_incidents.py

Prints server time (median and p95 over repeated requests through Django's test Client) of
the list pages and the statistics page, and the throughput and peak memory of importing
100,000 injury rows (run in a child process, rolled back so sc_bench is left as it was).
Targets: list ≤ 100 ms p95, statistics county-year ≤ 200 ms p95, import ≥ 2,000 rows/s
under 500 MB.
"""

import csv
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.base")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from incidents.models import Incident, InjuryRecord  # noqa: E402
from safecommunity.models import Area, User  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", 30))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", 100_000))
SCALE_COUNTY = "371702"


COLD_TOWNSHIPS: list[int] = []


def timed(client, url, repeat=REPEAT, cold=False):
    """Server time of ``url``. ``cold``: the county's data changes before every request, so no
    cached statistics or counts can be used (the first view after an import or an edit)."""
    from safecommunity.datacache import data_changed

    client.get(url)  # warm-up
    samples = []
    for _ in range(repeat):
        if cold:
            data_changed("incidents", COLD_TOWNSHIPS)
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * len(samples))) - 1)]
    return statistics.median(samples), p95


def report(label, url, client, target=None):
    for cold in (False, True):
        median, p95 = timed(client, url, cold=cold)
        verdict = "" if target is None else ("  OK" if p95 <= target else f"  ABOVE TARGET {target} ms")
        name = f"{label} ({'cold: data changed before each' if cold else 'repeated'})"
        print(f"{name:<80} median {median:7.1f} ms   p95 {p95:7.1f} ms{verdict}")


def _import_child(path, township_id, queue):
    from safecommunity.records import run_import

    connections.close_all()
    township = Area.objects.get(pk=township_id)
    start = time.perf_counter()

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            result = run_import("injuries", path, township=township)
            raise Rollback
    except Rollback:
        pass
    elapsed = time.perf_counter() - start
    queue.put((result.imported, result.duplicates, len(result.rejected), elapsed))


def bench_import(township):
    from safecommunity.records import get_kind

    kind = get_kind("injuries")
    rows = kind.sample_rows(IMPORT_ROWS, township)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(kind.headers)
        writer.writerows(rows)
        path = f.name
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    process = ctx.Process(target=_import_child, args=(path, township.pk, queue))
    process.start()
    imported, duplicates, rejected, elapsed = queue.get()
    process.join()
    peak_mb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    os.unlink(path)
    rate = imported / elapsed if elapsed else 0
    ok = "  OK" if rate >= 2000 and peak_mb < 500 else "  ABOVE TARGET"
    print(
        f"{'import 100k injury rows (csv, rolled back)':<48} {imported} imported, {duplicates} dup, "
        f"{rejected} rejected in {elapsed:.1f}s = {rate:,.0f} rows/s, peak RSS {peak_mb:.0f} MB{ok}"
    )


def main():
    if connection.vendor != "postgresql":
        sys.exit("run against PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/sc_bench")
    county = Area.objects.filter(code=SCALE_COUNTY).first()
    if county is None:
        sys.exit("no scale county: run `manage.py seed_scale` on sc_bench first")
    injuries = InjuryRecord.objects.filter(township__parent=county).count()
    incidents = Incident.objects.filter(township__parent=county).count()
    year = timezone.localdate().year
    print(
        f"database {settings.DATABASES['default']['NAME']}: {injuries:,} injury records, {incidents:,} incidents "
        f"in county {SCALE_COUNTY}; {REPEAT} requests each"
    )

    county_client, township_client = Client(), Client()
    county_client.force_login(User.objects.get(username="scale_county"))
    township_client.force_login(User.objects.get(username="scale_t01"))
    township = Area.objects.get(code=f"{SCALE_COUNTY}001")
    COLD_TOWNSHIPS.extend(Area.objects.filter(parent=county).values_list("pk", flat=True))

    report("injury list, county, current year (default)", "/incidents/injuries/", county_client, 100)
    report("injury list, county, page 50", "/incidents/injuries/?year=" + str(year) + "&page=50", county_client, 100)
    report("injury list, county, cause filter", f"/incidents/injuries/?year={year}&cause=03", county_client, 100)
    report("injury list, township, current year", "/incidents/injuries/", township_client, 100)
    report("incident list, county, current year", "/incidents/list/", county_client, 100)
    report("incident list, county, grade filter", f"/incidents/list/?year={year}&grade=larger", county_client, 100)
    report("statistics, county, full year", f"/incidents/statistics/?year={year - 1}", county_client, 200)
    report("statistics, county, one month", f"/incidents/statistics/?year={year - 1}&month=7", county_client, 200)
    report("statistics, township, full year", f"/incidents/statistics/?year={year - 1}", township_client, 200)
    bench_import(township)


if __name__ == "__main__":
    main()
