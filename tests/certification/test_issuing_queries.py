"""Issuing in a bounded number of queries, with the serial counter locked only at the end of the issuing
transaction; the competencies of a new certificate supersede the holder's current records in one go; the
issuing task's e-mail uses the certificate it holds but still refuses one revoked meanwhile; a worker keeps
a template's renderer between certificates and drops it when the template changes."""

import datetime
import io

import pypdf
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certification.choices import RecordSource, RecordState
from certification.models import Certificate, CertificateTemplate, CompetencyRecord
from certification.pdf import render_many
from certification.services import PENDING_SERIAL_PREFIX, certificate_issue_for_enrolment, competency_record
from certification.services.mail import certificates_issued_mail_send, certificates_mail_claim

pytestmark = pytest.mark.django_db

# What issuing one certificate (two known competencies) may cost, PDF and e-mail included, savepoints of
# SQLite's non-locking fallback counted. It took 45 before the registry writes were batched.
MAX_QUERIES = 20


def test_issuing_takes_a_bounded_number_of_queries(make_person, unit_a, learner, course, complete, issue):
    issue(make_person(unit=unit_a), course)  # the year's serial counter exists from now on
    enrolment = complete(learner, course)

    with CaptureQueriesContext(connection) as queries:
        certificate = certificate_issue_for_enrolment(enrolment_id=enrolment.pk)

    assert len(queries) <= MAX_QUERIES, "\n".join(query["sql"] for query in queries.captured_queries)
    assert certificate.pdf and len(mail.outbox) == 2
    assert CompetencyRecord.objects.filter(certificate=certificate).count() == 2


def test_the_serial_counter_is_locked_only_by_the_last_statements_of_the_issuing_transaction(learner, course, complete):
    enrolment = complete(learner, course)

    with CaptureQueriesContext(connection) as queries:
        certificate = certificate_issue_for_enrolment(enrolment_id=enrolment.pk)

    statements = [query["sql"] for query in queries.captured_queries]
    last_counter = max(i for i, sql in enumerate(statements) if "certification_serialcounter" in sql)
    # After the counter: the certificate gets its serial, then the transaction ends (a savepoint released
    # inside the test's own transaction); storing the PDF comes in a transaction of its own.
    assert statements[last_counter + 1].startswith('UPDATE "certification_certificate" SET "serial"')
    assert statements[last_counter + 2].startswith("RELEASE SAVEPOINT")
    assert not certificate.serial.startswith(PENDING_SERIAL_PREFIX)
    assert not Certificate.objects.filter(serial__startswith=PENDING_SERIAL_PREFIX).exists()
    assert Certificate.objects.get().serial == certificate.serial


def test_a_new_certificate_supersedes_the_current_records_of_its_competencies(learner, course, complete):
    quiz = competency_record(person=learner, competency_code="IU01", source=RecordSource.QUIZ,
                             achieved_on=datetime.date(2025, 3, 1), evidence_ref="quiz-attempt:1")
    other = competency_record(person=learner, competency_code="IU02", source=RecordSource.QUIZ,
                              achieved_on=datetime.date(2025, 3, 1), evidence_ref="quiz-attempt:2")

    certificate = certificate_issue_for_enrolment(enrolment_id=complete(learner, course).pk)

    quiz.refresh_from_db()
    other.refresh_from_db()
    assert quiz.state == RecordState.SUPERSEDED
    assert other.state == RecordState.ACTIVE  # not a competency of the course: untouched
    current = CompetencyRecord.objects.filter(person=learner).exclude(state=RecordState.SUPERSEDED)
    assert sorted((record.competency.code, record.certificate_id) for record in current) == [
        ("IU01", certificate.pk), ("IU02", None), ("IU14", certificate.pk),
    ]
    assert all(record.source == RecordSource.COURSE_CERTIFICATE for record in current if record.certificate_id)


def test_the_mail_refuses_a_certificate_revoked_after_it_was_read(learner, course, complete):
    certificate = certificate_issue_for_enrolment(enrolment_id=complete(learner, course).pk)
    Certificate.objects.filter(pk=certificate.pk).update(emailed_at=None)
    mail.outbox.clear()
    held = Certificate.objects.select_related("person__user").get(pk=certificate.pk)
    Certificate.objects.filter(pk=certificate.pk).update(state="revoked", revoked_at=timezone.now())

    claimed = certificates_mail_claim(certificates=[held])
    assert claimed == set() and certificates_issued_mail_send(certificates=[held], claimed=claimed) == 0
    assert mail.outbox == []
    assert Certificate.objects.get(pk=certificate.pk).emailed_at is None


def test_an_edited_template_is_rendered_with_its_new_wording(learner, course, complete):
    certificate = certificate_issue_for_enrolment(enrolment_id=complete(learner, course).pk)
    template = CertificateTemplate.objects.create(name="Mẫu", course=course, title="GIẤY CHỨNG NHẬN", body="{name}")
    certificate.template = template
    [(_, first)] = list(render_many([certificate]))

    template.title = "CHỨNG CHỈ HOÀN THÀNH"
    template.save()
    [(_, second)] = list(render_many([certificate]))

    def text(content):
        return pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()

    assert "GIẤY CHỨNG NHẬN" in text(first)
    assert "CHỨNG CHỈ HOÀN THÀNH" in text(second) and "GIẤY CHỨNG NHẬN" not in text(second)


def test_the_pdf_is_stored_and_the_mail_claimed_in_one_transaction(learner, course, complete):
    enrolment = complete(learner, course)

    with CaptureQueriesContext(connection) as queries:
        certificate_issue_for_enrolment(enrolment_id=enrolment.pk)

    statements = [query["sql"] for query in queries.captured_queries]
    stored = next(i for i, sql in enumerate(statements) if sql.startswith('UPDATE "certification_certificate" SET "pdf"'))
    claim = next(i for i, sql in enumerate(statements) if 'SET "emailed_at"' in sql)
    # One commit for both (here a savepoint of the test's transaction): nothing ends it in between.
    assert stored < claim
    assert not any(sql.startswith(("RELEASE SAVEPOINT", "COMMIT")) for sql in statements[stored:claim])
    assert len(mail.outbox) == 1 and Certificate.objects.get().emailed_at is not None


def test_a_run_that_dies_while_rendering_leaves_the_mail_to_its_rerun(learner, course, complete, monkeypatch):
    from certification import pdf

    enrolment = complete(learner, course)

    def broken(certificates):
        raise OSError("media disk full")
        yield  # a generator, as render_many

    monkeypatch.setattr(pdf, "render_many", broken)
    with pytest.raises(OSError):
        certificate_issue_for_enrolment(enrolment_id=enrolment.pk)
    certificate = Certificate.objects.get()
    assert not certificate.pdf and certificate.emailed_at is None and mail.outbox == []

    monkeypatch.undo()
    assert certificate_issue_for_enrolment(enrolment_id=enrolment.pk).pk == certificate.pk
    assert certificate_issue_for_enrolment(enrolment_id=enrolment.pk).pk == certificate.pk  # redelivered again
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.emailed_at is not None
    assert len(mail.outbox) == 1
