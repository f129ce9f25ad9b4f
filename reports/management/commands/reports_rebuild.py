"""Rebuild the statistics summary tables from the learning records."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild the statistics summary tables (rollups) from the learning records."

    def handle(self, *args, **options):
        rows = rollups_rebuild()
        self.stdout.write(self.style.SUCCESS(_("Statistics rebuilt: %(rows)d summary rows.") % {"rows": rows}))
