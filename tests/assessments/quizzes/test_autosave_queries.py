"""Autosaving an answer runs a fixed, small number of SQL queries, whatever the quiz's size."""

import pytest

from .conftest import autosave, start

pytestmark = pytest.mark.django_db

# Session, user (the roles the second-factor middleware reads come from the cache: accounts.roles), then
# inside a savepoint: the slot (with its attempt, locked, its quiz and version) and one UPDATE.
AUTOSAVE_QUERIES = 6


def test_autosave_query_count(quiz, learner_client, django_assert_num_queries):
    attempt = start(learner_client, quiz)
    with django_assert_num_queries(AUTOSAVE_QUERIES):
        assert autosave(learner_client, attempt, 2, {"value": True}).status_code == 200
    with django_assert_num_queries(AUTOSAVE_QUERIES):
        assert autosave(learner_client, attempt, 3, {"matches": {"p1": "Word"}}).status_code == 200


def test_starting_an_attempt_freezes_the_shown_versions_in_one_update_and_none_once_frozen(
    quiz, learner, other_learner
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.models import QuestionVersion
    from assessments.quizzes.services import attempt_start

    def version_updates(person):
        with CaptureQueriesContext(connection) as captured:
            attempt_start(person=person, quiz=quiz)
        return [q for q in captured.captured_queries if q["sql"].startswith('UPDATE "assessments_questionversion"')]

    assert len(version_updates(learner)) == 1  # three questions, one statement
    assert not QuestionVersion.objects.filter(is_used=False, question__in=quiz.fixed_questions.values("question"))\
        .exists()
    assert version_updates(other_learner) == []  # already frozen: no write on a hot path
