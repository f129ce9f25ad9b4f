"""The lesson page of a signed-in learner runs at most 15 SQL queries, however many quiz blocks the
lesson has: the page is found in two queries, the course outline is cached until the page tree
changes, and the quiz blocks' standings are read for all of them at once (issue 8, W1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.choices import AccessMode
from courses.models import Course
from courses.services import enrolment_create
from tests.cms.conftest import make_section  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


@pytest.fixture
def lesson_with_quizzes(make_quiz, make_course, make_section, make_lesson, learner):
    """A lesson placing `count` quizzes, in a section of an open course the learner is enrolled in."""

    def _make(count):
        page = make_course(access_mode=AccessMode.OPEN, competency_codes=[])
        section = make_section(page, "Phần 1")
        make_lesson(section, "Bài mở đầu")
        quizzes = [make_quiz(title=f"Kiểm tra {number}") for number in range(count)]
        body = [("text", "<p>Nội dung.</p>")] + [("quiz", {"quiz": quiz, "required": True}) for quiz in quizzes]
        lesson = make_lesson(section, "Bài kiểm tra", body=body)
        make_lesson(section, "Bài cuối")
        enrolment_create(person=learner, course=Course.objects.get(page_id=page.pk))
        return lesson, quizzes

    return _make


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_lesson_page_queries_are_few_and_do_not_grow_with_quiz_blocks(
    learner_client, lesson_with_quizzes, django_assert_max_num_queries
):
    counts = {}
    for count in (1, 5):
        lesson, quizzes = lesson_with_quizzes(count)
        learner_client.get(lesson.url)  # the first opening records it (writes)
        with django_assert_max_num_queries(MAX_QUERIES):
            response = learner_client.get(lesson.url)
        assert response.status_code == 200
        page = response.content.decode()
        for quiz in quizzes:  # every block shows the learner's Start button for its own quiz
            assert reverse("assessments:start", args=[quiz.pk]) in page
        assert "Bài mở đầu" in page and "Bài cuối" in page  # outline, previous and next
        counts[count], _response = queries_of(learner_client, lesson.url)
    assert counts[1] == counts[5]
