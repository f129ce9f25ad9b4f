"""Wagtail admin registration of the IT skill surveys (the viewset lives in placement.admin), and where the review
of a diagnostic attempt leads back to."""

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin import SurveyViewSet, survey_policy
from .models import Survey

register_permission_policy(Survey, survey_policy)


@hooks.register("register_admin_viewset")
def register_surveys():
    return SurveyViewSet("placement_surveys")


@hooks.register("attempt_return_link")
def diagnostic_attempt_returns_to_the_survey(attempt):
    """The diagnostic quiz is taken from the survey's page (placement.views.diagnostic), not from a lesson: its
    review leads back there, where the person submits the survey."""
    if Survey.objects.filter(diagnostic_quiz_id=attempt.quiz_id).exists():
        return reverse("placement:home"), _("Back to the skills survey")
    return None
