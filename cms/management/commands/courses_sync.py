"""Resync every course anchor from its pages: for databases whose courses were published before the
anchors existed, and after any repair. Safe to run again."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from cms.course_sync import courses_sync_all


class Command(BaseCommand):
    help = "Resync the learning records' course and lesson anchors from the published pages."

    def handle(self, *args, **options):
        count = courses_sync_all()
        self.stdout.write(
            ngettext("%(count)d course synchronised.", "%(count)d courses synchronised.", count) % {"count": count}
        )
