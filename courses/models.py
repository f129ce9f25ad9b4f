"""Learning records and their anchors.

`Course` and `Lesson` are plain rows keyed by the Wagtail page they mirror, kept in step by
`courses.services.course_structure_sync` (cms calls it when a page is published or unpublished).
Enrolment rules read these rows, never the pages, so this app does not import cms.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Audience, Person

from .choices import AccessMode, EnrolmentSource, EnrolmentStatus
from .tracks import Track


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
        return f"{self.code} {self.title}"


class CourseAudience(models.Model):
    """One row per audience a course is for: a join, because SQLite cannot look inside JSON."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="audiences")
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
    position = models.PositiveIntegerField(_("position"), help_text=_("Order in the course outline."))
    is_required = models.BooleanField(_("required"), default=True)
    is_live = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("lesson")
        ordering = ["course", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments")
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
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="lesson_progress"
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
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="assignments")
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
