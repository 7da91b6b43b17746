"""List pages over HTTP against gunicorn, and in-process, with the login page as the floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sc_bench REDIS_URL=redis://127.0.0.1:6379/9 \
        .venv/bin/python bench/bench_http.py [--seconds 6] [--concurrency 1,4,16] [--workers 3]

Starts gunicorn (``--workers`` sync workers, production settings, a throw-away secret key, static
files collected once into ``$DJANGO_STATIC_ROOT`` or /tmp/sc-bench-static) on a free port, logs
in the seed_scale users by a session made here, and for every list page prints:

- over HTTP at each concurrency: p50/p95 (ms) and req/s, with the anonymous login page measured
  the same way in the same run (the floor of a Django request on this machine), the ratio of the
  page's p95 to the login page's, and the verdict against issue 12's goals (p95 ≤ 3× login,
  ≥ 40 req/s at concurrency 4);
- in-process (Django's test client in this process): p50/p95 cached and cold (the county's data
  versions moved before every cold request, as a write does), the query count of each, the time
  of the cold request's SQL run directly, and cold page ÷ SQL;
- over HTTP, cold at ``--cold-concurrency`` (default 1): the same bump before every request
  (not timed), so each answer recomputes what a write made stale.

``--stampede`` instead measures issue 12's "16 users at once after a write ≤ 1.5× one" for the
county dashboard and statistics, against gunicorn as the image runs it (3 workers × 2 threads):
each round, one reader right after a write (median of 3), then 16 with their connections open
sending at the same moment right after another; the time from the first request sent to the last
answer read, and the median of the rounds' ratios (``--rounds``, default 5).

The machine may be shared: compare the ratios within one run, not figures across runs. Nothing
is written but sessions (and gunicorn's own) and the data versions of the scale county's
townships (``datacache.data_changed``, what any write does); no cache is emptied.
"""

import argparse
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET = "bench-" + secrets.token_urlsafe(48)
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT", "/tmp/sc-bench-static")
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "safecommunity.settings.production",
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_STATIC_ROOT": STATIC_ROOT,
    "DJANGO_LOG_LEVEL": "WARNING",
}
os.environ.update(SERVER_ENV)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from safecommunity.models import Area, User  # noqa: E402

SCALE_COUNTY = "371702"
LOGIN_PATH = "/accounts/login/"
#: The data cache's domains the list pages read (``datacache.track``).
DOMAINS = ("incidents", "inspections", "committees", "projects", "analysis", "briefings")
TOWNSHIPS: list[int] = []


def make_cold():
    """What a write in every township of the county does to the cached results and kept pages
    (``safecommunity.pages``): stale; and a write of every choice model (areas, users, members …)."""
    from django.apps import apps

    from safecommunity.datacache import data_changed
    from safecommunity.filters import CHOICE_MODELS, choices_changed

    for domain in DOMAINS:
        data_changed(domain, TOWNSHIPS)
    for label in CHOICE_MODELS:
        choices_changed(apps.get_model(label))


def pages():
    """(label, user, path) of every list page; the township user for the committee's lists."""
    year = timezone.localdate().year
    county, township = "scale_county", "scale_t01"
    return [
        ("incident list, county", county, "/incidents/list/"),
        ("injury list, county, page 1", county, "/incidents/injuries/"),
        ("injury list, county, page 50 (last offered)", county, "/incidents/injuries/?page=50"),
        ("injury list, county, ?page=2000 (→ page 50)", county, "/incidents/injuries/?page=2000"),
        ("injury list, county, cause filter", county, f"/incidents/injuries/?year={year}&cause=03"),
        ("injury list, township", township, "/incidents/injuries/"),
        ("hazard list, county", county, "/inspections/hazards/"),
        ("inspection list, county", county, "/inspections/inspections/"),
        ("entity list, county", county, "/inspections/entities/"),
        ("committee members, township", township, "/committees/members/"),
        ("meetings, township", township, "/committees/meetings/"),
        ("projects, township", township, "/projects/list/"),
        ("briefings, county", county, "/reports/briefings/"),
    ]


