"""Operational records: Celery task failures, kept so administrators see them in the admin."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TaskFailure(models.Model):
    task_name = models.CharField(_("task"), max_length=200, db_index=True)
    task_id = models.CharField(_("task id"), max_length=64)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    exception_type = models.CharField(_("error type"), max_length=200)
    # Exception messages can echo data; they are cut short and shown to site administrators only.
    message = models.TextField(_("message"), blank=True)
    traceback = models.TextField(_("traceback"), blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("task failure")
        verbose_name_plural = _("task failures")
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_name} ({self.exception_type})"


class PendingTask(models.Model):
    """A task send the broker refused after its transaction committed (lms.celery_safe): the beat task
    ops.tasks.outbox_resend sends it when the broker is back and deletes the row once sent."""

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, encoder=DjangoJSONEncoder)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, encoder=DjangoJSONEncoder)
    options = models.JSONField(_("options"), default=dict, encoder=DjangoJSONEncoder)
    attempts = models.PositiveIntegerField(pgettext_lazy("task sends", "attempts"), default=1)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pending task")
        verbose_name_plural = _("pending tasks")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.task_name
