"""Issue 10: the restore drill. On a PostgreSQL server of this test alone: a township with a
published briefing, ``manage.py backup``, the database and the media lost, ``manage.py restore``,
and the published PDF the portal serves afterwards is byte for byte the one published (SHA-256
equal). A backup altered after it was written is refused before anything is touched. (One test:
migrating a new database is the slow part.)

Every step is the operator's command in a subprocess with the production-like environment
(DATABASE_URL of the test's server, MEDIA_ROOT in the test's folder, no Redis)."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SEED = """
import django, json
django.setup()
from django.utils import timezone
from reports import services
from tests.conftest import build_world
from tests.incidents.factories import IncidentFactory, aware
world = build_world()
IncidentFactory(village=world.village1, occurred_at=aware(2026, 3, 10), deaths=1, address="城关路1号")
briefing, _ = services.briefing_generate(township=world.township1, year=2026, month=3)
briefing = services.briefing_publish(briefing=briefing, user=world.users["township1"])
print(json.dumps({"id": briefing.pk, "file": briefing.pdf.name, "sha256": briefing.pdf_sha256}))
"""

SERVE = """
import django, hashlib, json, sys
django.setup()
from django.test import Client
from reports.models import Briefing
from safecommunity.models import Area, User
client = Client()
client.force_login(User.objects.get(username="township1"))
response = client.get(f"/reports/briefings/{sys.argv[1]}/pdf/")
b = Briefing.objects.get(pk=sys.argv[1])
print(json.dumps({"status": response.status_code, "served": hashlib.sha256(response.content).hexdigest(),
                  "frozen": b.pdf_sha256, "areas": Area.objects.count(), "marker": Area.objects.filter(
                      code="371799009").exists()}))
"""

MARK = """
import django
django.setup()
from safecommunity.models import Area
from safecommunity.services import area_create
area_create(code="371799009", name="恢复后新建镇", level="township", parent=Area.objects.get(code="371799"))
"""


@pytest.fixture
def drill(postgres_server, tmp_path):
    postgres_server.psql("CREATE DATABASE drill")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CACHE_URL", "MEDIA_ROOT", "SC_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="safecommunity.settings.test",
        DATABASE_URL=postgres_server.url("drill"),
        MEDIA_ROOT=str(tmp_path / "media"),
        SC_PG_BIN_DIR=str(postgres_server.bin),
        PYTHONPATH=str(ROOT),
    )

    def run(*args, script=None, ok=True):
        cmd = [sys.executable, "-c", script, *args] if script else [sys.executable, "manage.py", *args]
        result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        if ok and result.returncode != 0:
            pytest.fail(f"{args or 'script'} failed:\n{result.stdout}\n{result.stderr[-4000:]}")
        return result

    run("migrate", "--noinput", "-v0")
    return run


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.services
def test_restore_drill_gives_the_published_pdf_byte_for_byte(drill, postgres_server, tmp_path):
    media = tmp_path / "media"
    published = json.loads(drill(script=SEED).stdout.strip().splitlines()[-1])
    assert _sha(media / published["file"]) == published["sha256"]

    backup = tmp_path / "backups" / "sc-2026-12-02"
    out = drill("backup", str(backup)).stdout
    assert "备份完成" in out
    manifest = json.loads((backup / "manifest.json").read_text())
    assert set(manifest["parts"]) == {"database.dump", "media.tar"}
    for part, meta in manifest["parts"].items():
        assert _sha(backup / part) == meta["sha256"] and (backup / part).stat().st_size == meta["bytes"]
    assert manifest["app_version"] and manifest["database"]["name"] == "drill"
    assert manifest["published_briefings"] == [published]
    assert (backup / "database.dump").read_bytes().startswith(b"PGDMP")  # pg_dump's custom format

    # The disaster: the database is gone (a new empty one in its place) and so are the files.
    postgres_server.psql("DROP DATABASE drill")
    postgres_server.psql("CREATE DATABASE drill")
    shutil.rmtree(media)
    media.mkdir()

    out = drill("restore", str(backup), "--noinput").stdout
    assert "备份校验通过" in out and "已发布简报文件校验：1 份一致" in out
    assert _sha(media / published["file"]) == published["sha256"]
    served = json.loads(drill(str(published["id"]), script=SERVE).stdout.strip().splitlines()[-1])
    assert served["status"] == 200
    assert served["served"] == served["frozen"] == published["sha256"]
    assert served["areas"] == 11  # the test world: 2 counties, 3 townships, 6 villages

    # A restore over a living database: what was added after the backup is gone again.
    drill(script=MARK)
    assert json.loads(drill(str(published["id"]), script=SERVE).stdout.strip().splitlines()[-1])["marker"]
    drill("restore", str(backup), "--noinput")
    after = json.loads(drill(str(published["id"]), script=SERVE).stdout.strip().splitlines()[-1])
    assert not after["marker"] and after["served"] == published["sha256"]

    # A backup altered after it was written is refused, and the live state is left as it is.
    drill(script=MARK)
    for part in ("database.dump", "media.tar"):
        altered = tmp_path / f"altered-{part}"
        shutil.copytree(backup, altered)
        data = bytearray((altered / part).read_bytes())
        data[len(data) // 2] ^= 0xFF
        (altered / part).write_bytes(bytes(data))
        result = drill("restore", str(altered), "--noinput", ok=False)
        assert result.returncode != 0
        assert f"备份校验不符：{part} 的 SHA-256 应为" in result.stderr and "未做任何恢复" in result.stderr
        state = json.loads(drill(str(published["id"]), script=SERVE).stdout.strip().splitlines()[-1])
        assert state["marker"] and state["served"] == published["sha256"]
