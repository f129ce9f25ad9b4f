"""Issue 10, "Faults": tasks enqueued on commit are sent only when the transaction commits, and a broker
that is down neither fails nor slows the request: the send waits in the outbox and goes out later."""

import time
from unittest import mock

import pytest
from celery.app.task import Task
from django.db import transaction
from django.urls import reverse

from assessments.models import Attempt
from assessments.tasks import quiz_competencies_record
from ops.models import PendingTask
from ops.tasks import outbox_resend

from tests.assessments.quizzes.conftest import autosave, start

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_a_rolled_back_transaction_sends_no_task(django_capture_on_commit_callbacks):
    with mock.patch.object(Task, "apply_async") as sent:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(Boom), transaction.atomic():
                quiz_competencies_record.delay_on_commit(41)
                raise Boom
        assert callbacks == [] and not sent.called

        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with transaction.atomic():
                quiz_competencies_record.delay_on_commit(42)
            assert not sent.called  # not before the commit
        assert len(callbacks) == 1
        sent.assert_called_once()
        assert sent.call_args.args[:2] == ([42], {})


@pytest.fixture
def competency_quiz(make_quiz, place, learner, questions):
    """A one-question quiz whose pass gives evidence of IU01: submitting it right enqueues a task."""
    quiz = make_quiz(questions=[questions[1]], competency_codes=["IU01"])
    place(quiz, learner)
    return quiz


def test_a_submission_with_the_broker_down_commits_answers_fast_and_keeps_the_task(
    competency_quiz, learner_client, broker_down, django_capture_on_commit_callbacks
):
    attempt = start(learner_client, competency_quiz)
    assert autosave(learner_client, attempt, 1, {"value": True}).status_code == 200

    with broker_down():
        began = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = learner_client.post(reverse("assessments:submit", args=[attempt.pk]))
        elapsed = time.monotonic() - began
        assert callbacks, "the submission enqueues its task on commit"

        assert response.status_code == 302
        assert elapsed < 2, elapsed
        attempt = Attempt.objects.get(pk=attempt.pk)
        assert attempt.state == "submitted" and attempt.submitted_at is not None
        kept = PendingTask.objects.get(task_name=quiz_competencies_record.name)
        assert kept.args == [attempt.pk] and kept.kwargs == {}
        assert "OperationalError" in kept.last_error

        # Still down: the resend keeps the row, counts the attempt and stops at once.
        began = time.monotonic()
        assert outbox_resend() == 0
        assert time.monotonic() - began < 2
        kept.refresh_from_db()
        assert kept.attempts == 2

        # The broker is back: the resend sends it (to the broker, not run here) and clears the row.
        rows = PendingTask.objects.count()
        with mock.patch.object(Task, "apply_async") as sent:
            assert outbox_resend() == rows
        assert not PendingTask.objects.exists()
        sent_args = [call.args[:2] for call in sent.call_args_list]
        assert ([attempt.pk], {}) in sent_args
        assert all(call.kwargs.get("ignore_result") is True for call in sent.call_args_list)


def test_an_unknown_task_in_the_outbox_stays_and_does_not_block_the_others(broker_down):
    PendingTask.objects.create(task_name="gone.tasks.removed", args=[1])
    PendingTask.objects.create(task_name=quiz_competencies_record.name, args=[7])
    with broker_down(), mock.patch.object(Task, "apply_async") as sent:
        assert outbox_resend() == 1
    assert [call.args[:2] for call in sent.call_args_list] == [([7], {})]
    left = PendingTask.objects.get()
    assert left.task_name == "gone.tasks.removed" and left.attempts == 2 and "unknown task" in left.last_error
