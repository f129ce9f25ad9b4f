"""A random quiz draws N questions from its categories (with sub-categories) and competency tags."""

import pytest

from assessments.models import Quiz
from assessments.quizzes.errors import NotEnoughQuestions
from assessments.quizzes.services import attempt_start
from assessments.services import category_save

pytestmark = pytest.mark.django_db


def test_draw_from_a_category_subtree_and_tags(trainer, category, make_question, place, learner):
    child = category_save(actor=trainer, name="Mật khẩu", parent=category)
    tagged = [make_question(category=child, name=f"Câu {n}", competency_codes=["IU01"]) for n in range(3)]
    make_question(category=child, name="Không gắn thẻ")
    quiz = Quiz(owner=trainer, title="Ngẫu nhiên", selection="random", draw_count=2, draw_mark=2,
                draw_competency_codes=["IU01"])
    quiz.full_clean()
    quiz.save()
    quiz.draw_categories.set([category])
    place(quiz, learner)
    attempt = attempt_start(person=learner, quiz=quiz)
    drawn = list(attempt.slots.values_list("version__question_id", "max_mark"))
    assert len(drawn) == 2 and {pk for pk, _ in drawn} <= {q.pk for q in tagged}
    assert all(mark == 2 for _, mark in drawn) and attempt.max_score == 4


def test_too_small_a_pool_refuses_to_start(trainer, category, make_question, place, learner):
    make_question(competency_codes=["IU02"])
    quiz = Quiz(owner=trainer, title="Quá ít câu", selection="random", draw_count=5, draw_competency_codes=["IU02"])
    quiz.full_clean()
    quiz.save()
    place(quiz, learner)
    with pytest.raises(NotEnoughQuestions):
        attempt_start(person=learner, quiz=quiz)
    assert not quiz.attempts.exists()
