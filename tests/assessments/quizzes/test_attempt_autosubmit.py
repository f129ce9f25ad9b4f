"""Overdue attempts are submitted by the beat task with what was saved; others are left alone."""

import datetime

import pytest
from django.conf import settings
from freezegun import freeze_time

from assessments.models import Attempt
from assessments.tasks import attempts_submit_overdue

from .conftest import autosave, in_minutes, start

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC)


def test_the_beat_schedule_runs_the_task():
    assert settings.CELERY_BEAT_SCHEDULE["quiz-overdue-attempts"]["task"] == "assessments.tasks.attempts_submit_overdue"


def test_overdue_attempts_are_submitted_with_their_saved_answers(make_quiz, place, learner, other_learner, client):
    quiz = make_quiz(time_limit_minutes=5)
    untimed = make_quiz(title="Không giới hạn thời gian")
    place(quiz, learner, other_learner)
    place(untimed, learner)
    client.force_login(learner.user)
    with freeze_time(START):
        late = start(client, quiz)
        autosave(client, late, 1, {"choice": late.slots.get(number=1).version.payload["options"][0]["id"]})
        open_untimed = start(client, untimed)
    client.force_login(other_learner.user)
    with freeze_time(in_minutes(START, 5)):
        fresh = start(client, quiz)
    with freeze_time(in_minutes(START, 6)):  # past the first deadline + 30 s, not the second
        assert attempts_submit_overdue.delay().get() == 1
        assert attempts_submit_overdue.delay().get() == 0  # idempotent
    late.refresh_from_db()
    assert late.state == "overdue_submitted" and late.score == 1 and late.submitted_at == in_minutes(START, 6)
    assert Attempt.objects.get(pk=fresh.pk).state == "in_progress"
    assert Attempt.objects.get(pk=open_untimed.pk).state == "in_progress"


def test_starting_a_timed_attempt_schedules_its_own_submission_at_deadline_plus_grace(
    make_quiz, place, learner, client, django_capture_on_commit_callbacks
):
    """Issue 8, E4: an overdue attempt is submitted within seconds, not at the next minute's beat."""
    from unittest import mock

    from assessments.tasks import attempt_submit_when_overdue

    quiz = make_quiz(time_limit_minutes=5)
    untimed = make_quiz(title="Không giới hạn thời gian")
    place(quiz, learner)
    place(untimed, learner)
    client.force_login(learner.user)
    with mock.patch.object(attempt_submit_when_overdue, "apply_async") as send, freeze_time(START):
        with django_capture_on_commit_callbacks(execute=True):
            attempt = start(client, quiz)
        with django_capture_on_commit_callbacks(execute=True):
            start(client, untimed)
    send.assert_called_once()
    assert send.call_args.args[0] == [attempt.pk]
    assert send.call_args.kwargs["countdown"] == 5 * 60 + settings.QUIZ_ANSWER_GRACE_SECONDS + 1


def test_the_scheduled_task_submits_only_once_overdue_and_only_once(make_quiz, place, learner, client):
    from assessments.tasks import attempt_submit_when_overdue

    quiz = make_quiz(time_limit_minutes=5)
    place(quiz, learner)
    client.force_login(learner.user)
    with freeze_time(START):
        attempt = start(client, quiz)
    grace = datetime.timedelta(seconds=settings.QUIZ_ANSWER_GRACE_SECONDS)
    with freeze_time(in_minutes(START, 5) + grace):  # the deadline + grace itself: not yet overdue
        assert attempt_submit_when_overdue.delay(attempt.pk).get() is False
    assert Attempt.objects.get(pk=attempt.pk).state == "in_progress"
    with freeze_time(in_minutes(START, 5) + grace + datetime.timedelta(seconds=1)):
        assert attempt_submit_when_overdue.delay(attempt.pk).get() is True
        assert attempt_submit_when_overdue.delay(attempt.pk).get() is False  # idempotent
        assert attempts_submit_overdue.delay().get() == 0  # nothing left for the beat
    assert Attempt.objects.get(pk=attempt.pk).state == "overdue_submitted"
