"""Mass issuing: a batch of enrolments is issued like each one alone (one certificate each, consecutive
serials, the competencies recorded, a PDF and one e-mail each) in a number of queries that does not grow with
the batch; a failed e-mail gives back the claims of those not sent; `manage.py certificates_issue_missing`
queues the completed enrolments that have no certificate."""

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification.choices import CertificateEventKind, RecordState
from certification.models import Certificate, CertificateEvent, CompetencyRecord
from certification.services import certificate_issue_for_enrolment, certificates_issue
from courses.choices import EnrolmentSource, EnrolmentStatus
from courses.models import Course, Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_person, unit_a):
    return [make_person(unit=unit_a, full_name=f"Trần Văn Đức {index}") for index in range(9)]


def test_a_batch_is_issued_as_each_enrolment_alone(people, course, complete):
    done_before = complete(people[0], course)
    earlier = certificate_issue_for_enrolment(enrolment_id=done_before.pk)
    mail.outbox.clear()
    new = [complete(person, course) for person in people[1:4]]
    open_one = Enrolment.objects.create(person=people[4], course=course, source=EnrolmentSource.SELF)
    asked = [new[2].pk, open_one.pk, done_before.pk, new[0].pk, 987654, new[1].pk]

    certificates = certificates_issue(enrolment_ids=asked)

    # The certificates of the completed enrolments, in the order asked; the open and the unknown one skipped.
    assert [c.enrolment_id for c in certificates] == [new[2].pk, done_before.pk, new[0].pk, new[1].pk]
    assert certificates[1].pk == earlier.pk and certificates[1].serial == earlier.serial
    year = earlier.issued_at.year
    assert sorted(Certificate.objects.values_list("serial", flat=True)) == [
        f"NA-{year}-{number:06d}" for number in range(1, 5)
    ]
    assert not Enrolment.objects.get(pk=open_one.pk).certificates.exists()
    for certificate in Certificate.objects.filter(enrolment__in=new):
        assert certificate.pdf and certificate.emailed_at is not None and certificate.check_code
        kinds = sorted(CertificateEvent.objects.filter(certificate=certificate).values_list("kind", flat=True))
        assert kinds == sorted([CertificateEventKind.ISSUED, CertificateEventKind.RENDERED])
        records = CompetencyRecord.objects.filter(certificate=certificate)
        codes = sorted(records.values_list("competency__code", flat=True))
        assert codes == ["IU01", "IU14"]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.user.email for p in people[1:4])

    assert [c.pk for c in certificates_issue(enrolment_ids=asked)] == [c.pk for c in certificates]  # a rerun
    assert Certificate.objects.count() == 4 and len(mail.outbox) == 3


def test_the_queries_of_a_batch_do_not_grow_with_its_size(people, course, complete):
    certificate_issue_for_enrolment(enrolment_id=complete(people[0], course).pk)  # the serial counter exists
    small = [complete(person, course).pk for person in people[1:3]]
    large = [complete(person, course).pk for person in people[3:8]]

    with CaptureQueriesContext(connection) as two:
        assert len(certificates_issue(enrolment_ids=small)) == 2
    with CaptureQueriesContext(connection) as five:
        assert len(certificates_issue(enrolment_ids=large)) == 5

    assert len(five) == len(two), "\n".join(query["sql"] for query in five.captured_queries)


def test_two_certificates_of_one_holder_attesting_one_competency_leave_one_current_record(
    people, course, complete, make_course,
):
    page = make_course(title="Kỹ năng số cơ bản", competency_codes=["IU01"])
    other = Course.objects.get(page_id=page.pk)
    first, second = complete(people[0], course), complete(people[0], other)

    certificates_issue(enrolment_ids=[first.pk, second.pk])

    records = CompetencyRecord.objects.filter(person=people[0], competency__code="IU01").order_by("pk")
    assert [(r.certificate.enrolment_id, r.state) for r in records] == [
        (first.pk, RecordState.SUPERSEDED), (second.pk, RecordState.ACTIVE),
    ]


def test_a_failed_e_mail_gives_back_the_claims_of_those_not_sent(people, course, complete, monkeypatch):
    enrolments = [complete(person, course).pk for person in people[:3]]
    sent = []

    def send_messages(backend, messages):
        if len(sent) == 1:
            raise ConnectionRefusedError("mail server down")  # an OSError: the task retries
        sent.extend(messages)
        mail.outbox.extend(messages)
        return len(messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    with pytest.raises(OSError):
        certificates_issue(enrolment_ids=enrolments)
    assert Certificate.objects.filter(emailed_at__isnull=False).count() == 1
    assert Certificate.objects.exclude(pdf="").count() == 3

    monkeypatch.undo()
    certificates_issue(enrolment_ids=enrolments)  # the retry
    assert Certificate.objects.filter(emailed_at__isnull=True).count() == 0
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.user.email for p in people[:3])


def test_a_pdf_that_cannot_be_written_leaves_the_e_mails_to_the_retry(people, course, complete, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    enrolments = [complete(person, course).pk for person in people[:3]]
    save = FileSystemStorage._save
    written = []

    def full_after_one(storage, name, content):
        if written:
            raise OSError(28, "No space left on device")
        written.append(name)
        return save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", full_after_one)
    with pytest.raises(OSError):
        certificates_issue(enrolment_ids=enrolments)
    assert Certificate.objects.exclude(pdf="").count() == 1  # the one written is kept
    assert Certificate.objects.filter(emailed_at__isnull=False).count() == 0 and mail.outbox == []

    monkeypatch.undo()
    certificates_issue(enrolment_ids=enrolments)  # the retry
    assert Certificate.objects.filter(pdf="").count() == 0
    assert Certificate.objects.filter(emailed_at__isnull=True).count() == 0
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.user.email for p in people[:3])


def test_the_command_queues_the_completed_enrolments_without_a_certificate(
    people, course, complete, make_course, capsys,
):
    page = make_course(title="Kỹ năng số cơ bản", competency_codes=["IU01"])
    other = Course.objects.get(page_id=page.pk)
    issued = complete(people[0], course)
    certificate_issue_for_enrolment(enrolment_id=issued.pk)
    missing = [complete(person, course) for person in people[1:4]]
    elsewhere = complete(people[4], other)
    Enrolment.objects.create(person=people[5], course=course, source=EnrolmentSource.SELF,
                             status=EnrolmentStatus.ACTIVE)

    call_command("certificates_issue_missing", "--dry-run")
    assert "4 completed enrolments have no certificate." in capsys.readouterr().out
    call_command("certificates_issue_missing", "--course", course.code, "--limit", "2", "--batch", "1")
    assert "2 certificates queued for issuing, in 2 tasks of at most 1." in capsys.readouterr().out
    assert Certificate.objects.filter(enrolment__in=missing).count() == 2  # Celery is eager in the tests
    call_command("certificates_issue_missing", "--course", course.code)
    assert Certificate.objects.filter(enrolment__in=missing).count() == 3
    assert not Certificate.objects.filter(enrolment=elsewhere).exists()
    call_command("certificates_issue_missing")
    assert Certificate.objects.filter(enrolment=elsewhere).exists()
    assert Certificate.objects.count() == 5
    capsys.readouterr()
    call_command("certificates_issue_missing")
    assert "0 certificates queued" in capsys.readouterr().out


@pytest.mark.parametrize("arguments", [["--batch", "0"], ["--batch", "501"], ["--limit", "0"], ["--course", "NOPE"]])
def test_the_command_refuses_bad_arguments(arguments):
    with pytest.raises(CommandError):
        call_command("certificates_issue_missing", *arguments)
