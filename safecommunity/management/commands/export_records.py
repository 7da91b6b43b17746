"""python manage.py export_records KIND (--township CODE | --county CODE) --out PATH"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safecommunity.choices import AreaLevel
from safecommunity.models import Area
from safecommunity.records import get_kind, write_export
from safecommunity.records.registry import kinds


class Command(BaseCommand):
    help = "Export the rows of one record kind of a township or a county to .xlsx or .csv."

    def add_arguments(self, parser):
        parser.add_argument("kind")
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--township", help="township code (9 digits)")
        scope.add_argument("--county", help="county code (6 digits)")
        parser.add_argument("--out", required=True, help="output file, .xlsx or .csv")

    def handle(self, *args, kind, township=None, county=None, out, **options):
        try:
            record_kind = get_kind(kind)
        except KeyError:
            raise CommandError(f"unknown kind {kind!r}; known: {', '.join(k.name for k in kinds())}") from None
        path = Path(out)
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("--out must end in .xlsx or .csv")
        if township:
            area = Area.objects.filter(code=township).townships().first()
            if area is None:
                raise CommandError(f"no township with code {township!r}")
            queryset = record_kind.for_township(area)
        else:
            area = Area.objects.filter(code=county, level=AreaLevel.COUNTY).first()
            if area is None:
                raise CommandError(f"no county with code {county!r}")
            queryset = record_kind.for_county(area)
        # The command runs as the system: the kind masks personal data (no user → masked).
        count = write_export(record_kind, queryset, path, user=None)
        self.stdout.write(f"exported {count} rows to {path}")
