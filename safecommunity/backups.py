"""Backup and restore of the whole portal: the PostgreSQL database (``pg_dump`` custom format),
the files under ``MEDIA_ROOT`` (a tar) and a manifest with the SHA-256 of each part.

A backup is a directory::

    manifest.json   format, app version, time, database name, applied migrations, parts
    database.dump   pg_dump --format=custom of the DATABASE_URL database
    media.tar       every media file (uploads, published briefings, downloads): the files under
                    MEDIA_ROOT, or every object of the S3 bucket (and S3_PREFIX) when the media
                    live on object storage (S3_BUCKET); the manifest's "media" says which

``backup_restore`` verifies every checksum before it touches anything; a backup that does not
match its manifest is refused. The database is restored with ``pg_restore --clean`` in one
transaction, then the media folder's content is replaced. Afterwards every published briefing's
file is checked against its frozen SHA-256."""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

from .exceptions import ApplicationError

FORMAT = "safecommunity-backup/1"
MANIFEST = "manifest.json"
DATABASE_PART = "database.dump"
MEDIA_PART = "media.tar"
# pg_restore waits at most this long for a lock (a web worker still connected), then fails
# instead of hanging; nothing is changed then (one transaction).
RESTORE_LOCK_TIMEOUT = "30s"


def app_version() -> str:
    try:
        from importlib.metadata import version

        return version("safecommunity")
    except Exception:  # noqa: BLE001 - a checkout that is not installed: read pyproject.toml
        import tomllib

        with open(settings.BASE_DIR / "pyproject.toml", "rb") as fh:
            return tomllib.load(fh)["project"]["version"]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _database() -> dict:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise ApplicationError(
            "备份与恢复只支持 PostgreSQL 数据库（DATABASE_URL=postgres://…）；"
            "内置演示数据库（SQLite）请直接复制 db.sqlite3 和 media 目录。"
        )
    return db


def _pg_env(db: dict) -> dict:
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGUSER": db.get("USER") or "postgres"}
    if db.get("HOST"):
        env["PGHOST"] = db["HOST"]
    if db.get("PORT"):
        env["PGPORT"] = str(db["PORT"])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_tool(name: str) -> str:
    directory = os.environ.get("SC_PG_BIN_DIR", "")
    path = shutil.which(name, path=directory or None)
    if not path:
        raise ApplicationError(
            f"找不到 {name}：请安装 postgresql-client（与数据库同一主版本），或用 SC_PG_BIN_DIR 指定其目录。"
        )
    return path


def _run(cmd: list[str], env: dict, what: str) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise ApplicationError(
            f"{what}失败（{Path(cmd[0]).name} 退出码 {result.returncode}）：{result.stderr.strip()[-2000:]}"
        )


def _migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


def _published_briefings() -> list[dict]:
    from reports.choices import BriefingStatus
    from reports.models import Briefing

    return [
        {"id": pk, "file": name, "sha256": sha}
        for pk, name, sha in Briefing.objects.filter(status=BriefingStatus.PUBLISHED)
        .exclude(pdf="")
        .order_by("pk")
        .values_list("pk", "pdf", "pdf_sha256")
    ]


def _tar_media(media_root: Path, target: Path) -> int:
    count = 0
    with tarfile.open(target, "w") as tar:
        if media_root.is_dir():
            for folder, dirs, files in os.walk(media_root):
                dirs.sort()
                for name in sorted(files):
                    path = Path(folder) / name
                    if name.startswith(".tmp-") and name.endswith(".part"):
                        continue  # a render being written at this moment (reports.rendering.store_file)
                    tar.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                    count += 1
    return count


def _media_storage():
    """The default storage when it is not a folder (S3), else None (MEDIA_ROOT is walked)."""
    from django.core.files.storage import default_storage

    try:
        default_storage.path("")
    except NotImplementedError:
        return default_storage
    return None


def _media_description(storage) -> str:
    if storage is None:
        return f"file://{settings.MEDIA_ROOT}"
    bucket, prefix = getattr(storage, "bucket_name", "?"), getattr(storage, "location", "")
    return f"s3://{bucket}/{prefix}".rstrip("/")


def _storage_names(storage, folder: str = ""):
    dirs, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(dirs):
        yield from _storage_names(storage, f"{folder}/{name}" if folder else name)


def _tar_storage(storage, target: Path) -> int:
    """Every object of the bucket (under its prefix) into the tar, streamed one at a time."""
    count = 0
    with tarfile.open(target, "w") as tar:
        for name in _storage_names(storage):
            info = tarfile.TarInfo(name)
            info.size = storage.size(name)
            info.mtime = int(storage.get_modified_time(name).timestamp())
            with storage.open(name, "rb") as fh:
                tar.addfile(info, fh)
            count += 1
    return count


