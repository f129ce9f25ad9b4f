"""The deadline is fixed on the server at start; answers after deadline + grace are refused (frozen clock)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from assessments.models import AttemptSlot

from .conftest import autosave, in_minutes, start

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def timed_quiz(make_quiz, place, learner, settings):
    settings.QUIZ_ANSWER_GRACE_SECONDS = 30
    quiz = make_quiz(time_limit_minutes=10)
    place(quiz, learner)
    return quiz


def test_deadline_is_the_time_limit_or_the_close_whichever_first(make_quiz, place, learner, learner_client):
    with freeze_time(START):
        quiz = make_quiz(time_limit_minutes=60, closes_at=in_minutes(START, 20))
        place(quiz, learner)
        attempt = start(learner_client, quiz)
    assert attempt.started_at == START
    assert attempt.deadline == in_minutes(START, 20)


def test_answers_within_the_grace_are_saved_and_later_ones_refused(timed_quiz, learner_client):
    with freeze_time(START):
        attempt = start(learner_client, timed_quiz)
    assert attempt.deadline == in_minutes(START, 10)
    with freeze_time(in_minutes(START, 10) + datetime.timedelta(seconds=25)):
        assert autosave(learner_client, attempt, 2, {"value": True}).status_code == 200
    with freeze_time(in_minutes(START, 10) + datetime.timedelta(seconds=31)):
        response = autosave(learner_client, attempt, 2, {"value": False})
    assert response.status_code == 409
    assert response.json() == {"saved": False, "error": "Time is up: answers given after the deadline are not saved."}
    assert AttemptSlot.objects.get(attempt=attempt, number=2).response == {"value": True}


def test_opening_the_attempt_after_the_deadline_submits_it(timed_quiz, learner_client):
    with freeze_time(START):
        attempt = start(learner_client, timed_quiz)
        autosave(learner_client, attempt, 2, {"value": True})
    with freeze_time(in_minutes(START, 11)):
        response = learner_client.get(reverse("assessments:attempt", args=[attempt.pk]))
    assert response.status_code == 302 and response.url == reverse("assessments:review", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.state == "overdue_submitted"
    assert attempt.submitted_at == in_minutes(START, 11)
    assert attempt.score == 1  # the saved true/false answer counts


def test_a_page_submitted_without_javascript_after_the_deadline_changes_nothing(timed_quiz, learner_client):
    with freeze_time(START):
        attempt = start(learner_client, timed_quiz)
    with freeze_time(in_minutes(START, 10) + datetime.timedelta(seconds=29)):
        # still inside the grace: a form post of the page saves
        response = learner_client.post(reverse("assessments:attempt", args=[attempt.pk]), {"page": "1", "q2": "false"})
        assert response.status_code == 302
    assert AttemptSlot.objects.get(attempt=attempt, number=2).response == {"value": False}
    with freeze_time(in_minutes(START, 12)):
        assert timezone.now() > attempt.deadline
        response = learner_client.post(reverse("assessments:attempt", args=[attempt.pk]), {"page": "1", "q2": "true"})
    assert response.status_code == 302  # the attempt is submitted as overdue, the late answer dropped
    assert AttemptSlot.objects.get(attempt=attempt, number=2).response == {"value": False}
