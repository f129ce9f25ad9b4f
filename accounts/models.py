"""Identity: the user account and the consent records the personal-data law requires."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. `username` is the employee code for state staff, a generated handle otherwise.

    Everything about the person (name, unit, audience) lives in organisations.Person.
    """

    email = models.EmailField(_("email address"), blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="accounts_user_email_ci_unique"
            ),
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    def save(self, *args, **kwargs):
        # allauth looks accounts up by the lower-cased address (login, password reset): store it so.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class ConsentRecord(models.Model):
    """One explicit consent given to a version of the data-protection notice (Decree 356/2025).

    A withdrawn consent stays on record (proof both ways); consent given again is a new record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    notice_version = models.CharField(_("notice version"), max_length=20)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "notice_version"], condition=Q(withdrawn_at__isnull=True),
                                    name="accounts_consent_one_standing_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.notice_version}"
