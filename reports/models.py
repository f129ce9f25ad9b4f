"""Summary tables (rollups) the statistics pages read instead of the raw learning records.

`DailyFigures` holds, per day and per combination of the dimensions the filters offer (the person's
unit, audience, staff category, leader flag, gender, age band; the course and its track; the form of
training), how many events of each kind happened. Every column is a count of events (or, for hours and
quiz scores, a sum over them), so any period is the sum of its days. `MonthlyFigures` holds the same sums per
month, unit, track and audience only, for the default views; `HeadCount` the number of people per home unit and
person dimensions, for the competency coverage. Rows are written only by `reports.rollups` (full rebuild, or a
refresh of the (day, course) buckets touched since the last run); nothing else writes them.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.models import Course
from courses.tracks import Track
from organisations.models import Audience, Gender, OrganisationUnit, StaffCategory

from .choices import AgeBand, TrainingForm


class SummaryRow(models.Model):
    """What both summary tables hold: the person's home unit, the course's track, the person's audience, and the
    figures of the row's key."""

    # The person's home unit (workplace, or commune for self-registered people) as it is *now*: a moved
    # person's whole history counts where they are, and a closed unit keeps its rows (see selectors).
    # No database constraint and no single-column index: the rebuild writes every row afresh (a foreign-key
    # check per row cost more than the rest of the rebuild), each table's own indexes serve every read, and
    # Django still cascades a deleted unit's rows.
    unit = models.ForeignKey(OrganisationUnit, on_delete=models.CASCADE, related_name="+", db_constraint=False,
                             db_index=False)
    track = models.CharField(max_length=20, choices=Track.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)

    assigned = models.PositiveIntegerField(default=0)
    enrolled = models.PositiveIntegerField(default=0)
    # Of the enrolments made in the row's day (or month), how many are completed now (the completion rate's
    # numerator).
    enrolled_completed = models.PositiveIntegerField(default=0)
    started = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=14, decimal_places=1, default=0)
    certificates = models.PositiveIntegerField(default=0)
    participant_times = models.PositiveIntegerField(default=0)
    # Quiz results: finished, scored attempts submitted in the row's day or month (of a quiz placed in the course), how
    # many of them reached the quiz's pass mark, and the sum of their scores in percent (the average
    # score of a period is quiz_score_sum / quiz_attempts).
    quiz_attempts = models.PositiveIntegerField(default=0)
    quiz_passed = models.PositiveIntegerField(default=0)
    quiz_score_sum = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        abstract = True


class DailyFigures(SummaryRow):
    day = models.DateField(_("day"))
    # Like the unit (see SummaryRow): no constraint, no index of its own; the two indexes below serve every read.
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+", db_constraint=False,
                               db_index=False)
    staff_category = models.CharField(max_length=20, choices=StaffCategory.choices)
    is_leader = models.BooleanField()
    gender = models.CharField(max_length=20, choices=Gender.choices)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices)
    form = models.CharField(max_length=10, choices=TrainingForm.choices)

    class Meta:
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")
        indexes = [
            models.Index(fields=["day", "course"]),
            models.Index(fields=["unit", "day"]),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.unit_id} {self.course_id}"


class MonthlyFigures(SummaryRow):
    """`DailyFigures` summed per month, unit, track and audience. The statistics read it instead of the daily rows
    for a period of whole months (every quarter, half-year and year) filtered at most by track and audience,
    which is what the dashboards show by default: its size follows the organisation tree and the months, not the
    enrolments, so a national summary costs about what a provincial one does. Written only by `reports.rollups`,
    from the daily rows, in the same transaction as they are."""

    month = models.DateField(_("month"))  # its first day

    class Meta:
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(fields=["month", "unit", "track", "audience"], name="reports_monthly_key"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} · {self.unit_id} · {self.track} · {self.audience}"


