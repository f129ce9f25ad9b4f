"""Wagtail admin registration: programme targets, editable by site administrators."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.roles import Role, user_roles

from .models import ProgrammeTarget


class TargetPermissionPolicy(BasePermissionPolicy):
    """Site administrators add and change targets; nothing is deleted (a target is made inactive)."""

    def _allowed(self, user, action) -> bool:
        return action != "delete" and Role.SITE_ADMIN in user_roles(user)

    def user_has_permission(self, user, action):
        return self._allowed(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self._allowed(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if all(action == "delete" for action in actions):
            return get_user_model().objects.none()
        return get_user_model().objects.filter(
            Q(is_superuser=True) | Q(groups__name=Role.SITE_ADMIN.value), is_active=True
        ).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


register_permission_policy(ProgrammeTarget, TargetPermissionPolicy(ProgrammeTarget))


class ProgrammeTargetViewSet(SnippetViewSet):
    model = ProgrammeTarget
    icon = "crosshairs"
    menu_label = _("Programme targets")
    add_to_admin_menu = True
    menu_order = 400
    list_display = ["indicator", "year", "target_value", "is_active"]
    list_filter = ["year", "indicator", "is_active"]


register_snippet(ProgrammeTargetViewSet)
