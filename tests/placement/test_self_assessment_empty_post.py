"""An empty POST of the self-assessment (no field at all) gives the form back with every statement's
required-field error, not a server error."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from placement.models import ItemAnswer, SurveyResponse

pytestmark = pytest.mark.django_db


def test_an_empty_post_shows_the_required_errors(client, make_person, unit_a, survey):
    client.force_login(make_person(unit=unit_a, roles=[Role.LEARNER]).user)

    page = client.post(reverse("placement:self_assessment", args=[survey.pk]), {})

    assert page.status_code == 400
    html = page.content.decode()
    assert html.count("Choose how well you can do this.") == survey.items.count()
    assert "Some statements have no answer yet: they are marked below." in html
    assert not SurveyResponse.objects.exists() and not ItemAnswer.objects.exists()
