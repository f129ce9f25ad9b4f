"""H5P activities: stored packages, the activities trainers make of them, and learners' results.

A package is stored once per SHA-256 (the original `.h5p` and its unpacked folder under
MEDIA_ROOT/h5p/<sha256>/, served only from the content origin); an activity (`H5PContent`) is a
trainer's use of a package with its own title, pass mark and grading method. Statements are every
xAPI statement a learner's player sent; attempts are the scored top-level ones; the grade is one row
per person and activity, kept in step with the attempts.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Person

from .choices import GradingMethod


class H5PPackage(models.Model):
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    file = models.FileField(_("original package"), upload_to="h5p_packages/")
    h5p_json = models.JSONField(_("h5p.json"))
    main_library = models.CharField(_("main library"), max_length=255)
    libraries = models.JSONField(_("libraries"), default=list)
    file_count = models.PositiveIntegerField(_("files"))
    size = models.PositiveBigIntegerField(_("unpacked size (bytes)"))
    created_at = models.DateTimeField(_("stored at"), default=timezone.now)

    class Meta:
        verbose_name = _("H5P package")

    def __str__(self) -> str:
        return f"{self.h5p_json.get('title', '')} ({self.main_library})"

    @property
    def folder(self) -> str:
        """The unpacked package, relative to MEDIA_ROOT (and to the content origin's /h5p/)."""
        return f"h5p/{self.sha256}"


class H5PContent(models.Model):
    title = models.CharField(_("title"), max_length=255)
    package = models.ForeignKey(H5PPackage, verbose_name=_("package"), on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The grade a learner needs for the activity to count as passed."),
    )
    grading_method = models.CharField(
        _("grading method"), max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("H5P activity")
        verbose_name_plural = _("H5P activities")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_percent__gte=1, pass_percent__lte=100), name="h5p_content_pass_percent"
            )
        ]

    def __str__(self) -> str:
        return self.title


class H5PStatement(models.Model):
    """One xAPI statement as the player sent it, recorded against the logged-in person."""

    content = models.ForeignKey(H5PContent, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="+",
                                db_index=False)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    verb = models.CharField(_("verb"), max_length=255, blank=True)
    statement = models.JSONField(_("statement"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("xAPI statement")
        indexes = [models.Index(fields=["content", "person"])]


class H5PAttempt(models.Model):
    """A scored top-level statement (answered, completed, passed, failed): scores as the server computed them."""

    content = models.ForeignKey(H5PContent, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="+",
                                db_index=False)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    statement = models.OneToOneField(
        H5PStatement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="attempt"
    )
    raw = models.DecimalField(_("raw score"), max_digits=12, decimal_places=4)
    max = models.DecimalField(_("maximum score"), max_digits=12, decimal_places=4)
    scaled = models.DecimalField(_("scaled score"), max_digits=5, decimal_places=4)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("H5P attempt")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content", "person", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scaled__gte=0, scaled__lte=1, raw__gte=0, raw__lte=models.F("max")),
                name="h5p_attempt_score_range",
            )
        ]


class H5PGrade(models.Model):
    """A person's grade on an activity: the highest or the last attempt, as the activity says."""

    content = models.ForeignKey(H5PContent, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="+",
                                db_index=False)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    scaled = models.DecimalField(_("grade"), max_digits=5, decimal_places=4)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    passed_at = models.DateTimeField(_("passed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("H5P grade")
        constraints = [models.UniqueConstraint(fields=["content", "person"], name="h5p_grade_unique")]
