"""The attempt page without JavaScript: "Save" sends the whole page. Each answer that fits its question is
saved; one that does not is shown again as typed, with why under it, and the page says which questions."""

import pytest
from django.urls import reverse

from assessments.choices import QuestionType

from .conftest import TF_PAYLOAD, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_quiz(make_quiz, make_question, place, learner):
    questions = [
        make_question(name="Đúng sai", qtype=QuestionType.TRUE_FALSE, stem="<p>Tường lửa lọc lưu lượng?</p>",
                      payload=TF_PAYLOAD),
        make_question(name="Số", qtype=QuestionType.NUMERIC, stem="<p>Một byte có bao nhiêu bit?</p>",
                      payload={"answers": [{"value": 8, "tolerance": 0, "fraction": 1}]}),
        make_question(name="Tự luận", qtype=QuestionType.ESSAY, stem="<p>Vì sao cần sao lưu?</p>", payload={}),
    ]
    quiz = make_quiz(questions=questions)
    place(quiz, learner)
    return quiz


def test_a_bad_number_is_shown_again_with_why_and_the_other_answers_are_saved(mixed_quiz, learner_client):
    attempt = start(learner_client, mixed_quiz)
    url = reverse("assessments:attempt", args=[attempt.pk])
    essay = "Để khôi phục dữ liệu khi máy hỏng hoặc bị mã độc tống tiền."
    response = learner_client.post(url, {"q1": "true", "q2": "8 bit", "q3": essay, "go": "finish"})

    assert response.status_code == 400  # not on to the submit page: question 2 needs correcting
    html = response.content.decode()
    assert "The answer to question 2 was not saved" in html
    assert "Give a number, such as 12.5 or 12,5" in html
    assert 'value="8 bit"' in html  # as typed, to correct rather than type again
    assert essay in html
    slots = {slot.number: slot for slot in attempt.slots.all()}
    assert slots[1].response == {"value": True} and slots[1].saved_at is not None
    assert slots[3].response == {"text": essay} and slots[3].saved_at is not None
    assert slots[2].saved_at is None

    corrected = learner_client.post(url, {"q1": "true", "q2": "8", "q3": essay, "go": "finish"})
    assert corrected.status_code == 302 and corrected.url == reverse("assessments:submit", args=[attempt.pk])
    assert attempt.slots.get(number=2).response == {"value": "8"}


def test_an_essay_with_a_nul_character_is_refused_and_the_other_answers_are_saved(mixed_quiz, learner_client):
    """PostgreSQL stores no NUL: it was a 500 there that lost the whole page (SQLite stored it)."""
    attempt = start(learner_client, mixed_quiz)
    url = reverse("assessments:attempt", args=[attempt.pk])
    response = learner_client.post(url, {"q1": "false", "q2": "8", "q3": "Sao lưu\x00 dữ liệu", "go": "finish"})
    assert response.status_code == 400
    assert "cannot be stored (NUL)" in response.content.decode()
    slots = {slot.number: slot for slot in attempt.slots.all()}
    assert slots[1].response == {"value": False} and slots[2].response == {"value": "8"}
    assert slots[3].saved_at is None
    autosave = learner_client.post(reverse("assessments:autosave", args=[attempt.pk]),
                                   {"slot": 3, "response": {"text": "a\x00b"}}, content_type="application/json")
    assert autosave.status_code in (400, 422) and attempt.slots.get(number=3).saved_at is None


def test_questions_left_blank_are_not_called_saved_nor_counted_answered(mixed_quiz, learner_client):
    """Saving a page without JavaScript stores a blank response for each question left empty: the page said
    "Saved" beside them and the finish page counted them as answered."""
    attempt = start(learner_client, mixed_quiz)
    url = reverse("assessments:attempt", args=[attempt.pk])
    learner_client.cookies["django_language"] = "en"
    learner_client.post(url, {"q1": "false", "q2": "", "q3": "   ", "go": "save"})
    html = learner_client.get(url).content.decode()
    assert html.count('data-state="saved"') == 1  # question 1 only ("false" is an answer)
    finish = learner_client.get(reverse("assessments:submit", args=[attempt.pk])).content.decode()
    assert "You have answered 1 of 3 questions." in finish


def test_blank_responses_of_every_type():
    from assessments.grading import response_is_blank

    for blank in [None, {}, {"choice": None}, {"choices": []}, {"value": None}, {"value": ""}, {"text": "  "},
                  {"matches": {"a": None, "b": None}}, {"order": []}]:
        assert response_is_blank(blank), blank
    for answer in [{"choice": "o1"}, {"choices": ["o2"]}, {"value": False}, {"value": 0}, {"value": "8"},
                   {"text": "Sao lưu"}, {"matches": {"a": "Word", "b": None}}, {"order": ["i2", "i1"]}]:
        assert not response_is_blank(answer), answer
