"""Writes about accounts: consent records, role membership, verified e-mail addresses."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .models import ConsentRecord
from .roles import Role

# Bump when the notice text (templates/privacy_notice.html) changes in substance.
PRIVACY_NOTICE_VERSION = "2026-01"


def consent_record(*, user, notice_version: str = PRIVACY_NOTICE_VERSION) -> ConsentRecord:
    """Record that the user ticked the consent box for this notice version. A consent standing already is kept
    as it is (its date included); after a withdrawal, consent given again is a new record beside the old one."""
    record, _created = ConsentRecord.objects.get_or_create(
        user=user, notice_version=notice_version, withdrawn_at=None, defaults={"given_at": timezone.now()}
    )
    return record



@transaction.atomic
def user_set_roles(*, user, roles: set[Role]) -> None:
    """Replace the user's role groups with exactly `roles`; other groups are left alone."""
    role_groups = Group.objects.filter(name__in=Role.values)
    user.groups.remove(*role_groups.exclude(name__in=[r.value for r in roles]))
    user.groups.add(*role_groups.filter(name__in=[r.value for r in roles]))
    user.is_staff = bool(roles & {Role.TRAINER, Role.CURRICULUM_MANAGER, Role.SITE_ADMIN})
    user.is_superuser = Role.SITE_ADMIN in roles
    user.save(update_fields=["is_staff", "is_superuser"])
    user.__dict__.pop("_lms_roles", None)


@transaction.atomic
def email_verify_after_password_reset(*, user) -> None:
    """A password-reset link reached the person, so the address it went to is theirs: mark it verified.

    Staff created by a roster import get their first password this way; without this they would
    have to confirm the same address a second time before their first login. Only an account with
    that single address qualifies: with several, we cannot tell which one received the link.
    """
    if not user.email or EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).exists():
        return
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        address = EmailAddress(user=user, email=user.email.lower())
    address.verified = True
    address.primary = True
    address.full_clean()
    address.save()
