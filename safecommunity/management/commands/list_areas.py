from django.core.management.base import BaseCommand, CommandError

from safecommunity.models import Area


class Command(BaseCommand):
    help = "列出行政区划：每行 code<TAB>name<TAB>level。Lists areas, one per line."

    def add_arguments(self, parser):
        parser.add_argument("--under", metavar="CODE", help="只列出该区划下的区划（不含其本身）")

    def handle(self, *args, under=None, **options):
        areas = Area.objects.all()
        if under:
            if not Area.objects.filter(code=under).exists():
                raise CommandError(f"区划代码 {under} 不存在 (no area with code {under})")
            areas = areas.under(under)
        for code, name, level in areas.order_by("code").values_list("code", "name", "level").iterator():
            self.stdout.write(f"{code}\t{name}\t{level}")
