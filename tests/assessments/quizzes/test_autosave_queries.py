"""Autosaving an answer runs a fixed, small number of SQL queries, whatever the quiz's size."""

import pytest

from .conftest import autosave, start

pytestmark = pytest.mark.django_db

# Session (a cache in production), user (the roles the second-factor middleware reads come from the cache:
# accounts.roles), the slot with its attempt, quiz and version, and one conditional UPDATE; no transaction.
AUTOSAVE_QUERIES = 4


def test_autosave_query_count(quiz, learner_client, django_assert_num_queries):
    attempt = start(learner_client, quiz)
    with django_assert_num_queries(AUTOSAVE_QUERIES) as captured:
        assert autosave(learner_client, attempt, 2, {"value": True}).status_code == 200
    assert not [query for query in captured.captured_queries if "SAVEPOINT" in query["sql"]]
    with django_assert_num_queries(AUTOSAVE_QUERIES):
        assert autosave(learner_client, attempt, 3, {"matches": {"p1": "Word"}}).status_code == 200
    assert attempt.slots.get(number=3).response == {"matches": {"p1": "Word"}}


def test_starting_an_attempt_reads_the_attempts_once_and_writes_in_one_transaction(quiz, learner_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        start(learner_client, quiz)
    statements = [query["sql"] for query in captured.captured_queries]
    attempt_reads = [sql for sql in statements if sql.startswith('SELECT') and 'FROM "assessments_attempt"' in sql]
    assert len(attempt_reads) == 2  # the person's attempts, then the test helper's own read of the new one
    assert len([sql for sql in statements if sql.startswith("SAVEPOINT")]) == 1  # the service's transaction
    # No existence check of the quiz and the person (just read) before the INSERT.
    assert not [sql for sql in statements if sql.startswith('SELECT 1 AS "a"')]


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
