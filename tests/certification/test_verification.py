"""Public verification, no login: by the QR's token or by serial plus check code; valid, revoked and
unknown; nothing personal beyond the name; rate-limited per address."""

import pytest
from django.urls import reverse

from certification.choices import CertificateState
from certification.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course, issue):
    return issue(learner, course)


def by_token(client, token):
    return client.get(reverse("certification:verify_token", args=[token]))


def by_serial(client, serial, check_code):
    return client.post(reverse("certification:verify"), {"serial": serial, "check_code": check_code})


def test_a_valid_certificate_by_token(client, certificate):
    response = by_token(client, certificate.token)

    assert response.status_code == 200
    page = response.content.decode()
    assert "This certificate is valid." in page
    assert "Nguyễn Thị Hồng Nhung" in page
    assert "An toàn, bảo mật thông tin cho cán bộ, công chức" in page


def test_a_valid_certificate_by_serial_and_check_code(client, certificate):
    response = by_serial(client, certificate.serial.lower(), f" {certificate.check_code.lower()} ")

    assert response.status_code == 200
    assert "This certificate is valid." in response.content.decode()


def test_a_wrong_check_code_finds_nothing(client, certificate):
    wrong = "AAAAAA" if certificate.check_code != "AAAAAA" else "BBBBBB"
    response = by_serial(client, certificate.serial, wrong)

    assert response.status_code == 404
    page = response.content.decode()
    assert "Certificate not found" in page
    assert "Nguyễn Thị Hồng Nhung" not in page


def test_unknown_token_and_serial_are_not_found(client, certificate):
    assert by_token(client, "khong-ton-tai-" + "x" * 20).status_code == 404
    assert by_serial(client, "NA-1999-000001", certificate.check_code).status_code == 404


def test_a_revoked_certificate_says_so(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        state=CertificateState.REVOKED, revoked_at=certificate.issued_at, revoked_reason="Gian lận khi thi"
    )

    responses = (by_token(client, certificate.token), by_serial(client, certificate.serial, certificate.check_code))
    for response in responses:
        assert response.status_code == 200
        page = response.content.decode()
        assert "This certificate has been revoked." in page
        assert "This certificate is valid." not in page
        assert "Gian lận" not in page  # the reason stays internal


def test_the_public_page_shows_nothing_personal_beyond_the_name(client, certificate, learner):
    page = by_token(client, certificate.token).content.decode()

    assert learner.full_name in page
    assert learner.employee_code not in page
    assert learner.unit.name not in page
    assert learner.user.email not in page
    assert learner.user.username not in page


def test_verification_is_rate_limited_per_address(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = 3

    statuses = [by_token(client, certificate.token).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = by_serial(client, certificate.serial, certificate.check_code)
    assert limited.status_code == 429
    assert "Too many attempts" in limited.content.decode()
    assert by_token(client, certificate.token).status_code == 429

    # Another address still gets through.
    other = client.get(reverse("certification:verify_token", args=[certificate.token]), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_the_form_page_needs_no_login(client):
    response = client.get(reverse("certification:verify"))
    assert response.status_code == 200
    assert 'name="check_code"' in response.content.decode()
