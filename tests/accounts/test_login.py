"""Logging in by e-mail or employee code, case-insensitively; unverified addresses cannot log in."""

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.accounts.flows import is_logged_in, post_login
from tests.factories import UserFactory


def test_login_by_email_ignores_case(client, make_account):
    user = make_account(email="tran.thi.lan@nghean.gov.vn")

    response = post_login(client, "  Tran.Thi.LAN@NgheAn.gov.vn ")

    assert response.status_code == 302 and response["Location"] == "/"
    assert is_logged_in(client, user)


def test_login_by_employee_code_ignores_case(client, make_account):
    user = make_account(username="NA-SNV-0042")

    response = post_login(client, "na-snv-0042")

    assert response.status_code == 302
    assert is_logged_in(client, user)


def test_wrong_password_is_refused(client, make_account):
    user = make_account(username="NA-SNV-0042")

    response = post_login(client, "NA-SNV-0042", "not-the-password")

    assert response.status_code == 200
    assert not is_logged_in(client, user)
    assert "The username and/or password you specified are not correct." in response.content.decode()


def test_unverified_address_cannot_log_in_and_gets_a_verification_mail(client, db):
    user = UserFactory(email="chua.xac.minh@example.vn")  # no verified EmailAddress

    response = post_login(client, user.email)

    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert not is_logged_in(client, user)
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_login_page_speaks_of_email_or_employee_code(client, db):
    response = client.get(reverse("account_login"))

    assert 'for="id_login">E-mail or employee code' in response.content.decode()


def test_people_are_greeted_by_name_not_by_handle(client, make_person, unit_a):
    person = make_person(unit=unit_a, full_name="Trần Thị Lan")
    EmailAddress.objects.create(user=person.user, email=person.user.email, verified=True, primary=True)

    response = post_login(client, person.user.email)

    assert "Successfully signed in as Trần Thị Lan." in client.get(response["Location"]).content.decode()
