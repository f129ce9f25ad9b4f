"""Writes of quizzes and attempts: start, autosave, submit. Atomic, keyword-only.

Integrity rules (exam grade): the deadline is fixed on the server at start; the database allows one
open attempt per person and quiz (a second start returns it); answers are checked against the
attempt's own questions and the type's response shape before anything is written; submitting locks
the attempt row, so a double click grades once; a submitted attempt never changes.
"""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.errors import MalformedResponse
from assessments.grading import Grade, grade
from assessments.models import Attempt, AttemptSlot, QuestionVersion, Quiz
from assessments.selectors import category_subtree_ids, questions_visible_to
from assessments.services import question_version_mark_used
from courses.choices import ActivityKind
from courses.services import activity_result_record

from .choices import AttemptState, Navigation, QuestionSelection
from .errors import (
    AttemptFinished,
    AttemptRace,
    NoAttemptsLeft,
    NotEnoughQuestions,
    PageLocked,
    QuizClosed,
    QuizNotOpen,
    SlotNotFound,
    TimeUp,
)
from .selectors import attempts_of, attempts_overdue, grace, open_attempt, quiz_grade, quiz_passed

CENT = Decimal("0.01")
_random = random.SystemRandom()


def _draw(quiz: Quiz) -> list[tuple[QuestionVersion, Decimal]]:
    """The versions an attempt shows, in order, with their marks."""
    if quiz.selection == QuestionSelection.FIXED:
        rows = quiz.fixed_questions.select_related("question__current_version").order_by("sort_order", "pk")
        drawn = [
            (row.question.current_version, row.mark if row.mark is not None else row.question.current_version.default_mark)
            for row in rows if row.question.current_version_id
        ]
        if not drawn:
            raise NotEnoughQuestions()
    else:
        pool = questions_visible_to(quiz.owner).filter(current_version__isnull=False)
        category_ids = [cid for category in quiz.draw_categories.all() for cid in category_subtree_ids(category)]
        if category_ids:
            pool = pool.filter(category_id__in=category_ids)
        if quiz.draw_competency_codes:
            pool = pool.filter(competencies__code__in=quiz.draw_competency_codes)
        ids = list(pool.values_list("current_version_id", flat=True).distinct())
        if len(ids) < (quiz.draw_count or 0):
            raise NotEnoughQuestions()
        chosen = _random.sample(ids, quiz.draw_count)
        versions = QuestionVersion.objects.in_bulk(chosen)
        drawn = [(versions[pk], quiz.draw_mark) for pk in chosen]
    if quiz.shuffle_questions:
        _random.shuffle(drawn)
    return drawn


def _option_order(quiz: Quiz, version: QuestionVersion) -> list[str]:
    """The order options are shown in, fixed for the attempt. Matching answers and ordering items are
    always shuffled: in their stored order they would give the answer away."""
    payload = version.payload
    if "options" in payload:
        order = [option["id"] for option in payload["options"]]
        if quiz.shuffle_options and payload.get("shuffle", True):
            _random.shuffle(order)
        return order
    if "pairs" in payload:
        answers = list(dict.fromkeys([pair["answer"] for pair in payload["pairs"]] + payload.get("extra_answers", [])))
        _random.shuffle(answers)
        return answers
    if "items" in payload:
        correct = [item["id"] for item in payload["items"]]
        order = correct[:]
        while len(order) > 1 and order == correct:
            _random.shuffle(order)
        return order
    return []


def _deadline(quiz: Quiz, now: datetime.datetime) -> datetime.datetime | None:
    limits = [moment for moment in (
        now + datetime.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None,
        quiz.closes_at,
    ) if moment is not None]
    return min(limits) if limits else None


def attempt_start(*, person, quiz: Quiz, now: datetime.datetime | None = None) -> Attempt:
    """Start an attempt, or return the person's open one (a second tab continues the same attempt).

    An open attempt already past its deadline and grace is submitted first and returned finished.
    """
    now = now or timezone.now()
    existing = open_attempt(person, quiz)
    if existing is not None:
        if existing.deadline is not None and now > existing.deadline + grace():
            return attempt_submit(attempt=existing, now=now)
        return existing
    return _attempt_create(person=person, quiz=quiz, now=now)


@transaction.atomic
def _attempt_create(*, person, quiz: Quiz, now: datetime.datetime) -> Attempt:
    if quiz.opens_at and now < quiz.opens_at:
        raise QuizNotOpen()
    if quiz.closes_at and now >= quiz.closes_at:
        raise QuizClosed()
    used = Attempt.objects.filter(person=person, quiz=quiz).count()
    if quiz.max_attempts and used >= quiz.max_attempts:
        raise NoAttemptsLeft()
    drawn = _draw(quiz)
    per_page = quiz.questions_per_page
    try:
        with transaction.atomic():
            attempt = Attempt(
                quiz=quiz, person=person, number=used + 1, started_at=now, deadline=_deadline(quiz, now),
                max_score=sum((mark for _version, mark in drawn), Decimal(0)),
            )
            attempt.full_clean(validate_constraints=False)
            attempt.save()
            AttemptSlot.objects.bulk_create([
                AttemptSlot(
                    attempt=attempt, number=index + 1, page=index // per_page + 1 if per_page else 1,
                    version=version, max_mark=mark, option_order=_option_order(quiz, version),
                )
                for index, (version, mark) in enumerate(drawn)
            ])
    except IntegrityError:
        # Another request of the same person started one at the same moment: continue that one.
        existing = open_attempt(person, quiz)
        if existing is None:
            raise AttemptRace() from None
        return existing
    for version, _mark in drawn:
        question_version_mark_used(version=version)
    return attempt


