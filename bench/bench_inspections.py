"""Benchmark: "my tasks" and the hazard list at county scale (targets: p95 ≤ 100 ms).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sc_bench .venv/bin/python bench/bench_inspections.py

Needs ``manage.py seed_scale`` in sc_bench (scale county 371702: 10,000 entities, 300,000
inspections, 200,000 hazards). Prints median and p95 server time over repeated requests made
with Django's test Client (no network, template rendering included).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
TARGET_MS = 100


def measure(client, url, params=None):
    client.get(url, params or {})  # warm up
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(url, params or {})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95


def main():
    if connection.vendor != "postgresql":
        sys.exit("run against PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/sc_bench")
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    from inspections.models import Grid, Hazard, Inspection, SupervisedEntity
    from safecommunity.models import User

    county = "371702"
    n_entities = SupervisedEntity.objects.filter(township__parent__code=county).count()
    if not n_entities:
        sys.exit("no scale data: run manage.py seed_scale against sc_bench first")
    print(
        f"scale county {county}: {Grid.objects.filter(township__parent__code=county).count()} grids, "
        f"{n_entities} entities, {Inspection.objects.filter(township__parent__code=county).count()} inspections, "
        f"{Hazard.objects.filter(township__parent__code=county).count()} hazards; {REPEAT} requests each"
    )
    inspector = (
        User.objects.filter(role="grid_inspector", inspected_grids__township__parent__code=county)
        .order_by("username")
        .first()
    )
    users = {
        "inspector": inspector,
        "township": User.objects.get(username="scale_t01"),
        "county": User.objects.get(username="scale_county"),
    }
    today = timezone.localdate().isoformat()
    cases = [
        ("my tasks (index)", "/inspections/", None, ["inspector", "township", "county"]),
        ("hazard list", "/inspections/hazards/", None, ["inspector", "township", "county"]),
        ("hazard list, overdue", "/inspections/hazards/", {"overdue": "true"}, ["township", "county"]),
        ("hazard list, page 50", "/inspections/hazards/", {"page": "50"}, ["county"]),
        ("entity list", "/inspections/entities/", None, ["township", "county"]),
        ("grid coverage", "/inspections/grids/", None, ["township", "county"]),
    ]
    print(f"{'page':28} {'user':10} {'median ms':>10} {'p95 ms':>8}  target ≤ {TARGET_MS} ms p95  (as of {today})")
    for label, url, params, who in cases:
        for role in who:
            client = Client()
            client.force_login(users[role])
            median, p95 = measure(client, url, params)
            flag = "ok" if p95 <= TARGET_MS else "SLOW"
            print(f"{label:28} {role:10} {median:10.1f} {p95:8.1f}  {flag}")


if __name__ == "__main__":
    main()
