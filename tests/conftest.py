"""Shared fixtures: the test world (areas and one user per role), a real Celery worker,
and a real browser (Playwright driving Debian's Chromium)."""

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

from safecommunity.choices import AreaLevel, Role
from safecommunity.models import Area, User
from safecommunity.services import area_create, user_create

# Playwright's sync API keeps an event loop in the test thread; Django must still allow
# synchronous ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent

# Hypothesis keeps no example database, and its other files (the constants cache, written
# while tests are collected) go to pytest's temporary folder: tests write nothing into the checkout.
hypothesis_settings.register_profile("portal", database=None)
hypothesis_settings.load_profile("portal")


def pytest_sessionstart(session):
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(session.config._tmp_path_factory.mktemp("hypothesis"))


PASSWORD = "Test-pass-2026"


def end_session(session_key, *, at):
    """The session ``session_key`` expires at ``at``, as if that much time had passed: its row's
    expiry moves, and a copy in the cache (cached_db sessions) ends with it, as the cache entry's
    own timeout (the session's expiry age when it was saved) would make it."""
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.contrib.sessions.models import Session
    from django.core.cache import caches

    Session.objects.filter(session_key=session_key).update(expire_date=at)
    caches[settings.SESSION_CACHE_ALIAS].delete(KEY_PREFIX + session_key)


@dataclass
class TestWorld:
    county: Area
    township1: Area
    township2: Area
    other_county: Area
    other_township: Area
    villages1: list[Area] = field(default_factory=list)
    villages2: list[Area] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)

    @property
    def village1(self):
        return self.villages1[0]

    @property
    def village2(self):
        return self.villages2[0]


# username → (role, which area); the scope-matrix harness in tests/scope.py reads this.
WORLD_USERS = {
    "township1": (Role.TOWNSHIP_STAFF, "township1"),
    "inspector1": (Role.GRID_INSPECTOR, "township1"),
    "member1": (Role.COMMITTEE_MEMBER, "township1"),
    "county": (Role.COUNTY_SUPERVISOR, "county"),
    "admin": (Role.ADMINISTRATOR, "county"),
    "township2": (Role.TOWNSHIP_STAFF, "township2"),
    "inspector2": (Role.GRID_INSPECTOR, "township2"),
    "member2": (Role.COMMITTEE_MEMBER, "township2"),
    "othercounty": (Role.COUNTY_SUPERVISOR, "other_county"),
}


def build_world() -> TestWorld:
    county = area_create(code="371799", name="安宁县", level=AreaLevel.COUNTY)
    t1 = area_create(code="371799001", name="城关街道", level=AreaLevel.TOWNSHIP, parent=county)
    # Codes follow 统计用区划代码: 001–099 街道, 100–199 镇; villages 001–199 社区, 200–399 村.
    t2 = area_create(code="371799101", name="青山镇", level=AreaLevel.TOWNSHIP, parent=county)
    other = area_create(code="371800", name="邻县", level=AreaLevel.COUNTY)
    other_t = area_create(code="371800101", name="邻县一镇", level=AreaLevel.TOWNSHIP, parent=other)
    world = TestWorld(county=county, township1=t1, township2=t2, other_county=other, other_township=other_t)
    for i, name in enumerate(["东关社区", "西关社区", "南街社区"], start=1):
        world.villages1.append(area_create(code=f"371799001{i:03d}", name=name, level=AreaLevel.VILLAGE, parent=t1))
    for i, name in enumerate(["青山村", "李庄村"], start=201):
        world.villages2.append(area_create(code=f"371799101{i:03d}", name=name, level=AreaLevel.VILLAGE, parent=t2))
    area_create(code="371800101201", name="邻县一村", level=AreaLevel.VILLAGE, parent=other_t)
    for username, (role, where) in WORLD_USERS.items():
        world.users[username] = user_create(
            username=username, password=PASSWORD, role=role, area=getattr(world, where), full_name=f"{username}姓名"
        )
    return world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def as_user(client, world):
    """``as_user("township1")`` logs the test client in as that world user and returns it."""

    def login(username):
        client.force_login(world.users[username])
        return client

    return login


