"""The question bank: categories, questions (a stable identity) and their versions (immutable content).

An attempt (the quizzes part) points at the exact `QuestionVersion` it showed. Once a version has
been shown (`is_used`), its content never changes: `services.question_save` writes a new version
instead and moves `Question.current_version` to it. Editing an unused version happens in place.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from .bank.payload import clean_payload
from .choices import QuestionType

# Codes of the competency framework (the certification app will own it): "IU01"…"IU15" and the
# like, two to six capital letters and two or three digits.
COMPETENCY_CODE = re.compile(r"^[A-Z]{2,6}[0-9]{2,3}$")
STEM_FEATURES = ["bold", "italic", "ol", "ul", "link", "image", "code", "superscript", "subscript"]


def validate_competency_code(value: str) -> None:
    if not COMPETENCY_CODE.match(value or ""):
        raise ValidationError(
            _("“%(code)s” is not a competency code (two to six capital letters and two or three digits, e.g. IU01)."),
            params={"code": value},
            code="competency_code",
        )


class QuestionCategory(models.Model):
    name = models.CharField(_("name"), max_length=255)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="question_categories",
        db_index=False
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "parent", "name"], name="assessments_category_unique_name"
            ),
            models.UniqueConstraint(
                fields=["owner", "name"], condition=Q(parent__isnull=True), name="assessments_category_unique_top_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A category cannot sit inside itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        if self.parent_id and self.owner_id and self.parent.owner_id != self.owner_id:
            raise ValidationError({"parent": _("The parent category belongs to someone else.")})

    def path_names(self) -> list[str]:
        names, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            names.append(node.name)
            node = node.parent
        return names[::-1]


class Question(models.Model):
    """What stays the same across edits: where the question is filed, who owns it, its tags."""

    name = models.CharField(_("name"), max_length=255, help_text=_("A short title to find the question by."))
    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="questions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="questions"
    )
    current_version = models.OneToOneField(
        "QuestionVersion", verbose_name=_("current version"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("question")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def competency_codes(self) -> list[str]:
        return [tag.code for tag in self.competencies.all()]


class QuestionCompetency(models.Model):
    """One row per competency a question tests: a join, because SQLite cannot look inside JSON."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="competencies", db_index=False)
    code = models.CharField(_("competency"), max_length=10, validators=[validate_competency_code], db_index=True)

    class Meta:
        verbose_name = _("competency tag")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="assessments_competency_unique")]

    def __str__(self) -> str:
        return self.code