def _check_writable(attempt: Attempt, slot_pages: set[int], now: datetime.datetime) -> None:
    if attempt.state != AttemptState.IN_PROGRESS:
        raise AttemptFinished()
    if attempt.deadline is not None and now > attempt.deadline + grace():
        raise TimeUp()
    if attempt.quiz.navigation == Navigation.SEQUENTIAL and slot_pages != {attempt.current_page}:
        raise PageLocked()


@transaction.atomic
def answer_save(*, user, attempt_id: int, slot_number: int, response: Any, now: datetime.datetime | None = None) -> AttemptSlot:
    """Autosave one answer of the user's own open attempt: last write wins. Two queries: the slot
    (with its attempt, locked, and its version), then one UPDATE."""
    now = now or timezone.now()
    slot = (
        AttemptSlot.objects.select_related("attempt__quiz", "version")
        .select_for_update(of=("attempt",))
        .filter(attempt_id=attempt_id, attempt__person__user=user, number=slot_number)
        .order_by("pk")
        .first()
    )
    if slot is None:
        raise SlotNotFound()
    _check_writable(slot.attempt, {slot.page}, now)
    grade(slot.version.qtype, slot.version.payload, response)  # raises MalformedResponse: nothing written
    AttemptSlot.objects.filter(pk=slot.pk).update(response=response, saved_at=now)
    slot.response, slot.saved_at = response, now
    return slot


@transaction.atomic
def answers_save(*, attempt: Attempt, responses: dict[int, Any], now: datetime.datetime | None = None) -> None:
    """Save a page of answers at once (the form without JavaScript): all are checked before any is written."""
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
    slots = {slot.number: slot for slot in attempt.slots.select_related("version").filter(number__in=list(responses))}
    if set(slots) != set(responses):
        raise SlotNotFound()
    _check_writable(attempt, {slot.page for slot in slots.values()} or {attempt.current_page}, now)
    for number, response in responses.items():
        grade(slots[number].version.qtype, slots[number].version.payload, response)
    for number, response in responses.items():
        slots[number].response, slots[number].saved_at = response, now
    AttemptSlot.objects.bulk_update(list(slots.values()), ["response", "saved_at"])


@transaction.atomic
def attempt_page_advance(*, attempt: Attempt, page: int) -> Attempt:
    """Move a sequential attempt forward (never back); free navigation records the furthest page."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.state != AttemptState.IN_PROGRESS:
        raise AttemptFinished()
    last_page = attempt.slots.order_by("-page").values_list("page", flat=True).first() or 1
    if attempt.current_page < page <= last_page:
        attempt.current_page = page
        attempt.save(update_fields=["current_page"])
    return attempt


def _slot_grade(slot: AttemptSlot) -> Grade:
    if slot.response is None:
        return Grade(0.0)  # unanswered, an essay included: nothing to grade by hand
    try:
        return grade(slot.version.qtype, slot.version.payload, slot.response)
    except MalformedResponse:
        return Grade(0.0)  # never stored (checked at save), but a submit must not fail on it


@transaction.atomic
def attempt_submit(*, attempt: Attempt, now: datetime.datetime | None = None) -> Attempt:
    """Grade and close an attempt. Idempotent: the row is locked, a finished attempt is returned as is.

    Essays leave the score provisional (`needs_manual_grading`). After grading, a quiz grade at or
    above the pass mark is reported to courses (lesson completion) and to certification (competencies).
    """
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().select_related("quiz", "person").get(pk=attempt.pk)
    if attempt.state != AttemptState.IN_PROGRESS:
        return attempt
    slots = list(attempt.slots.select_related("version"))
    score, manual = Decimal(0), False
    for slot in slots:
        result = _slot_grade(slot)
        slot.fraction, slot.feedback_ids = result.fraction, list(result.feedback_ids)
        if result.fraction is None:
            slot.mark, manual = None, True
        else:
            slot.mark = (slot.max_mark * Decimal(str(result.fraction))).quantize(CENT, ROUND_HALF_UP)
            score += slot.mark
    AttemptSlot.objects.bulk_update(slots, ["fraction", "mark", "feedback_ids"])
    late = attempt.deadline is not None and now > attempt.deadline + grace()
    attempt.state = AttemptState.OVERDUE_SUBMITTED if late else AttemptState.SUBMITTED
    attempt.submitted_at = now
    attempt.score, attempt.needs_manual_grading = score, manual
    attempt.max_score = sum((slot.max_mark for slot in slots), Decimal(0))
    attempt.fraction = float(score / attempt.max_score) if attempt.max_score else 0.0
    attempt.full_clean(validate_constraints=False)
    attempt.save()
    _results_feed(attempt)
    return attempt


def _results_feed(attempt: Attempt) -> None:
    quiz = attempt.quiz
    if not quiz_passed(quiz, quiz_grade(attempts_of(attempt.person, quiz), quiz.grading_method)):
        return
    activity_result_record(person=attempt.person, kind=ActivityKind.QUIZ, ref=str(quiz.pk), passed=True)
    if quiz.competency_codes:
        from assessments.tasks import quiz_competencies_record

        quiz_competencies_record.delay_on_commit(attempt.pk)


def attempts_submit_overdue(*, now: datetime.datetime | None = None) -> int:
    """Submit, with what was saved, every open attempt past its deadline and grace. Returns how many."""
    now = now or timezone.now()
    count = 0
    for attempt in attempts_overdue(now=now).only("pk"):
        if attempt_submit(attempt=attempt, now=now).state == AttemptState.OVERDUE_SUBMITTED:
            count += 1
    return count


def quiz_questions_check(*, actor, question_ids: list[int]) -> bool:
    """Whether every question is in the actor's bank (a quiz may only use questions its author sees)."""
    return questions_visible_to(actor).filter(pk__in=question_ids).count() == len(set(question_ids))

