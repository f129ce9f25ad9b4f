"""Invitations: new people from a roster import get an e-mail with a link to choose their password.

The link is allauth's password-reset-from-key link, so choosing a password is allauth's own page,
with its password rules and rate limits. It stops working once used (the token covers the password).
"""

from typing import Iterable

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Person


def site_url(path: str) -> str:
    # Tasks have no request to build absolute links from: the site's public address is configured.
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def set_password_url(user) -> str:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return site_url(path)


def _send_invitation(person: Person) -> None:
    user = person.user
    context = {
        "person": person,
        "username": user.username,
        "site_name": settings.LMS_SITE_NAME,
        "set_password_url": set_password_url(user),
        "login_url": site_url(reverse("account_login")),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
    }
    # No request here: the e-mail goes out in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("emails/invitation_subject.txt", context).split())
        body = render_to_string("emails/invitation.txt", context)
    send_mail(subject, body, None, [user.email])


def person_invitations_send(*, person_ids: Iterable[int]) -> int:
    """E-mail an invitation to each person not yet invited; returns how many were sent. Safe to repeat."""
    sent = 0
    for person_id in person_ids:
        with transaction.atomic():
            person = (
                Person.objects.select_for_update(of=("self",))
                .select_related("user", "unit")
                .filter(pk=person_id, invited_at__isnull=True)
                .first()
            )
            # Skip people already invited, without an address, or who have chosen a password meanwhile.
            if person is None or not person.user.email or person.user.has_usable_password():
                continue
            _send_invitation(person)
            person.invited_at = timezone.now()
            person.save(update_fields=["invited_at"])
            sent += 1
    return sent
