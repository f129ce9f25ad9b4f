"""Celery through a real broker: the test starts a worker process, sends it tasks and reads their results.

Runs only when CELERY_BROKER_URL is set (CI sets it for the PostgreSQL run). The worker listens on a queue of
its own, so another worker on the same broker cannot steal the messages, and it is always stopped afterwards.
"""

import email.policy
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from celery.exceptions import TimeoutError as CeleryTimeoutError

from accounts.roles import Role
from lms.celery import app, ping
from organisations.tasks import send_invitations
from tests.celery_worker import WorkerProcess, running_worker, worker_database_url

RESULT_TIMEOUT = 30

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL"), reason="needs a real broker: set CELERY_BROKER_URL (CI does)"
    ),
]


@dataclass
class Worker:
    process: WorkerProcess
    mail_dir: Path
    shares_database: bool

    def log(self) -> str:
        return self.process.log()

    @property
    def queue(self) -> str:
        return self.process.queue

    def result(self, async_result):
        """The task's return value, or a failure that shows what the worker logged."""
        try:
            return async_result.get(timeout=RESULT_TIMEOUT)
        except CeleryTimeoutError:
            pytest.fail(f"the worker gave no result within {RESULT_TIMEOUT} s; its log:\n{self.log()}")


@pytest.fixture(scope="module")
def worker(django_db_setup, tmp_path_factory):
    if not app.conf.result_backend:
        pytest.skip("needs a result backend: set REDIS_URL or CELERY_RESULT_BACKEND")
    work_dir = tmp_path_factory.mktemp("celery-worker")
    mail_dir = work_dir / "mail"
    database_url = worker_database_url()
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    with running_worker(prefix="lms-roundtrip", work_dir=work_dir, env=env) as process:
        yield Worker(process, mail_dir, shares_database=database_url is not None)


def test_ping_goes_through_the_broker_to_a_worker_and_back(worker, through_broker):
    sent = ping.apply_async(queue=worker.queue)

    assert worker.result(sent) == "pong"
    assert sent.successful()


@pytest.mark.django_db(transaction=True)
def test_worker_sends_invitations_from_the_test_database(worker, through_broker, make_person, unit_a):
    if not worker.shares_database:
        pytest.skip("the worker cannot open an in-memory SQLite test database: set DATABASE_URL (CI does)")
    # Committed (transactional test), so the worker process sees it.
    person = make_person(unit=unit_a, roles=[Role.LEARNER], full_name="Lê Thị Hồng Nhung")
    person.user.set_unusable_password()
    person.user.save(update_fields=["password"])

    sent = send_invitations.apply_async(args=[[person.pk]], queue=worker.queue)

    assert worker.result(sent) == 1
    person.refresh_from_db()
    assert person.invited_at is not None
    mails = sorted(worker.mail_dir.glob("*.log"))
    assert len(mails) == 1, worker.log()
    message = email.message_from_bytes(mails[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == person.user.email
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Lê Thị Hồng Nhung" in body
    assert person.user.username in body

    # The task is idempotent: sending again invites nobody twice.
    again = send_invitations.apply_async(args=[[person.pk]], queue=worker.queue)

    assert worker.result(again) == 0
    assert sorted(worker.mail_dir.glob("*.log")) == mails
