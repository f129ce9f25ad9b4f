"""Two requests starting an attempt for the same person and quiz at the same moment leave exactly
one attempt (PostgreSQL, real threads: the partial unique constraint decides)."""

import threading

import pytest
from django.db import connection, connections

from assessments.models import Attempt, AttemptSlot
from assessments.quizzes.services import attempt_start

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # keeps the migrated page tree
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL: set DATABASE_URL"),
]


def test_concurrent_starts_leave_one_attempt(quiz, learner):
    count = 4
    barrier, errors, started = threading.Barrier(count), [], []

    def worker():
        try:
            barrier.wait()
            started.append(attempt_start(person=learner, quiz=quiz).pk)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    attempt = Attempt.objects.get(quiz=quiz, person=learner)
    assert started == [attempt.pk] * count
    assert AttemptSlot.objects.filter(attempt=attempt).count() == 3
