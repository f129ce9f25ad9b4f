"""manage.py seed_demo_courses: publish one complete demo course per track (idempotent)."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.demo_content.builder import demo_courses_ensure
from cms.demo_content.courses import COURSES
from cms.demo_content.drawing import fonts_available


class Command(BaseCommand):
    help = "Publish the demo courses (one per track) with their lessons and illustrations; safe to run again."

    def handle(self, *args, **options):
        started = time.monotonic()
        result = demo_courses_ensure(courses=COURSES)
        self.stdout.write(
            _(
                "Demo courses: %(courses)d in the content, %(created)d pages created, %(updated)d updated, "
                "%(images)d images created in %(seconds).1f s."
            )
            % {
                "courses": len(COURSES),
                "created": result.pages_created,
                "updated": result.pages_updated,
                "images": result.images_created,
                "seconds": time.monotonic() - started,
            }
        )
        if result.images_created and not fonts_available():
            self.stdout.write(self.style.WARNING(_("DejaVu Sans is not installed: the illustrations have no labels.")))
