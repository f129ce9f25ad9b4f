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
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="question_categories"
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

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="competencies")
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
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="versions"
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
