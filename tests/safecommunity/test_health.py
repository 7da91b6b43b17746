import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_needs_no_login_and_reports_the_database(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body == {"database": "ok", "broker": "not_configured", "worker": "not_configured", "status": "ok"}


def test_healthz_reveals_no_secrets(client, db, settings):
    body = client.get("/healthz").content.decode()
    assert settings.SECRET_KEY not in body
    assert "postgres://" not in body and "redis://" not in body


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_healthz_reports_a_real_worker_by_its_heartbeat(client, celery_worker):
    """More in tests/faults/test_healthz.py (no worker, Redis stopped or hung, a worker killed)."""
    body = client.get("/healthz").json()
    assert body["broker"] == "ok"
    assert body["worker"] == "ok" and body["workers"] >= 1


def _production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="safecommunity.settings.production", **extra)
    return env


SECRET = "k" * 20 + "-production-secret-for-tests-only-0123456789abcdef"


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS="anquan.example.gov.cn"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DJANGO_ALLOWED_HOSTS": "anquan.example.gov.cn"}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_ALLOWED_HOSTS": "a.example", "DJANGO_SECRET_KEY": "short"}, "at least 50 characters"),
        ({"DJANGO_SECRET_KEY": SECRET}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert message in result.stderr


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_image_entry_command_serves_the_portal():
    """docker/entrypoint.sh web (the image's CMD) migrates and serves /healthz with gunicorn."""
    from tests.conftest import _database_url

    port = _free_port()
    env = _production_env(
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=_database_url(),
        DJANGO_SECURE_SSL_REDIRECT="False",
        PORT=str(port),
        WEB_CONCURRENCY="1",
        PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    )
    env.pop("REDIS_URL", None)
    proc = subprocess.Popen(
        ["sh", "docker/entrypoint.sh", "web"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    assert json.load(r)["database"] == "ok"
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail(proc.stdout.read().decode()[-3000:])
                time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(20)