class QuestionVersion(models.Model):
    """The content a learner is shown and graded against. Immutable once `is_used`."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="versions",
        db_index=False
    )
    number = models.PositiveIntegerField(_("version"))
    qtype = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    stem = RichTextField(_("question text"), features=STEM_FEATURES)
    payload = models.JSONField(_("options and answers"), default=dict, blank=True)
    general_feedback = RichTextField(_("general feedback"), blank=True, features=STEM_FEATURES)
    default_mark = models.DecimalField(
        _("default mark"), max_digits=6, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    # Set by the attempts part (services.question_version_mark_used) when a learner is first shown it.
    is_used = models.BooleanField(_("used in attempts"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("question version")
        ordering = ["question", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="assessments_version_unique_number"),
            models.CheckConstraint(condition=Q(qtype__in=QuestionType.values), name="assessments_version_known_type"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"

    def clean(self):
        super().clean()
        try:
            self.payload = clean_payload(self.qtype, self.payload)
        except ValidationError as error:
            raise ValidationError({"payload": error.messages}) from error

    def content(self) -> dict:
        """What decides whether an edit changes the question (used to skip empty new versions)."""
        return {
            "qtype": self.qtype,
            "stem": self.stem,
            "payload": self.payload,
            "general_feedback": self.general_feedback,
            "default_mark": str(Decimal(str(self.default_mark)).quantize(Decimal("0.01"))),
        }


# Quizzes and attempts ------------------------------------------------------------------------------
# The rules live in `Quiz`; an `Attempt` pins what it drew (`AttemptSlot`: the exact question version,
# its mark and option order) so later edits to the bank never change an attempt. Services in
# assessments/quizzes/.

from django.core.validators import MaxValueValidator  # noqa: E402 (kept with the section it serves)
from modelcluster.fields import ParentalKey  # noqa: E402
from modelcluster.models import ClusterableModel  # noqa: E402
from wagtail.models import Orderable  # noqa: E402

from .quizzes.choices import (  # noqa: E402
    AttemptState,
    GradingMethod,
    Navigation,
    QuestionSelection,
    ReviewOption,
)


def validate_competency_codes(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Give a list of competency codes."), code="competency_codes")
    for code in value:
        validate_competency_code(code if isinstance(code, str) else "")


class Quiz(ClusterableModel):
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("instructions"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="quizzes"
    )
    selection = models.CharField(
        _("questions"), max_length=10, choices=QuestionSelection.choices, default=QuestionSelection.FIXED
    )
    draw_count = models.PositiveSmallIntegerField(
        _("questions to draw"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("For a random draw: how many questions each attempt gets."),
    )
    draw_categories = models.ManyToManyField(
        QuestionCategory, verbose_name=_("draw from categories"), blank=True, related_name="+",
        help_text=_("For a random draw: questions in these categories (and their sub-categories)."),
    )
    draw_competency_codes = models.JSONField(
        _("draw questions tagged"), default=list, blank=True, validators=[validate_competency_codes],
        help_text=_("For a random draw: only questions tagged with one of these competencies, e.g. IU01."),
    )
    draw_mark = models.DecimalField(
        _("mark per drawn question"), max_digits=6, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    grading_method = models.CharField(
        _("grading method"), max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    pass_mark = models.DecimalField(
        _("pass mark (%)"), max_digits=5, decimal_places=2, default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    review_option = models.CharField(
        _("after submitting, the learner sees"), max_length=20, choices=ReviewOption.choices,
        default=ReviewOption.ANSWERS_MARKED,
    )
    navigation = models.CharField(_("navigation"), max_length=10, choices=Navigation.choices, default=Navigation.FREE)
    questions_per_page = models.PositiveSmallIntegerField(
        _("questions per page"), default=0, help_text=_("0 puts every question on one page.")
    )
    competency_codes = models.JSONField(
        _("competencies a pass gives evidence of"), default=list, blank=True, validators=[validate_competency_codes]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The quiz must close after it opens.")})
        if self.selection == QuestionSelection.RANDOM and not self.draw_count:
            raise ValidationError({"draw_count": _("Say how many questions to draw.")})
        self.competency_codes = sorted({code.strip().upper() for code in self.competency_codes or []})
        self.draw_competency_codes = sorted({code.strip().upper() for code in self.draw_competency_codes or []})


class QuizQuestion(Orderable):
    """A fixed question of a quiz, in order, with its mark (empty: the question's default mark)."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="fixed_questions", db_index=False)
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")
    mark = models.DecimalField(
        _("mark"), max_digits=6, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    class Meta(Orderable.Meta):
        verbose_name = _("quiz question")
        constraints = [models.UniqueConstraint(fields=["quiz", "question"], name="assessments_quiz_question_once")]


class Attempt(models.Model):
    # No index of its own: the (quiz, person, number) constraint leads with it.
    quiz = models.ForeignKey(Quiz, verbose_name=_("quiz"), on_delete=models.PROTECT, related_name="attempts",
                             db_index=False)
    person = models.ForeignKey(
        "organisations.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="quiz_attempts"
    )
    number = models.PositiveIntegerField(_("attempt"))
    state = models.CharField(_("state"), max_length=20, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS)
    started_at = models.DateTimeField(_("started"))
    # Fixed on the server when the attempt starts: min(start + time limit, the quiz's closing time).
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    current_page = models.PositiveIntegerField(_("page reached"), default=1)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("out of"), max_digits=8, decimal_places=2, default=0)
    fraction = models.FloatField(_("fraction of the marks"), null=True, blank=True)
    needs_manual_grading = models.BooleanField(_("awaiting manual grading"), default=False)

    class Meta:
        verbose_name = _("attempt")
        ordering = ["quiz", "person", "number"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "person", "number"], name="assessments_attempt_unique_number"),
            models.UniqueConstraint(
                fields=["quiz", "person"], condition=Q(state=AttemptState.IN_PROGRESS),
                name="assessments_attempt_one_open",
            ),
            models.CheckConstraint(condition=Q(state__in=AttemptState.values), name="assessments_attempt_known_state"),
        ]
        indexes = [models.Index(fields=["state", "deadline"], name="assessments_attempt_due")]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.person_id} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state == AttemptState.IN_PROGRESS

    @property
    def percent(self) -> float | None:
        return None if self.fraction is None else round(self.fraction * 100, 2)


class AttemptSlot(models.Model):
    """One question of an attempt: the pinned version, its mark, option order, and the saved answer."""

    # No index of its own: the (attempt, number) constraint leads with it.
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots", db_index=False)
    number = models.PositiveIntegerField(_("question number"))
    page = models.PositiveIntegerField(_("page"), default=1)
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    max_mark = models.DecimalField(_("mark"), max_digits=6, decimal_places=2)
    # Ids of options (choices), items (ordering) or answer texts (matching) in the order shown.
    option_order = models.JSONField(default=list, blank=True)
    response = models.JSONField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    fraction = models.FloatField(null=True, blank=True)
    mark = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    feedback_ids = models.JSONField(default=list, blank=True)
    # The version whose answer key graded the slot when a regrade used a fixed version of the question;
    # empty: the version shown (`version`), which always stays what the learner saw.
    key_version = models.ForeignKey(
        QuestionVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("attempt question")
        ordering = ["attempt", "number"]
        constraints = [models.UniqueConstraint(fields=["attempt", "number"], name="assessments_slot_unique_number")]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.number}"


# Results: manual grading and regrades (services in assessments/quizzes/results.py) --------------------


class AttemptSlotGrading(models.Model):
    """A trainer's mark of a slot graded by hand (an essay): who, when, and the comment the learner sees.

    The mark itself lives on the slot (`AttemptSlot.mark`/`fraction`), like every other mark; this row
    keeps what only manual grading has.
    """

    slot = models.OneToOneField(AttemptSlot, on_delete=models.CASCADE, related_name="grading")
    comment = models.TextField(_("comment"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("graded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(_("graded"))

    class Meta:
        verbose_name = _("manual grade")

    def __str__(self) -> str:
        return f"{self.slot_id} ({self.graded_at:%Y-%m-%d})"


class RegradeRecord(models.Model):
    """One attempt's score before and after a regrade (or a changed hand mark): the attempt's history."""

    attempt = models.ForeignKey(Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="regrades")
    old_score = models.DecimalField(_("old score"), max_digits=8, decimal_places=2, null=True)
    new_score = models.DecimalField(_("new score"), max_digits=8, decimal_places=2, null=True)
    old_fraction = models.FloatField(_("old fraction"), null=True)
    new_fraction = models.FloatField(_("new fraction"), null=True)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("regrade")
        ordering = ["attempt", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.old_score} → {self.new_score}"
