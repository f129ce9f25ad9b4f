"""Task failures in the Wagtail admin, for site administrators (read-only: they are records)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import TaskFailure


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Superusers may view; nobody adds, edits or deletes a failure record through the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser


class TaskFailureViewSet(ModelViewSet):
    model = TaskFailure
    icon = "warning"
    menu_label = _("Task failures")
    add_to_admin_menu = True
    menu_order = 900
    list_display = ["task_name", "exception_type", "request_id", "occurred_at"]
    list_filter = ["task_name"]
    search_fields = ["task_name", "exception_type", "message", "request_id"]
    inspect_view_enabled = True
    inspect_view_fields = ["task_name", "task_id", "request_id", "exception_type", "message", "traceback", "occurred_at"]
    form_fields = []


register_permission_policy(TaskFailure, ReadOnlyPolicy(TaskFailure))


@hooks.register("register_admin_viewset")
def register_task_failures():
    return TaskFailureViewSet("task_failures")