# --- gunicorn -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def collect_static():
    if (Path(STATIC_ROOT) / "staticfiles.json").exists():
        return
    print(f"collectstatic into {STATIC_ROOT} (once) …", flush=True)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        check=True,
        env={**os.environ, **SERVER_ENV},
        cwd=ROOT,
    )


def start_gunicorn(workers: int, threads: int = 1) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "safecommunity.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *(("--threads", str(threads)) if threads > 1 else ()),
            "--timeout",
            "120",
        ],
        env={**os.environ, **SERVER_ENV},
        cwd=ROOT,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            status, _ = get(port, LOGIN_PATH, None)
            if status == 200:
                return server, port
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not answer within 120 s")


def get(port, path, cookie, conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Accept-Language": "zh-hans"}
    if cookie:
        headers["Cookie"] = cookie
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    if own:
        conn.close()
    return response.status, response


def load(port, path, cookie, concurrency: int, seconds: float, cold: bool = False):
    """Requests from ``concurrency`` keep-alive clients for ``seconds``: (latencies ms, req/s).
    ``cold``: the data versions move before every request (not timed)."""
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = []
        while time.perf_counter() < stop:
            if cold:
                make_cold()
            started = time.perf_counter()
            try:
                status, _ = get(port, path, cookie, conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                status = 0
            mine.append((time.perf_counter() - started) * 1000)
            if status != 200:
                with lock:
                    failures.append(status)
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if failures:
        print(f"    {len(failures)} answers were not 200 (e.g. {failures[0]}) for {path}")
    return latencies, len(latencies) / elapsed


def pct(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered))) - 1))]


# --- in process -------------------------------------------------------------------------------------


def sql_time(queries) -> float:
    """The captured SELECTs run again directly (median of three passes), in ms."""
    statements = []
    for q in queries:
        sql = q["sql"]
        if " CURSOR WITHOUT HOLD FOR " in sql:
            sql = sql.split(" CURSOR WITHOUT HOLD FOR ", 1)[1]
        if sql.lstrip().upper().startswith("SELECT"):
            statements.append(sql)
    passes = []
    with connection.cursor() as cursor:
        for _ in range(3):
            started = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
            passes.append((time.perf_counter() - started) * 1000)
    return statistics.median(passes)


def in_process(client, path, repeat, cold_repeat=0):
    """Cached: (p50, p95, queries); cold (``cold_repeat`` > 0): (p50, p95, queries, SQL ms) too."""
    client.get(path)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    cached = (statistics.median(samples), pct(samples, 0.95), len(captured.captured_queries))
    if not cold_repeat:
        return cached, None
    colds, counts, sql = [], [], []
    for _ in range(cold_repeat):
        make_cold()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            client.get(path)
            colds.append((time.perf_counter() - started) * 1000)
        counts.append(len(captured.captured_queries))
        sql.append(sql_time(captured))
    return cached, (statistics.median(colds), pct(colds, 0.95), max(counts), statistics.median(sql))


# --- 16 readers right after a write, over HTTP --------------------------------------------------
STAMPEDE_PAGES = [("county dashboard", "/reports/dashboard/"), ("county statistics", "/incidents/statistics/")]


def make_dashboards_cold():
    """What a write in every township of the county (and the county's own rows) does to the
    dashboards and the statistics page: every result they show is stale (``bench_reports``)."""
    from reports.selectors import DATA_DOMAINS
    from safecommunity.datacache import data_changed

    county = Area.objects.get(code=SCALE_COUNTY)
    for domain in (*DATA_DOMAINS, "accountability", "baselines"):
        data_changed(domain, [*TOWNSHIPS, county.pk])


