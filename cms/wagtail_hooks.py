"""Admin hooks. Registration only; the rules they apply live in selectors."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page

from courses.selectors import pages_have_learning_records


@hooks.register("before_delete_page")
def keep_pages_with_learning_records(request, page):
    """A course or lesson that was ever published anchors learning records (courses.Course and
    Lesson protect their page): it is unpublished instead, with a message rather than an error."""
    subtree = Page.objects.descendant_of(page, inclusive=True).values("pk")
    if pages_have_learning_records(subtree):
        messages.error(
            request,
            _("“%(title)s” has been published and learners' records point at it: unpublish it instead of deleting it.")
            % {"title": page.get_admin_display_title()},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