# --- A real Celery worker --------------------------------------------------------------------


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if s["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("a real Celery worker needs PostgreSQL: set DATABASE_URL (the README's test command does)")
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class WorkerProcess:
    def __init__(self, queue: str, name: str, log_dir: Path, concurrency: int = 1, pool: str = "prefork"):
        self.queue, self.name = queue, name
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "DJANGO_SETTINGS_MODULE": "safecommunity.settings.test",
            "SC_CELERY_EAGER": "0",
        }
        # The worker reads and writes the files the test does: MEDIA_ROOT of the environment
        # when the test set one, else the test's settings. It reads and clears the cache keys
        # of this test process: the same key prefix.
        env.setdefault("MEDIA_ROOT", str(settings.MEDIA_ROOT))
        env.setdefault("SC_TEST_CACHE_PREFIX", settings.CACHES["default"].get("KEY_PREFIX", ""))
        self.log = open(log_dir / f"{name}.log", "w+")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "safecommunity",
                "worker",
                "-Q",
                queue,
                "-n",
                f"{name}@%h",
                "-c",
                str(concurrency),
                "-P",
                pool,
                "--without-gossip",
                "--without-mingle",
                "-l",
                "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, app, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                pytest.fail(f"celery worker exited early:\n{self.log.read()[-3000:]}")
            if app.control.ping(timeout=0.5, destination=[f"{self.name}@{os.uname().nodename}"]):
                return self
        pytest.fail("celery worker did not answer a ping within the timeout")

    def kill(self):
        """SIGKILL: the worker dies mid-task, as on a crash or an OOM kill."""
        self.proc.kill()
        self.proc.wait(10)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


@pytest.fixture
def celery_worker_factory(transactional_db, tmp_path):
    """Starts real Celery workers (subprocesses) on a queue of this test alone, against the
    test database and the Redis of REDIS_URL. Tasks sent by the test go to that queue."""
    if not settings.REDIS_URL:
        pytest.fail("a real Celery worker needs Redis: set REDIS_URL (the README's test command does)")
    from safecommunity.celery import app

    queue = f"sc-test-{uuid.uuid4().hex[:8]}"
    saved = (app.conf.task_default_queue, app.conf.task_always_eager)
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    workers: list[WorkerProcess] = []

    def start(concurrency=1, pool="prefork"):
        worker = WorkerProcess(queue, f"w{len(workers)}-{queue}", tmp_path, concurrency=concurrency, pool=pool)
        workers.append(worker)
        return worker.wait_ready(app)

    yield start
    for worker in workers:
        worker.stop()
    app.conf.task_default_queue, app.conf.task_always_eager = saved
    with app.connection_for_write() as conn:
        # The queue and the bindings of its exchange (named after it): keys of this test alone.
        conn.default_channel.client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


@pytest.fixture
def celery_worker(celery_worker_factory):
    return celery_worker_factory()


# --- A real browser --------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(f"{executable} is missing: the README's test command installs Debian's chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A desktop-sized page whose browser asks for Chinese, as offices' browsers do."""
    context = browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A 360-px-wide phone, as grid inspectors use in the field."""
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def browser_login(live_server, transactional_db):
    """``browser_login(page, "township1")`` fills in the real login form."""

    def login(page, username, password=PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("#login-button")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return login


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached results and data versions never leak from one test into the next (ids are reused).
    The test cache has a key prefix of this process (safecommunity/settings/test.py), so clearing
    deletes only its own keys in the Redis database of REDIS_URL, before and after each test."""
    from django.core.cache import cache

    cache.delete_own_keys()
    yield
    cache.delete_own_keys()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Files a test makes (uploads, generated PDFs, the demo data's documents) go to the test's
    temporary folder, never into the checkout's ./media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (Chinese); a request in English must not leak."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
