"""Writes of the IT skill survey: save the self-assessment, start the diagnostic quiz, submit (place).

Atomic and keyword-only. A person has one response per survey (a database constraint); submitting
again in the same survey recomputes it (a new survey is a new round). Levels follow `placing`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from assessments.models import Attempt
from assessments.quizzes.services import attempt_start

from .errors import AnswerInvalid, AnswersIncomplete, DiagnosticMissing, NoDiagnosticQuiz, NoProfile, SurveyClosed
from .models import ItemAnswer, ModuleLevel, ResponseStatus, Survey, SurveyResponse
from .modules import MODULE_CODES, SelfRating
from .placing import combined_fraction, level_for, self_fraction
from .selectors import diagnostic_fractions, latest_diagnostic_attempt

CENT = Decimal("0.01")


def _check_open(person, survey: Survey, now: datetime.datetime) -> None:
    if person is None:
        raise NoProfile()
    if not survey.is_open(now):
        raise SurveyClosed()


def _locked_response(*, person, survey: Survey) -> SurveyResponse:
    """The person's response to the survey, created as a draft if needed, locked for this transaction."""
    response, _created = SurveyResponse.objects.get_or_create(survey=survey, person=person)
    return SurveyResponse.objects.select_for_update().get(pk=response.pk)


@transaction.atomic
def self_assessment_save(*, person, survey: Survey, ratings: dict[int, int],
                         now: datetime.datetime | None = None) -> SurveyResponse:
    """Save the person's ratings (item id → 0–3) of every statement of the survey, all or nothing.

    A response already submitted is placed again at once with the new ratings (resubmission).
    """
    now = now or timezone.now()
    _check_open(person, survey, now)
    item_ids = set(survey.items.values_list("pk", flat=True))
    if set(ratings) - item_ids:
        raise AnswerInvalid()
    if any(not isinstance(value, int) or isinstance(value, bool) or value not in SelfRating.values
           for value in ratings.values()):
        raise AnswerInvalid()
    missing = item_ids - set(ratings)
    if missing:
        raise AnswersIncomplete(len(missing))
    response = _locked_response(person=person, survey=survey)
    saved = {answer.item_id: answer for answer in response.answers.all()}
    changed = []
    for item_id, rating in ratings.items():
        answer = saved.get(item_id)
        if answer is None:
            saved[item_id] = ItemAnswer(response=response, item_id=item_id, rating=rating)
        elif answer.rating != rating:
            answer.rating = rating
            changed.append(answer)
    ItemAnswer.objects.bulk_create([answer for answer in saved.values() if answer.pk is None])
    ItemAnswer.objects.bulk_update(changed, ["rating"])
    if response.is_submitted:
        _place(response, now=now)
    return response


def diagnostic_start(*, person, survey: Survey, now: datetime.datetime | None = None) -> Attempt:
    """Start (or continue) the person's attempt of the survey's diagnostic quiz, through the quiz
    app's own rules (deadline, one open attempt, maximum attempts). Raises QuizError or PlacementError."""
    now = now or timezone.now()
    _check_open(person, survey, now)
    if survey.diagnostic_quiz_id is None:
        raise NoDiagnosticQuiz()
    return attempt_start(person=person, quiz=survey.diagnostic_quiz, now=now)


@transaction.atomic
def response_submit(*, person, survey: Survey, now: datetime.datetime | None = None) -> SurveyResponse:
    """Submit the person's response: place them in every module and record their unit now.

    Needs every statement rated and, when the survey has a diagnostic quiz, a finished attempt of it
    in this round. Submitting again recomputes the levels (latest ratings and attempt).
    """
    now = now or timezone.now()
    _check_open(person, survey, now)
    response = SurveyResponse.objects.select_for_update().filter(survey=survey, person=person).first()
    item_count = survey.items.count()
    answered = response.answers.count() if response is not None else 0
    if response is None or answered < item_count:
        raise AnswersIncomplete(item_count - answered)
    _place(response, now=now)
    return response


def _place(response: SurveyResponse, *, now: datetime.datetime) -> None:
    """Compute the module levels of a locked response and mark it submitted (inside a transaction)."""
    survey, person = response.survey, response.person
    attempt = latest_diagnostic_attempt(person, survey)
    if survey.diagnostic_quiz_id is not None and attempt is None:
        raise DiagnosticMissing()
    diagnostic = diagnostic_fractions(attempt)
    ratings = defaultdict(list)
    for module_code, rating in response.answers.values_list("item__module_code", "rating"):
        ratings[module_code].append(rating)
    levels = []
    for code in MODULE_CODES:
        self_part, measured = self_fraction(ratings.get(code, [])), diagnostic.get(code)
        if self_part is None and measured is None:
            continue
        mean = Decimal(sum(ratings[code])) / len(ratings[code]) if ratings.get(code) else Decimal(0)
        level = ModuleLevel(
            response=response, module_code=code, self_score=mean.quantize(CENT, ROUND_HALF_UP),
            diagnostic_fraction=measured, combined=combined_fraction(self_part, measured),
            level=level_for(self_part, measured),
        )
        level.full_clean(exclude=["response"], validate_constraints=False)
        levels.append(level)
    response.levels.all().delete()
    ModuleLevel.objects.bulk_create(levels)
    response.status, response.submitted_at = ResponseStatus.SUBMITTED, now
    response.unit, response.audience = person.home_unit, person.audience
    response.diagnostic_attempt = attempt
    response.full_clean(validate_constraints=False)
    response.save()
