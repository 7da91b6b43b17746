"""Growth of the main pages with the data (docs/scaling.md): run against databases seeded with
``seed_scale --fraction 1/4``, ``1/2`` and ``1`` and compare.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sc_q REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/bench_growth.py

Read-only: the database connection is opened with ``default_transaction_read_only``, sessions are
signed cookies and the login does not touch ``last_login``, so a shared benchmark database is
never written (the cache's data versions, in Redis, are). For each page: the warm median and p95
over BENCH_REPEAT requests (Django test client, in-process), the cold median (the county's data
versions moved before each request, as after a write), the query count and the time of the same
SQL run directly (cold), and the page ÷ SQL ratio.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.base")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c default_transaction_read_only=on"
settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
django.setup()

from django.contrib.auth import user_logged_in  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from safecommunity.datacache import data_changed  # noqa: E402
from safecommunity.models import Area, User  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", 10))
COLD = int(os.environ.get("BENCH_COLD", 3))
COUNTY = "371702"
DOMAINS = ("incidents", "inspections", "committees", "projects")


def _p95(samples):
    samples = sorted(samples)
    return samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]


def _sql_ms(queries) -> float:
    """The captured queries run again directly (their plans and rows, without Django)."""
    total = 0.0
    with connection.cursor() as cursor:
        for q in queries:
            sql = q["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            start = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            total += time.perf_counter() - start
    return total * 1000


def measure(label, client, url, townships):
    def cold():
        for domain in DOMAINS:
            data_changed(domain, townships)

    client.get(url)  # warm-up
    warm = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(url)
        warm.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    colds, counts, sql = [], [], []
    for _ in range(COLD):
        cold()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            colds.append((time.perf_counter() - start) * 1000)
        counts.append(len(captured))
        cold()
        sql.append(_sql_ms(captured.captured_queries))
    cold_ms, sql_ms = statistics.median(colds), statistics.median(sql)
    print(
        f"| {label} | {statistics.median(warm):.0f} / {_p95(warm):.0f} | {cold_ms:.0f} | {max(counts)} "
        f"| {sql_ms:.0f} | {cold_ms / max(sql_ms, 0.1):.1f} |",
        flush=True,
    )


def main():
    if connection.vendor != "postgresql":
        sys.exit("run against PostgreSQL")
    # A login writes (last_login, axes' access log, the audit's security event): none of it here.
    # (user_logged_in does not cache its receivers per sender, so emptying the list is enough.)
    user_logged_in.receivers = []
    county = Area.objects.get(code=COUNTY)
    townships = list(Area.objects.filter(parent=county).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
        counts = {}
        for table in ("incidents_injuryrecord", "incidents_incident", "inspections_inspection", "inspections_hazard"):
            cursor.execute(f"SELECT reltuples::bigint FROM pg_class WHERE relname = '{table}'")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    load = os.getloadavg()
    print(
        f"database {settings.DATABASES['default']['NAME']} ({size}): "
        + ", ".join(f"{t.split('_', 1)[1]} ≈{n:,}" for t, n in counts.items())
        + f"; load average {load[0]:.1f} on {os.cpu_count()} cores; {REPEAT} warm + {COLD} cold requests"
    )
    county_client, township_client = Client(), Client()
    county_client.force_login(User.objects.get(username="scale_county"))
    township_client.force_login(User.objects.get(username="scale_t01"))
    year = timezone.localdate().year
    print("| page | warm p50 / p95 ms | cold median ms | queries (cold) | SQL ms | cold ÷ SQL |")
    print("|---|---|---|---|---|---|")
    pages = [
        ("injury list, county", county_client, "/incidents/injuries/"),
        ("injury list, county, page 200", county_client, f"/incidents/injuries/?year={year}&page=200"),
        ("incident list, county", county_client, "/incidents/list/"),
        ("hazard list, county", county_client, "/inspections/hazards/"),
        ("county dashboard", county_client, "/reports/dashboard/"),
        ("county statistics, last year", county_client, f"/incidents/statistics/?year={year - 1}"),
        ("township dashboard", township_client, "/reports/dashboard/"),
        ("township injury list", township_client, "/incidents/injuries/"),
    ]
    for label, client, url in pages:
        measure(label, client, url, townships)


if __name__ == "__main__":
    main()
