"""Create a statistics API token for a user (printed once) or revoke one."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.tokens import api_token_create
from reports.models import ApiToken


class Command(BaseCommand):
    help = "Create a statistics API token for a user, or revoke a token by its first characters."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="API")
        parser.add_argument("--revoke", metavar="PREFIX")

    def handle(self, *args, username, name, revoke, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user %(username)s.") % {"username": username})
        if revoke:
            count = ApiToken.objects.filter(user=user, prefix=revoke, revoked_at__isnull=True).update(revoked_at=timezone.now())
            self.stdout.write(_("%(count)d token(s) revoked.") % {"count": count})
            return
        try:
            _token, raw = api_token_create(user=user, name=name)
        except PermissionError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(raw)
