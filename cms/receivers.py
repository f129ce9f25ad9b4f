"""Wagtail's publish and unpublish signals, the one hook every way of publishing goes through
(the editor, workflows, scheduled publishing, scripts), and its move signal resync the
course anchors. Any change to the page tree, its view restrictions or the sites also bumps the
version of the cached page data (cms.page_cache)."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms import models as pages
from cms.course_sync import course_page_sync, course_part_sync, page_moved_sync
from cms.page_cache import pages_changed


def course_page_changed(sender, instance, **kwargs):
    course_page_sync(instance)


def course_part_changed(sender, instance, **kwargs):
    course_part_sync(instance)


def course_part_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    if parent_page_before.pk != parent_page_after.pk:
        page_moved_sync(instance, parent_before=parent_page_before)


def page_tree_changed(sender, **kwargs):
    pages_changed()


def connect() -> None:
    for name, signal in (("published", page_published), ("unpublished", page_unpublished)):
        signal.connect(course_page_changed, sender=pages.CoursePage, dispatch_uid=f"course_sync_{name}")
        for model in (pages.SectionPage, pages.LessonPage):
            signal.connect(course_part_changed, sender=model, dispatch_uid=f"course_sync_{name}_{model.__name__}")
    for model in (pages.CoursePage, pages.SectionPage, pages.LessonPage):
        post_page_move.connect(course_part_moved, sender=model, dispatch_uid=f"course_sync_moved_{model.__name__}")
    # Saving a page (publishing saves it; unpublishing saves each page it takes down), deleting or
    # moving one; sites and view restrictions decide routing and who may see a page.
    for model in [*get_page_models(), PageViewRestriction, Site]:
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(page_tree_changed, sender=model, dispatch_uid=f"page_cache_{name}_{model._meta.label}")
    for name, signal in (("published", page_published), ("unpublished", page_unpublished), ("moved", post_page_move)):
        signal.connect(page_tree_changed, dispatch_uid=f"page_cache_{name}")
