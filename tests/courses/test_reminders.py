"""Assignment reminders (due within a week, overdue: once per threshold and due date) and the unit
officers' weekly digest, both Celery beat tasks."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from freezegun import freeze_time

from courses.choices import AccessMode, EnrolmentStatus
from courses.models import Enrolment, ReminderSent
from courses.services import assignment_create, assignment_reminders_send, officer_digests_send
from courses.tasks import send_assignment_reminders, send_officer_digests
from lms.celery import app

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 3, 2)  # a Monday


@pytest.fixture
def course(make_course, anchor):
    return anchor(make_course(title="An toàn thông tin cơ bản", access_mode=AccessMode.ASSIGNMENT_ONLY))


@pytest.fixture
def learners(make_person, unit_a, unit_b):
    return {
        "hoa": make_person(unit=unit_a, full_name="Lê Thị Hoa"),
        "nam": make_person(unit=unit_a, full_name="Võ Văn Nam"),
        "yte": make_person(unit=unit_b, full_name="Đặng Văn Y"),
    }


def assign(course, people, due, officer):
    with freeze_time(START):
        assignment_create(course=course, people=people, due_date=due, assigned_by=officer.user)


def test_each_threshold_is_mailed_once(course, learners, officer_a):
    assign(course, [learners["hoa"]], START + datetime.timedelta(days=10), officer_a)

    with freeze_time(START):  # due in 10 days: nothing yet
        assert assignment_reminders_send().people == 0
    with freeze_time(START + datetime.timedelta(days=3)):  # due in 7 days
        result = assignment_reminders_send()
        assert (result.people, result.due_soon, result.overdue) == (1, 1, 0)
    for days in (4, 5, 9, 10):  # every later day within the week: not again
        with freeze_time(START + datetime.timedelta(days=days)):
            assert assignment_reminders_send().people == 0
    with freeze_time(START + datetime.timedelta(days=11)):  # overdue
        result = assignment_reminders_send()
        assert (result.people, result.due_soon, result.overdue) == (1, 0, 1)
    with freeze_time(START + datetime.timedelta(days=12)):
        assert assignment_reminders_send().people == 0

    assert len(mail.outbox) == 2
    soon, overdue = mail.outbox
    assert soon.to == [learners["hoa"].user.email]
    assert "An toàn thông tin cơ bản" in soon.body and "12/03/2026" in soon.body
    assert "Lê Thị Hoa" in overdue.body
    assert "/learning/mine/" in soon.body


def test_moving_the_due_date_rearms_the_reminders(course, learners, officer_a):
    assign(course, [learners["hoa"]], START + datetime.timedelta(days=2), officer_a)
    with freeze_time(START):
        assignment_reminders_send()
    with freeze_time(START):
        assignment_create(
            course=course, people=[learners["hoa"]], due_date=START + datetime.timedelta(days=5),
            assigned_by=officer_a.user,
        )
        assert assignment_reminders_send().due_soon == 1
    assert ReminderSent.objects.count() == 2


def test_completed_withdrawn_and_unmailable_people_are_not_reminded(course, learners, officer_a):
    assign(course, list(learners.values())[:2], START + datetime.timedelta(days=1), officer_a)
    Enrolment.objects.filter(person=learners["hoa"]).update(
        status=EnrolmentStatus.COMPLETED, completed_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    )
    learners["nam"].user.email = ""
    learners["nam"].user.save()
    with freeze_time(START):
        assert assignment_reminders_send().people == 0
    assert mail.outbox == []


def test_one_email_per_person_lists_all_their_courses(course, make_course, anchor, learners, officer_a):
    second = anchor(make_course(title="Chữ ký số", access_mode=AccessMode.ASSIGNMENT_ONLY))
    assign(course, [learners["hoa"]], START - datetime.timedelta(days=1) + datetime.timedelta(days=1), officer_a)
    assign(second, [learners["hoa"]], START + datetime.timedelta(days=6), officer_a)
    with freeze_time(START + datetime.timedelta(days=1)):
        result = assignment_reminders_send()
    assert (result.people, result.due_soon, result.overdue) == (1, 1, 1)
    (message,) = mail.outbox
    assert "An toàn thông tin cơ bản" in message.body and "Chữ ký số" in message.body


def test_a_failed_send_records_nothing_and_is_retried(course, learners, officer_a, monkeypatch):
    assign(course, [learners["hoa"]], START + datetime.timedelta(days=3), officer_a)

    def broken(self, messages):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    with freeze_time(START), pytest.raises(OSError):
        assignment_reminders_send()
    assert not ReminderSent.objects.exists()
    monkeypatch.undo()
    with freeze_time(START):
        assert assignment_reminders_send().people == 1


def test_the_weekly_digest_goes_to_each_officer_once_a_week_with_their_units_only(
    course, learners, officer_a, make_person, unit_b
):
    from accounts.roles import Role

    officer_b = make_person(unit=unit_b, roles=[Role.UNIT_OFFICER], full_name="Cán Bộ Y Tế")
    assign(course, [learners["hoa"], learners["nam"]], START + datetime.timedelta(days=1), officer_a)
    with freeze_time(START + datetime.timedelta(days=7)):  # next Monday: both overdue
        assert officer_digests_send() == 1  # officer B has nothing in their units: no e-mail
        assert officer_digests_send() == 0  # once a week
    (digest,) = mail.outbox
    assert digest.to == [officer_a.user.email]
    assert "2 lượt phân công quá hạn" in digest.body  # e-mails go out in the site's language
    assert "Lê Thị Hoa" in digest.body and "Võ Văn Nam" in digest.body
    assert "Đặng Văn Y" not in digest.body
    with freeze_time(START + datetime.timedelta(days=14)):  # the week after
        assert officer_digests_send() == 1
    assert officer_b.user.email not in [to for message in mail.outbox for to in message.to]


@override_settings(LANGUAGE_CODE="vi")
def test_reminders_are_written_in_vietnamese_whatever_the_request_language(course, learners, officer_a):
    assign(course, [learners["hoa"]], START + datetime.timedelta(days=2), officer_a)
    with freeze_time(START):
        send_assignment_reminders.delay()
    (message,) = mail.outbox
    assert message.subject == "Nhắc nhở: khóa học được phân công sắp đến hạn trong vòng một tuần"
    assert "Kính gửi Ông/Bà Lê Thị Hoa," in message.body
    assert "04/03/2026" in message.body


def test_both_tasks_are_scheduled_in_celery_beat():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {send_assignment_reminders.name, send_officer_digests.name} <= tasks
