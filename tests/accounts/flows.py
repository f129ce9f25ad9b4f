"""Steps of allauth's real flows (login, TOTP code, password reset), shared by the account tests."""

import re

from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD

NEW_PASSWORD = "Mat-khau-moi-cua-toi-2026"


def post_login(client, login: str, password: str = TEST_PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": login, "password": password}, **extra)


def post_totp(client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def is_logged_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def reset_link(client, email: str) -> str:
    """Ask for a reset and return the path of the link in the mail."""
    client.post(reverse("account_reset_password"), {"email": email})
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body).group(1)


def choose_password(client, link: str, new_password: str = NEW_PASSWORD):
    form_page = client.get(link)
    assert form_page.status_code == 302  # the key moves into the session, out of the address bar
    return client.post(form_page["Location"], {"password1": new_password, "password2": new_password})


def reset_password(client, email: str, new_password: str = NEW_PASSWORD):
    return choose_password(client, reset_link(client, email), new_password)
