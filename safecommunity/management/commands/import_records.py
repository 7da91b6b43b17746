"""python manage.py import_records KIND FILE --township CODE [--user USERNAME]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safecommunity.models import Area, User
from safecommunity.records import FileRejected, get_kind, run_import, write_rejects
from safecommunity.records.importer import rejects_path
from safecommunity.records.registry import kinds


class Command(BaseCommand):
    help = "Import a .xlsx or .csv file of one record kind into a township."

    def add_arguments(self, parser):
        parser.add_argument("kind")
        parser.add_argument("file")
        parser.add_argument("--township", required=True, help="township code (9 digits)")
        parser.add_argument("--user", help="username recorded as the importer")

    def handle(self, *args, kind, file, township, user=None, **options):
        try:
            record_kind = get_kind(kind)
        except KeyError:
            raise CommandError(f"unknown kind {kind!r}; known: {', '.join(k.name for k in kinds())}") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        area = Area.objects.filter(code=township).townships().first()
        if area is None:
            raise CommandError(f"no township with code {township!r}")
        importer = None
        if user:
            importer = User.objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"no user {user!r}")

        def progress(result):
            if options["verbosity"] >= 2:
                self.stderr.write(f"{result.processed}/{result.total} rows")

        try:
            result = run_import(record_kind, path, township=area, user=importer, progress=progress)
        except FileRejected as exc:
            raise CommandError(exc.message) from None
        if result.rejected:
            target = rejects_path(path)
            with open(target, "w", encoding="utf-8", newline="") as fileobj:
                write_rejects(result, fileobj)
            self.stdout.write(f"rejected rows written to {target}")
        self.stdout.write(result.summary)
