"""Wagtail admin of IT skill surveys (curriculum managers and site administrators): title, dates, the
diagnostic quiz and the self-assessment statements. A survey that has responses is never deleted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import Survey


class SurveyPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and instance.responses.exists():
            return False  # responses point at it: close it instead
        return self.user_has_permission(user, action)


survey_policy = SurveyPermissionPolicy(Survey)


class SurveyViewSet(ModelViewSet):
    model = Survey
    icon = "list-ul"
    menu_label = _("IT skill surveys")
    add_to_admin_menu = True
    menu_order = 320
    list_display = ["title", "is_active", "opens_at", "closes_at", "diagnostic_quiz"]
    search_fields = ["title"]
    panels = [
        FieldPanel("title"),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [FieldPanel("is_active"), FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")])],
            heading=_("When"),
        ),
        FieldPanel("diagnostic_quiz"),
        InlinePanel("items", heading=_("Self-assessment statements"), label=_("statement"), min_num=1),
    ]

    @property
    def permission_policy(self):
        return survey_policy
