"""Steps of allauth's real login flow, shared by the account tests."""

from django.urls import reverse

from tests.factories import TEST_PASSWORD


def post_login(client, login: str, password: str = TEST_PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": login, "password": password}, **extra)


def post_totp(client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def is_logged_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)
