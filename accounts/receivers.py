"""Reactions to allauth's signals (connected in AccountsConfig.ready)."""

from allauth.account.signals import password_reset
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

from .models import User
from .roles import roles_forget
from .services import email_verify_after_password_reset


@receiver(password_reset, dispatch_uid="accounts.email_verify_after_password_reset")
def verify_email_after_password_reset(sender, request, user, **kwargs):
    email_verify_after_password_reset(user=user)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts.roles_forget_membership")
def forget_roles_on_membership_change(sender, instance, action, reverse, pk_set, **kwargs):
    """A user's groups changed (user.groups.add/remove/set/clear, or group.user_set...): the cached
    roles of the users concerned are forgotten."""
    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if not reverse:
        roles_forget([instance.pk])
    elif action == "pre_clear":
        roles_forget(instance.user_set.values_list("pk", flat=True))
    else:
        roles_forget(pk_set or ())


@receiver(pre_delete, sender=User, dispatch_uid="accounts.roles_forget_user_deleted")
def forget_roles_of_user(sender, instance, **kwargs):
    roles_forget([instance.pk])


@receiver(post_save, sender=Group, dispatch_uid="accounts.roles_forget_group_saved")
@receiver(pre_delete, sender=Group, dispatch_uid="accounts.roles_forget_group_deleted")
def forget_roles_of_group(sender, instance, **kwargs):
    if instance.pk is not None:
        roles_forget(instance.user_set.values_list("pk", flat=True))
