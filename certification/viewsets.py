"""Wagtail admin for the competency framework and certificate templates: site administrators and
curriculum managers edit them. Competencies and standards are never deleted (records point at them):
they are made inactive instead."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from accounts.roles import Role, user_roles

from .models import CertificateTemplate, Competency, Standard

EDITOR_ROLES = frozenset({Role.SITE_ADMIN, Role.CURRICULUM_MANAGER})


class FrameworkPermissionPolicy(BasePermissionPolicy):
    """Site administrators and curriculum managers may add and change; deleting is for templates only."""

    def __init__(self, model, *, can_delete: bool = False):
        super().__init__(model)
        self.can_delete = can_delete

    def _allowed(self, user, action) -> bool:
        if action == "delete" and not self.can_delete:
            return False
        return bool(user_roles(user) & EDITOR_ROLES)

    def user_has_permission(self, user, action):
        return self._allowed(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self._allowed(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if not any(action != "delete" or self.can_delete for action in actions):
            return get_user_model().objects.none()
        roles = [role.value for role in EDITOR_ROLES]
        users = get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__name__in=roles), is_active=True)
        return users.distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


class CompetencyViewSet(ModelViewSet):
    model = Competency
    icon = "tick-inverse"
    menu_label = _("Competencies")
    list_display = ["code", "name_vi", "name_en", "group", "validity_months", "is_active"]
    list_filter = ["group", "is_active"]
    search_fields = ["code", "name_vi", "name_en"]
    search_backend_name = None
    copy_view_enabled = False
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("group")]),
        FieldPanel("name_vi"),
        FieldPanel("name_en"),
        FieldRowPanel([FieldPanel("position"), FieldPanel("validity_months")]),
        FieldPanel("is_active"),
    ]


class StandardViewSet(ModelViewSet):
    model = Standard
    icon = "list-ul"
    menu_label = _("Competency standards")
    list_display = ["code", "name_vi", "builds_on", "optional_minimum", "is_active"]
    search_fields = ["code", "name_vi", "name_en"]
    search_backend_name = None
    copy_view_enabled = False
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("position")]),
        FieldPanel("name_vi"),
        FieldPanel("name_en"),
        FieldPanel("builds_on"),
        FieldPanel("required"),
        MultiFieldPanel([FieldPanel("optional"), FieldPanel("optional_minimum")], heading=_("Any of")),
        FieldPanel("is_active"),
    ]


class CertificateTemplateViewSet(ModelViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    list_display = ["name", "course", "track", "language", "updated_at"]
    list_filter = ["track", "language"]
    search_fields = ["name", "title"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("course"), FieldPanel("track")],
            heading=_("Used for"),
            help_text=_("A course's template wins over its track's; with neither, this is the default."),
        ),
        FieldPanel("language"),
        FieldPanel("title"),
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("signatory_name"), FieldPanel("signatory_title")]),
        FieldRowPanel([FieldPanel("signature_image"), FieldPanel("seal_image"), FieldPanel("background_image")]),
    ]


class CertificationViewSetGroup(ViewSetGroup):
    menu_label = _("Certification")
    menu_icon = "tick-inverse"
    menu_order = 260
    items = (
        CompetencyViewSet("competencies"),
        StandardViewSet("competency_standards"),
        CertificateTemplateViewSet("certificate_templates"),
    )
