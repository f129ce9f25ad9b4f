"""Reactions to allauth's signals (connected in AccountsConfig.ready)."""

from allauth.account.signals import password_reset
from django.dispatch import receiver

from .services import email_verify_after_password_reset


@receiver(password_reset, dispatch_uid="accounts.email_verify_after_password_reset")
def verify_email_after_password_reset(sender, request, user, **kwargs):
    email_verify_after_password_reset(user=user)
