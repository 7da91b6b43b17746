"""Issue 13: the embedded default (settings.local, what ``make demo`` runs) shows no debug
pages: no settings, no URL patterns, no tracebacks (OWASP ASVS 14.3.2)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/no-such-page/")
print("DEBUG", settings.DEBUG)
print("STATUS", response.status_code)
print(response.content.decode())
"""


def run_local(tmp_path, **extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="safecommunity.settings.local",
        MEDIA_ROOT=str(tmp_path / "media"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra_env,
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_embedded_default_runs_without_debug_pages(tmp_path):
    out = run_local(tmp_path)
    assert "DEBUG False" in out and "STATUS 404" in out
    assert "URLconf" not in out and "urlpatterns" not in out.lower() and "SECRET_KEY" not in out


def test_debug_is_only_on_when_a_developer_asks_for_it(tmp_path):
    assert "DEBUG True" in run_local(tmp_path, DJANGO_DEBUG="1")
