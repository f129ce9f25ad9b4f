"""Summary tables (rollups) the statistics pages read instead of the raw learning records.

`DailyFigures` holds, per day and per combination of the dimensions the filters offer (the person's
unit, audience, staff category, leader flag, gender, age band; the course and its track; the form of
training), how many events of each kind happened. Every column is a count of events, so any period is
the sum of its days. Rows are written only by `reports.rollups` (full rebuild, or a refresh of the
(day, course) buckets touched since the last run); nothing else writes them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from courses.tracks import Track
from organisations.models import Audience, Gender, OrganisationUnit, StaffCategory

from .choices import AgeBand, TrainingForm


class DailyFigures(models.Model):
    day = models.DateField(_("day"))
    # The person's home unit (workplace, or commune for self-registered people) as it is *now*: a moved
    # person's whole history counts where they are, and a closed unit keeps its rows (see selectors).
    unit = models.ForeignKey(OrganisationUnit, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    track = models.CharField(max_length=20, choices=Track.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    staff_category = models.CharField(max_length=20, choices=StaffCategory.choices)
    is_leader = models.BooleanField()
    gender = models.CharField(max_length=20, choices=Gender.choices)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices)
    form = models.CharField(max_length=10, choices=TrainingForm.choices)

    assigned = models.PositiveIntegerField(default=0)
    enrolled = models.PositiveIntegerField(default=0)
    # Of the enrolments made that day, how many are completed now (the completion rate's numerator).
    enrolled_completed = models.PositiveIntegerField(default=0)
    started = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=14, decimal_places=1, default=0)
    certificates = models.PositiveIntegerField(default=0)
    participant_times = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")
        indexes = [
            models.Index(fields=["day", "course"]),
            models.Index(fields=["unit", "day"]),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.unit_id} {self.course_id}"


class RollupState(models.Model):
    """One row: when the rollups were last rebuilt and up to when they have been refreshed."""

    rebuilt_at = models.DateTimeField(null=True, blank=True)
    refreshed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rollup state")

    def __str__(self) -> str:
        return f"{self.rebuilt_at} / {self.refreshed_until}"
