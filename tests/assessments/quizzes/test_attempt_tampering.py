"""Tampered autosaves get a clear 4xx and change nothing."""

import pytest
from django.urls import reverse

from assessments.models import AttemptSlot

from .conftest import autosave, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(quiz, learner_client):
    attempt = start(learner_client, quiz)
    assert autosave(learner_client, attempt, 2, {"value": True}).status_code == 200
    return attempt


def responses(attempt):
    return list(AttemptSlot.objects.filter(attempt=attempt).order_by("number").values_list("response", "saved_at"))


@pytest.mark.parametrize(
    ("slot", "response", "status"),
    [
        (99, {"value": True}, 404),  # a question not in the attempt
        (-1, {"value": True}, 404),
        (10**30, {"value": True}, 404),  # beyond any integer column: not a server error
        (2, {"value": "yes"}, 400),  # a malformed value
        (2, {"value": True, "extra": 1}, 400),
        (2, None, 400),
        (3, {"matches": {"p1": "Word", "nope": "Excel"}}, 400),  # a pair of another question
        (3, {"matches": {"p1": "Photoshop"}}, 400),  # an answer never offered
    ],
)
def test_bad_slot_or_response(attempt, learner_client, slot, response, status):
    before = responses(attempt)
    reply = autosave(learner_client, attempt, slot, response)
    assert reply.status_code == status
    assert reply.json()["saved"] is False and reply.json()["error"]
    assert responses(attempt) == before


def test_an_option_of_another_question(attempt, learner_client, make_question):
    other = make_question(name="Câu khác")
    foreign = other.current_version.payload["options"][0]["id"] + "-x"
    before = responses(attempt)
    reply = autosave(learner_client, attempt, 1, {"choice": foreign})
    assert reply.status_code == 400 and reply.json()["error"] == "This answer does not fit the question."
    assert responses(attempt) == before


def test_an_attempt_id_beyond_any_integer_column(attempt, learner_client):
    url = reverse("assessments:autosave", args=[10**30])
    reply = learner_client.post(url, data={"slot": 2, "response": {"value": True}}, content_type="application/json")
    assert reply.status_code == 404


def test_not_json_or_no_slot(attempt, learner_client):
    url = reverse("assessments:autosave", args=[attempt.pk])
    assert learner_client.post(url, data="{oops", content_type="application/json").status_code == 400
    assert learner_client.post(url, data={"slot": "2", "response": {}}, content_type="application/json").status_code == 400
    assert learner_client.post(url, data=[1, 2], content_type="application/json").status_code == 400


def test_someone_elses_attempt(attempt, other_learner, client):
    client.force_login(other_learner.user)
    before = responses(attempt)
    assert autosave(client, attempt, 2, {"value": False}).status_code == 404
    assert client.get(reverse("assessments:attempt", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("assessments:submit", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("assessments:review", args=[attempt.pk])).status_code == 404
    assert responses(attempt) == before
    attempt.refresh_from_db()
    assert attempt.state == "in_progress"


def test_autosave_needs_the_csrf_token(attempt, learner):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner.user)
    assert autosave(strict, attempt, 2, {"value": False}).status_code == 403
    assert attempt.slots.get(number=2).response == {"value": True}


def test_a_quiz_not_placed_for_the_person_is_404(make_quiz, other_learner, client):
    quiz = make_quiz(title="Chưa gắn vào bài học")
    client.force_login(other_learner.user)
    assert client.get(reverse("assessments:quiz", args=[quiz.pk])).status_code == 404
    assert client.post(reverse("assessments:start", args=[quiz.pk])).status_code == 404
    assert not quiz.attempts.exists()
