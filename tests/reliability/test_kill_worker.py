"""Issue 10, "Faults": `kill -9` of the Celery worker while it issues certificates. After a new worker has
finished, every enrolment has exactly one certificate, with its PDF, and every holder exactly one e-mail.

Real worker processes (tests/celery_worker.py) on PostgreSQL and the Redis broker; the code under test is
the project's (acks_late, the issuing service's row lock and unique constraint, the e-mail's at-most-once
mark). The worker loads tests/reliability/fault_worker.py, which only slows the PDF, pauses before the late
ack and makes Redis redeliver within seconds, so that the two kills land at known points:

1. just after a holder was e-mailed, before the message was acknowledged: the rerun must not mail again;
2. while a PDF is being rendered: the rerun must render it, and mail once.
"""

import base64
import email
import email.policy
import json
import os
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from certification.models import Certificate
from certification.tasks import certificate_issue
from courses.choices import EnrolmentSource, EnrolmentStatus
from courses.models import Course, Enrolment
from lms.celery import app
from tests.celery_worker import running_worker, worker_database_url
from tests.cms.conftest import make_course  # noqa: F401 (fixture)

COUNT = 20
PAUSE = 0.5  # seconds: the slower PDF, and the wait between a task's return and its ack
VISIBILITY_TIMEOUT = 3  # seconds before Redis hands an unacknowledged message out again
TIMEOUT = 120  # for each wait

pytestmark = [
    pytest.mark.broker,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL"), reason="needs a real broker: set CELERY_BROKER_URL (CI does)"
    ),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker processes share the test database: set DATABASE_URL to PostgreSQL (CI does)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def wait_until(condition, what: str, logs=()):
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {TIMEOUT} s: {what}; worker logs:\n" + "\n".join(log() for log in logs))
        time.sleep(0.05)


class Broker:
    """What the Redis broker holds for the test's queue: waiting messages, and delivered ones not acked."""

    def __init__(self, queue: str):
        import redis

        self.queue = queue
        self.client = redis.Redis.from_url(app.conf.broker_url)

    def waiting(self) -> int:
        return sum(self.client.llen(key) for key in self.client.scan_iter(match=f"{self.queue}*"))

    def unacked_enrolments(self) -> list[int]:
        """The enrolment ids of the messages delivered to a worker and not acknowledged (kombu's hash)."""
        ids = []
        for raw in self.client.hvals("unacked"):
            message, _exchange, routing_key = json.loads(raw)
            if routing_key == self.queue:
                body = json.loads(base64.b64decode(message["body"]))
                ids.append(body[0][0])
        return ids


def mails(mail_dir: Path) -> list[email.message.EmailMessage]:
    """The messages the workers' file backend wrote (one file per connection; messages end with a rule)."""
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return found


def test_a_worker_killed_while_issuing_leaves_one_certificate_and_one_email_each(
    make_person, unit_a, make_course, tmp_path, through_broker  # noqa: F811
):
    page = make_course(title="Kỹ năng sử dụng máy tính cơ bản")
    course = Course.objects.get(page_id=page.pk)
    enrolments = {
        Enrolment.objects.create(
            person=make_person(unit=unit_a), course=course, source=EnrolmentSource.SELF,
            status=EnrolmentStatus.COMPLETED, completed_at=timezone.now(),
        ).pk
        for _ in range(COUNT)
    }
    holder_of = dict(Enrolment.objects.filter(pk__in=enrolments).values_list("pk", "person__user__email"))
    media, mail_dir = tmp_path / "media", tmp_path / "mail"
    env = {
        "DATABASE_URL": worker_database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "MEDIA_ROOT": str(media),
        "CERTIFICATE_SIGNING_KEY_FILE": str(tmp_path / "signing-key.pem"),
        "FAULT_PAUSE": str(PAUSE),
        "FAULT_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    queue = f"lms-faults-{uuid.uuid4().hex[:12]}"
    broker = Broker(queue)
    for enrolment_id in sorted(enrolments):
        certificate_issue.apply_async(args=[enrolment_id], queue=queue, ignore_result=True)
    assert broker.waiting() == COUNT

    def worker():
        return running_worker(prefix="lms-faults", work_dir=tmp_path, env=env, queue=queue,
                              app="tests.reliability.fault_worker")

    logs = []
    # 1. Killed after a holder was e-mailed and before the message was acknowledged.
    with worker() as first:
        logs.append(first.log)
        wait_until(lambda: len(list(mail_dir.glob("*.log"))) >= 4, "four e-mails sent", logs)
        time.sleep(0.1)  # the file is written; the worker is in the wait before the ack
        first.kill()
    mailed = {message["To"] for message in mails(mail_dir)}
    unacked = broker.unacked_enrolments()
    assert len(unacked) == 1, "the killed worker's message is delivered and not acknowledged"
    assert holder_of[unacked[0]] in mailed, "... and its holder was already e-mailed"
    assert len(mailed) < COUNT

    # 2. Killed while rendering a PDF (the certificate row exists, its PDF does not).
    with worker() as second:
        logs.append(second.log)
        issued_before = Certificate.objects.count()
        wait_until(
            lambda: Certificate.objects.count() >= issued_before + 3 and Certificate.objects.filter(pdf="").exists(),
            "three more certificates, the next one being rendered", logs,
        )
        second.kill()
    unfinished = list(Certificate.objects.filter(pdf="").values_list("enrolment_id", flat=True))
    assert unfinished and broker.unacked_enrolments() == unfinished
    assert Certificate.objects.count() < COUNT

    # 3. A new worker finishes: the two unacknowledged messages are redelivered along with the rest.
    with worker() as third:
        logs.append(third.log)

        def all_done() -> bool:
            return (
                Certificate.objects.filter(emailed_at__isnull=False).exclude(pdf="").count() == COUNT
                and broker.waiting() == 0
                and not broker.unacked_enrolments()
            )

        wait_until(all_done, f"{COUNT} certificates with PDF and e-mail, nothing left in the broker", logs)
        time.sleep(1)
        assert all_done()  # not a message caught between the queue and the worker

    certificates = list(Certificate.objects.all())
    assert sorted(certificate.enrolment_id for certificate in certificates) == sorted(enrolments)
    for certificate in certificates:
        assert (media / certificate.pdf.name).read_bytes().startswith(b"%PDF"), certificate.serial
    recipients = Counter(message["To"] for message in mails(mail_dir))
    assert recipients == Counter(holder_of.values()), "one e-mail per certificate, none twice"
