"""manage.py seed_demo_placement: an open IT skill survey, its diagnostic quiz and demo responses (after seed_demo)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from placement.demo import DEMO_SURVEY, demo_placement_ensure


class Command(BaseCommand):
    help = "Create the demo IT skill survey, its diagnostic quiz and a few submitted responses; safe to run again."

    def handle(self, *args, **options):
        result = demo_placement_ensure()
        if result.created:
            self.stdout.write(
                _("Demo IT skill survey “%(title)s” created with %(count)d submitted responses.")
                % {"title": DEMO_SURVEY, "count": result.responses}
            )
        else:
            self.stdout.write(_("The demo IT skill survey already exists (or the demo people are missing)."))
