"""Test helpers that are not fixtures."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret


def give_totp(user) -> str:
    """Give the user a TOTP authenticator (as if they had enrolled one) and return its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def login_with_totp(client, user) -> None:
    """Log a privileged user in: enrol TOTP if they have none, then use a session login."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        give_totp(user)
    client.force_login(user)
