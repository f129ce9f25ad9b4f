"""Privileged roles may use the site only in a session that passed a TOTP second factor (allauth MFA).

allauth asks for the code at login whenever the account has an authenticator; this middleware makes
having one compulsory for privileged roles, and refuses sessions that were opened some other way.
"""

from datetime import UTC, datetime
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

from .roles import requires_mfa

# Paths a privileged user without a second factor may still reach: allauth's own pages (log in,
# set up TOTP, enter a code, log out), static files, the language switch and the privacy notice.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/privacy/")


class RequireMFAForPrivilegedRolesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(_ALLOWED_PREFIXES) and requires_mfa(user):
            totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
            if totp is None:
                return redirect("mfa_activate_totp")
            if not _session_passed_totp(request, user, totp):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return self.get_response(request)


def _session_passed_totp(request, user, totp: Authenticator) -> bool:
    """The session entered a code (at login or since), or enrolled this authenticator itself.

    Enrolling needs a valid code from the app, so it proves possession as well as a login code does.
    """
    records = get_authentication_records(request, user)
    if any(record.get("method") == "mfa" for record in records):
        return True
    if not records:
        return False
    session_began = datetime.fromtimestamp(min(record["at"] for record in records), tz=UTC)
    return totp.created_at >= session_began
