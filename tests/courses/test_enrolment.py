"""Self-enrolment: who may join which course, the message when not, and enrolling twice."""

import pytest
from django.utils import timezone

from courses.choices import AccessMode, EnrolmentSource, EnrolmentStatus
from courses.errors import AssignmentOnly, AudienceNotAdmitted, CourseNotLive, PrerequisitesMissing
from courses.models import Enrolment
from courses.selectors import courses_visible_to, enrolment_for, self_enrolment_refusal
from courses.services import enrolment_create
from organisations.models import Audience
from tests.cms.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_staff(make_person, unit_a):
    return make_person(unit=unit_a, audience=Audience.IT_STAFF, full_name="Nguyễn Văn Kỹ Thuật")


@pytest.fixture
def civil_servant(make_person, unit_a):
    return make_person(unit=unit_a, audience=Audience.GENERAL, full_name="Trần Thị Công Chức")


def test_self_enrolment_admits_the_courses_audiences(make_course, anchor, it_staff):
    course = anchor(make_course(audiences=[Audience.IT_STAFF], access_mode=AccessMode.SELF_ENROLMENT))
    enrolment = enrolment_create(person=it_staff, course=course)
    assert (enrolment.source, enrolment.status, enrolment.completed_at) == (
        EnrolmentSource.SELF, EnrolmentStatus.ACTIVE, None,
    )
    assert enrolment_for(it_staff, course) == enrolment


def test_self_enrolment_refuses_other_audiences_with_a_message(make_course, anchor, civil_servant):
    course = anchor(make_course(audiences=[Audience.IT_STAFF], access_mode=AccessMode.SELF_ENROLMENT))
    with pytest.raises(AudienceNotAdmitted) as refused:
        enrolment_create(person=civil_servant, course=course)
    assert refused.value.message == "This course is for other audiences, so you cannot enrol yourself."
    assert not Enrolment.objects.exists()


def test_open_courses_admit_everyone(make_course, anchor, civil_servant, make_person):
    course = anchor(make_course(audiences=[Audience.IT_STAFF], access_mode=AccessMode.OPEN))
    farmer = make_person(unit=civil_servant.unit, audience=Audience.FARMER)
    assert enrolment_create(person=civil_servant, course=course).person == civil_servant
    assert enrolment_create(person=farmer, course=course).person == farmer


def test_assignment_only_courses_refuse_self_enrolment(make_course, anchor, it_staff):
    course = anchor(make_course(audiences=[Audience.IT_STAFF], access_mode=AccessMode.ASSIGNMENT_ONLY))
    with pytest.raises(AssignmentOnly) as refused:
        enrolment_create(person=it_staff, course=course)
    assert "assignment only" in refused.value.message


def test_unpublished_courses_refuse_enrolment(make_course, anchor, it_staff):
    page = make_course(access_mode=AccessMode.OPEN)
    page.unpublish()
    with pytest.raises(CourseNotLive):
        enrolment_create(person=it_staff, course=anchor(page))


def test_prerequisites_must_be_completed_first(make_course, anchor, it_staff):
    basic_page = make_course(title="Tin học cơ bản", access_mode=AccessMode.OPEN)
    advanced_page = make_course(title="Tin học nâng cao", access_mode=AccessMode.OPEN, live=False)
    advanced_page.prerequisites = [basic_page]
    publish(advanced_page)
    basic, advanced = anchor(basic_page), anchor(advanced_page)

    with pytest.raises(PrerequisitesMissing) as refused:
        enrolment_create(person=it_staff, course=advanced)
    assert refused.value.message == "Complete these courses first: Tin học cơ bản."

    enrolment = enrolment_create(person=it_staff, course=basic)
    enrolment.status, enrolment.completed_at = EnrolmentStatus.COMPLETED, timezone.now()
    enrolment.save()
    assert self_enrolment_refusal(person=it_staff, course=advanced) is None
    assert enrolment_create(person=it_staff, course=advanced).course == advanced


def test_an_unpublished_prerequisite_does_not_block(make_course, anchor, it_staff):
    basic_page = make_course(title="Tin học cơ bản", access_mode=AccessMode.OPEN)
    advanced_page = make_course(access_mode=AccessMode.OPEN, live=False)
    advanced_page.prerequisites = [basic_page]
    publish(advanced_page)
    basic_page.unpublish()
    assert enrolment_create(person=it_staff, course=anchor(advanced_page)).person == it_staff


def test_enrolling_twice_returns_the_same_enrolment(make_course, anchor, it_staff, django_assert_max_num_queries):
    course = anchor(make_course(access_mode=AccessMode.OPEN))
    first = enrolment_create(person=it_staff, course=course)
    with django_assert_max_num_queries(3):
        again = enrolment_create(person=it_staff, course=course)
    assert again.pk == first.pk
    assert Enrolment.objects.count() == 1


def test_an_enrolment_stays_even_if_the_course_closes_to_the_audience(make_course, anchor, it_staff):
    page = make_course(audiences=[Audience.IT_STAFF], access_mode=AccessMode.SELF_ENROLMENT)
    first = enrolment_create(person=it_staff, course=anchor(page))
    page.audiences = []
    publish(page)
    assert enrolment_create(person=it_staff, course=anchor(page)).pk == first.pk


def test_courses_visible_to_a_person(make_course, anchor, it_staff, civil_servant):
    open_course = anchor(make_course(access_mode=AccessMode.OPEN))
    for_it = anchor(make_course(audiences=[Audience.IT_STAFF], access_mode=AccessMode.SELF_ENROLMENT))
    assigned_only = anchor(make_course(access_mode=AccessMode.ASSIGNMENT_ONLY))
    hidden = make_course(access_mode=AccessMode.OPEN)
    hidden.unpublish()
    assert set(courses_visible_to(it_staff)) == {open_course, for_it}
    assert set(courses_visible_to(civil_servant)) == {open_course}
    assert set(courses_visible_to(None)) == {open_course}
    assert assigned_only not in courses_visible_to(it_staff)
