"""External certificates: uploads checked by content and size, the officer managing the holder verifies
(competencies enter the registry, the IT qualification rises) or rejects with a reason; an officer of
another unit gets 404; files only through the permission-checked view."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.roles import Role
from certification.choices import ExternalState, RecordSource, RecordState
from certification.errors import AlreadyReviewed, RejectionReasonRequired, ReviewNotAllowed, UploadRefused
from certification.models import CompetencyRecord, ExternalCertificate
from certification.services.external import (
    external_certificate_reject,
    external_certificate_submit,
    external_certificate_verify,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


def submit(person, *, content=PDF, name="chung-chi.pdf", **overrides):
    data = dict(
        person=person, kind="it_skills", title="Chứng chỉ ứng dụng CNTT cơ bản", number="CB-2024-00123",
        issuer="Trung tâm Tin học Đại học Vinh", issued_on=datetime.date(2024, 5, 10),
        competency_codes=["IU01", "IU02"], upload=SimpleUploadedFile(name, content, "application/pdf"),
    )
    data.update(overrides)
    return external_certificate_submit(**data)


@pytest.fixture
def officer_b(make_person, unit_b):
    return make_person(unit=unit_b, roles=[Role.UNIT_OFFICER, Role.LEARNER], full_name="Lê Văn Bình")


def test_pdf_and_image_are_accepted_by_content(learner):
    pdf = submit(learner)
    image = submit(learner, content=png_bytes(), name="anh.pdf")  # the name lies: the content decides
    assert (pdf.content_type, image.content_type) == ("application/pdf", "image/png")
    assert image.file.name.endswith(".png")


@pytest.mark.parametrize("content", [b"MZ\x90\x00 not a pdf", b"GIF89a-not-really", png_bytes()[:60], b""])
def test_other_files_are_refused(learner, content):
    with pytest.raises(UploadRefused):
        submit(learner, content=content)
    assert not ExternalCertificate.objects.exists()


def test_files_over_the_limit_are_refused(learner, settings):
    settings.EXTERNAL_CERTIFICATE_MAX_BYTES = 100
    with pytest.raises(UploadRefused, match="too large"):
        submit(learner, content=PDF + b"0" * 200)


def test_the_form_explains_what_is_wrong(client, learner):
    client.force_login(learner.user)
    response = client.post(reverse("certification:external_mine"), {
        "kind": "it_skills", "title": "Chứng chỉ", "number": "", "issuer": "Trung tâm",
        "issued_on": "2024-05-10", "file": SimpleUploadedFile("x.pdf", b"hello", "application/pdf"),
    })
    page = response.content.decode()
    assert "neither a PDF nor a JPEG" in page
    ok = client.post(reverse("certification:external_mine"), {
        "kind": "it_skills", "title": "Chứng chỉ ứng dụng CNTT cơ bản", "number": "", "issuer": "Trung tâm",
        "issued_on": "2024-05-10", "competency_codes": ["IU01"],
        "file": SimpleUploadedFile("x.pdf", PDF, "application/pdf"),
    })
    assert "Give the number printed on the certificate." in ok.content.decode()
    done = client.post(reverse("certification:external_mine"), {
        "kind": "it_skills", "title": "Chứng chỉ ứng dụng CNTT cơ bản", "number": "A-1", "issuer": "Trung tâm",
        "issued_on": "2024-05-10", "competency_codes": ["IU01"],
        "file": SimpleUploadedFile("x.pdf", PDF, "application/pdf"),
    })
    assert done.status_code == 302
    assert "Chứng chỉ ứng dụng CNTT cơ bản" in client.get(reverse("certification:external_mine")).content.decode()


def test_verifying_records_the_competencies_and_raises_the_qualification(learner, officer_a):
    external = submit(learner)

    external_certificate_verify(external=external, verified_by=officer_a.user)

    external.refresh_from_db()
    assert (external.state, external.reviewed_by) == (ExternalState.VERIFIED, officer_a.user)
    records = CompetencyRecord.objects.filter(person=learner, state=RecordState.ACTIVE).order_by("competency__code")
    assert [(r.competency.code, r.source, r.evidence_ref) for r in records] == [
        ("IU01", RecordSource.EXTERNAL_CERTIFICATE, f"external:{external.pk}"),
        ("IU02", RecordSource.EXTERNAL_CERTIFICATE, f"external:{external.pk}"),
    ]
    learner.refresh_from_db()
    assert learner.it_qualification == "certificate"
    with pytest.raises(AlreadyReviewed):
        external_certificate_verify(external=external, verified_by=officer_a.user)


def test_a_verified_degree_raises_but_never_lowers_the_qualification(learner, officer_a):
    degree = submit(learner, kind="it_degree", title="Kỹ sư Công nghệ thông tin", number="", qualification="bachelor",
                    competency_codes=[])
    external_certificate_verify(external=degree, verified_by=officer_a.user)
    learner.refresh_from_db()
    assert learner.it_qualification == "bachelor"
    external_certificate_verify(external=submit(learner), verified_by=officer_a.user)
    learner.refresh_from_db()
    assert learner.it_qualification == "bachelor"


def test_rejecting_needs_a_reason_and_records_nothing(learner, officer_a):
    external = submit(learner)
    with pytest.raises(RejectionReasonRequired):
        external_certificate_reject(external=external, rejected_by=officer_a.user, reason="  ")
    external_certificate_reject(external=external, rejected_by=officer_a.user, reason="Ảnh mờ, không đọc được số")
    external.refresh_from_db()
    assert (external.state, external.review_reason) == (ExternalState.REJECTED, "Ảnh mờ, không đọc được số")
    assert not CompetencyRecord.objects.filter(person=learner).exists()


def test_an_officer_of_another_unit_cannot_review(learner, officer_b):
    external = submit(learner)
    with pytest.raises(ReviewNotAllowed):
        external_certificate_verify(external=external, verified_by=officer_b.user)
    with pytest.raises(ReviewNotAllowed):
        external_certificate_reject(external=external, rejected_by=officer_b.user, reason="Không hợp lệ")
    external.refresh_from_db()
    assert external.state == ExternalState.SUBMITTED


def test_an_officer_cannot_verify_their_own(officer_a):
    with pytest.raises(ReviewNotAllowed):
        external_certificate_verify(external=submit(officer_a), verified_by=officer_a.user)


def test_the_queue_and_review_pages_are_scoped(mfa_client, learner, officer_a, officer_b):
    external = submit(learner)
    client = mfa_client(officer_b.user)
    assert learner.full_name not in client.get(reverse("certification:external_queue")).content.decode()
    assert client.get(reverse("certification:external_review", args=[external.pk])).status_code == 404
    assert client.post(reverse("certification:external_review", args=[external.pk]),
                       {"action": "verify"}).status_code == 404
    assert client.get(reverse("certification:external_file", args=[external.pk])).status_code == 404

    client = mfa_client(officer_a.user)
    assert learner.full_name in client.get(reverse("certification:external_queue")).content.decode()
    assert client.get(reverse("certification:external_file", args=[external.pk])).status_code == 200
    response = client.post(reverse("certification:external_review", args=[external.pk]),
                           {"action": "reject", "reason": "Thiếu dấu"})
    assert response.status_code == 302
    external.refresh_from_db()
    assert external.state == ExternalState.REJECTED


def test_the_holder_sees_the_state_and_the_file_others_do_not(client, learner, officer_a, make_person, unit_a):
    external = submit(learner)
    external_certificate_reject(external=external, rejected_by=officer_a.user, reason="Sai tên")
    client.force_login(learner.user)
    page = client.get(reverse("certification:external_mine")).content.decode()
    assert "Rejected" in page and "Sai tên" in page
    file_response = client.get(reverse("certification:external_file", args=[external.pk]))
    assert b"".join(file_response.streaming_content) == PDF

    client.force_login(make_person(unit=unit_a).user)  # a colleague, not an officer
    assert client.get(reverse("certification:external_file", args=[external.pk])).status_code == 404
    assert client.get(reverse("certification:external_queue")).status_code == 403
