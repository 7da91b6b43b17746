"""The UI is complete in Chinese (the source language) and in English: every string marked
for translation anywhere in the project has an English translation in one of the catalogs."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    "safecommunity",
    "committees",
    "projects",
    "incidents",
    "inspections",
    "reports",
    "api",
    "notifications",
    "analysis",
    "templates",
    "locale",
]


def _unquote(chunks):
    return "".join(ast.literal_eval(c) for c in chunks)


def read_po(path: Path) -> dict[tuple, str]:
    """{(msgctxt, msgid): msgstr} of a PO file, with the first plural form for plural entries;
    fuzzy entries count as untranslated."""
    entries, current, key, fuzzy = {}, {}, None, False

    def flush():
        nonlocal current, fuzzy
        if "msgid" in current and current["msgid"]:
            text = current.get("msgstr", current.get("msgstr[0]", ""))
            entries[(current.get("msgctxt", ""), current["msgid"])] = "" if fuzzy else text
        current, fuzzy = {}, False

    parts: dict[str, list] = {}
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
        if match:
            key = match.group(1)
            parts.setdefault(key, []).append(match.group(2))
        elif line.startswith('"') and key:
            parts[key].append(line)
        elif not line.strip():
            current = {k: _unquote(v) for k, v in parts.items()}
            flush()
            parts, key = {}, None
    return entries


def test_every_marked_string_has_an_english_translation(tmp_path):
    translated = set()
    for po in ROOT.glob("**/locale/en/LC_MESSAGES/django.po"):
        if ".venv" in po.parts:
            continue
        translated |= {k for k, v in read_po(po).items() if v}
    copy = tmp_path / "src"
    copy.mkdir()
    for name in SOURCES:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v0"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(copy), "DJANGO_SETTINGS_MODULE": "safecommunity.settings.test"},
    )
    assert result.returncode == 0, result.stderr
    marked = set()
    for po in copy.glob("**/locale/en/LC_MESSAGES/django.po"):
        marked |= set(read_po(po))
    missing = sorted(marked - translated)
    assert not missing, f"{len(missing)} strings without English: " + "; ".join(m[1] for m in missing[:40])
