"""Admin menu entry of the gradebook (imported by assessments.wagtail_hooks, the module Wagtail loads).
The gradebook itself is a front-end page so unit officers, who do not use the admin, open it too."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.roles import Role, has_role


class GradebookMenuItem(MenuItem):
    def is_shown(self, request):
        return has_role(request.user, Role.TRAINER, Role.CURRICULUM_MANAGER, Role.SITE_ADMIN)


@hooks.register("register_admin_menu_item")
def register_gradebook_menu_item():
    return GradebookMenuItem(
        _("Gradebook"), reverse("assessments:gradebook:courses"), icon_name="table", order=268, name="gradebook"
    )
