"""python manage.py restore SRC [--noinput]

Restores a backup written by ``manage.py backup``: verifies the SHA-256 of every part against the
manifest before touching anything (a mismatching backup is refused), then restores the database
with pg_restore --clean in one transaction and replaces the content of MEDIA_ROOT. Stop web,
worker and beat first; run ``manage.py migrate`` afterwards if the app is newer than the backup."""

from django.core.management.base import BaseCommand, CommandError

from safecommunity.backups import app_version, backup_restore, backup_verify
from safecommunity.exceptions import ApplicationError


class Command(BaseCommand):
    help = "从 manage.py backup 生成的备份目录恢复数据库和文件（先校验 SHA-256，不符则拒绝）"

    def add_arguments(self, parser):
        parser.add_argument("src", help="备份目录（含 manifest.json、database.dump、media.tar）")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="不询问确认（脚本中使用）"
        )

    def handle(self, *args, src, interactive=True, **options):
        try:
            manifest = backup_verify(src=src)
            self.stdout.write(
                f"备份校验通过：{manifest['created_at']} 版本 {manifest['app_version']}，"
                f"数据库 {manifest['database']['name']}，文件 {manifest['media']['files']} 个。"
            )
            if manifest["app_version"] != app_version():
                self.stdout.write(
                    self.style.WARNING(
                        f"注意：备份来自版本 {manifest['app_version']}，当前为 {app_version()}；恢复后请运行 manage.py migrate。"
                    )
                )
            if interactive:
                answer = input("恢复将覆盖当前数据库的全部数据和 MEDIA_ROOT 的全部文件。输入 yes 继续：")
                if answer.strip().lower() != "yes":
                    raise CommandError("已取消，未做任何恢复。")
            result = backup_restore(src=src)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"恢复完成：数据库与 {result['media_files']} 个文件。已发布简报文件校验：{result['published_ok']} 份一致。"
        )
        for bad in result["published_bad"]:
            self.stdout.write(self.style.ERROR(f"  {bad['briefing']}（#{bad['id']}）：{bad['problem']}"))
        if result["published_bad"]:
            raise CommandError(f"{len(result['published_bad'])} 份已发布简报的文件缺失或校验不符（见上）。")
