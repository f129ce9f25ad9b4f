"""Personal tokens of the statistics API: create (the raw token is shown once, only its SHA-256 is
stored), list and revoke one's own. A token reads what its owner reads on the web, re-checked on every
request; the API refuses tokens of deactivated users (reports.api.TokenAuth)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken
from .selectors import statistics_scope

TOKEN_PREFIX = "lms_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for a user who reads statistics; the raw token is returned once and never stored."""
    if statistics_scope(user) is None:
        raise PermissionError(_("Only roles that read statistics may have an API token."))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=(name or "").strip(), key_hash=token_hash(raw), prefix=raw[:8])
    token.full_clean()
    token.save()
    return token, raw


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (revoked ones included, marked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_of(user, token_id) -> ApiToken:
    """One of the user's own tokens; anyone else's answers 404."""
    token = api_tokens_of(user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token


@transaction.atomic
def api_token_revoke(*, user, token_id) -> ApiToken:
    """Revoke one of the user's tokens (404 for anyone else's); revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise Http404
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
