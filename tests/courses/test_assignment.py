"""Officers assign courses within their subtree only, idempotently, in a constant number of queries."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from courses.choices import AccessMode, EnrolmentSource, EnrolmentStatus
from courses.errors import CourseNotLive, DueDateInPast, OutOfScope, UnitOutOfScope
from courses.models import Assignment, Enrolment
from courses.selectors import assignments_in_scope, courses_visible_to
from courses.services import assignment_create, assignment_create_for_audience, enrolment_create
from organisations.models import Audience
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(make_course, anchor):
    return anchor(make_course(access_mode=AccessMode.ASSIGNMENT_ONLY, audiences=[Audience.IT_STAFF]))


def many_people(unit, count, audience=Audience.GENERAL):
    users = UserFactory.create_batch(count)
    return [PersonFactory(user=user, unit=unit, audience=audience) for user in users]


def test_assigning_enrols_people_even_outside_the_courses_audience(course, officer_a, unit_a_child, due_date):
    people = many_people(unit_a_child, 3)
    result = assignment_create(course=course, people=people, due_date=due_date, assigned_by=officer_a.user)
    assert (result.created, result.updated) == (3, 0)
    assert set(Assignment.objects.values_list("person_id", "due_date", "assigned_by")) == {
        (person.pk, due_date, officer_a.user.pk) for person in people
    }
    assert set(Enrolment.objects.values_list("person_id", "source", "status")) == {
        (person.pk, EnrolmentSource.ASSIGNMENT, EnrolmentStatus.ACTIVE) for person in people
    }
    assert course in courses_visible_to(people[0])


def test_assigning_twice_does_not_duplicate_and_moves_the_due_date(course, officer_a, unit_a, due_date):
    people = many_people(unit_a, 2)
    assignment_create(course=course, people=people[:1], due_date=due_date, assigned_by=officer_a.user)
    first = Assignment.objects.get()
    later = due_date + datetime.timedelta(days=14)
    result = assignment_create(course=course, people=people, due_date=later, assigned_by=officer_a.user)
    assert (result.created, result.updated) == (1, 1)
    assert Assignment.objects.count() == 2 and Enrolment.objects.count() == 2
    first.refresh_from_db()
    assert (first.due_date, first.created_at) == (later, Assignment.objects.get(pk=first.pk).created_at)
    assert set(Assignment.objects.values_list("due_date", flat=True)) == {later}


def test_an_existing_self_enrolment_is_kept(make_course, anchor, officer_a, unit_a, due_date):
    course = anchor(make_course(access_mode=AccessMode.OPEN))
    person = many_people(unit_a, 1)[0]
    own = enrolment_create(person=person, course=course)
    assignment_create(course=course, people=[person], due_date=due_date, assigned_by=officer_a.user)
    assert list(Enrolment.objects.values_list("pk", "source")) == [(own.pk, EnrolmentSource.SELF)]
    assert Assignment.objects.filter(person=person).exists()


def test_an_officer_cannot_assign_anyone_outside_their_subtree(course, officer_a, unit_a, unit_b, due_date):
    inside = many_people(unit_a, 2)
    outside = many_people(unit_b, 1)
    with pytest.raises(OutOfScope) as refused:
        assignment_create(course=course, people=inside + outside, due_date=due_date, assigned_by=officer_a.user)
    assert refused.value.message == "You can only assign courses to people of your own units."
    assert not Assignment.objects.exists() and not Enrolment.objects.exists()


@pytest.mark.parametrize("role", [Role.LEARNER, Role.TRAINER, Role.HOME_AFFAIRS, Role.CURRICULUM_MANAGER])
def test_other_roles_cannot_assign(course, make_person, unit_a, role, due_date):
    user = make_person(unit=unit_a, roles=[role]).user
    with pytest.raises(OutOfScope):
        assignment_create(course=course, people=many_people(unit_a, 1), due_date=due_date, assigned_by=user)


def test_assigning_an_audience_takes_everyone_of_it_in_the_unit_subtree(
    course, officer_a, unit_a, unit_a_child, unit_b, due_date
):
    it_staff = many_people(unit_a, 1, Audience.IT_STAFF) + many_people(unit_a_child, 2, Audience.IT_STAFF)
    many_people(unit_a, 2, Audience.GENERAL)
    many_people(unit_b, 2, Audience.IT_STAFF)
    result = assignment_create_for_audience(
        course=course, audience=Audience.IT_STAFF, unit=unit_a, due_date=due_date, assigned_by=officer_a.user
    )
    assert result.created == 3
    assert set(Assignment.objects.values_list("person_id", flat=True)) == {person.pk for person in it_staff}


def test_the_audience_route_refuses_another_units_subtree(course, officer_a, unit_b, due_date):
    many_people(unit_b, 2, Audience.IT_STAFF)
    with pytest.raises(UnitOutOfScope):
        assignment_create_for_audience(
            course=course, audience=Audience.IT_STAFF, unit=unit_b, due_date=due_date, assigned_by=officer_a.user
        )
    assert not Assignment.objects.exists()


def test_the_audience_route_in_a_subunit_stays_in_it(course, officer_a, unit_a, unit_a_child, due_date):
    many_people(unit_a, 2, Audience.IT_STAFF)
    child_people = many_people(unit_a_child, 1, Audience.IT_STAFF)
    assignment_create_for_audience(
        course=course, audience=Audience.IT_STAFF, unit=unit_a_child, due_date=due_date, assigned_by=officer_a.user
    )
    assert list(Assignment.objects.values_list("person_id", flat=True)) == [child_people[0].pk]


def test_unpublished_courses_cannot_be_assigned(make_course, anchor, officer_a, unit_a, due_date):
    page = make_course()
    page.unpublish()
    with pytest.raises(CourseNotLive):
        assignment_create(
            course=anchor(page), people=many_people(unit_a, 1), due_date=due_date, assigned_by=officer_a.user
        )


def test_due_dates_in_the_past_are_refused(course, officer_a, unit_a):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(DueDateInPast):
        assignment_create(course=course, people=many_people(unit_a, 1), due_date=yesterday, assigned_by=officer_a.user)


@pytest.mark.parametrize("count", [5, 200])
def test_assigning_runs_a_constant_number_of_queries(
    course, officer_a, unit_a, due_date, count, django_assert_max_num_queries
):
    people = many_people(unit_a, count)
    assignment_create(course=course, people=people[:2], due_date=due_date, assigned_by=officer_a.user)
    officer = type(officer_a.user).objects.get(pk=officer_a.user.pk)
    with django_assert_max_num_queries(12):
        result = assignment_create(course=course, people=people, due_date=due_date, assigned_by=officer)
    assert (result.created, result.updated) == (count - 2, 2)


@pytest.mark.parametrize("count", [5, 200])
def test_assigning_an_audience_runs_a_constant_number_of_queries(
    course, officer_a, unit_a, due_date, count, django_assert_max_num_queries
):
    many_people(unit_a, count, Audience.IT_STAFF)
    officer = type(officer_a.user).objects.get(pk=officer_a.user.pk)
    with django_assert_max_num_queries(12):
        result = assignment_create_for_audience(
            course=course, audience=Audience.IT_STAFF, unit=unit_a, due_date=due_date, assigned_by=officer
        )
    assert result.created == count


def test_assignments_in_scope_lists_only_the_officers_people_with_their_state(
    course, officer_a, make_person, unit_a, unit_b, due_date
):
    mine = many_people(unit_a, 2)
    theirs = many_people(unit_b, 1)
    officer_b = make_person(unit=unit_b, roles=[Role.UNIT_OFFICER])
    assignment_create(course=course, people=mine, due_date=due_date, assigned_by=officer_a.user)
    assignment_create(course=course, people=theirs, due_date=due_date, assigned_by=officer_b.user)
    Enrolment.objects.filter(person=mine[0]).update(status=EnrolmentStatus.COMPLETED, completed_at=timezone.now())
    rows = {row.person_id: row.enrolment_status for row in assignments_in_scope(user=officer_a.user, course=course)}
    assert rows == {mine[0].pk: EnrolmentStatus.COMPLETED, mine[1].pk: EnrolmentStatus.ACTIVE}
