"""Password reset by e-mail; the link also proves the address, so invited staff need no second mail."""

from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.accounts.flows import NEW_PASSWORD, choose_password, is_logged_in, post_login, reset_link, reset_password
from tests.factories import TEST_PASSWORD, UserFactory


def test_reset_by_email_replaces_the_password(client, make_account):
    user = make_account(email="quen.mat.khau@nghean.gov.vn")

    done = reset_password(client, "Quen.Mat.Khau@nghean.gov.vn")

    assert done.status_code == 302 and done["Location"] == reverse("account_reset_password_from_key_done")
    assert not is_logged_in(client, user)  # a reset never logs in by itself
    assert "not correct" in post_login(client, user.email, TEST_PASSWORD).content.decode()
    assert post_login(client, user.email, NEW_PASSWORD)["Location"] == "/"
    assert is_logged_in(client, user)


def test_a_used_reset_link_does_not_work_again(client, make_account):
    user = make_account(email="quen.mat.khau@nghean.gov.vn")
    link = reset_link(client, user.email)
    choose_password(client, link)

    response = client.get(link)

    assert response.status_code == 200 and response.context["token_fail"]


def test_staff_invited_by_reset_link_can_log_in_with_their_employee_code(client, db):
    # As after a roster import: an account with an address nobody has confirmed yet.
    staff = UserFactory(username="NA-SNV-0100", email="moi.vao@nghean.gov.vn")

    reset_password(client, staff.email)

    assert EmailAddress.objects.get(user=staff).verified
    assert post_login(client, "na-snv-0100", NEW_PASSWORD)["Location"] == "/"
    assert is_logged_in(client, staff)


def test_a_reset_does_not_verify_an_address_it_may_not_have_reached(client, db):
    staff = UserFactory(username="NA-SNV-0101", email="cu@nghean.gov.vn")
    EmailAddress.objects.create(user=staff, email="moi@nghean.gov.vn", verified=False, primary=False)

    reset_password(client, "moi@nghean.gov.vn")

    assert not EmailAddress.objects.filter(user=staff, verified=True).exists()
