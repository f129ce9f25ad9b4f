"""Revocation: by a site administrator or an officer managing the holder, with a reason and a confirmation
step, audited; the competencies that came from the certificate are revoked by new records."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from certification.choices import CertificateEventKind, CertificateState, RecordState
from certification.errors import AlreadyRevoked, ReasonRequired, RevocationNotAllowed
from certification.models import CompetencyRecord
from certification.selectors import competencies_of
from certification.services import certificate_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course, issue):
    return issue(learner, course)


def test_the_holders_officer_revokes_and_the_competencies_follow(officer_a, certificate, learner):
    before = CompetencyRecord.objects.filter(person=learner).count()

    certificate_revoke(certificate=certificate, reason="Gian lận khi làm bài", revoked_by=officer_a.user)

    certificate.refresh_from_db()
    assert certificate.state == CertificateState.REVOKED
    assert (certificate.revoked_reason, certificate.revoked_by) == ("Gian lận khi làm bài", officer_a.user)
    assert certificate.revoked_at is not None
    event = certificate.events.get(kind=CertificateEventKind.REVOKED)
    assert (event.actor, event.note) == (officer_a.user, "Gian lận khi làm bài")
    # Append-only: two new revoked records, the two old ones superseded, none deleted.
    records = CompetencyRecord.objects.filter(person=learner)
    assert records.count() == before + 2
    assert sorted(records.values_list("state", flat=True)) == [RecordState.REVOKED] * 2 + [RecordState.SUPERSEDED] * 2
    assert {held.state for held in competencies_of(learner)} == {RecordState.REVOKED}


def test_a_site_admin_may_revoke(make_person, province, certificate):
    admin = make_person(unit=province, roles=[Role.SITE_ADMIN]).user
    certificate_revoke(certificate=certificate, reason="Cấp nhầm", revoked_by=admin)
    certificate.refresh_from_db()
    assert certificate.state == CertificateState.REVOKED


@pytest.mark.parametrize("role", [Role.UNIT_OFFICER, Role.HOME_AFFAIRS, Role.LEARNER, Role.CURRICULUM_MANAGER])
def test_others_may_not_revoke(role, make_person, unit_b, certificate):
    someone = make_person(unit=unit_b, roles=[role]).user
    with pytest.raises(RevocationNotAllowed):
        certificate_revoke(certificate=certificate, reason="Không có quyền", revoked_by=someone)
    certificate.refresh_from_db()
    assert certificate.state == CertificateState.VALID


def test_a_reason_is_required_and_revoking_twice_is_refused(officer_a, certificate):
    with pytest.raises(ReasonRequired):
        certificate_revoke(certificate=certificate, reason="   ", revoked_by=officer_a.user)
    certificate_revoke(certificate=certificate, reason="Sai thông tin", revoked_by=officer_a.user)
    with pytest.raises(AlreadyRevoked):
        certificate_revoke(certificate=certificate, reason="Lần nữa", revoked_by=officer_a.user)


def test_the_revocation_page_asks_for_confirmation(mfa_client, officer_a, certificate):
    client = mfa_client(officer_a.user)
    url = reverse("certification:revoke", args=[certificate.pk])

    assert client.get(url).status_code == 200
    confirm = client.post(url, {"reason": "Học viên thi hộ"})
    assert confirm.status_code == 200
    assert "Confirm the revocation" in confirm.content.decode()
    certificate.refresh_from_db()
    assert certificate.state == CertificateState.VALID

    done = client.post(url, {"reason": "Học viên thi hộ", "confirm": "1"})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert (certificate.state, certificate.revoked_reason) == (CertificateState.REVOKED, "Học viên thi hộ")


def test_an_empty_reason_is_shown_as_an_error(mfa_client, officer_a, certificate):
    client = mfa_client(officer_a.user)
    response = client.post(reverse("certification:revoke", args=[certificate.pk]), {"reason": " ", "confirm": "1"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.state == CertificateState.VALID


def test_an_officer_of_another_unit_gets_404(mfa_client, make_person, unit_b, certificate):
    officer_b = make_person(unit=unit_b, roles=[Role.UNIT_OFFICER])
    client = mfa_client(officer_b.user)
    url = reverse("certification:revoke", args=[certificate.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Không", "confirm": "1"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.state == CertificateState.VALID


def test_a_learner_cannot_open_the_officer_pages(client, learner, certificate):
    client.force_login(learner.user)
    assert client.get(reverse("certification:manage")).status_code == 403
    assert client.get(reverse("certification:revoke", args=[certificate.pk])).status_code == 403


def test_the_officer_list_is_scoped_and_searchable(mfa_client, officer_a, make_person, unit_b, course, issue,
                                                   certificate):
    elsewhere = issue(make_person(unit=unit_b, full_name="Đặng Văn Ngoài"), course)
    client = mfa_client(officer_a.user)

    page = client.get(reverse("certification:manage")).content.decode()
    assert certificate.serial in page and elsewhere.serial not in page

    found = client.get(reverse("certification:manage"), {"q": "hồng nhung"}).content.decode()
    assert certificate.serial in found
    none = client.get(reverse("certification:manage"), {"q": "Đặng Văn Ngoài"}).content.decode()
    assert "No certificate matches your search." in none
