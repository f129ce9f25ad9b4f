"""The lesson's quiz block: it declares the quiz as a scored activity and shows rules and Start."""

import pytest

from courses.choices import ActivityKind
from courses.models import LessonActivity

pytestmark = pytest.mark.django_db


def test_placing_a_quiz_records_the_activity(quiz):
    activity = LessonActivity.objects.get(kind=ActivityKind.QUIZ, ref=str(quiz.pk))
    assert activity.title == quiz.title and activity.is_required and activity.is_live


def test_lesson_page_shows_start_to_an_enrolled_learner(quiz, learner_client):
    activity = LessonActivity.objects.get(ref=str(quiz.pk))
    page = activity.lesson.page.specific
    html = learner_client.get(page.url).content.decode()
    assert quiz.title in html
    assert f"/assessments/quizzes/{quiz.pk}/start/" in html
