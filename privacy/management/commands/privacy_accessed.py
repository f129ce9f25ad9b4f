"""Which people's records an account saw or exported: `manage.py privacy_accessed --user NV001 --since 72h`."""

import datetime
import re

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.selectors import accesses_of

UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_since(text: str) -> datetime.timedelta:
    match = re.fullmatch(r"(\d+)([mhd])", text.strip())
    if match is None:
        raise CommandError(_("Give the period as a number and m, h or d, for example 72h."))
    return datetime.timedelta(**{UNITS[match.group(2)]: int(match.group(1))})


class Command(BaseCommand):
    help = "List the personal data an account saw or exported during the last period."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username (employee code) or e-mail")
        parser.add_argument("--since", default="72h", help="period back from now: 30m, 72h, 7d")

    def handle(self, *args, user, since, **options):
        User = get_user_model()
        account = User.objects.filter(username=user).first() or User.objects.filter(email__iexact=user).first()
        if account is None:
            raise CommandError(_("No account %(user)s.") % {"user": user})
        people = set()
        for entry in accesses_of(account, since=parse_since(since)):
            people.update(entry.record_ids)
            ids = ",".join(str(pk) for pk in entry.record_ids) or "-"
            self.stdout.write(
                f"{timezone.localtime(entry.at):%Y-%m-%d %H:%M:%S}\t{entry.action}\t{entry.what}\t"
                f"{entry.filters or '-'}\t{entry.count}\t{ids}"
            )
        self.stdout.write(_("%(count)d distinct people by id.") % {"count": len(people)})
