from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.services import api_token_create
from safecommunity.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")
        parser.add_argument("--expires-days", type=int, default=None)

    def handle(self, *args, username, name, expires_days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        try:
            _token, raw = api_token_create(user=user, name=name, expires_days=expires_days)
        except (ApplicationError, ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("; ".join(str(m) for m in messages)) from None
        self.stdout.write(raw)
