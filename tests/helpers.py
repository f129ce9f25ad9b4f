"""Test helpers that are not fixtures."""

import time

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import RequestFactory


def give_totp(user) -> str:
    """Give the user a TOTP authenticator (as if they had enrolled one) and return its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, *, seconds_needed: int = 3) -> str:
    """The code an authenticator app shows now, still valid for at least `seconds_needed` seconds."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < seconds_needed:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def login_with_totp(client, user) -> None:
    """Log a privileged user in as if they had passed the TOTP stage (enrolling TOTP if they have none).

    The session gets the same "mfa" authentication record that allauth writes after a correct code,
    which accounts.middleware requires of privileged roles.
    """
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        give_totp(user)
        totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "mfa", id=totp.pk, type=totp.type)
    request.session.save()
