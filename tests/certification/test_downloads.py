"""Learner pages: my certificates (own only) and the PDF download, which the holder and officers whose
scope covers the holder may open; everyone else gets 404, as if it did not exist."""

import pytest
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course, issue):
    return issue(learner, course)


def download(client, certificate):
    return client.get(reverse("certification:certificate_pdf", args=[certificate.pk]))


def test_the_holder_downloads_their_certificate(client, learner, certificate):
    client.force_login(learner.user)

    response = download(client, certificate)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{certificate.serial}.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_learner_gets_404(client, make_person, unit_a, certificate):
    other = make_person(unit=unit_a, roles=[Role.LEARNER])
    client.force_login(other.user)

    assert download(client, certificate).status_code == 404


def test_an_officer_of_another_unit_gets_404(mfa_client, make_person, unit_b, certificate):
    officer_b = make_person(unit=unit_b, roles=[Role.UNIT_OFFICER])
    client = mfa_client(officer_b.user)

    assert download(client, certificate).status_code == 404


def test_the_officer_of_the_holders_unit_may_download(mfa_client, officer_a, certificate):
    client = mfa_client(officer_a.user)

    assert download(client, certificate).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, certificate):
    response = download(client, certificate)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_pdf_is_not_a_public_media_file(certificate, settings):
    # Stored under MEDIA_ROOT/certificates/, which the web server never serves (deploy/nginx), and the
    # file name carries the serial only: nothing guessable leads to it without the download view.
    assert certificate.pdf.name.startswith("certificates/")


def test_my_certificates_lists_only_my_own(client, learner, make_person, unit_a, course, issue, certificate):
    other = make_person(unit=unit_a, full_name="Võ Thị Khác")
    others = issue(other, course)
    client.force_login(learner.user)

    page = client.get(reverse("certification:my_certificates")).content.decode()

    assert certificate.serial in page and certificate.check_code in page
    assert others.serial not in page
    assert reverse("certification:certificate_pdf", args=[certificate.pk]) in page


def test_my_certificates_empty_state(client, make_person, unit_a):
    person = make_person(unit=unit_a)
    client.force_login(person.user)

    page = client.get(reverse("certification:my_certificates")).content.decode()
    assert "You have no certificate yet" in page
