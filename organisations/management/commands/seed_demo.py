"""manage.py seed_demo [--people N] [--if-empty]: the demo province, its people and the demo logins."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from organisations.admin_units import AdminUnitsError
from organisations.demo import DEFAULT_PEOPLE, DemoAccount, demo_accounts_existing, demo_seed
from organisations.demo_people import DEMO_PASSWORD
from organisations.models import Person


class Command(BaseCommand):
    help = "Build the demo province (communes, departments, people across every audience) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--people",
            type=int,
            default=DEFAULT_PEOPLE,
            help="How many generated people the province should have (default %(default)s); benchmarks use 100000.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the demo logins) if there are people already.",
        )

    def handle(self, *args, people: int, if_empty: bool, **options):
        if people < 0:
            raise CommandError(_("--people must be zero or more."))
        if if_empty and Person.objects.exists():
            self.stdout.write(_("The database already has people: nothing seeded."))
            self._print_logins(demo_accounts_existing())
            return
        started = time.monotonic()
        try:
            result = demo_seed(province_code=settings.LMS_PROVINCE_CODE, people=people)
        except AdminUnitsError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("%(province)s seeded: %(created)d people created in %(seconds).1f s.")
            % {
                "province": result.province.name,
                "created": result.people_created,
                "seconds": time.monotonic() - started,
            }
        )
        self._print_logins(demo_accounts_existing())

    def _print_logins(self, accounts: list[DemoAccount]) -> None:
        if not accounts:
            return
        with translation.override("en"):
            english = [str(account.label) for account in accounts]
        header = (_("Role (Vietnamese)"), _("Role (English)"), _("Login"), _("E-mail"), _("Second factor"))
        rows = [
            (account.label_vi, label, account.login, account.email, _("TOTP") if account.needs_totp else "")
            for account, label in zip(accounts, english, strict=True)
        ]
        widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
        self.stdout.write("")
        heading = _("Demo logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD}
        self.stdout.write(self.style.MIGRATE_HEADING(heading))
        for row in [header, *rows]:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        self.stdout.write(
            _(
                "Roles marked TOTP set up two-factor authentication at their first login: scan the QR code "
                "with any authenticator app (Aegis, FreeOTP, Google Authenticator, ...)."
            )
        )
