"""Issuing on completion: once per enrolment however often the task runs, enqueued after commit, only for
completed enrolments; serials, check codes and tokens; the competencies the course develops; templates."""

import re

import pytest
from django.db import transaction
from django.utils import timezone

from certification.api import course_completion_notify
from certification.choices import RecordSource, RecordState
from certification.models import Certificate, CertificateTemplate, CompetencyRecord, SerialCounter
from certification.services import check_code_for, certificate_template_for
from certification.tasks import certificate_issue
from courses.choices import EnrolmentSource
from courses.models import Enrolment

pytestmark = pytest.mark.django_db


def test_repeated_task_runs_issue_exactly_one_certificate(learner, course, complete):
    enrolment = complete(learner, course)

    first = certificate_issue.delay(enrolment.pk).get()
    again = certificate_issue.delay(enrolment.pk).get()
    third = certificate_issue.apply(args=[enrolment.pk]).get()

    assert first == again == third
    certificate = Certificate.objects.get()
    assert certificate.pk == first
    assert certificate.enrolment == enrolment
    assert (certificate.holder_name, certificate.course_title) == (learner.full_name, course.title)
    assert certificate.hours == course.estimated_hours
    assert certificate.pdf.name.endswith(f"{certificate.serial}.pdf")
    assert SerialCounter.objects.get().last_number == 1
    # The competencies were recorded once, not once per run.
    assert CompetencyRecord.objects.count() == 2


def test_completion_notice_enqueues_after_commit_only(learner, course, complete, django_capture_on_commit_callbacks):
    enrolment = complete(learner, course)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        course_completion_notify(enrolment_id=enrolment.pk)
        assert not Certificate.objects.exists()
    assert len(callbacks) == 1
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_a_rolled_back_completion_enqueues_nothing(learner, course, complete, django_capture_on_commit_callbacks):
    enrolment = complete(learner, course)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                course_completion_notify(enrolment_id=enrolment.pk)
                raise RuntimeError("completion failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Certificate.objects.exists()


def test_the_task_is_routed_to_the_certificates_queue(settings):
    from lms.celery import app

    route = app.amqp.router.route({}, certificate_issue.name, args=(1,), kwargs={})
    assert route["queue"].name == "certificates"


def test_enrolments_not_completed_get_no_certificate(learner, course):
    enrolment = Enrolment.objects.create(person=learner, course=course, source=EnrolmentSource.SELF)

    assert certificate_issue.delay(enrolment.pk).get() is None
    assert certificate_issue.delay(987654).get() is None
    assert not Certificate.objects.exists()


def test_serials_are_sequential_per_year_with_the_configured_prefix(settings, make_person, unit_a, course, issue):
    settings.CERTIFICATE_SERIAL_PREFIX = "NA"
    certificates = [issue(make_person(unit=unit_a), course) for _ in range(3)]

    serials = [certificate.serial for certificate in certificates]
    year = certificates[0].issued_at.year
    assert serials == [f"NA-{year}-000001", f"NA-{year}-000002", f"NA-{year}-000003"]

    settings.CERTIFICATE_SERIAL_PREFIX = "TN"
    assert issue(make_person(unit=unit_a), course).serial == f"TN-{year}-000001"


def test_check_code_and_token(learner, course, issue):
    certificate = issue(learner, course)

    assert certificate.check_code == check_code_for(certificate.serial)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", certificate.check_code)
    # At least 128 bits from the CSPRNG, URL-safe.
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,}", certificate.token)
    assert len(certificate.token) * 6 >= 128


def test_issuing_records_the_known_competencies_of_the_course(learner, course, issue):
    certificate = issue(learner, course)

    records = CompetencyRecord.objects.filter(person=learner).order_by("competency__code")
    assert [record.competency.code for record in records] == ["IU01", "IU14"]  # XX99 is unknown: ignored
    for record in records:
        assert (record.source, record.certificate, record.state) == (
            RecordSource.COURSE_CERTIFICATE, certificate, RecordState.ACTIVE,
        )
        # The day of completion in the site's time zone (Hà Nội), not UTC's: after 17:00 UTC they differ.
        assert record.achieved_on == timezone.localdate(certificate.enrolment.completed_at)


def test_template_of_the_course_wins_over_the_track_and_the_default(course):
    default = CertificateTemplate.objects.get(course__isnull=True, track="")
    assert certificate_template_for(course) == default

    track = CertificateTemplate.objects.create(name="Mẫu theo tuyến", title="CHỨNG NHẬN", body="{name}",
                                               track=course.track)
    assert certificate_template_for(course) == track

    own = CertificateTemplate.objects.create(name="Mẫu riêng", title="CHỨNG NHẬN", body="{name}", course=course)
    assert certificate_template_for(course) == own


def test_a_default_template_is_created_on_first_use_if_none_exists(learner, course, issue):
    CertificateTemplate.objects.all().delete()

    certificate = issue(learner, course)

    assert certificate.template.course is None and certificate.template.track == ""
    assert "{name}" in certificate.template.body
