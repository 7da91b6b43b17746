"""python manage.py backup DEST

Writes a backup of the portal into the new directory DEST: the DATABASE_URL database (pg_dump,
custom format), every file under MEDIA_ROOT (a tar) and manifest.json with the SHA-256 of each
part and the app version (safecommunity.backups). Copy the whole directory off the machine."""

from django.core.management.base import BaseCommand, CommandError

from safecommunity.backups import backup_create
from safecommunity.exceptions import ApplicationError


class Command(BaseCommand):
    help = "备份数据库（pg_dump）和 MEDIA_ROOT 的全部文件到一个新目录，附 SHA-256 清单"

    def add_arguments(self, parser):
        parser.add_argument("dest", help="新建的备份目录（不存在或为空），例如 /backups/sc-2026-12-02")

    def handle(self, *args, dest, **options):
        try:
            manifest = backup_create(dest=dest)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        db, media = manifest["parts"]["database.dump"], manifest["parts"]["media.tar"]
        self.stdout.write(
            f"备份完成 → {dest}\n"
            f"  数据库 {manifest['database']['name']}: database.dump {db['bytes']} 字节 SHA-256 {db['sha256']}\n"
            f"  文件 {manifest['media']['files']} 个（{manifest['media'].get('storage', 'MEDIA_ROOT')}）: media.tar {media['bytes']} 字节 SHA-256 {media['sha256']}\n"
            f"  已发布简报 {len(manifest['published_briefings'])} 份；版本 {manifest['app_version']}\n"
            f"请把整个目录复制到另一台机器或离线介质上保存。"
        )
