"""The records registry is filled on its first use; gunicorn's threaded workers (gthread, the
production entrypoint) may ask from several requests at once. Eight threads asking at once in a
fresh process (nothing discovered yet) all find their kinds: none reads a half-filled registry
(before the lock, seven of eight met a KeyError here)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import threading
import django
django.setup()
from safecommunity.records import registry
assert not registry._discovered
barrier = threading.Barrier(8)
found, errors = [], []
def ask():
    barrier.wait()
    try:
        found.append((registry.get_kind("injuries").name, registry.get_kind("hazards").name))
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=ask) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("FOUND", len(found), "ERRORS", len(errors), *errors)
"""


def test_eight_first_requests_at_once_all_find_their_kinds(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="safecommunity.settings.local", DATABASE_URL=f"sqlite:///{tmp_path / 'db'}")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "FOUND 8 ERRORS 0" in result.stdout, result.stdout
