"""Autosaving an answer runs a fixed, small number of SQL queries, whatever the quiz's size."""

import pytest

from .conftest import autosave, start

pytestmark = pytest.mark.django_db

# Session, user, the user's roles (second-factor middleware), then inside a savepoint: the slot (with its
# attempt, locked, its quiz and version) and one UPDATE.
AUTOSAVE_QUERIES = 7


def test_autosave_query_count(quiz, learner_client, django_assert_num_queries):
    attempt = start(learner_client, quiz)
    with django_assert_num_queries(AUTOSAVE_QUERIES):
        assert autosave(learner_client, attempt, 2, {"value": True}).status_code == 200
    with django_assert_num_queries(AUTOSAVE_QUERIES):
        assert autosave(learner_client, attempt, 3, {"matches": {"p1": "Word"}}).status_code == 200
