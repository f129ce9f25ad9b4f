"""Learning records and their anchors.

`Course` and `Lesson` are plain rows keyed by the Wagtail page they mirror, kept in step by
`courses.services.course_structure_sync` (cms calls it when a page is published or unpublished).
Enrolment rules read these rows, never the pages, so this app does not import cms.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organisations.models import Audience, OrganisationUnit, Person

from .choices import AccessMode, ActivityKind, EnrolmentSource, EnrolmentStatus, ReminderKind
from .tracks import Track


def course_label(code: str, title: str) -> str:
    """How a course is named in lists: its code, then its title."""
    return f"{code} {title}"


class Course(models.Model):
    # PROTECT: enrolments and completions are records that must outlive an editorial mistake; a
    # course that was ever published is unpublished, not deleted.
    page = models.OneToOneField(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.PROTECT, related_name="course_anchor"
    )
    code = models.CharField(_("course code"), max_length=30, db_index=True)
    title = models.CharField(_("title"), max_length=255)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    access_mode = models.CharField(_("how people get in"), max_length=20, choices=AccessMode.choices)
    estimated_hours = models.DecimalField(_("estimated hours"), max_digits=5, decimal_places=1, default=0)
    # Codes of the competency framework (certification.Competency.code) the course develops, as the
    # page lists them; the certification app records them when it issues the certificate.
    competency_codes = models.JSONField(_("competencies"), default=list, blank=True)
    prerequisites = models.ManyToManyField(
        "self", verbose_name=_("prerequisites"), symmetrical=False, related_name="required_by", blank=True
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("trainers"), related_name="courses_trained", blank=True
    )
    is_live = models.BooleanField(_("published"), default=False)
    synced_at = models.DateTimeField(_("last synchronised"), auto_now=True)

    class Meta:
        verbose_name = _("course")
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["is_live", "access_mode"])]

    def __str__(self) -> str:
        return course_label(self.code, self.title)


class CourseAudience(models.Model):
    """One row per audience a course is for: a join, because SQLite cannot look inside JSON."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="audiences", db_index=False)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)

    class Meta:
        verbose_name = _("course audience")
        constraints = [
            models.UniqueConstraint(fields=["course", "audience"], name="courses_courseaudience_unique")
        ]

    def __str__(self) -> str:
        return str(self.get_audience_display())


