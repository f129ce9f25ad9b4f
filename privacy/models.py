"""Personal data (Law 91/2025/QH15, Decree 356/2025/ND-CP).

The access log: who read which people's records, when, through which list, page or export. Append-only:
rows are never changed or deleted by the application. Data requests: a person asks for a correction or
the deletion of their data; an officer of their unit answers by the deadline."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
                             related_name="+", db_index=False)
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


class DataRequestKind(models.TextChoices):
    CORRECTION = "correction", _("Correct my data")
    DELETION = "deletion", _("Delete my data")


class DataRequestStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("data request", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("data request", "In progress")
    DONE = "done", pgettext_lazy("data request", "Done")
    REFUSED = "refused", pgettext_lazy("data request", "Refused")


OPEN_STATUSES = (DataRequestStatus.OPEN, DataRequestStatus.IN_PROGRESS)


class DataRequest(models.Model):
    """A data subject's request (Law 91/2025/QH15) to correct or delete their data, answered by `due_at`.

    It is filed by the account; the person's unit decides which training officer handles it. Every
    change of status is also a `DataRequestEvent` (who, when)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.PROTECT,
                             related_name="data_requests")
    kind = models.CharField(_("kind"), max_length=20, choices=DataRequestKind.choices)
    field_names = models.CharField(_("which details"), max_length=200, blank=True)
    details = models.TextField(_("what is wrong, or why"), max_length=2000)
    correct_value = models.TextField(_("the correct value"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=DataRequestStatus.choices,
                              default=DataRequestStatus.OPEN)
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)
    due_at = models.DateTimeField(_("answer due by"), db_index=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("taken up by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("taken up at"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    response = models.TextField(_("response"), max_length=2000, blank=True)
    # Where the outcome e-mail goes, kept only until it is sent (a deletion erases the account's address).
    notify_email = models.EmailField(blank=True)
    notified_at = models.DateTimeField(_("requester told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=["done", "refused"])
                | (models.Q(handled_by__isnull=False) & models.Q(handled_at__isnull=False)),
                name="privacy_datarequest_handled_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()


class DataRequestEvent(models.Model):
    """One change of a data request's status: who, when, to what."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=DataRequestStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("data request event")
        verbose_name_plural = _("data request events")
        ordering = ["at", "id"]


class DataRequestReminder(models.Model):
    """The reminder an officer got on a day about requests due within 24 hours or overdue: once a day."""

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["officer", "sent_on"], name="privacy_reminder_once_a_day")]
