"""Bulk jobs: regenerating a course's certificates after a template change (idempotent, progress visible)
and a ZIP of a unit's certificates (contents, scoping)."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.roles import Role
from certification.choices import BulkState
from certification.credentials import credential_verify
from certification.models import BulkJob, CertificateEvent
from certification.services import certificate_template_for
from certification.services.bulk import BulkNotAllowed, bulk_job_run, bulk_regenerate_start, bulk_zip_start

pytestmark = pytest.mark.django_db


def pdf_text(certificate) -> str:
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


@pytest.fixture
def certificates(make_person, unit_a, unit_a_child, unit_b, course, issue):
    return [
        issue(make_person(unit=unit_a, full_name="Nguyễn Văn An"), course),
        issue(make_person(unit=unit_a_child, full_name="Trần Thị Bích"), course),
        issue(make_person(unit=unit_b, full_name="Phạm Minh Dũng"), course),
    ]


@pytest.fixture
def editor(make_person, province):
    return make_person(unit=province, roles=[Role.CURRICULUM_MANAGER]).user


def test_regenerating_after_a_template_change_renders_every_certificate_once(
    certificates, course, editor, django_capture_on_commit_callbacks
):
    template = certificate_template_for(course)
    template.title = "GIẤY CHỨNG NHẬN HOÀN THÀNH"
    template.save()
    assert "HOÀN THÀNH" not in pdf_text(certificates[0])
    serials = [c.serial for c in certificates]

    with django_capture_on_commit_callbacks(execute=True):
        job = bulk_regenerate_start(course=course, requested_by=editor)

    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.percent) == (BulkState.DONE, 3, 3, 100)
    for certificate in certificates:
        assert "GIẤY CHỨNG NHẬN HOÀN THÀNH" in pdf_text(certificate)
        assert certificate.serial in serials
    rendered = CertificateEvent.objects.filter(kind="rendered").count()

    # A redelivered message for the finished job does nothing.
    bulk_job_run(job_id=job.pk)
    assert CertificateEvent.objects.filter(kind="rendered").count() == rendered
    job.refresh_from_db()
    assert job.done == 3


def test_a_waiting_job_is_reused_and_only_editors_regenerate(certificates, course, editor, officer_a):
    first = bulk_regenerate_start(course=course, requested_by=editor)  # not committed: stays pending
    assert bulk_regenerate_start(course=course, requested_by=editor) == first
    assert BulkJob.objects.count() == 1
    with pytest.raises(BulkNotAllowed):
        bulk_regenerate_start(course=course, requested_by=officer_a.user)


def test_a_course_job_is_shown_with_its_course(certificates, course, editor, mfa_client):
    # Its page and the list looked the unit's name up on a job without a unit: VariableDoesNotExist, a 500.
    job = bulk_regenerate_start(course=course, requested_by=editor)
    client = mfa_client(editor)
    assert course.title in client.get(reverse("certification:job", args=[job.pk])).content.decode()
    assert course.title in client.get(reverse("certification:jobs")).content.decode()


def test_the_zip_of_a_unit_holds_its_subtrees_certificates(
    certificates, officer_a, unit_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = bulk_zip_start(unit=unit_a, requested_by=officer_a.user)
    job.refresh_from_db()
    assert (job.state, job.total, job.done) == (BulkState.DONE, 2, 2)

    with job.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        names = sorted(archive.namelist())
        assert len(names) == 4
        pdfs = [name for name in names if name.endswith(".pdf")]
        assert [name.split("_")[0] for name in pdfs] == sorted(c.serial for c in certificates[:2])
        assert archive.read(pdfs[0]).startswith(b"%PDF-")
        credential = json.loads(archive.read(pdfs[0].replace(".pdf", ".credential.json")))
    assert credential_verify(credential).status == "valid"
    assert not any("Phạm" in name or certificates[2].serial in name for name in names)


def test_an_officer_cannot_zip_another_unit(certificates, officer_a, unit_b):
    with pytest.raises(BulkNotAllowed):
        bulk_zip_start(unit=unit_b, requested_by=officer_a.user)


def test_the_progress_page_and_download(mfa_client, certificates, officer_a, unit_a, make_person, unit_b,
                                        django_capture_on_commit_callbacks):
    client = mfa_client(officer_a.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certification:jobs"), {"job": "zip", "unit": unit_a.pk})
    job = BulkJob.objects.get()
    assert response.url == reverse("certification:job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert 'value="100"' in page and "2 of 2 certificates" in page
    download = client.get(reverse("certification:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).testzip() is None
    # The ZIP lost from storage (media not restored yet): not found, not a server error.
    job.file.storage.delete(job.file.name)
    assert client.get(reverse("certification:job_download", args=[job.pk])).status_code == 404

    refused = client.post(reverse("certification:jobs"), {"job": "zip", "unit": unit_b.pk})
    assert refused.status_code == 200 and BulkJob.objects.count() == 1  # not a choice: form error

    other = make_person(unit=unit_b, roles=[Role.UNIT_OFFICER])
    client = mfa_client(other.user)
    assert client.get(reverse("certification:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("certification:job_download", args=[job.pk])).status_code == 404


def test_a_job_issues_the_missing_certificates_of_a_course(
    make_person, unit_a, course, complete, issue, editor, officer_a, mfa_client, django_capture_on_commit_callbacks,
):
    from django.core import mail

    from certification.models import Certificate
    from certification.services.bulk import bulk_issue_start

    issued = issue(make_person(unit=unit_a), course)
    missing = [complete(make_person(unit=unit_a, full_name=f"Lê Thị Hoa {n}"), course) for n in range(3)]
    mail.outbox.clear()
    with pytest.raises(BulkNotAllowed):
        bulk_issue_start(course=course, requested_by=officer_a.user)
    client = mfa_client(editor)
    page = client.get(reverse("certification:jobs")).content.decode()
    assert 'name="job" value="issue"' in page
    # Only the courses with completions lacking a certificate are offered, with how many.
    assert f"{course} (3 learners without a certificate)" in page
    assert "nothing to issue" not in page

    refused = client.post(reverse("certification:jobs"), {"job": "issue", "course": course.pk})  # not confirmed
    assert refused.status_code == 200 and not BulkJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("certification:jobs"), {"job": "issue", "course": course.pk, "confirm": "on"})

    job = BulkJob.objects.get()
    assert started.url == reverse("certification:job", args=[job.pk])
    assert (job.kind, job.state, job.done, job.total) == ("issue", BulkState.DONE, 3, 3)
    assert Certificate.objects.filter(enrolment__in=missing).exclude(pdf="").count() == 3
    assert Certificate.objects.count() == 4 and Certificate.objects.get(enrolment=issued.enrolment) == issued
    assert len(mail.outbox) == 3
    assert "3 of 3 certificates" in client.get(started.url).content.decode()
    page = client.get(reverse("certification:jobs")).content.decode()
    assert course.title in page  # listed under "Your jobs"
    assert "without a certificate" not in page and "there is nothing to issue" in page
