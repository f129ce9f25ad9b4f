"""Submitting is idempotent and final; essays leave the score provisional."""

import pytest
from django.urls import reverse

from assessments.choices import QuestionType
from assessments.models import Attempt
from assessments.quizzes.services import attempt_submit

from .conftest import autosave, start

pytestmark = pytest.mark.django_db


def test_a_double_submit_grades_once(quiz, learner_client):
    attempt = start(learner_client, quiz)
    autosave(learner_client, attempt, 2, {"value": True})
    url = reverse("assessments:submit", args=[attempt.pk])
    first = learner_client.post(url)
    attempt.refresh_from_db()
    graded = (attempt.state, attempt.score, attempt.submitted_at)
    second = learner_client.post(url)
    assert first.status_code == second.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.state, attempt.score, attempt.submitted_at) == graded == ("submitted", 1, graded[2])
    assert attempt_submit(attempt=attempt).submitted_at == graded[2]


def test_a_submitted_attempt_refuses_answers(quiz, learner_client):
    attempt = start(learner_client, quiz)
    autosave(learner_client, attempt, 2, {"value": True})
    learner_client.post(reverse("assessments:submit", args=[attempt.pk]))
    response = autosave(learner_client, attempt, 2, {"value": False})
    assert response.status_code == 409
    assert "submitted" in response.json()["error"]
    assert attempt.slots.get(number=2).response == {"value": True}


def test_an_answered_essay_leaves_the_score_provisional(make_quiz, make_question, place, learner, learner_client):
    essay = make_question(name="Tự luận", qtype=QuestionType.ESSAY, stem="<p>Trình bày quy trình sao lưu.</p>",
                          payload={})
    tf = make_question(name="Đúng sai", qtype=QuestionType.TRUE_FALSE, stem="<p>Sao lưu định kỳ?</p>",
                       payload={"correct": True})
    quiz = make_quiz(questions=[essay, tf])
    place(quiz, learner)
    attempt = start(learner_client, quiz)
    assert autosave(learner_client, attempt, 1, {"text": "Sao lưu hằng ngày ra ổ đĩa ngoài."}).status_code == 200
    autosave(learner_client, attempt, 2, {"value": True})
    learner_client.post(reverse("assessments:submit", args=[attempt.pk]))
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.needs_manual_grading and attempt.score == 1 and attempt.max_score == 2
    assert attempt.slots.get(number=1).mark is None
    html = learner_client.get(reverse("assessments:review", args=[attempt.pk])).content.decode()
    assert "provisional" in html


def test_the_review_says_whether_the_attempt_passed_and_what_the_pass_mark_is(quiz, learner_client):
    quiz.pass_mark = 50
    quiz.save(update_fields=["pass_mark"])
    attempt = start(learner_client, quiz)
    autosave(learner_client, attempt, 2, {"value": True})  # one question of three right
    learner_client.post(reverse("assessments:submit", args=[attempt.pk]))
    html = learner_client.get(reverse("assessments:review", args=[attempt.pk])).content.decode()
    assert "quiz-result-failed" in html and "quiz-result-passed" not in html and "50%" in html
    Attempt.objects.filter(pk=attempt.pk).update(fraction=0.5)  # exactly at the pass mark
    html = learner_client.get(reverse("assessments:review", args=[attempt.pk])).content.decode()
    assert "quiz-result-passed" in html and "quiz-result-failed" not in html


def test_the_review_leads_back_to_the_quiz_only_while_it_is_open_to_the_learner(quiz, learner, learner_client):
    from courses.choices import EnrolmentStatus
    from courses.models import Enrolment

    attempt = start(learner_client, quiz)
    learner_client.post(reverse("assessments:submit", args=[attempt.pk]))
    review = reverse("assessments:review", args=[attempt.pk])
    quiz_page = reverse("assessments:quiz", args=[quiz.pk])
    html = learner_client.get(review).content.decode()
    assert f'href="{quiz_page}"' in html and "Back to the quiz" in html
    assert learner_client.get(quiz_page).status_code == 200

    # Withdrawn from the course: the quiz answers 404, so the review (still the learner's) no longer links to it.
    Enrolment.objects.filter(person=learner).update(status=EnrolmentStatus.WITHDRAWN)
    assert learner_client.get(quiz_page).status_code == 404
    html = learner_client.get(review).content.decode()
    assert quiz_page not in html and "Back to the quiz" not in html
