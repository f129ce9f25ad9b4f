"""Sessions: a new session key at login (no fixation); logging out takes a POST."""

from django.conf import settings
from django.urls import reverse

from tests.accounts.flows import is_logged_in, post_login


def test_login_rotates_the_session_key(client, make_account):
    user = make_account(email="phien@nghean.gov.vn")
    client.get(reverse("account_login"))
    client.session.save()  # an anonymous session an attacker could have planted
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    post_login(client, user.email)

    assert is_logged_in(client, user)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_logout_by_get_only_asks_for_confirmation(client, make_account):
    user = make_account(email="phien@nghean.gov.vn")
    post_login(client, user.email)

    page = client.get(reverse("account_logout"))

    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert is_logged_in(client, user)


def test_logout_by_post_ends_the_session(client, make_account):
    user = make_account(email="phien@nghean.gov.vn")
    post_login(client, user.email)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert not is_logged_in(client, user)
