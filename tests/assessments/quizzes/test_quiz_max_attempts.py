"""The maximum number of attempts holds; the quiz page stops offering Start."""

import pytest
from django.urls import reverse

from assessments.models import Attempt
from assessments.quizzes.errors import NoAttemptsLeft
from assessments.quizzes.services import attempt_start, attempt_submit

from .conftest import start

pytestmark = pytest.mark.django_db


def test_third_attempt_of_two_is_refused(make_quiz, place, learner, learner_client):
    quiz = make_quiz(max_attempts=2)
    place(quiz, learner)
    for _ in range(2):
        attempt = start(learner_client, quiz)
        learner_client.post(reverse("assessments:submit", args=[attempt.pk]))
    response = learner_client.post(reverse("assessments:start", args=[quiz.pk]), follow=True)
    assert "You have used all your attempts at this quiz." in response.content.decode()
    assert Attempt.objects.filter(quiz=quiz, person=learner).count() == 2
    with pytest.raises(NoAttemptsLeft):
        attempt_start(person=learner, quiz=quiz)
    page = learner_client.get(reverse("assessments:quiz", args=[quiz.pk])).content.decode()
    assert "Start" not in page and "You have used all your attempts." in page


def test_attempts_are_numbered_and_pin_their_versions(make_quiz, place, learner, questions):
    quiz = make_quiz(max_attempts=3)
    place(quiz, learner)
    first = attempt_start(person=learner, quiz=quiz)
    attempt_submit(attempt=first)
    second = attempt_start(person=learner, quiz=quiz)
    assert (first.number, second.number) == (1, 2)
    for question in questions:
        question.current_version.refresh_from_db()
        assert question.current_version.is_used
    assert list(second.slots.values_list("version_id", flat=True)) == [q.current_version_id for q in questions]
