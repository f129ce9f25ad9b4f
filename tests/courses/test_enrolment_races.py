"""Two requests of the same person enrolling, or two officers assigning, at the same moment: the
database constraints leave exactly one enrolment and one assignment (PostgreSQL, real threads)."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from courses.choices import AccessMode
from courses.models import Assignment, Enrolment
from courses.services import assignment_create, enrolment_create

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # keeps the migrated page tree
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL: set DATABASE_URL"),
]


def run_together(target, count=4):
    barrier = threading.Barrier(count)
    errors = []

    def worker():
        try:
            barrier.wait()
            target()
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_self_enrolments_leave_one(make_course, anchor, make_person, unit_a):
    course = anchor(make_course(access_mode=AccessMode.OPEN))
    person = make_person(unit=unit_a)
    assert run_together(lambda: enrolment_create(person=person, course=course)) == []
    assert Enrolment.objects.filter(person=person, course=course).count() == 1


def test_concurrent_assignments_leave_one_each(make_course, anchor, make_person, unit_a, officer_a):
    course = anchor(make_course(access_mode=AccessMode.ASSIGNMENT_ONLY))
    people = [make_person(unit=unit_a) for _ in range(3)]
    due = timezone.localdate() + datetime.timedelta(days=14)
    errors = run_together(lambda: assignment_create(course=course, people=people, due_date=due, assigned_by=officer_a.user))
    assert errors == []
    assert Assignment.objects.filter(course=course).count() == 3
    assert Enrolment.objects.filter(course=course).count() == 3
