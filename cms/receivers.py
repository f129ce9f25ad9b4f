"""Wagtail's publish and unpublish signals, the one hook every way of publishing goes through
(the editor, workflows, scheduled publishing, scripts), resync the course anchors."""

from wagtail.signals import page_published, page_unpublished

from cms import models as pages
from cms.course_sync import course_page_sync, course_part_sync


def course_page_changed(sender, instance, **kwargs):
    course_page_sync(instance)


def course_part_changed(sender, instance, **kwargs):
    course_part_sync(instance)


def connect() -> None:
    for name, signal in (("published", page_published), ("unpublished", page_unpublished)):
        signal.connect(course_page_changed, sender=pages.CoursePage, dispatch_uid=f"course_sync_{name}")
        for model in (pages.SectionPage, pages.LessonPage):
            signal.connect(course_part_changed, sender=model, dispatch_uid=f"course_sync_{name}_{model.__name__}")
