"""The officer's "Assign a course" page: gated, scoped to the officer's units, confirmed before writing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from courses.choices import AccessMode, EnrolmentStatus
from courses.models import Assignment, Enrolment
from courses.services import assignment_create
from organisations.models import Audience

pytestmark = pytest.mark.django_db

ASSIGN = reverse("courses:assign")


@pytest.fixture
def course(make_course, anchor):
    return anchor(make_course(title="An toàn thông tin", access_mode=AccessMode.ASSIGNMENT_ONLY))


@pytest.fixture
def staff(make_person, unit_a, unit_a_child, unit_b):
    return {
        "a": make_person(unit=unit_a, audience=Audience.IT_STAFF, employee_code="NA0001", full_name="Lê Văn Một"),
        "a_child": make_person(
            unit=unit_a_child, audience=Audience.IT_STAFF, employee_code="NA0002", full_name="Lê Văn Hai"
        ),
        "a_general": make_person(unit=unit_a, audience=Audience.GENERAL, employee_code="NA0003"),
        "b": make_person(unit=unit_b, audience=Audience.IT_STAFF, employee_code="YT0001"),
    }


def form_data(course, due_date, **fields):
    empty = {"audience": "", "unit": "", "employee_codes": ""}
    return {"course": course.pk, "due_date": due_date.isoformat(), **empty, **fields}


def test_an_officer_assigns_an_audience_after_confirming(mfa_client, officer_a, course, staff, unit_a, due_date):
    client = mfa_client(officer_a.user)
    assert client.get(ASSIGN).status_code == 200
    data = form_data(course, due_date, audience=Audience.IT_STAFF, unit=unit_a.pk)

    response = client.post(ASSIGN, data)
    assert "2 people will be assigned “An toàn thông tin”" in response.content.decode()
    assert not Assignment.objects.exists()

    response = client.post(ASSIGN, {**data, "confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("courses:assignments", args=[course.pk])
    content = response.content.decode()
    assert "2 people assigned, 0 already assigned" in content
    assert "Lê Văn Một" in content and "Lê Văn Hai" in content
    assert set(Assignment.objects.values_list("person_id", flat=True)) == {staff["a"].pk, staff["a_child"].pk}

    client.post(ASSIGN, {**data, "confirm": "1"})
    assert Assignment.objects.count() == 2


def test_an_officer_assigns_listed_people(mfa_client, officer_a, course, staff, due_date):
    client = mfa_client(officer_a.user)
    data = form_data(course, due_date, employee_codes="NA0001,\nNA0003", confirm="1")
    client.post(ASSIGN, data)
    assert set(Assignment.objects.values_list("person_id", flat=True)) == {staff["a"].pk, staff["a_general"].pk}


def test_people_of_other_units_are_refused(mfa_client, officer_a, course, staff, due_date):
    client = mfa_client(officer_a.user)
    response = client.post(ASSIGN, form_data(course, due_date, employee_codes="NA0001 YT0001", confirm="1"))
    assert response.status_code == 200
    assert "These employee codes are not among the people of your units: YT0001" in response.content.decode()
    assert not Assignment.objects.exists()


def test_another_units_subtree_is_not_a_choice(mfa_client, officer_a, course, staff, unit_b, due_date):
    client = mfa_client(officer_a.user)
    data = form_data(course, due_date, audience=Audience.IT_STAFF, unit=unit_b.pk, confirm="1")
    response = client.post(ASSIGN, data)
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not Assignment.objects.exists()


def test_unpublished_courses_are_not_offered(mfa_client, officer_a, make_course, anchor, staff, due_date):
    page = make_course()
    course = anchor(page)
    page.unpublish()
    client = mfa_client(officer_a.user)
    response = client.post(ASSIGN, form_data(course, due_date, employee_codes="NA0001", confirm="1"))
    assert "course" in response.context["form"].errors
    assert not Assignment.objects.exists()


def test_past_due_dates_are_refused(mfa_client, officer_a, course, staff):
    client = mfa_client(officer_a.user)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(ASSIGN, form_data(course, yesterday, employee_codes="NA0001", confirm="1"))
    assert "due_date" in response.context["form"].errors


@pytest.mark.parametrize("role", [Role.LEARNER, Role.TRAINER, Role.HOME_AFFAIRS, Role.CURRICULUM_MANAGER])
def test_other_roles_get_403(mfa_client, make_person, unit_a, course, staff, role, due_date):
    client = mfa_client(make_person(unit=unit_a, roles=[role]).user)
    assert client.get(ASSIGN).status_code == 403
    assert client.post(ASSIGN, form_data(course, due_date, employee_codes="NA0001", confirm="1")).status_code == 403
    assert client.get(reverse("courses:assignments", args=[course.pk])).status_code == 403
    assert not Assignment.objects.exists()


def test_the_assignment_list_shows_only_the_officers_people_with_their_state(
    mfa_client, officer_a, make_person, course, staff, unit_b, due_date
):
    officer_b = make_person(unit=unit_b, roles=[Role.UNIT_OFFICER])
    mine = [staff["a"], staff["a_child"]]
    assignment_create(course=course, people=mine, due_date=due_date, assigned_by=officer_a.user)
    assignment_create(course=course, people=[staff["b"]], due_date=due_date, assigned_by=officer_b.user)
    Enrolment.objects.filter(person=staff["a"]).update(status=EnrolmentStatus.COMPLETED, completed_at=timezone.now())
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Assignment.objects.filter(person=staff["a_child"]).update(due_date=yesterday)

    response = mfa_client(officer_a.user).get(reverse("courses:assignments", args=[course.pk]))
    rows = {row.person.pk: row for row in response.context["page"].object_list}
    assert set(rows) == {staff["a"].pk, staff["a_child"].pk}
    content = response.content.decode()
    assert "Completed" in content and "Overdue" in content
    assert staff["b"].full_name not in content