class Lesson(models.Model):
    page = models.OneToOneField(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.PROTECT, related_name="lesson_anchor"
    )
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="lessons")
    title = models.CharField(_("title"), max_length=255)
    position = models.PositiveIntegerField(
        pgettext_lazy("order in a list", "position"), help_text=_("Order in the course outline.")
    )
    is_required = models.BooleanField(_("required"), default=True)
    is_live = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("lesson")
        ordering = ["course", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    # Neither key has an index of its own: the (person, course) constraint and the (course, status) index lead
    # with them.
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="enrolments",
                               db_index=False)
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments",
                               db_index=False)
    source = models.CharField(_("how they joined"), max_length=20, choices=EnrolmentSource.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        Lesson,
        verbose_name=_("last lesson opened"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where the learner resumes."),
    )
    cohort = models.ForeignKey(
        "Cohort",
        verbose_name=_("class"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        help_text=_("The class the learner follows this course in, if any."),
    )

    class Meta:
        verbose_name = _("enrolment")
        constraints = [
            models.UniqueConstraint(fields=["person", "course"], name="courses_enrolment_person_course_unique"),
            models.CheckConstraint(
                condition=models.Q(status=EnrolmentStatus.COMPLETED, completed_at__isnull=False)
                | (~models.Q(status=EnrolmentStatus.COMPLETED) & models.Q(completed_at__isnull=True)),
                name="courses_enrolment_completed_at_iff_completed",
            ),
        ]
        indexes = [models.Index(fields=["course", "status"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.course}"


class LessonProgress(models.Model):
    """A learner's record of one lesson: when they first opened it and when they completed it."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="lesson_progress",
        db_index=False
    )
    lesson = models.ForeignKey(Lesson, verbose_name=_("lesson"), on_delete=models.PROTECT, related_name="progress")
    first_opened_at = models.DateTimeField(_("first opened at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="courses_lessonprogress_enrolment_lesson_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} – {self.lesson}"


class Assignment(models.Model):
    # No index of its own: the (course, person) constraint leads with it.
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="assignments",
                               db_index=False)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="courses_assignment_course_person_unique")
        ]
        indexes = [models.Index(fields=["due_date"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.course}"


class LessonActivity(models.Model):
    """A scored activity placed in a lesson (a quiz or an H5P activity), as the lesson page lists it,
    or placed on the course itself (its final exam: `lesson` empty, `course` set).

    The assessments and H5P apps own the activities; `ref` is their id as text. cms syncs these rows
    with the pages; those apps report passes through `courses.services.activity_result_record`.
    """

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.PROTECT, related_name="activities", null=True, blank=True,
        db_index=False
    )
    # Set only for a course-level activity (the final exam); a lesson's activity reaches its course
    # through the lesson, which may move to another course.
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="course_activities",
        null=True,
        blank=True,
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    ref = models.CharField(_("reference"), max_length=64)
    title = models.CharField(_("title"), max_length=255, blank=True)
    is_required = models.BooleanField(_("required to complete the lesson"), default=True)
    after_lessons = models.BooleanField(
        _("opens once the lessons are complete"),
        default=False,
        help_text=_("For a course's final exam: the learner may take it only after completing the required lessons."),
    )
    is_live = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("lesson activity")
        verbose_name_plural = _("lesson activities")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "kind", "ref"], name="courses_lessonactivity_unique"),
            models.UniqueConstraint(fields=["course", "kind", "ref"], name="courses_lessonactivity_course_unique"),
            models.CheckConstraint(
                condition=models.Q(lesson__isnull=False, course__isnull=True)
                | models.Q(lesson__isnull=True, course__isnull=False),
                name="courses_lessonactivity_lesson_or_course",
            ),
        ]
        indexes = [models.Index(fields=["kind", "ref"])]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.ref}"


class ActivityPass(models.Model):
    """The learner passed a scored activity of their course: recorded once, with its time."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="activity_passes",
        db_index=False
    )
    activity = models.ForeignKey(
        LessonActivity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="passes"
    )
    passed_at = models.DateTimeField(_("passed at"), default=timezone.now)

    class Meta:
        verbose_name = _("activity passed")
        verbose_name_plural = _("activities passed")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "activity"], name="courses_activitypass_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} – {self.activity}"


class Cohort(models.Model):
    """A class (lớp): a dated group of learners following one course together, run by a unit,
    optionally with in-person sessions whose attendance can be part of completing the course."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="cohorts")
    unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="cohorts",
        help_text=_("Officers of this unit and its parents manage the class."),
    )
    name = models.CharField(_("class name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), help_text=_("Members are assigned the course with this due date."))
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("attendance required (%)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of in-person sessions a member must attend to complete the course; 0 for none."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["-starts_on", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="courses_cohort_dates"),
            models.CheckConstraint(
                condition=models.Q(min_attendance_percent__lte=100), name="courses_cohort_attendance_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ClassSession(models.Model):
    """An in-person session of a class: when, where and who teaches it."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("class"), on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=255)
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="class_sessions",
    )

    class Meta:
        verbose_name = _("class session")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="courses_session_times")
        ]

    def __str__(self) -> str:
        return f"{self.cohort} – {self.starts_at:%d/%m/%Y %H:%M}"


class Attendance(models.Model):
    """Whether a member of the class was present at a session; one row per session and member."""

    session = models.ForeignKey(
        ClassSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance",
        db_index=False
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="courses_attendance_session_enrolment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.enrolment.person}"


class ReminderSent(models.Model):
    """An assignment reminder that went out, so each threshold is mailed once per due date (moving the
    due date re-arms the reminders)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="reminders",
        db_index=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    due_date = models.DateField(_("due date"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "kind", "due_date"], name="courses_remindersent_unique")
        ]


class DigestSent(models.Model):
    """A unit officer's weekly digest that went out, once per officer and week."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.CASCADE,
                             related_name="+", db_index=False)
    week = models.DateField(_("week starting"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="courses_digestsent_unique")]
