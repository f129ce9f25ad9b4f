"""Trainers manage their own quizzes in the Wagtail admin; others' answer 404; questions from another
bank are refused."""

import pytest
from django.urls import reverse

from assessments.models import Quiz
from assessments.services import category_save

pytestmark = pytest.mark.django_db


def form_data(questions, **overrides):
    data = {
        "title": "Kiểm tra cuối khoá", "description": "", "selection": "fixed", "draw_count": "", "draw_mark": "1",
        "draw_competency_codes": "", "shuffle_questions": "on", "shuffle_options": "on", "opens_at": "",
        "closes_at": "", "time_limit_minutes": "20", "max_attempts": "2", "grading_method": "highest",
        "pass_mark": "70", "navigation": "free", "questions_per_page": "0", "review_option": "answers_marked",
        "competency_codes": "iu01, IU14",
        "fixed_questions-TOTAL_FORMS": str(len(questions)), "fixed_questions-INITIAL_FORMS": "0",
        "fixed_questions-MIN_NUM_FORMS": "0", "fixed_questions-MAX_NUM_FORMS": "1000",
    }
    for index, question in enumerate(questions):
        data.update({
            f"fixed_questions-{index}-question": str(question.pk), f"fixed_questions-{index}-mark": "",
            f"fixed_questions-{index}-ORDER": str(index + 1), f"fixed_questions-{index}-id": "",
            f"fixed_questions-{index}-DELETE": "",
        })
    data.update(overrides)
    return data


def test_a_trainer_creates_a_quiz_with_fixed_questions(client, trainer, questions):
    client.force_login(trainer)
    response = client.post(reverse("assessment_quizzes:add"), form_data(questions))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    quiz = Quiz.objects.get()
    assert quiz.owner == trainer and quiz.competency_codes == ["IU01", "IU14"]
    assert [row.question_id for row in quiz.fixed_questions.order_by("sort_order")] == [q.pk for q in questions]


def test_a_question_of_another_bank_is_refused(client, trainer, other_trainer, make_question):
    foreign = make_question(actor=other_trainer, category=category_save(actor=other_trainer, name="Kho B"), name="B")
    client.force_login(trainer)
    response = client.post(reverse("assessment_quizzes:add"), form_data([foreign]))
    assert response.status_code == 200 and not Quiz.objects.exists()


def test_another_trainers_quiz_answers_404(client, make_quiz, other_trainer):
    quiz = make_quiz()
    client.force_login(other_trainer)
    assert client.get(reverse("assessment_quizzes:edit", args=[quiz.pk])).status_code == 404
    assert client.get(reverse("assessment_quizzes:delete", args=[quiz.pk])).status_code == 404
    listing = client.get(reverse("assessment_quizzes:index"))
    assert listing.status_code == 200 and quiz.title not in listing.content.decode()
    assert quiz.title not in client.get(reverse("quiz_chooser:choose")).json()["html"]
    assert client.get(reverse("quiz_chooser:chosen", args=[quiz.pk])).status_code == 404  # not named by its id


def test_the_owner_sees_and_chooses_their_quiz(client, make_quiz, trainer):
    quiz = make_quiz()
    client.force_login(trainer)
    assert client.get(reverse("assessment_quizzes:edit", args=[quiz.pk])).status_code == 200
    assert quiz.title in client.get(reverse("quiz_chooser:choose")).json()["html"]
    assert client.get(reverse("quiz_chooser:chosen", args=[quiz.pk])).json()["result"]["title"] == quiz.title


def test_fixed_questions_are_chosen_from_a_searchable_list_of_ones_own_bank(client, make_quiz, trainer,
                                                                             other_trainer, questions, make_question):
    """Each row of the editor was a select of the whole bank (every question, on every row): now a chooser,
    whose list is the trainer's own bank, searched by name or text, filtered by category and type."""
    foreign = make_question(actor=other_trainer, category=category_save(actor=other_trainer, name="Kho B"),
                            name="Tường lửa của người khác")
    quiz = make_quiz(questions=questions[:1])
    client.force_login(trainer)
    editor = client.get(reverse("assessment_quizzes:edit", args=[quiz.pk])).content.decode()
    assert f'<option value="{questions[1].pk}"' not in editor  # no select listing the bank
    assert questions[0].name in editor and "Choose another question" in editor

    def listed(**params):
        return client.get(reverse("question_chooser:choose"), params).json()["html"]

    everything = listed()
    assert all(question.name in everything for question in questions) and foreign.name not in everything
    found = listed(q="lọc lưu lượng")  # by the question's text
    assert "Tường lửa" in found and questions[0].name not in found and foreign.name not in found
    assert listed(qtype="true_false").count("Tường lửa") == 1 and questions[2].name not in listed(qtype="true_false")
    chosen = client.get(reverse("question_chooser:chosen", args=[questions[1].pk]))
    assert chosen.status_code == 200 and chosen.json()["result"]["title"] == "Tường lửa"
    assert client.get(reverse("question_chooser:chosen", args=[foreign.pk])).status_code == 404  # not named
