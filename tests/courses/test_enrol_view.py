"""The course page's enrol button, end to end through the test client."""

import pytest
from django.urls import reverse

from courses.choices import AccessMode
from courses.models import Enrolment
from organisations.models import Audience
from tests.cms.conftest import publish
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(make_person, unit_a):
    return make_person(unit=unit_a, audience=Audience.IT_STAFF, full_name="Võ Thị Học")


def test_a_learner_enrols_from_the_course_page(client, make_course, anchor, learner):
    page = make_course(title="Bảo mật thông tin", audiences=[Audience.IT_STAFF], access_mode=AccessMode.SELF_ENROLMENT)
    client.force_login(learner.user)
    response = client.get(page.url)
    enrol_url = reverse("courses:enrol", args=[anchor(page).pk])
    assert f'action="{enrol_url}"' in response.content.decode()

    response = client.post(enrol_url, follow=True)
    assert response.redirect_chain[-1][0] == page.url
    content = response.content.decode()
    assert "You are enrolled in “Bảo mật thông tin”." in content
    assert "You are enrolled in this course." in content
    assert f'action="{enrol_url}"' not in content
    assert Enrolment.objects.filter(person=learner, course=anchor(page)).count() == 1

    client.post(enrol_url)
    assert Enrolment.objects.filter(person=learner).count() == 1


def test_the_page_explains_why_someone_cannot_enrol(client, make_course, anchor, make_person, unit_a):
    page = make_course(audiences=[Audience.IT_STAFF], access_mode=AccessMode.SELF_ENROLMENT)
    other = make_person(unit=unit_a, audience=Audience.GENERAL)
    client.force_login(other.user)
    content = client.get(page.url).content.decode()
    assert "This course is for other audiences, so you cannot enrol yourself." in content
    assert reverse("courses:enrol", args=[anchor(page).pk]) not in content

    response = client.post(reverse("courses:enrol", args=[anchor(page).pk]), follow=True)
    assert "This course is for other audiences, so you cannot enrol yourself." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_assignment_only_course_shows_the_reason(client, make_course, learner):
    page = make_course(access_mode=AccessMode.ASSIGNMENT_ONLY, audiences=[Audience.IT_STAFF])
    client.force_login(learner.user)
    assert "This course is by assignment only" in client.get(page.url).content.decode()


def test_visitors_are_asked_to_log_in(client, make_course, anchor):
    page = make_course(access_mode=AccessMode.OPEN)
    content = client.get(page.url).content.decode()
    assert reverse("account_login") in content and "Log in to enrol" in content
    response = client.post(reverse("courses:enrol", args=[anchor(page).pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert not Enrolment.objects.exists()


def test_enrolling_needs_a_post(client, make_course, anchor, learner):
    page = make_course(access_mode=AccessMode.OPEN)
    client.force_login(learner.user)
    assert client.get(reverse("courses:enrol", args=[anchor(page).pk])).status_code == 405
    assert not Enrolment.objects.exists()


def test_an_unpublished_course_refuses_the_post(client, make_course, anchor, learner):
    page = make_course(access_mode=AccessMode.OPEN)
    course = anchor(page)
    page.unpublish()
    client.force_login(learner.user)
    client.post(reverse("courses:enrol", args=[course.pk]))
    assert not Enrolment.objects.exists()
    publish(page)
    client.post(reverse("courses:enrol", args=[course.pk]))
    assert Enrolment.objects.count() == 1


def test_an_account_without_a_profile_is_told_so(client, make_course, anchor):
    page = make_course(access_mode=AccessMode.OPEN)
    client.force_login(UserFactory())
    assert "Only people with a learner profile can enrol." in client.get(page.url).content.decode()
    response = client.post(reverse("courses:enrol", args=[anchor(page).pk]), follow=True)
    assert "Only people with a learner profile can enrol." in response.content.decode()
    assert not Enrolment.objects.exists()
