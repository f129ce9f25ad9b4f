"""Wagtail admin registration of the IT skill surveys (the viewset lives in placement.admin)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin import SurveyViewSet, survey_policy
from .models import Survey

register_permission_policy(Survey, survey_policy)


@hooks.register("register_admin_viewset")
def register_surveys():
    return SurveyViewSet("placement_surveys")
