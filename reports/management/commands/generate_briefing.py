"""python manage.py generate_briefing --township CODE --month YYYY-MM [--out PATH]

Drafts the month's briefing if it does not exist yet (the same service the monthly beat task
calls), renders its PDF once, and writes that PDF to PATH. A published briefing gives its frozen file."""

import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.documents import briefing_pdf_bytes
from reports.services import briefing_build
from safecommunity.exceptions import ApplicationError
from safecommunity.models import Area
from safecommunity.periods import Period


class Command(BaseCommand):
    help = "生成某乡镇（街道）某月的安全社区简报PDF"

    def add_arguments(self, parser):
        parser.add_argument("--township", required=True, help="乡镇/街道区划代码（9位）")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--out", help="PDF 输出路径（默认：当前目录下的标准文件名）")

    def handle(self, *args, township, month, out=None, **options):
        area = Area.objects.filter(code=township).townships().first()
        if area is None:
            raise CommandError(f"没有区划代码为 {township} 的乡镇/街道")
        try:
            period = Period.parse_month(month)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        briefing = briefing_build(
            township=area, year=period.start.year, month=period.start.month, task_id=f"cli-{uuid.uuid4().hex}"
        )
        briefing.refresh_from_db()
        try:
            content = briefing_pdf_bytes(briefing)
        except ApplicationError as exc:  # a published briefing whose frozen file is missing or altered
            raise CommandError(exc.message) from exc
        path = Path(out or briefing.download_name())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        self.stdout.write(
            f"{area.name} {briefing.issue_label} v{briefing.version}（{briefing.get_status_display()}）→ {path}"
        )
