"""Server time of the committees and projects pages at county scale (seed_scale data in sc_bench).

DATABASE_URL=postgres://postgres@127.0.0.1:5432/sc_bench .venv/bin/python bench/bench_committees.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.base")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from safecommunity.models import User  # noqa: E402

PAGES = [
    "/committees/",
    "/committees/meetings/",
    "/committees/actions/",
    "/committees/activities/",
    "/committees/groups/",
    "/projects/list/",
    "/projects/interventions/",
    "/projects/evidence/",
    "/projects/evidence/coverage/",
]
REPEAT = int(os.environ.get("BENCH_REPEAT", 20))


def main():
    setup_test_environment()
    for username in ("scale_county", "scale_t01"):
        user = User.objects.filter(username=username).first()
        if user is None:
            print(f"{username} missing: run seed_scale first")
            return
        client = Client()
        client.force_login(user)
        for url in PAGES:
            client.get(url)  # warm up
            times = []
            for _ in range(REPEAT):
                t = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(f"{username:13s} {url:32s} median {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
