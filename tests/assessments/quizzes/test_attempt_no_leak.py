"""Before review is allowed, the attempt's HTML and JSON carry no correct answer, credit or feedback;
the review shows what the quiz's review option allows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from assessments.quizzes.choices import ReviewOption

from .conftest import autosave, start

pytestmark = pytest.mark.django_db

SECRETS = ["Đúng.", "Dễ đoán.", "Chính xác.", "Sai rồi.", "fraction", "feedback", "correct"]


def right_choice(attempt):
    options = attempt.slots.get(number=1).version.payload["options"]
    return next(option["id"] for option in options if option["fraction"] == 1)


def test_the_attempt_page_and_autosave_reply_leak_nothing(quiz, learner_client):
    attempt = start(learner_client, quiz)
    html = learner_client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert "Mật khẩu dài, có chữ hoa" in html  # the options are there…
    for secret in SECRETS:
        assert secret not in html  # …but not which is right, nor the feedback
    # Matching answers are offered shuffled, never beside their prompts in the stored order only.
    assert html.count("<option value=\"Word\"") == 2 and "Paint" in html
    reply = autosave(learner_client, attempt, 1, {"choice": right_choice(attempt)})
    assert reply.status_code == 200
    assert set(reply.json()) == {"saved", "slot", "saved_at"}
    for secret in SECRETS:
        assert secret not in reply.content.decode()


def test_review_before_submit_redirects_to_the_attempt(quiz, learner_client):
    attempt = start(learner_client, quiz)
    response = learner_client.get(reverse("assessments:review", args=[attempt.pk]))
    assert response.status_code == 302 and response.url == reverse("assessments:attempt", args=[attempt.pk])


def submitted(client, quiz):
    attempt = start(client, quiz)
    autosave(client, attempt, 1, {"choice": right_choice(attempt)})
    client.post(reverse("assessments:submit", args=[attempt.pk]))
    return client.get(reverse("assessments:review", args=[attempt.pk])).content.decode()


def test_score_only_shows_the_score_and_nothing_else(make_quiz, place, learner, learner_client):
    quiz = make_quiz(review_option=ReviewOption.SCORE_ONLY)
    place(quiz, learner)
    html = submitted(learner_client, quiz)
    assert "Score: 1 / 3" in html
    assert "Đúng." not in html and "Correct answer" not in html and "Mật khẩu dài" not in html


def test_answers_marked_shows_marks_and_feedback_not_the_correct_answers(make_quiz, place, learner, learner_client):
    quiz = make_quiz(review_option=ReviewOption.ANSWERS_MARKED)
    place(quiz, learner)
    html = submitted(learner_client, quiz)
    assert "Đúng." in html and "Incorrect" in html
    assert "Correct answer" not in html and "Phần mềm soạn thảo → Word" not in html


def test_correct_answers_only_once_the_quiz_closes(make_quiz, place, learner, learner_client):
    closes = timezone.now() + datetime.timedelta(hours=2)
    with freeze_time(closes - datetime.timedelta(hours=1)):
        quiz = make_quiz(review_option=ReviewOption.CORRECT_AFTER_CLOSE, closes_at=closes)
        place(quiz, learner)
        html = submitted(learner_client, quiz)
        assert "Đúng." in html and "Phần mềm soạn thảo → Word" not in html
    with freeze_time(closes + datetime.timedelta(minutes=1)):
        attempt = quiz.attempts.get()
        html = learner_client.get(reverse("assessments:review", args=[attempt.pk])).content.decode()
    assert "Correct answer" in html and "Phần mềm soạn thảo → Word" in html
