"""Recommended courses: live courses developing a module placed below “proficient” that the person may
follow (open to them, assigned, or already in progress), most weak modules covered first."""

import datetime

import pytest

from courses.choices import AccessMode, EnrolmentSource, EnrolmentStatus
from courses.models import Assignment, CourseAudience, Enrolment
from organisations.models import Audience
from placement.models import ModuleLevel
from placement.modules import Level
from placement.selectors import recommended_courses

from .conftest import make_course

pytestmark = pytest.mark.django_db


def placed(**levels) -> list[ModuleLevel]:
    return [ModuleLevel(module_code=code, level=level, self_score=0, combined=0) for code, level in levels.items()]


@pytest.fixture
def person(make_person, unit_a):
    return make_person(unit=unit_a, audience=Audience.GENERAL)


def test_only_courses_for_weak_modules_the_person_may_follow(person, trainer):
    levels = placed(IU01=Level.NOT_YET, IU03=Level.BASIC, IU04=Level.PROFICIENT, IU06=Level.ADVANCED)
    both = make_course("CB-1-3", ["IU01", "IU03"])
    word = make_course("CB-3", ["IU03", "IU07"])
    make_course("CB-4", ["IU04"])  # proficient already
    make_course("CB-6", ["IU06"])  # advanced already
    make_course("CB-1-DRAFT", ["IU01"], live=False)  # not published
    make_course("CB-1-ASSIGN", ["IU01"], access_mode=AccessMode.ASSIGNMENT_ONLY)  # not assigned to them
    assigned = make_course("CB-3-ASSIGNED", ["IU03"], access_mode=AccessMode.ASSIGNMENT_ONLY)
    Assignment.objects.create(course=assigned, person=person, assigned_by=trainer, due_date=datetime.date(2026, 12, 31))
    farmers = make_course("CB-1-FARM", ["IU01"], access_mode=AccessMode.SELF_ENROLMENT)
    CourseAudience.objects.create(course=farmers, audience=Audience.FARMER)  # another audience
    staff = make_course("CB-1-STAFF", ["IU01"], access_mode=AccessMode.SELF_ENROLMENT)
    CourseAudience.objects.create(course=staff, audience=Audience.GENERAL)
    done = make_course("CB-3-DONE", ["IU03"])
    Enrolment.objects.create(person=person, course=done, source=EnrolmentSource.SELF,
                             status=EnrolmentStatus.COMPLETED,
                             completed_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC))
    going = make_course("CB-1-GOING", ["IU01"])
    Enrolment.objects.create(person=person, course=going, source=EnrolmentSource.SELF)
    needs = make_course("CB-3-NEXT", ["IU03"])
    needs.prerequisites.add(make_course("CB-PRE", ["IU15"]))  # prerequisite not completed

    found = recommended_courses(person, levels)
    assert [rec.course.code for rec in found] == ["CB-1-3", "CB-1-GOING", "CB-1-STAFF", "CB-3", "CB-3-ASSIGNED"]
    assert found[0].modules == ["IU01", "IU03"] and found[0].course == both
    assert found[3].modules == ["IU03"] and found[3].course == word
    assert [rec.enrolled for rec in found] == [False, True, False, False, False]


def test_nothing_to_recommend_when_proficient_everywhere(person):
    make_course("CB-1", ["IU01"])
    assert recommended_courses(person, placed(IU01=Level.PROFICIENT, IU02=Level.ADVANCED)) == []
