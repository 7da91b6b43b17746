"""The embedded default (SQLite, ``make demo``) imports too: the importer's PostgreSQL paths
(COPY, arrays unnested in one statement) have a plain-SQL twin there. A file of injury cards
large enough for the bulk path is imported twice into a fresh SQLite database: all rows, then
none again (every identity claimed), and the summary-free selectors count them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from safecommunity.models import Area
from safecommunity.records import get_kind, run_import
from safecommunity.records.writing import write_csv
from incidents.models import InjuryRecord
county = Area.objects.create(code="371799", name="安宁县", level="county")
township = Area.objects.create(code="371799001", name="城关街道", level="township", parent=county)
for i in range(3):
    Area.objects.create(code=f"37179900100{i}", name=f"村{i}", level="village", parent=township)
kind = get_kind("injuries")
rows = kind.sample_rows(300, township)
with open("cards.csv", "w", encoding="utf-8", newline="") as f:
    write_csv(f, kind.headers, rows)
first = run_import(kind, "cards.csv", township=township, batch_size=120)
again = run_import(kind, "cards.csv", township=township, batch_size=120)
print("FIRST", first.imported, first.duplicates, len(first.rejected))
print("AGAIN", again.imported, again.duplicates, len(again.rejected))
print("STORED", InjuryRecord.objects.filter(township=township).count())
"""


def test_the_embedded_default_imports_and_claims_every_row_once(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="safecommunity.settings.local",
        MEDIA_ROOT=str(tmp_path / "media"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if line.split(" ", 1)[0].isupper())
    imported, duplicates, rejected = map(int, lines["FIRST"].split())
    assert rejected == 0 and duplicates == 0 and imported == 300
    assert lines["AGAIN"].split() == ["0", "300", "0"]
    assert int(lines["STORED"]) == 300
