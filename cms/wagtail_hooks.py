"""Admin hooks. Registration only; the rules they apply live in selectors."""

from allauth.account.utils import user_display
from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page

from cms.selectors import page_changes_requested
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


@hooks.register("before_bulk_action")
def keep_pages_with_learning_records_in_bulk(request, action_type, objects, action_class_instance):
    """The same rule for the page listing's bulk delete: nothing is deleted if one page is protected."""
    if action_type != "delete" or not all(isinstance(obj, Page) for obj in objects):
        return None
    protected = [
        page
        for page in objects
        if pages_have_learning_records(Page.objects.descendant_of(page, inclusive=True).values("pk"))
    ]
    if not protected:
        return None
    messages.error(
        request,
        _("Nothing was deleted: %(titles)s have been published and learners' records point at them. Unpublish them instead.")
        % {"titles": ", ".join(f"“{page.get_admin_display_title()}”" for page in protected)},
    )
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("wagtailadmin_explore", protected[0].get_parent().pk)


@hooks.register("before_edit_page")
def show_the_reviewers_request_for_changes(request, page):
    """Wagtail shows a reviewer's comment only in the editor's side panel, behind the status button: the
    author opening a page sent back for changes sees it at the top of the editor instead."""
    if request.method != "GET":
        return None
    task_state = page_changes_requested(page)
    if task_state is not None:
        reviewer = user_display(task_state.finished_by) if task_state.finished_by else _("The reviewer")
        messages.warning(
            request, _("%(reviewer)s asked for changes: “%(comment)s”") % {"reviewer": reviewer, "comment": task_state.comment}
        )
    return None


@hooks.register("insert_global_admin_js")
def file_input_names():
    """Wagtail's multiple uploaders leave their file input without a name (static/cms/admin-file-input.js)."""
    return format_html('<script src="{}" defer></script>', static("cms/admin-file-input.js"))


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cms/admin.css"))

