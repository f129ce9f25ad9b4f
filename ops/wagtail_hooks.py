"""Task failures and task sends waiting in the outbox, in the Wagtail admin for site administrators (read-only:
they are records; the outbox empties itself when the broker is back)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import PendingTask, TaskFailure


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Superusers may view; nobody adds, edits or deletes a failure record through the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser


class RecordViewSet(ModelViewSet):
    """A list with search and an inspect page, in the admin menu; records are never edited here."""

    add_to_admin_menu = True
    list_filter = ["task_name"]
    inspect_view_enabled = True
    form_fields = []


class TaskFailureViewSet(RecordViewSet):
    model = TaskFailure
    icon = "warning"
    menu_label = _("Task failures")
    menu_order = 900
    list_display = ["task_name", "exception_type", "request_id", "occurred_at"]
    search_fields = ["task_name", "exception_type", "message", "request_id"]
    inspect_view_fields = ["task_name", "task_id", "request_id", "exception_type", "message", "traceback", "occurred_at"]


class PendingTaskViewSet(RecordViewSet):
    model = PendingTask
    icon = "time"
    menu_label = _("Pending task sends")
    menu_order = 901
    list_display = ["task_name", "attempts", "created_at", "last_error"]
    search_fields = ["task_name", "last_error"]
    inspect_view_fields = ["task_name", "args", "kwargs", "options", "attempts", "last_error", "created_at"]


register_permission_policy(TaskFailure, ReadOnlyPolicy(TaskFailure))
register_permission_policy(PendingTask, ReadOnlyPolicy(PendingTask))


@hooks.register("register_admin_viewset")
def register_task_failures():
    return TaskFailureViewSet("task_failures")


@hooks.register("register_admin_viewset")
def register_pending_tasks():
    return PendingTaskViewSet("pending_tasks")
