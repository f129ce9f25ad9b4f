"""allauth adapters: generated usernames for self-registration, and TOTP secrets encrypted at rest."""

import base64
import hashlib
import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        # Self-registered people (farmers, residents) log in by e-mail; their handle must never
        # look like, or collide with, an employee code that a roster import may bring later.
        if not user.username:
            user.username = f"_r{secrets.token_hex(6)}"  # employee codes start alphanumeric


def _fernet() -> Fernet:
    """MFA_ENCRYPTION_KEY (a Fernet key) when set, else a key derived from SECRET_KEY."""
    if settings.MFA_ENCRYPTION_KEY:
        return Fernet(settings.MFA_ENCRYPTION_KEY.encode())
    derived = hashlib.sha256(b"lms-mfa:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()
