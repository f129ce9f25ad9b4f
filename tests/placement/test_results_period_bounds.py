"""The survey results' period filter keeps to the reporting years: a date at the edge of the calendar
(0001-01-01, 9999-12-31) is refused with a message, and the page shows the whole time instead of a 500."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from placement.forms import PeriodForm
from placement.models import ResponseStatus, SurveyResponse

from .conftest import make_survey

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "Choose dates between the years 1900 and 2200."


@pytest.fixture
def surveyed(make_person, unit_a):
    survey = make_survey()
    person = make_person(unit=unit_a)
    SurveyResponse.objects.create(survey=survey, person=person, status=ResponseStatus.SUBMITTED,
                                  submitted_at=timezone.now(), unit=unit_a, audience=person.audience)
    return survey


@pytest.mark.parametrize("query", [
    {"end": "9999-12-31"}, {"start": "0001-01-01"}, {"start": "9999-12-25", "end": "9999-12-31"},
    {"start": "0001-01-01", "end": "0001-01-05"},
])
@pytest.mark.parametrize("role", [Role.HOME_AFFAIRS, Role.UNIT_OFFICER])
def test_dates_at_the_edges_of_the_calendar_are_refused_not_a_500(surveyed, make_person, province, unit_a,
                                                                   mfa_client, query, role):
    reader = make_person(unit=province if role == Role.HOME_AFFAIRS else unit_a, roles=[role])
    page = mfa_client(reader.user).get(reverse("placement:results"), query)
    assert page.status_code == 200
    assert OUT_OF_RANGE in page.content.decode()
    assert page.context["distribution"].people == 1  # an invalid filter shows the whole time


def test_the_form_accepts_the_reporting_years_and_nothing_beyond():
    assert PeriodForm({"start": "1900-01-01", "end": "2200-12-31"}).period() == (
        datetime.date(1900, 1, 1), datetime.date(2200, 12, 31))
    for query in ({"start": "1899-12-31"}, {"end": "2201-01-01"}):
        form = PeriodForm(query)
        assert form.period() == (None, None) and form.non_field_errors() == [OUT_OF_RANGE]
