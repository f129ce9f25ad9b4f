"""allauth adapters: generated usernames, one lock-out counter per account, TOTP secrets encrypted at rest."""

import base64
import hashlib
import secrets
import time
from datetime import UTC, datetime

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.mfa.models import Authenticator
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        # Self-registered people (farmers, residents) log in by e-mail; their handle must never
        # look like, or collide with, an employee code that a roster import may bring later.
        if not user.username:
            user.username = f"_r{secrets.token_hex(6)}"  # employee codes start alphanumeric

    def clean_email(self, email: str) -> str:
        # allauth's e-mail field has no length limit, and the account's address is cut to its column's 254
        # characters when saved: the confirmation would go to another address (or, on PostgreSQL, a 500).
        limit = get_user_model()._meta.get_field("email").max_length
        if len(email) > limit:
            raise ValidationError(_("An e-mail address has at most %(limit)d characters.") % {"limit": limit},
                                  code="max_length")
        return super().clean_email(email)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Privileged roles are sent to enrol TOTP straight after logging in, then shown their
        # recovery codes: asking for the password they typed seconds ago is friction without
        # protection. Any later change to a second factor set up before this login still asks.
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and _first_enrolment_right_after_login(context.request):
            return False
        return required

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth counts failed logins per typed login, so an attacker would get the limit twice:
        # once by e-mail and once by employee code. Count per account instead. Unknown logins keep
        # allauth's per-string key, so they lock out exactly like real ones (no enumeration).
        # allauth 65 calls this on each password attempt and when a password reset clears the count.
        login = credentials.get("email") or credentials.get("username") or ""
        account_id = _account_id_for_login(login)
        if account_id is None:
            return super()._get_login_attempts_cache_key(request, **credentials)
        return f"account:{account_id}"


def user_display(user) -> str:
    """How allauth names someone in messages and mails (ACCOUNT_USER_DISPLAY): never a generated handle."""
    person = getattr(user, "person", None)  # organisations.Person, when the account has a profile
    return person.full_name if person else (user.email or user.username)


def _first_enrolment_right_after_login(request) -> bool:
    """The session logged in by password moments ago and every authenticator was set up since."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    logins = [r["at"] for r in get_authentication_records(request, user) if r.get("method") == "password"]
    if not logins or time.time() - logins[-1] >= account_settings.REAUTHENTICATION_TIMEOUT:
        return False
    logged_in_at = datetime.fromtimestamp(logins[-1], tz=UTC)
    return not Authenticator.objects.filter(user=user, created_at__lt=logged_in_at).exists()


def _account_id_for_login(login: str) -> int | None:
    if not login:
        return None
    if "@" in login:
        match = Q(email__iexact=login) | Q(emailaddress__email__iexact=login)
    else:
        match = Q(username__iexact=login)
    return get_user_model().objects.filter(match).values_list("pk", flat=True).first()


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
