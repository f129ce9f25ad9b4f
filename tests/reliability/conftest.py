"""Reliability fixtures: the quiz fixtures of tests/assessments, and a broker that is down."""

import contextlib
import socket

import pytest

from lms.celery import app
from tests.assessments.conftest import category, make_question, trainer  # noqa: F401 (fixtures used here)
from tests.assessments.quizzes.conftest import (  # noqa: F401 (fixtures used here)
    learner,
    learner_client,
    make_course,
    make_lesson,
    make_quiz,
    place,
    questions,
)


def _closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reset_pools():
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@pytest.fixture
def broker_down(settings, monkeypatch):
    """A context manager: inside it Celery publishes (not eager) to a Redis broker on a closed port."""

    @contextlib.contextmanager
    def _down():
        url = f"redis://127.0.0.1:{_closed_port()}/0"
        saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
        settings.CELERY_BROKER_URL = url
        monkeypatch.setenv("CELERY_BROKER_URL", url)  # Celery reads it before its configuration
        app.conf.update(broker_url=url, task_always_eager=False)
        _reset_pools()
        try:
            yield url
        finally:
            app.conf.update(saved)
            _reset_pools()

    return _down
