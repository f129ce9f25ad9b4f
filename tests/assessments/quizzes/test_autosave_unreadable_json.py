"""The autosave refuses what it cannot read or store with its usual 400 {"saved": false, "error": ...},
never a server error: JSON nested deep enough to exhaust the recursion limit, a NUL character in a key or
a value (PostgreSQL cannot store one), and a numeric answer too large for a float."""

import pytest
from django.urls import reverse

from assessments.choices import QuestionType
from assessments.models import AttemptSlot

from .conftest import autosave, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(quiz, learner_client):
    return start(learner_client, quiz)


def responses(attempt):
    return list(AttemptSlot.objects.filter(attempt=attempt).order_by("number").values_list("response", "saved_at"))


def post_raw(client, attempt, body: bytes):
    return client.post(reverse("assessments:autosave", args=[attempt.pk]), data=body, content_type="application/json")


@pytest.mark.parametrize(("body", "error"), [
    (b'{"slot":1,"response":' + b"[" * 3000 + b"]" * 3000 + b"}", "The request's JSON is nested too deeply."),
    (b'{"slot":2,"response":{"val\\u0000ue":true}}', "The request contains a NUL character, which cannot be stored."),
    (b'{"slot":1,"response":{"choice":"a\\u0000"}}', "The request contains a NUL character, which cannot be stored."),
    (b'{"slot":2,"response":{"value":NaN}}', "The request is not valid JSON."),
], ids=["deeply-nested", "nul-in-key", "nul-in-value", "nan"])
def test_unreadable_json_is_a_400_and_saves_nothing(attempt, learner_client, body, error):
    before = responses(attempt)
    reply = post_raw(learner_client, attempt, body)
    assert reply.status_code == 400
    assert reply.json() == {"saved": False, "error": error}
    assert responses(attempt) == before


def test_a_numeric_answer_too_large_for_a_float_is_a_400(make_quiz, make_question, place, learner, learner_client):
    numeric = make_question(name="Số bit", qtype=QuestionType.NUMERIC, stem="<p>Một byte có bao nhiêu bit?</p>",
                            payload={"answers": [{"value": 8}]})
    quiz = make_quiz(questions=[numeric])
    place(quiz, learner)
    attempt = start(learner_client, quiz)

    reply = post_raw(learner_client, attempt, b'{"slot":1,"response":{"value":' + b"9" * 400 + b"}}")

    assert reply.status_code == 400
    assert reply.json() == {"saved": False, "error": "This answer does not fit the question."}
    assert responses(attempt) == [(None, None)]
    assert autosave(learner_client, attempt, 1, {"value": 8}).status_code == 200