def at_once(port, path, cookie, readers: int) -> float:
    """``readers`` clients, each with its connection open, send ``path`` at the same moment: the ms
    from the first request sent to the last answer read."""
    ready = threading.Barrier(readers)
    times, failures = [], []
    lock = threading.Lock()

    def reader():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.connect()
        ready.wait()
        started = time.perf_counter()
        status, _ = get(port, path, cookie, conn)
        ended = time.perf_counter()
        conn.close()
        with lock:
            times.append((started, ended))
            if status != 200:
                failures.append(status)

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        sys.exit(f"{len(failures)} answers were not 200 (e.g. {failures[0]}) for {path}")
    return (max(e for _s, e in times) - min(s for s, _e in times)) * 1000


def stampede_http(port, cookie, rounds: int, readers: int = 16):
    """Issue 12: after a write, ``readers`` users at once ≤ 1.5× one. Each round: one reader alone
    right after a write (median of 3), then ``readers`` at once right after another; the ratio is
    the median of the rounds'."""
    print(f"\n{readers} readers at once right after a write, over HTTP ({rounds} rounds; goal ≤ 1.5× one)")
    for label, path in STAMPEDE_PAGES:
        for _ in range(4):  # every worker (and thread) has served the page before, as in production
            at_once(port, path, cookie, 6)
        results = []
        for _ in range(rounds):
            alone = []
            for _ in range(3):
                make_dashboards_cold()
                alone.append(at_once(port, path, cookie, 1))
            one = statistics.median(alone)
            make_dashboards_cold()
            many = at_once(port, path, cookie, readers)
            results.append((many / one, many, one))
        results.sort()
        ratio, many, one = results[len(results) // 2]
        verdict = "OK" if ratio <= 1.5 else "MISSED"
        print(
            f"{label:<46} one {one:6.1f} ms, {readers} at once {many:6.1f} ms → {ratio:4.2f}× "
            f"(rounds {results[0][0]:4.2f}–{results[-1][0]:4.2f}×) | {verdict}"
        )


def session_cookie(username) -> str:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return f"sessionid={client.cookies['sessionid'].value}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=6.0, help="per page and concurrency")
    parser.add_argument("--concurrency", default="1,4,16")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=15, help="in-process requests per page")
    parser.add_argument("--cold-repeat", type=int, default=5, help="in-process cold requests per page")
    parser.add_argument("--cold-concurrency", default="1", help="HTTP cold levels ('' for none)")
    parser.add_argument("--only", help="pages whose label contains this text")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument(
        "--stampede",
        action="store_true",
        help="only 16 readers at once after a write (dashboard, statistics) against gunicorn as the "
        "image runs it (--workers 3 --threads 2 unless given)",
    )
    parser.add_argument("--threads", type=int, default=None, help="gunicorn threads per worker")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the --stampede measure")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("run against PostgreSQL with seed_scale data (DATABASE_URL)")
    if not Area.objects.filter(code=SCALE_COUNTY).exists():
        sys.exit("no scale county: run `manage.py seed_scale` (then VACUUM ANALYZE) first")
    levels = [int(c) for c in args.concurrency.split(",")]
    cold_levels = [int(c) for c in args.cold_concurrency.split(",") if c]
    TOWNSHIPS.extend(Area.objects.filter(parent__code=SCALE_COUNTY).values_list("pk", flat=True))
    chosen = [p for p in pages() if not args.only or args.only in p[0]]
    collect_static()  # the production settings' static storage needs its manifest, in-process too
    if args.stampede:
        threads = args.threads or 2  # docker/entrypoint.sh: WEB_CONCURRENCY 3, WEB_THREADS 2
        server, port = start_gunicorn(args.workers, threads)
        print(
            f"database {connection.settings_dict['NAME']}; load average {os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} cores; gunicorn {args.workers} workers × {threads} threads, production settings"
        )
        try:
            stampede_http(port, session_cookie("scale_county"), args.rounds)
        finally:
            server.terminate()
            server.wait(timeout=30)
        return
    cookies = {user: session_cookie(user) for user in {p[1] for p in chosen}}
    print(
        f"database {connection.settings_dict['NAME']}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )

    print("\nin-process (Django test client, this process); cold: every township's data versions moved first")
    print(
        f"{'page':<46} {'cached p50 / p95 ms':>20} {'queries':>8} | {'cold p50 / p95 ms':>18} {'queries':>8}"
        f" {'SQL ms':>7} {'cold÷SQL':>9}"
    )
    clients = {}
    for user in cookies:
        clients[user] = Client()
        clients[user].force_login(User.objects.get(username=user))
    (floor50, floor95, _n), _cold = in_process(Client(), LOGIN_PATH, args.repeat)
    print(f"{'login page (anonymous)':<46} {floor50:9.1f} / {floor95:7.1f}")
    for label, user, path in chosen:
        (p50, p95, n), cold = in_process(clients[user], path, args.repeat, args.cold_repeat)
        line = f"{label:<46} {p50:9.1f} / {p95:7.1f} {n:8d}"
        if cold:
            c50, c95, cn, sql = cold
            line += f" | {c50:8.1f} / {c95:7.1f} {cn:8d} {sql:7.1f} {c50 / max(sql, 0.01):9.1f}"
        print(line, flush=True)

    if args.no_http:
        return
    server, port = start_gunicorn(args.workers, args.threads or 1)
    try:
        print(f"\nHTTP: gunicorn, {args.workers} sync workers, production settings, {args.seconds:.0f} s per cell")
        header = "".join(f" | c{c}: p50 / p95 ms, req/s" for c in levels)
        header += "".join(f" | cold c{c}: p50 / p95" for c in cold_levels)
        print(f"{'page':<46}{header} | p95 ÷ login (c1, c4) | goal")
        floor = {}
        for c in levels:
            latencies, rate = load(port, LOGIN_PATH, None, c, args.seconds)
            floor[c] = (statistics.median(latencies), pct(latencies, 0.95), rate)
        cells = "".join(f" | {floor[c][0]:6.1f} / {floor[c][1]:6.1f}, {floor[c][2]:6.1f}" for c in levels)
        print(f"{'login page (anonymous)':<46}{cells}")
        for label, user, path in chosen:
            results = {}
            for c in levels:
                latencies, rate = load(port, path, cookies[user], c, args.seconds)
                results[c] = (statistics.median(latencies), pct(latencies, 0.95), rate)
            for c in cold_levels:
                latencies, rate = load(port, path, cookies[user], c, args.seconds, cold=True)
                results[f"cold c{c}"] = (statistics.median(latencies), pct(latencies, 0.95), rate)
            cells = "".join(f" | {results[c][0]:6.1f} / {results[c][1]:6.1f}, {results[c][2]:6.1f}" for c in levels)
            cells += "".join(
                f" | cold c{c}: {results[f'cold c{c}'][0]:6.1f} / {results[f'cold c{c}'][1]:6.1f}" for c in cold_levels
            )
            ratios = [results[c][1] / floor[c][1] for c in levels if c in (1, 4)]
            c4_rate = results.get(4, (0, 0, 0))[2]
            ok = all(r <= 3 for r in ratios) and (4 not in results or c4_rate >= 40)
            verdict = "OK" if ok else "MISSED (p95 ≤ 3× login, ≥ 40 req/s at c4)"
            print(f"{label:<46}{cells} | {' / '.join(f'{r:.1f}×' for r in ratios)} | {verdict}")
        # The floor again at the end: how much the machine's load moved during the run.
        latencies, rate = load(port, LOGIN_PATH, None, 1, args.seconds)
        print(
            f"{'login page again (c1)':<46} | {statistics.median(latencies):6.1f} / {pct(latencies, 0.95):6.1f}, {rate:6.1f}"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
