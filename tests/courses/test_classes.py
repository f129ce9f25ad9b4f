"""Classes (lớp): opened by an officer in their units, members assigned with the class's last day as
due date, in-person sessions, attendance in the completion rule, and the officer's pages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from courses.choices import AccessMode, EnrolmentStatus
from courses.errors import (
    AttendanceNotAllowed,
    ClassNotManaged,
    NotAClassMember,
    OutOfScope,
    SessionHasAttendance,
    SessionNotStarted,
    SessionOutsideClass,
    UnitOutOfScope,
)
from courses.models import Assignment, Attendance, ClassSession, Cohort, Enrolment
from courses.services import (
    attendance_record,
    cohort_create,
    cohort_member_remove,
    cohort_members_add,
    cohort_members_add_by_audience,
    lesson_open,
    session_create,
    session_delete,
)
from organisations.models import Audience

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def blended(make_course, make_lesson, anchor):
    """A blended course with one required lesson."""
    page = make_course(title="Tin học văn phòng", access_mode=AccessMode.ASSIGNMENT_ONLY)
    lesson = make_lesson(page, "Bài 1: Soạn thảo văn bản")
    return anchor(page), lesson


@pytest.fixture
def staff(make_person, unit_a, unit_a_child, unit_b):
    return {
        "lan": make_person(unit=unit_a, employee_code="NA0101", full_name="Nguyễn Thị Lan"),
        "minh": make_person(unit=unit_a_child, employee_code="NA0102", full_name="Trần Văn Minh"),
        "other": make_person(unit=unit_b, employee_code="YT0101", full_name="Phạm Văn Ngoài"),
    }


@pytest.fixture
def cohort(blended, officer_a, unit_a):
    course, _lesson = blended
    return cohort_create(
        course=course, unit=unit_a, name="Lớp Tin học văn phòng K1", starts_on=TODAY - datetime.timedelta(days=2),
        ends_on=TODAY + datetime.timedelta(days=20), min_attendance_percent=50, created_by=officer_a.user,
    )


@pytest.fixture
def sessions(cohort, officer_a, trainer):
    return [
        session_create(
            cohort=cohort, starts_at=at(TODAY - datetime.timedelta(days=1), 8), ends_at=at(TODAY - datetime.timedelta(days=1), 11),
            place="Hội trường Sở Nội vụ", topic="Soạn thảo", trainer=trainer, created_by=officer_a.user,
        ),
        session_create(
            cohort=cohort, starts_at=at(TODAY - datetime.timedelta(days=1), 14), ends_at=at(TODAY - datetime.timedelta(days=1), 17),
            place="Hội trường Sở Nội vụ", created_by=officer_a.user,
        ),
    ]


def test_an_officer_opens_a_class_only_in_their_units(blended, officer_a, unit_b):
    course, _lesson = blended
    with pytest.raises(UnitOutOfScope):
        cohort_create(
            course=course, unit=unit_b, name="Lớp khác", starts_on=TODAY, ends_on=TODAY, created_by=officer_a.user
        )
    assert not Cohort.objects.exists()


def test_members_are_assigned_due_on_the_last_day_idempotently(cohort, staff, officer_a):
    result = cohort_members_add(cohort=cohort, people=[staff["lan"], staff["minh"]], added_by=officer_a.user)
    assert (result.added, result.already, result.elsewhere) == (2, 0, 0)
    again = cohort_members_add(cohort=cohort, people=[staff["lan"]], added_by=officer_a.user)
    assert (again.added, again.already) == (0, 1)
    assert set(Assignment.objects.values_list("person__employee_code", "due_date")) == {
        ("NA0101", cohort.ends_on), ("NA0102", cohort.ends_on)
    }
    assert Enrolment.objects.filter(cohort=cohort).count() == 2


def test_members_by_audience_and_scope(cohort, staff, officer_a, unit_a):
    staff["lan"].audience = Audience.IT_STAFF
    staff["lan"].save()
    result = cohort_members_add_by_audience(cohort=cohort, audience=Audience.IT_STAFF, unit=unit_a, added_by=officer_a.user)
    assert result.added == 1
    with pytest.raises(OutOfScope):
        cohort_members_add(cohort=cohort, people=[staff["other"]], added_by=officer_a.user)
    assert not Enrolment.objects.filter(person=staff["other"]).exists()


def test_someone_in_another_class_of_the_course_stays_there(cohort, staff, officer_a, unit_a):
    other = cohort_create(
        course=cohort.course, unit=unit_a, name="Lớp K2", starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=9),
        created_by=officer_a.user,
    )
    cohort_members_add(cohort=cohort, people=[staff["lan"]], added_by=officer_a.user)
    result = cohort_members_add(cohort=other, people=[staff["lan"]], added_by=officer_a.user)
    assert (result.added, result.elsewhere) == (0, 1)
    assert Enrolment.objects.get(person=staff["lan"]).cohort == cohort


def test_an_officer_of_another_unit_cannot_manage_the_class(cohort, make_person, unit_b, staff):
    officer_b = make_person(unit=unit_b, roles=[Role.UNIT_OFFICER]).user
    with pytest.raises(ClassNotManaged):
        cohort_members_add(cohort=cohort, people=[], added_by=officer_b)
    with pytest.raises(ClassNotManaged):
        session_create(
            cohort=cohort, starts_at=at(TODAY, 8), ends_at=at(TODAY, 9), place="Phòng họp", created_by=officer_b
        )


def test_sessions_stay_within_the_class_dates(cohort, officer_a):
    late = cohort.ends_on + datetime.timedelta(days=1)
    with pytest.raises(SessionOutsideClass):
        session_create(cohort=cohort, starts_at=at(late, 8), ends_at=at(late, 9), place="Phòng họp", created_by=officer_a.user)


def test_attendance_completes_the_course_when_the_class_requires_it(cohort, sessions, staff, officer_a, trainer, blended):
    _course, lesson = blended
    cohort_members_add(cohort=cohort, people=[staff["lan"], staff["minh"]], added_by=officer_a.user)
    lan = Enrolment.objects.get(person=staff["lan"])
    minh = Enrolment.objects.get(person=staff["minh"])
    lesson_open(person=staff["lan"], lesson_page_id=lesson.pk)
    lesson_open(person=staff["minh"], lesson_page_id=lesson.pk)
    lan.refresh_from_db()
    assert lan.status == EnrolmentStatus.ACTIVE  # lessons done, attendance missing (50% of 2 sessions)

    # The session's trainer records the first session: Lan present, Minh absent.
    assert attendance_record(session=sessions[0], present_enrolment_ids=[lan.pk], recorded_by=trainer) == 1
    lan.refresh_from_db()
    minh.refresh_from_db()
    assert lan.status == EnrolmentStatus.COMPLETED and lan.completed_at is not None
    assert minh.status == EnrolmentStatus.ACTIVE
    assert set(Attendance.objects.values_list("enrolment_id", "present")) == {(lan.pk, True), (minh.pk, False)}

    # A correction: Minh was there after all.
    attendance_record(session=sessions[0], present_enrolment_ids=[lan.pk, minh.pk], recorded_by=officer_a.user)
    minh.refresh_from_db()
    assert minh.status == EnrolmentStatus.COMPLETED
    assert Attendance.objects.count() == 2


def test_without_an_attendance_requirement_lessons_are_enough(cohort, staff, officer_a, blended):
    Cohort.objects.filter(pk=cohort.pk).update(min_attendance_percent=0)
    cohort_members_add(cohort=cohort, people=[staff["lan"]], added_by=officer_a.user)
    lesson_open(person=staff["lan"], lesson_page_id=blended[1].pk)
    assert Enrolment.objects.get(person=staff["lan"]).status == EnrolmentStatus.COMPLETED


def test_attendance_rules(cohort, sessions, staff, officer_a, make_person, unit_a):
    cohort_members_add(cohort=cohort, people=[staff["lan"]], added_by=officer_a.user)
    stranger = make_person(unit=unit_a, roles=[Role.TRAINER]).user
    with pytest.raises(AttendanceNotAllowed):
        attendance_record(session=sessions[1], present_enrolment_ids=[], recorded_by=stranger)
    outsider = Enrolment.objects.create(person=staff["other"], course=cohort.course, source="self")
    with pytest.raises(NotAClassMember):
        attendance_record(session=sessions[0], present_enrolment_ids=[outsider.pk], recorded_by=officer_a.user)
    future = session_create(
        cohort=cohort, starts_at=at(TODAY + datetime.timedelta(days=3), 8),
        ends_at=at(TODAY + datetime.timedelta(days=3), 9), place="Phòng họp", created_by=officer_a.user,
    )
    with pytest.raises(SessionNotStarted):
        attendance_record(session=future, present_enrolment_ids=[], recorded_by=officer_a.user)
    assert not Attendance.objects.exists()

    attendance_record(session=sessions[0], present_enrolment_ids=[], recorded_by=officer_a.user)
    with pytest.raises(SessionHasAttendance):
        session_delete(session=sessions[0], deleted_by=officer_a.user)
    session_delete(session=future, deleted_by=officer_a.user)
    assert ClassSession.objects.count() == 2


def test_a_member_taken_out_keeps_their_records(cohort, sessions, staff, officer_a):
    cohort_members_add(cohort=cohort, people=[staff["lan"]], added_by=officer_a.user)
    enrolment = Enrolment.objects.get(person=staff["lan"])
    attendance_record(session=sessions[0], present_enrolment_ids=[enrolment.pk], recorded_by=officer_a.user)
    cohort_member_remove(cohort=cohort, enrolment=enrolment, removed_by=officer_a.user)
    enrolment.refresh_from_db()
    assert enrolment.cohort is None
    assert Attendance.objects.filter(enrolment=enrolment).exists()
    assert Assignment.objects.filter(person=staff["lan"]).exists()


# Pages -----------------------------------------------------------------------------------------


def test_the_officer_opens_a_class_and_fills_it_through_the_pages(mfa_client, officer_a, blended, unit_a, staff,
                                                                 make_person):
    client = mfa_client(officer_a.user)
    course, _lesson = blended
    response = client.post(
        reverse("courses:class_create"),
        {
            "course": course.pk, "unit": unit_a.pk, "name": "Lớp K3",
            "starts_on": TODAY.isoformat(), "ends_on": (TODAY + datetime.timedelta(days=10)).isoformat(),
            "min_attendance_percent": 80,
        },
    )
    cohort = Cohort.objects.get(name="Lớp K3")
    assert response.status_code == 302 and response.url == reverse("courses:class_detail", args=[cohort.pk])

    response = client.post(
        reverse("courses:session_add", args=[cohort.pk]),
        {"day": TODAY.isoformat(), "starts": "08:00", "ends": "07:00", "place": "Phòng 201", "topic": "", "trainer": ""},
    )
    assert "The session must end after it starts." in response.content.decode()
    client.post(
        reverse("courses:session_add", args=[cohort.pk]),
        {"day": TODAY.isoformat(), "starts": "00:00", "ends": "00:30", "place": "Phòng 201", "topic": "", "trainer": ""},
    )
    session = ClassSession.objects.get(cohort=cohort)

    members = reverse("courses:class_members_add", args=[cohort.pk])
    data = {"audience": "", "unit": "", "employee_codes": "NA0101 NA0102"}
    response = client.post(members, data)
    assert "2 people will be added to “Lớp K3”." in response.content.decode()
    assert not Enrolment.objects.filter(cohort=cohort).exists()
    client.post(members, {**data, "confirm": "1"})
    assert Enrolment.objects.filter(cohort=cohort).count() == 2

    lan = Enrolment.objects.get(person=staff["lan"])
    sheet = reverse("courses:session_attendance", args=[cohort.pk, session.pk])
    assert "Nguyễn Thị Lan" in client.get(sheet).content.decode()
    client.post(sheet, {"present": [str(lan.pk)]})
    assert Attendance.objects.get(enrolment=lan).present is True
    response = client.post(sheet, {"present": ["not-a-number"]})
    assert "nothing was saved" in response.content.decode()

    # A member taken out of the class while the sheet was open: refused, and the sheet comes back with the
    # ticks the trainer made (the remaining members'), not the saved sheet.
    other = Enrolment.objects.filter(cohort=cohort).exclude(pk=lan.pk).get()
    gone = Enrolment.objects.create(person=make_person(unit=lan.person.unit, full_name="Đã rời lớp"),
                                    course=lan.course)
    response = client.post(sheet, {"present": [str(other.pk), str(gone.pk)]})
    html = response.content.decode()
    assert re.search(rf'value="{other.pk}"\s+checked', html) and not re.search(rf'value="{lan.pk}"\s+checked', html)
    assert Attendance.objects.get(enrolment=other).present is False  # nothing saved

    page = client.get(reverse("courses:class_detail", args=[cohort.pk])).content.decode()
    assert "Trần Văn Minh" in page and "1/1" in page


def test_class_pages_are_scoped(client, mfa_client, cohort, make_person, unit_b, staff):
    officer_b = make_person(unit=unit_b, roles=[Role.UNIT_OFFICER]).user
    client = mfa_client(officer_b)
    assert client.get(reverse("courses:class_detail", args=[cohort.pk])).status_code == 404
    assert client.get(reverse("courses:class_members_add", args=[cohort.pk])).status_code == 404
    assert "Lớp Tin học văn phòng K1" not in client.get(reverse("courses:class_list")).content.decode()


def test_a_session_trainer_sees_the_class_and_takes_attendance_but_cannot_manage_it(
    mfa_client, cohort, sessions, trainer, staff, officer_a
):
    cohort_members_add(cohort=cohort, people=[staff["lan"]], added_by=officer_a.user)
    client = mfa_client(trainer)
    assert client.get(reverse("courses:class_detail", args=[cohort.pk])).status_code == 200
    assert client.get(reverse("courses:session_attendance", args=[cohort.pk, sessions[0].pk])).status_code == 200
    assert client.get(reverse("courses:session_attendance", args=[cohort.pk, sessions[1].pk])).status_code == 403
    assert client.get(reverse("courses:class_members_add", args=[cohort.pk])).status_code == 403


def test_my_learning_shows_the_class_and_its_next_session(client, cohort, staff, officer_a):
    cohort_members_add(cohort=cohort, people=[staff["lan"]], added_by=officer_a.user)
    session_create(
        cohort=cohort, starts_at=at(TODAY + datetime.timedelta(days=2), 8),
        ends_at=at(TODAY + datetime.timedelta(days=2), 11), place="Phòng 305, Trung tâm Hội nghị tỉnh",
        created_by=officer_a.user,
    )
    client.force_login(staff["lan"].user)
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert "Class: Lớp Tin học văn phòng K1" in page
    assert "Phòng 305, Trung tâm Hội nghị tỉnh" in page
