"""The production image replayed on this machine without Docker.

What a clean clone holds (git's tracked and not-ignored files) is copied as the Dockerfile's COPY
lines say, into a fresh virtualenv ``pip install .`` (not editable; pip's ordinary configuration and
cache, so a dependency missing from pyproject.toml fails here), then the Dockerfile's collectstatic
and compilemessages run with the production settings, and the entrypoint's web, worker and beat are
started against the test database and a Redis of this test: /healthz answers 200 and that worker
renders a briefing."""

import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .servers import free_port

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


def dockerfile_instructions():
    """(instruction, arguments) of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            yield word.upper(), rest.strip()


def clean_clone_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return [f for f in out.split("\0") if f and (ROOT / f).is_file()]


def replay_copies(files: list[str], app: Path, root: Path):
    """Each ``COPY src... dest`` of the Dockerfile, from the clean-clone files."""
    for word, rest in dockerfile_instructions():
        if word != "COPY":
            continue
        *sources, dest = shlex.split(rest)
        target = root / dest.lstrip("/") if dest.startswith("/") else app / dest
        for src in sources:
            chosen = [f for f in files if f == src or f.startswith(src.rstrip("/") + "/")]
            assert chosen, f"COPY {src}: nothing in a clean clone"
            for f in chosen:
                if dest.endswith("/"):
                    out = target / f
                elif f == src:
                    out = target
                else:
                    out = target / Path(f).relative_to(src)
                out.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / f, out)


def run(cmd, env, cwd, timeout=300):
    result = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{cmd}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def wait_for(predicate, timeout, what, procs=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, proc, log in procs:
            if proc.poll() is not None:
                pytest.fail(f"{name} exited while waiting for {what}:\n{log.read_text()[-3000:]}")
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    logs = "\n".join(f"--- {name}\n{log.read_text()[-2000:]}" for name, _p, log in procs)
    pytest.fail(f"timed out waiting for {what}\n{logs}")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_production_image_builds_and_its_worker_renders_a_briefing(tmp_path, world, redis_server):
    from celery import Celery

    from reports import services
    from reports.choices import RenderStatus
    from reports.models import Briefing
    from tests.conftest import _database_url

    steps = [rest for word, rest in dockerfile_instructions() if word == "RUN"]
    assert any("pip install ." in s for s in steps)
    assert any("collectstatic --noinput" in s and "compilemessages" in s for s in steps)

    app, root = tmp_path / "app", tmp_path / "root"
    replay_copies(clean_clone_files(), app, root)
    venv = tmp_path / "venv"
    run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", str(venv)], os.environ, tmp_path)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DJANGO_", "VIRTUAL_ENV", "PYTHON", "SC_", "CELERY_", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT")
        )
    }
    for word, rest in dockerfile_instructions():
        if word == "ENV":
            env.update(dict(kv.split("=", 1) for kv in shlex.split(rest)))
    env.pop("PIP_NO_CACHE_DIR", None)  # the image builds without a cache; here the warm cache keeps CI fast
    env.update(
        PATH=f"{venv / 'bin'}:{root / 'usr/local/bin'}:{env['PATH']}",
        MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_STATIC_ROOT=str(tmp_path / "staticfiles"),
        DJANGO_SETTINGS_MODULE="safecommunity.settings.production",
    )
    assert env["DJANGO_SETTINGS_MODULE"] == "safecommunity.settings.production"
    run([str(venv / "bin/pip"), "install", "-q", "."], env, app, timeout=600)
    installed = run([str(venv / "bin/pip"), "show", "-f", "safecommunity"], env, app).stdout
    assert "Editable project location" not in installed and "safecommunity/settings/production.py" in installed

    build = {**env, "DJANGO_SECRET_KEY": "build-only-" + secrets.token_urlsafe(48), "DJANGO_ALLOWED_HOSTS": "build"}
    run(["python", "manage.py", "collectstatic", "--noinput", "-v0"], build, app)
    run(["python", "manage.py", "compilemessages", "-v0"], build, app)
    assert (tmp_path / "staticfiles/staticfiles.json").exists()
    assert list((app / "locale").rglob("django.mo"))

    port = free_port()
    runtime = {
        **env,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_server.url,
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "WORKER_CONCURRENCY": "1",
    }
    entrypoint = root / "usr/local/bin/entrypoint"
    entrypoint.chmod(0o755)
    procs = []
    try:
        for role in ("web", "worker", "beat"):
            log = tmp_path / f"{role}.log"
            with open(log, "w") as fh:
                procs.append(
                    (
                        role,
                        subprocess.Popen(
                            ["entrypoint", role],
                            cwd=app,
                            env=runtime,
                            stdout=fh,
                            stderr=subprocess.STDOUT,
                            start_new_session=True,
                        ),
                        log,
                    )
                )

        def healthz():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    return r.status == 200 and json.load(r)
            except OSError:
                return None

        body = wait_for(healthz, 120, "/healthz 200", procs)
        assert body["database"] == "ok" and body["broker"] == "ok"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/vendor/leaflet/leaflet.js") as r:
            assert r.status == 200  # the originals are served too (Leaflet finds its icons beside its CSS)
        hashed = json.loads((tmp_path / "staticfiles/staticfiles.json").read_text())["paths"][
            "vendor/leaflet/leaflet.js"
        ]
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/static/{hashed}", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(request) as r:
            assert r.status == 200 and r.headers["Content-Encoding"] == "gzip"  # pages link the compressed copies
        assert not (tmp_path / "staticfiles/vendor/leaflet/leaflet.js.br").exists()  # originals: not compressed

        briefing, _ = services.briefing_generate(township=world.township1, year=2026, month=3)
        # Not the current app: the suite's own tasks keep their app and broker after this test.
        sender = Celery("replay", broker=redis_server.url, set_as_current=False)
        sender.send_task("reports.tasks.briefing_render", args=[briefing.pk])
        sender.close()
        wait_for(
            lambda: Briefing.objects.get(pk=briefing.pk).render_status == RenderStatus.READY,
            120,
            "the image's worker to render the briefing",
            procs,
        )
        briefing.refresh_from_db()
        pdf = tmp_path / "media" / briefing.pdf.name
        assert pdf.read_bytes().startswith(b"%PDF") and briefing.pdf_sha256
        assert "beat: Starting" in (tmp_path / "beat.log").read_text()
    finally:
        for _name, proc, _log in procs:
            if proc.poll() is None:
                proc.terminate()
        for _name, proc, _log in procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
