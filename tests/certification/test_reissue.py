"""Reissue on a name correction: same serial and codes, new PDF and credential with the corrected name,
the change kept in the certificate's history; the old credential verifies as superseded."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certification.choices import CertificateEventKind
from certification.credentials import credential_for, credential_verify
from certification.errors import NothingToReissue, ReissueNotAllowed
from certification.services.reissue import certificate_reissue

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course, issue):
    return issue(learner, course)


def test_reissue_keeps_the_serial_and_the_history(certificate, officer_a):
    serial, token, check_code = certificate.serial, certificate.token, certificate.check_code
    old_credential = credential_for(certificate)

    reissued = certificate_reissue(certificate=certificate, holder_name="Nguyễn Thị Hồng  Nhung Anh",
                                   reissued_by=officer_a.user, note="Quyết định số 12/QĐ-SNV")

    assert (reissued.serial, reissued.token, reissued.check_code) == (serial, token, check_code)
    assert reissued.holder_name == "Nguyễn Thị Hồng Nhung Anh"
    with reissued.pdf.open("rb") as handle:
        assert "Nguyễn Thị Hồng Nhung Anh" in PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
    event = reissued.events.get(kind=CertificateEventKind.REISSUED)
    assert event.actor == officer_a.user
    assert event.note == "Nguyễn Thị Hồng Nhung → Nguyễn Thị Hồng Nhung Anh (Quyết định số 12/QĐ-SNV)"
    assert [e.kind for e in reissued.events.order_by("id")][-2:] == ["reissued", "rendered"]

    new_credential = credential_for(reissued)
    assert new_credential["credentialSubject"]["identifier"][0]["identityHash"] == "Nguyễn Thị Hồng Nhung Anh"
    assert credential_verify(new_credential).status == "valid"
    assert credential_verify(old_credential).status == "superseded"


def test_reissue_is_for_the_holders_officer_and_needs_a_new_name(certificate, officer_a, make_person, unit_b):
    with pytest.raises(NothingToReissue):
        certificate_reissue(certificate=certificate, holder_name=certificate.holder_name, reissued_by=officer_a.user)
    other = make_person(unit=unit_b, roles=["unit_officer"]).user
    with pytest.raises(ReissueNotAllowed):
        certificate_reissue(certificate=certificate, holder_name="Tên khác", reissued_by=other)


def test_the_reissue_page_asks_for_confirmation(mfa_client, certificate, officer_a):
    client = mfa_client(officer_a.user)
    url = reverse("certification:reissue", args=[certificate.pk])
    assert client.get(url).status_code == 200
    confirm = client.post(url, {"holder_name": "Nguyễn Thị Hồng Nhung B"})
    assert "Confirm the reissue" in confirm.content.decode()
    certificate.refresh_from_db()
    assert certificate.holder_name == "Nguyễn Thị Hồng Nhung"
    done = client.post(url, {"holder_name": "Nguyễn Thị Hồng Nhung B", "confirm": "1"})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.holder_name == "Nguyễn Thị Hồng Nhung B"