class HeadCount(models.Model):
    """How many people there are per home unit, audience, staff category, leader and gender, counted by
    `reports.rollups` at each refresh and rebuild. The competency coverage of a reader who sees the whole province
    takes its people count from here (the sum of a few thousand rows whatever the number of people), so it is as
    old as the learning figures beside it; an age band filter, or a narrower reader, counts the people now."""

    unit = models.ForeignKey(OrganisationUnit, on_delete=models.CASCADE, related_name="+", db_constraint=False,
                             db_index=False)  # the home unit, as in SummaryRow; the key's index leads with it
    audience = models.CharField(max_length=20, choices=Audience.choices)
    staff_category = models.CharField(max_length=20, choices=StaffCategory.choices)
    is_leader = models.BooleanField()
    gender = models.CharField(max_length=20, choices=Gender.choices)
    people = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("head count")
        verbose_name_plural = _("head counts")
        constraints = [
            models.UniqueConstraint(fields=["unit", "audience", "staff_category", "is_leader", "gender"],
                                    name="reports_headcount_key"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.audience} · {self.people}"


class RollupState(models.Model):
    """One row: when the rollups were last rebuilt and up to when they have been refreshed."""

    rebuilt_at = models.DateTimeField(null=True, blank=True)
    refreshed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rollup state")

    def __str__(self) -> str:
        return f"{self.rebuilt_at} / {self.refreshed_until}"


class Indicator(models.TextChoices):
    """How a target's current value is computed: each names a function of reports.indicators."""

    BASIC_IT_STANDARD = "basic_it_standard", _("State staff meeting the basic IT skill standard (%)")
    DEPARTMENTS_CIO = "departments_cio", _("Departments with a designated CIO holding the CIO competencies (%)")
    COMMUNES_CIO = "communes_cio", _("Commune-level units with a designated CIO holding the CIO competencies (%)")
    UNITS_WITH_IT_STAFF = "units_with_it_staff", _("Departments and commune-level units with dedicated IT staff (%)")
    IT_STAFF_DEGREE = "it_staff_degree", _("Dedicated IT staff holding an IT degree, college or higher (%)")
    IT_STAFF_SECURITY_SYSADMIN = "it_staff_security_sysadmin", _(
        "Dedicated IT staff trained in information security and system administration (%)"
    )
    FARMERS_REACHED = "farmers_reached", _("Farmers and residents reached (people enrolled)")


class ProgrammeTarget(models.Model):
    """A target of the provincial programme for a year, edited in the Wagtail admin."""

    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    target_value = models.DecimalField(
        _("target"), max_digits=12, decimal_places=1,
        help_text=_("A percentage for shares (e.g. 100 or 70), a number of people for counts."),
    )
    amber_margin = models.DecimalField(
        _("amber margin"), max_digits=6, decimal_places=1, default=10,
        help_text=_("How far below the target (in percentage points, or percent of the target for counts) "
                    "still shows amber rather than red."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True, help_text=_("The programme document it comes from."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        ordering = ["year", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="reports_target_one_per_indicator_year"),
            models.CheckConstraint(condition=models.Q(target_value__gte=0), name="reports_target_non_negative"),
            models.CheckConstraint(condition=models.Q(amber_margin__gte=0), name="reports_target_margin_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} – {self.year}"


class IndicatorMeasurement(models.Model):
    """An indicator's province-wide value recorded at the end of a period: the targets' trend."""

    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    measured_on = models.DateField(_("measured on"))
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField(null=True, blank=True)
    value = models.DecimalField(max_digits=12, decimal_places=1)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("indicator measurement")
        ordering = ["indicator", "measured_on"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "measured_on"], name="reports_measurement_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.measured_on}: {self.value}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("training plan state", "Draft")
    SUBMITTED = "submitted", _("Submitted to Home Affairs")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


class PlanForm(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In-person class")
    BLENDED = "blended", _("Blended")


class TrainingPlan(models.Model):
    """A unit's yearly IT training plan. Status changes only through reports.plans; an approved plan is
    locked, and changing it starts a new version that points at the one it replaces."""

    unit = models.ForeignKey(OrganisationUnit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="training_plans", db_index=False)
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", verbose_name=_("replaces"), null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_comment = models.TextField(_("comment from Home Affairs"), blank=True)

    class Meta:
        verbose_name = _("training plan")
        ordering = ["-year", "unit", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "version"], name="reports_plan_unit_year_version"),
            models.CheckConstraint(
                condition=~models.Q(status=PlanStatus.RETURNED) | ~models.Q(return_comment=""),
                name="reports_plan_returned_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} v{self.version}"

    @property
    def is_editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


class TrainingPlanLine(models.Model):
    plan = models.ForeignKey(TrainingPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lines")
    course = models.ForeignKey(Course, verbose_name=_("course"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    track = models.CharField(_("track"), max_length=20, choices=Track.choices, blank=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    # A province has some 100,000 people to train: a million in one line is a typing error.
    people = models.PositiveIntegerField(_("people"), validators=[MinValueValidator(1), MaxValueValidator(1_000_000)])
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(n, n) for n in range(1, 5)])
    form = models.CharField(_("form"), max_length=20, choices=PlanForm.choices)
    budget_vnd = models.PositiveBigIntegerField(_("estimated budget (VND)"), default=0)

    class Meta:
        verbose_name = _("plan line")
        ordering = ["quarter", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(course__isnull=False) & models.Q(track=""))
                | (models.Q(course__isnull=True) & ~models.Q(track="")),
                name="reports_planline_course_or_track",
                violation_error_message=_("Choose a course or a track, not both."),
            ),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="reports_planline_quarter"),
            models.CheckConstraint(condition=models.Q(people__gte=1), name="reports_planline_people",
                                   violation_error_message=_("Plan at least one person.")),
        ]

    def __str__(self) -> str:
        return f"{self.plan} Q{self.quarter} {self.course or self.get_track_display()}"


class SnapshotState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def snapshot_path(snapshot: "ReportSnapshot", filename: str) -> str:
    # Under MEDIA_ROOT/reports/, never served by the web server: downloads go through the scoped view.
    extension = "pdf" if filename.endswith(".pdf") else "xlsx"
    return (f"reports/{snapshot.period_start:%Y}/report-{snapshot.unit_id}-{snapshot.period_start:%Y%m%d}"
            f"-v{snapshot.version}.{extension}")


class ReportSnapshot(models.Model):
    """An issued periodic report: its figures and workbook are written once and never change; a reissue
    is a new version with its reason."""

    unit = models.ForeignKey(OrganisationUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    period_kind = models.CharField(_("period"), max_length=10)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    reason = models.CharField(_("reason for reissuing"), max_length=500, blank=True)
    # Empty for the reports Celery beat issues on schedule (reports.snapshots.scheduled_reports_issue).
    requested_by = models.ForeignKey("accounts.User", verbose_name=_("requested by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    requested_role = models.CharField(_("role of the requester"), max_length=30)
    state = models.CharField(_("state"), max_length=10, choices=SnapshotState.choices, default=SnapshotState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    file = models.FileField(_("workbook"), upload_to=snapshot_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    pdf = models.FileField(_("PDF summary"), upload_to=snapshot_path, max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("report snapshot")
        ordering = ["-period_start", "unit", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period_start", "period_end", "version"],
                                    name="reports_snapshot_version_unique"),
            models.CheckConstraint(condition=models.Q(version=1) | ~models.Q(reason=""),
                                   name="reports_snapshot_reissue_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start}–{self.period_end} v{self.version}"


class ApiToken(models.Model):
    """A personal token for the statistics API. Only its SHA-256 is stored; the token reads exactly what
    its owner's roles read on the web, re-checked on every request."""

    user = models.ForeignKey("accounts.User", verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the province's data portal."))
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("starts with"), max_length=8)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel workbook (XLSX)")


class EnrolmentExport(models.Model):
    """A requested export of the enrolments of a unit's subtree (with the statistics page's filters),
    built by a Celery task into a private file that only the requester can download (reports.exports)."""

    requested_by = models.ForeignKey("accounts.User", verbose_name=_("requested by"), on_delete=models.CASCADE,
                                     related_name="+")
    unit = models.ForeignKey(OrganisationUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    # The statistics filters, as a query string with the period written out as dates (replayed by the task).
    filters = models.CharField(_("filters"), max_length=500, blank=True)
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices, default=ExportFormat.CSV)
    state = models.CharField(_("state"), max_length=10, choices=SnapshotState.choices, default=SnapshotState.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows to write"), null=True, blank=True)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    # The file's name under MEDIA_ROOT/reports/exports/ (never served by the web server), random.
    file_name = models.CharField(max_length=100, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("enrolment export")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.unit} {self.requested_at:%Y-%m-%d %H:%M} ({self.format})"

    @property
    def progress(self) -> int:
        if self.state == SnapshotState.READY:
            return 100
        return min(99, 100 * self.rows_written // self.rows_total) if self.rows_total else 0
