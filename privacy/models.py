"""The access log of personal data (Law 91/2025/QH15): who read which people's records, when, through
which list, page or export. Append-only: rows are never changed or deleted by the application."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    LIST = "list", _("Viewed a list")
    VIEW = "view", _("Opened a record")
    EXPORT = "export", _("Exported")


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The access log is append-only.")

    def delete(self):
        raise TypeError("The access log is append-only.")


class AccessLog(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.PROTECT,
                             related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    what = models.CharField(_("page or export"), max_length=100)
    filters = models.CharField(_("filter"), max_length=500, blank=True)
    record_ids = models.JSONField(_("people's ids"), default=list, blank=True)
    count = models.PositiveIntegerField(_("number of people"), default=0)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        indexes = [models.Index(fields=["user", "at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The access log is append-only.")

    def __str__(self):
        return f"{self.user_id} {self.action} {self.what} {self.at:%Y-%m-%d %H:%M}"
