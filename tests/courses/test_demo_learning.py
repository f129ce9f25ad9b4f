"""seed_demo_learning (run by `make run`): the demo learner has assigned courses, the demo officer a
blended class with a held session and its attendance, built through the real services, once."""

import io

import pytest
from django.core.management import call_command

from courses.demo import DEMO_CLASS
from courses.models import Assignment, Attendance, ClassSession, Cohort, Enrolment
from courses.selectors import learning_dashboard
from organisations.models import Person
from tests.cms.conftest import media_root  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_demo_learning_records_are_real_and_created_once(media_root):  # noqa: F811
    run("seed_demo", "--people", "60")
    run("seed_demo_courses")
    assert "Demo learning records created" in run("seed_demo_learning")
    cohort = Cohort.objects.get(name=DEMO_CLASS)
    assert cohort.unit.name == "Sở Y tế"
    assert ClassSession.objects.filter(cohort=cohort).count() == 2
    members = Enrolment.objects.filter(cohort=cohort).count()
    assert members >= 2
    assert Attendance.objects.filter(session__cohort=cohort, present=True).exists()

    learner = Person.objects.get(user__username="demo.hocvien")
    dashboard = learning_dashboard(learner)
    assert [e.course.code for e in dashboard.due_soon] == ["IU01"]
    assert len(dashboard.in_progress) + len(dashboard.assigned) == 2

    before = (Assignment.objects.count(), Enrolment.objects.count(), Attendance.objects.count())
    assert "already exist" in run("seed_demo_learning")
    assert (Assignment.objects.count(), Enrolment.objects.count(), Attendance.objects.count()) == before


def test_without_the_demo_people_nothing_is_created(media_root):  # noqa: F811
    run("seed_demo_courses")
    run("seed_demo_learning")
    assert not Cohort.objects.exists()
