"""Choices of quizzes and attempts."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class QuestionSelection(models.TextChoices):
    FIXED = "fixed", _("Fixed questions")
    RANDOM = "random", _("Random draw")


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest attempt")
    LAST = "last", _("Last attempt")
    AVERAGE = "average", _("Average of attempts")
    FIRST = "first", _("First attempt")


class ReviewOption(models.TextChoices):
    SCORE_ONLY = "score_only", _("Score only")
    ANSWERS_MARKED = "answers_marked", _("Score and answers marked right or wrong")
    CORRECT_ANSWERS = "correct_answers", _("Score, marked answers and the correct answers")
    CORRECT_AFTER_CLOSE = "correct_after_close", _("Marked answers; the correct answers once the quiz closes")


class Navigation(models.TextChoices):
    FREE = "free", _("Free: any page in any order")
    SEQUENTIAL = "sequential", _("Sequential: forward only")


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", pgettext_lazy("quiz attempt state", "In progress")
    SUBMITTED = "submitted", pgettext_lazy("quiz attempt state", "Submitted")
    OVERDUE_SUBMITTED = "overdue_submitted", _("Submitted automatically when time ran out")


FINISHED_STATES = (AttemptState.SUBMITTED, AttemptState.OVERDUE_SUBMITTED)
