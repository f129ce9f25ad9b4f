"""Choices of the learning records: how people get into a course, and the states of an enrolment."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccessMode(models.TextChoices):
    OPEN = "open", _("Open to everyone")
    SELF_ENROLMENT = "self_enrolment", _("Self-enrolment for its audiences")
    ASSIGNMENT_ONLY = "assignment_only", _("By assignment only")


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    ASSIGNMENT = "assignment", _("Assigned")


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("enrolment state", "In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", pgettext_lazy("enrolment state", "Withdrawn")


class ActivityKind(models.TextChoices):
    QUIZ = "quiz", _("Quiz")
    H5P = "h5p", _("H5P activity")


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due within a week")
    OVERDUE = "overdue", _("Overdue")
