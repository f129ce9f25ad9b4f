"""A class's dates lie within CLASS_DATES_REACH_YEARS of today (back, for a class recorded after it began; ahead,
for one planned early), so a typing slip such as 0001-01-01 or 9999-12-31 is refused with a message; its sessions
keep within the class's dates, and within that reach too for a class opened before the dates were bounded."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.choices import AccessMode
from courses import forms
from courses.forms import CohortForm
from courses.models import ClassSession, Cohort

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CLASS_DATES_REACH_YEARS = 5
TOO_EARLY = f"The first day cannot be more than {CLASS_DATES_REACH_YEARS} years ago."
TOO_LATE = f"The last day cannot be more than {CLASS_DATES_REACH_YEARS} years ahead."


@pytest.fixture
def course(make_course, make_lesson, anchor):
    page = make_course(title="Tin học văn phòng", access_mode=AccessMode.ASSIGNMENT_ONLY)
    make_lesson(page, "Bài 1: Soạn thảo văn bản")
    return anchor(page)


def class_data(course, unit, starts_on, ends_on, name="Lớp K9") -> dict:
    return {"course": course.pk, "unit": unit.pk, "name": name, "starts_on": str(starts_on), "ends_on": str(ends_on),
            "min_attendance_percent": 0}


def test_the_reach_is_five_years():
    assert forms.CLASS_DATES_REACH_YEARS == CLASS_DATES_REACH_YEARS


@pytest.mark.parametrize("starts_on, ends_on, field, message", [
    ("0001-01-01", TODAY, "starts_on", TOO_EARLY),
    ("1900-01-01", TODAY, "starts_on", TOO_EARLY),
    (TODAY, "9999-12-31", "ends_on", TOO_LATE),
    (TODAY.replace(year=TODAY.year - CLASS_DATES_REACH_YEARS - 1, day=1), TODAY, "starts_on", TOO_EARLY),
    (TODAY, TODAY.replace(year=TODAY.year + CLASS_DATES_REACH_YEARS + 1, day=1), "ends_on", TOO_LATE),
])
def test_opening_a_class_with_dates_out_of_reach_is_refused(mfa_client, officer_a, unit_a, course,
                                                            starts_on, ends_on, field, message):
    response = mfa_client(officer_a.user).post(reverse("courses:class_create"),
                                               class_data(course, unit_a, starts_on, ends_on))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert not Cohort.objects.exists()


def test_a_class_recorded_late_or_planned_early_is_accepted(officer_a, unit_a, course):
    long_ago = TODAY.replace(year=TODAY.year - CLASS_DATES_REACH_YEARS + 1, day=1)
    far_ahead = TODAY.replace(year=TODAY.year + CLASS_DATES_REACH_YEARS - 1, day=1)
    form = CohortForm(class_data(course, unit_a, long_ago, far_ahead), user=officer_a.user)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1900-06-01"])
def test_a_class_opened_before_the_bounds_gets_no_session_out_of_reach(mfa_client, officer_a, unit_a, course, day):
    legacy = Cohort.objects.create(course=course, unit=unit_a, name="Lớp cũ", starts_on=datetime.date(1, 1, 1),
                                   ends_on=datetime.date(9999, 12, 31), created_by=officer_a.user)
    response = mfa_client(officer_a.user).post(
        reverse("courses:session_add", args=[legacy.pk]),
        {"day": day, "starts": "08:00", "ends": "09:00", "place": "Phòng 201", "topic": "", "trainer": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["day"] == [
        f"A session must take place within {CLASS_DATES_REACH_YEARS} years of today."]
    assert not ClassSession.objects.exists()
    today = mfa_client(officer_a.user).post(
        reverse("courses:session_add", args=[legacy.pk]),
        {"day": str(TODAY), "starts": "08:00", "ends": "09:00", "place": "Phòng 201", "topic": "", "trainer": ""},
    )
    assert today.status_code == 302 and ClassSession.objects.count() == 1
