"""The daily reminder (Celery beat): each officer, once a day, of their people's requests due within 24 hours
or overdue; nothing for officers with none, nothing twice a day."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from freezegun import freeze_time

from privacy.services import data_request_complete, data_request_file
from privacy.tasks import send_data_request_reminders

pytestmark = pytest.mark.django_db

FILED = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)  # 09:00 in Vietnam


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_officers_are_reminded_once_a_day_of_their_own_requests(people):
    with freeze_time(FILED):
        correction = data_request_file(user=people["hoa"].user, kind="correction", field_names="phone",
                                       details="old", correct_value="0912 000 000")
    officer_a, admin = people["officer_a"].user, people["admin"].user

    with freeze_time(FILED + datetime.timedelta(hours=24)):  # due in 48 hours: nobody reminded
        assert send_data_request_reminders() == 0
    with freeze_time(FILED + datetime.timedelta(hours=50)):  # due within 24 hours
        assert send_data_request_reminders() == 2
        assert _recipients() == sorted([officer_a.email, admin.email])
        assert f"#{correction.pk}" in mail.outbox[0].body and "Hoa" not in mail.outbox[0].body
        assert send_data_request_reminders() == 0  # the same day: not again
    with freeze_time(FILED + datetime.timedelta(hours=74)):  # the next day, overdue
        assert send_data_request_reminders() == 2
        assert "Quá hạn:" in mail.outbox[-1].body  # e-mails go out in the site language
    assert people["officer_b"].user.email not in _recipients()

    data_request_complete(actor=officer_a, request_id=correction.pk, response="done")
    with freeze_time(FILED + datetime.timedelta(hours=98)):  # handled: no more reminders
        assert send_data_request_reminders() == 0


def test_the_task_is_scheduled_by_beat():
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values()
                 if e["task"] == "privacy.tasks.send_data_request_reminders")
    assert entry["schedule"]
