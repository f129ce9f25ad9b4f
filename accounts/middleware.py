"""Privileged roles may not use the site until they have a TOTP authenticator (allauth MFA)."""

from django.shortcuts import redirect
from django.urls import reverse

from allauth.mfa.models import Authenticator

from .roles import requires_mfa

# Paths a privileged user without TOTP may still reach: setting it up, leaving, static files.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/privacy/")


class RequireMFAForPrivilegedRolesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and requires_mfa(user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.get_full_path()}")
        return self.get_response(request)
