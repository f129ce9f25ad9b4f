"""Worker processes keep their database connection between tasks (lms/celery.py, CELERY_DB_REUSE_MAX) and
still close it the way Django does after a request: too old, broken, or left out of autocommit.

Celery's Django fixup is driven the way a worker drives it (task_prerun / task_postrun around each task);
without CELERY_DB_REUSE_MAX it closed the connection around every task, a new PostgreSQL connection each."""

import time
from types import SimpleNamespace

import pytest
from celery import signals
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection

from lms.celery import app

# Real transactions (a connection is closed and reopened), restored like the project's other transactional
# tests: without serialized_rollback the flush after each test recreates the content types, and a later
# serialized_rollback test (certification's concurrency tests, when run after this file) fails loading them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class _Task:
    name = "tests.fake"

    def __init__(self, eager: bool):
        self.request = SimpleNamespace(is_eager=eager, headers=None)


def _task(eager: bool = False) -> _Task:
    return _Task(eager)


def _run_task(fixup: DjangoWorkerFixup, task, body=None) -> None:
    """What the worker does around a task: the prerun signal (the fixup's handler and the project's), the
    task's queries, the postrun signal."""
    fixup.on_task_prerun(task)
    signals.task_prerun.send(sender=task, task_id="t", task=task, args=(), kwargs={})
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    if body:
        body()
    fixup.on_task_postrun(task)
    signals.task_postrun.send(sender=task, task_id="t", task=task, args=(), kwargs={}, retval=None, state="SUCCESS")


@pytest.fixture
def fixup(settings):
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 60  # as in production (SQLite runs with 0)
    connection.settings_dict["CONN_MAX_AGE"] = 60
    fixup = DjangoWorkerFixup(app)
    yield fixup
    connection.close()


def test_reuse_is_configured():
    assert DjangoWorkerFixup(app).db_reuse_max >= 100


def test_a_worker_keeps_its_connection_between_tasks(fixup):
    connection.close()
    _run_task(fixup, _task())
    kept = connection.connection
    assert kept is not None
    for _ in range(5):
        _run_task(fixup, _task())
        assert connection.connection is kept


@pytest.fixture
def closable():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("Django never closes an in-memory SQLite database (PostgreSQL runs it)")


def test_a_connection_past_conn_max_age_is_closed_after_the_task(fixup, closable):
    connection.close()
    _run_task(fixup, _task())
    old = connection.connection

    def age():
        connection.close_at = time.monotonic() - 1

    _run_task(fixup, _task(), body=age)
    assert connection.connection is None  # closed by the project's postrun handler
    _run_task(fixup, _task())
    assert connection.connection is not None and connection.connection is not old


def test_a_connection_left_out_of_autocommit_is_closed_after_the_task(fixup, closable):
    connection.close()
    _run_task(fixup, _task(), body=lambda: connection.set_autocommit(False))
    assert connection.connection is None


def test_eager_tasks_leave_the_connection_alone(fixup):
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    kept = connection.connection
    connection.close_at = time.monotonic() - 1  # would be closed by a worker
    task = _task(eager=True)
    signals.task_postrun.send(sender=task, task_id="t", task=task, args=(), kwargs={}, retval=None, state="SUCCESS")
    assert connection.connection is kept