def _replace_storage(archive: Path, storage) -> int:
    """Delete every object of the bucket (under its prefix), then upload the tar's files."""
    for name in list(_storage_names(storage)):
        storage.delete(name)
    count = 0
    with tarfile.open(archive) as tar:
        for member in tar:
            if not member.isfile():
                continue
            parts = Path(member.name).parts
            if member.name.startswith("/") or ".." in parts:
                raise ApplicationError(f"备份中的文件名不安全：{member.name}")
            from django.core.files import File

            saved = storage.save(member.name, File(tar.extractfile(member), name=member.name))
            if saved != member.name:
                raise ApplicationError(f"对象存储未按原名保存 {member.name}（{saved}）")
            count += 1
    return count


def backup_create(*, dest: Path) -> dict:
    """Write a backup into the new (or empty) directory ``dest``; returns the manifest."""
    db = _database()
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise ApplicationError(f"目标目录 {dest} 不是空的：每次备份请用一个新目录（例如带日期的目录名）。")
    dest.mkdir(parents=True, exist_ok=True)
    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    documents, migrations = _published_briefings(), _migrations()
    _run(
        [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dest / DATABASE_PART}"],
        _pg_env(db),
        "数据库导出（pg_dump）",
    )
    storage = _media_storage()
    if storage is None:
        media_files = _tar_media(Path(settings.MEDIA_ROOT), dest / MEDIA_PART)
    else:
        media_files = _tar_storage(storage, dest / MEDIA_PART)
    manifest = {
        "format": FORMAT,
        "app_version": app_version(),
        "created_at": created_at,
        "database": {"name": db["NAME"], "migrations": migrations},
        "media": {"files": media_files, "storage": _media_description(storage)},
        "published_briefings": documents,
        "parts": {
            part: {"file": part, "bytes": (dest / part).stat().st_size, "sha256": file_sha256(dest / part)}
            for part in (DATABASE_PART, MEDIA_PART)
        },
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def backup_verify(*, src: Path) -> dict:
    """The manifest of the backup in ``src`` once every part matches it; else ApplicationError."""
    src = Path(src)
    refused = "未做任何恢复；请换用另一份备份。"
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ApplicationError(f"{src} 中没有 {MANIFEST}：这不是本平台的备份目录，{refused}") from None
    except (ValueError, UnicodeDecodeError):
        raise ApplicationError(f"{src / MANIFEST} 已损坏（不是有效的 JSON），{refused}") from None
    if manifest.get("format") != FORMAT:
        raise ApplicationError(f"备份格式 {manifest.get('format')!r} 无法识别（应为 {FORMAT}），{refused}")
    parts = manifest.get("parts") or {}
    for part in (DATABASE_PART, MEDIA_PART):
        expected = parts.get(part) or {}
        path = src / part
        if not expected.get("sha256"):
            raise ApplicationError(f"备份清单中缺少 {part} 的校验值，{refused}")
        if not path.is_file():
            raise ApplicationError(f"备份缺少文件 {part}，{refused}")
        actual = file_sha256(path)
        if actual != expected["sha256"]:
            raise ApplicationError(
                f"备份校验不符：{part} 的 SHA-256 应为 {expected['sha256']}，实为 {actual}。"
                f"备份已损坏或被改动，{refused}"
            )
    return manifest


def _replace_media(archive: Path, media_root: Path) -> int:
    """Unpack into a folder beside the old content (same file system), then swap the content.
    MEDIA_ROOT itself stays (it is often a mounted volume that cannot be renamed)."""
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root))
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(staging, filter="data")  # no absolute paths, no "..", no devices
            count = sum(1 for m in tar.getmembers() if m.isfile())
        for entry in media_root.iterdir():
            if entry != staging:
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        for entry in staging.iterdir():
            os.replace(entry, media_root / entry.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return count


def published_files_check() -> tuple[int, list[dict]]:
    """(published briefings whose file matches its frozen SHA-256, the others with the reason)."""
    from reports.choices import BriefingStatus
    from reports.documents import published_file_problem
    from reports.models import Briefing

    good, bad = 0, []
    for briefing in Briefing.objects.filter(status=BriefingStatus.PUBLISHED).select_related("township"):
        problem = published_file_problem(briefing)
        if problem:
            bad.append(
                {
                    "id": briefing.pk,
                    "briefing": str(briefing),
                    "file": briefing.pdf.name,
                    "problem": problem,
                    "sha256": briefing.pdf_sha256,
                }
            )
        else:
            good += 1
    return good, bad


def backup_restore(*, src: Path) -> dict:
    """Verify, then restore the database and the media of the backup in ``src``."""
    db = _database()
    manifest = backup_verify(src=src)
    src = Path(src)
    restore = _pg_tool("pg_restore")
    connection.close()  # our own session must not hold locks on the tables being replaced
    env = _pg_env(db)
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={RESTORE_LOCK_TIMEOUT}".strip()
    _run(
        [
            restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={db['NAME']}",
            str(src / DATABASE_PART),
        ],
        env,
        "数据库恢复（pg_restore）",
    )
    storage = _media_storage()
    if storage is None:
        media_files = _replace_media(src / MEDIA_PART, Path(settings.MEDIA_ROOT))
    else:
        media_files = _replace_storage(src / MEDIA_PART, storage)
    good, bad = published_files_check()
    return {"manifest": manifest, "media_files": media_files, "published_ok": good, "published_bad": bad}
