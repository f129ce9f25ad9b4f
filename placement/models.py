"""The IT skill survey (programme project 1.1): a self-assessment questionnaire per basic module plus an
optional diagnostic quiz, one response per person per survey round, and the level it places the person
at in each module. A new round is a new `Survey`; resubmitting within a round updates the response.

The response records the person's unit and audience when it is submitted, so statistics count it
where the person was then: a later move does not rewrite history.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from organisations.models import Audience, OrganisationUnit, Person

from .modules import Level, ModuleCode, SelfRating


class Survey(ClusterableModel):
    title = models.CharField(_("title"), max_length=255)
    introduction = models.TextField(_("introduction"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    diagnostic_quiz = models.ForeignKey(
        "assessments.Quiz",
        verbose_name=_("diagnostic quiz"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Its questions tagged IU01–IU06 measure each module. Leave empty for a self-assessment only."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("IT skill survey")
        verbose_name_plural = _("IT skill surveys")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="placement_survey_dates",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.is_active
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or now < self.closes_at)
        )


class SurveyItem(Orderable):
    """A self-assessment statement of one module, e.g. “I can format a document with headings and tables”."""

    survey = ParentalKey(Survey, on_delete=models.CASCADE, related_name="items")
    module_code = models.CharField(_("module"), max_length=10, choices=ModuleCode.choices)
    text = models.CharField(_("statement"), max_length=255)

    class Meta(Orderable.Meta):
        verbose_name = _("self-assessment item")
        verbose_name_plural = _("self-assessment items")

    def __str__(self) -> str:
        return f"{self.module_code}: {self.text}"


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("survey response state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("survey response state", "Submitted")


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="responses",
                               db_index=False)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="survey_responses",
        db_index=False
    )
    status = models.CharField(_("status"), max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Where the person belonged when they submitted (their unit, or commune for self-registered people).
    unit = models.ForeignKey(
        OrganisationUnit, verbose_name=_("unit at submission"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    audience = models.CharField(_("audience at submission"), max_length=20, choices=Audience.choices, blank=True)
    # The diagnostic attempt the levels were computed from (None: no quiz, or not taken).
    diagnostic_attempt = models.ForeignKey(
        "assessments.Attempt", verbose_name=_("diagnostic attempt"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="placement_response_one_per_person"),
            models.CheckConstraint(
                condition=Q(status=ResponseStatus.DRAFT, submitted_at__isnull=True)
                | Q(status=ResponseStatus.SUBMITTED, submitted_at__isnull=False, unit__isnull=False),
                name="placement_response_submitted_fields",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"]), models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.survey} – {self.person}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class ItemAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers", db_index=False)
    # A statement removed from the survey takes its ratings with it; levels already placed stay.
    item = models.ForeignKey(SurveyItem, on_delete=models.CASCADE, related_name="answers")
    rating = models.PositiveSmallIntegerField(_("rating"), choices=SelfRating.choices)

    class Meta:
        verbose_name = _("self-assessment answer")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="placement_answer_once"),
            models.CheckConstraint(condition=Q(rating__lte=max(SelfRating.values)), name="placement_answer_rating"),
        ]


class ModuleLevel(models.Model):
    """The level a submitted response places the person at in one module, and what it came from."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="levels", db_index=False)
    module_code = models.CharField(_("module"), max_length=10, choices=ModuleCode.choices)
    self_score = models.DecimalField(
        _("self-assessment (0–3)"), max_digits=3, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(3)],
    )
    diagnostic_fraction = models.FloatField(
        _("diagnostic score (fraction)"), null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    combined = models.FloatField(_("combined score"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)

    class Meta:
        verbose_name = _("module level")
        ordering = ["module_code"]
        constraints = [
            models.UniqueConstraint(fields=["response", "module_code"], name="placement_level_once_per_module"),
            models.CheckConstraint(condition=Q(level__lte=max(Level.values)), name="placement_level_known"),
        ]
        indexes = [models.Index(fields=["module_code", "level"])]

    def __str__(self) -> str:
        return f"{self.module_code}: {self.get_level_display()}"
