"""manage.py seed_demo_learning: demo assignments and a blended class (after seed_demo and seed_demo_courses)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from courses.demo import DEMO_CLASS, demo_learning_ensure


class Command(BaseCommand):
    help = "Give the demo learner assigned courses and the demo training officer a blended class; safe to run again."

    def handle(self, *args, **options):
        result = demo_learning_ensure()
        if result.created:
            self.stdout.write(
                _("Demo learning records created: class “%(name)s” with %(members)d members.")
                % {"name": DEMO_CLASS, "members": result.members}
            )
        else:
            self.stdout.write(_("Demo learning records already exist (or the demo people and courses are missing)."))
