"""Writes of quizzes and attempts: start, autosave, submit. Atomic, keyword-only.

Integrity rules (exam grade): the deadline is fixed on the server at start; the database allows one
open attempt per person and quiz (a second start returns it); answers are checked against the
attempt's own questions and the type's response shape before anything is written; submitting locks
the attempt row, so a double click grades once; a submitted attempt never changes.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.errors import MalformedResponse
from assessments.grading import Grade, grade
from assessments.models import Attempt, AttemptSlot, QuestionVersion, Quiz
from assessments.selectors import category_subtree_ids, questions_visible_to
from assessments.services import question_versions_mark_used
from courses.choices import ActivityKind
from courses.services import activity_result_record

from .choices import AttemptState, Navigation, QuestionSelection
from .errors import (
    AttemptFinished,
    AttemptRace,
    GradingOutOfScope,
    ManualMarkInvalid,
    NoAttemptsLeft,
    NotGradedByHand,
    NotEnoughQuestions,
    PageLocked,
    QuizClosed,
    QuizNotOpen,
    RegradeReasonMissing,
    SlotNotFound,
    TimeUp,
)
from .selectors import answer_target, attempts_of, attempts_overdue, grace, open_attempt, quiz_grade, quiz_passed

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
    Every learner of an exam starts at the same minute (issue 8, E2), so the path is kept to one read of
    the person's attempts, one of the questions, and one transaction that writes the attempt, its slots
    and (once per question version ever) the versions' frozen mark.
    """
    now = now or timezone.now()
    attempts = attempts_of(person, quiz)
    existing = next((attempt for attempt in attempts if attempt.state == AttemptState.IN_PROGRESS), None)
    if existing is not None:
        if existing.deadline is not None and now > existing.deadline + grace():
            return attempt_submit(attempt=existing, now=now)
        return existing
    if quiz.opens_at and now < quiz.opens_at:
        raise QuizNotOpen()
    if quiz.closes_at and now >= quiz.closes_at:
        raise QuizClosed()
    if quiz.max_attempts and len(attempts) >= quiz.max_attempts:
        raise NoAttemptsLeft()
    try:
        return _attempt_create(person=person, quiz=quiz, number=len(attempts) + 1, now=now)
    except IntegrityError:
        # Another request of the same person started one at the same moment (the database allows one
        # open attempt, and one attempt per number): continue that one.
        existing = open_attempt(person, quiz)
        if existing is None:
            raise AttemptRace() from None
        return existing


@transaction.atomic
def _attempt_create(*, person, quiz: Quiz, number: int, now: datetime.datetime) -> Attempt:
    drawn = _draw(quiz)
    per_page = quiz.questions_per_page
    attempt = Attempt(
        quiz=quiz, person=person, number=number, started_at=now, deadline=_deadline(quiz, now),
        max_score=sum((mark for _version, mark in drawn), Decimal(0)),
    )
    # The quiz and the person were just read: no query to check that they exist.
    attempt.full_clean(exclude=["quiz", "person"], validate_constraints=False)
    attempt.save()
    AttemptSlot.objects.bulk_create([
        AttemptSlot(
            attempt=attempt, number=index + 1, page=index // per_page + 1 if per_page else 1,
            version=version, max_mark=mark, option_order=_option_order(quiz, version),
        )
        for index, (version, mark) in enumerate(drawn)
    ])
    question_versions_mark_used(versions=[version for version, _mark in drawn])
    if attempt.deadline is not None:
        from assessments.tasks import attempt_submit_when_overdue

        # Submitted as soon as it is overdue, not up to a minute later by the beat (issue 8, E4). A
        # countdown rather than an ETA: a send kept in the outbox (lms.celery_safe) stores it as JSON.
        overdue_in = (attempt.deadline + grace() - now).total_seconds()
        countdown = max(0, math.ceil(overdue_in)) + 1
        attempt_submit_when_overdue.apply_async_on_commit(args=[attempt.pk], countdown=countdown)
    return attempt


def _check_writable(attempt: Attempt, slot_pages: set[int], now: datetime.datetime) -> None:
    if attempt.state != AttemptState.IN_PROGRESS:
        raise AttemptFinished()
    if attempt.deadline is not None and now > attempt.deadline + grace():
        raise TimeUp()
    if attempt.quiz.navigation == Navigation.SEQUENTIAL and slot_pages != {attempt.current_page}:
        raise PageLocked()


@dataclass(frozen=True)
class SavedAnswer:
    attempt_id: int
    number: int
    response: Any
    saved_at: datetime.datetime


def answer_save(*, user, attempt_id: int, slot_number: int, response: Any, now: datetime.datetime | None = None) -> SavedAnswer:
    """Autosave one answer of the user's own open attempt: last write wins.

    The hottest write of an exam (issue 8, E1), so two statements and no transaction: the user's slot
    and its question version are read (`answer_target`), the response is checked against the version,
    then one conditional UPDATE writes it only if the attempt is, at that moment, open, within its
    deadline and grace and (sequential quizzes) on the slot's page (`_answer_write`). A refused write is
    explained from the attempt as it then is.
    """
    now = now or timezone.now()
    target = answer_target(user, attempt_id, slot_number)
    if target is None:
        raise SlotNotFound()
    grade(target.qtype, target.payload, response)  # raises MalformedResponse: nothing written
    if not _answer_write(target, response, now):
        attempt = Attempt.objects.select_related("quiz").get(pk=target.attempt_id)
        _check_writable(attempt, {target.page}, now)
        raise AttemptRace()  # the attempt refused the write and allowed it again a moment later: retry
    return SavedAnswer(attempt_id=target.attempt_id, number=target.number, response=response, saved_at=now)


def _answer_write(target, response: Any, now: datetime.datetime) -> bool:
    """UPDATE the slot if its attempt is open, not past deadline + grace and, in a sequential quiz, on
    the slot's page.

    On PostgreSQL the attempt row is read FOR SHARE inside the statement: a submit (which locks the
    attempt FOR UPDATE, then grades the slots) and this write are serialised, so a submit never grades a
    response older than one acknowledged, and once it commits the condition sees the attempt finished
    and nothing is written. SQLite has one writer at a time: the statement cannot interleave with a
    submit's transaction. Raw SQL because the ORM can lock a subquery neither outside a transaction
    nor in share mode; the values go through the fields' own adaptation.
    """
    lock = " FOR SHARE OF a" if connection.vendor == "postgresql" else ""
    sql = (
        f"UPDATE {AttemptSlot._meta.db_table} SET response = %s, saved_at = %s WHERE id = %s AND attempt_id IN ("
        f"SELECT a.id FROM {Attempt._meta.db_table} a JOIN {Quiz._meta.db_table} q ON q.id = a.quiz_id "
        "WHERE a.id = %s AND a.state = %s AND (a.deadline IS NULL OR a.deadline >= %s) "
        f"AND (q.navigation <> %s OR a.current_page = %s){lock})"
    )
    params = [
        _db_value(AttemptSlot, "response", response), _db_value(AttemptSlot, "saved_at", now), target.slot_id,
        target.attempt_id, AttemptState.IN_PROGRESS.value, _db_value(Attempt, "deadline", now - grace()),
        Navigation.SEQUENTIAL.value, target.page,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def _db_value(model, field: str, value):
    return model._meta.get_field(field).get_db_prep_save(value, connection)


@transaction.atomic
def answers_save(*, attempt: Attempt, responses: dict[int, Any], now: datetime.datetime | None = None) -> dict[int, str]:
    """Save a page of answers at once (the form without JavaScript), as the autosave saves each one: every
    answer that fits its question is written; the others are returned, {slot number: why}, and their slots
    keep what they held. Raises (nothing written) when the attempt may not be written or a slot is not its."""
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
    slots = {slot.number: slot for slot in attempt.slots.select_related("version").filter(number__in=list(responses))}
    if set(slots) != set(responses):
        raise SlotNotFound()
    _check_writable(attempt, {slot.page for slot in slots.values()} or {attempt.current_page}, now)
    rejected: dict[int, str] = {}
    for number, response in responses.items():
        try:
            grade(slots[number].version.qtype, slots[number].version.payload, response)
        except MalformedResponse as refusal:
            rejected[number] = refusal.message
    accepted = [slots[number] for number in responses if number not in rejected]
    for slot in accepted:
        slot.response, slot.saved_at = responses[slot.number], now
    AttemptSlot.objects.bulk_update(accepted, ["response", "saved_at"])
    return rejected


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



# Results: manual grading and regrades ------------------------------------------------------------------
# A submitted attempt changes only here. Both paths end like a submit: the attempt's score is summed
# again from its slots and `_results_feed` reports a passing quiz grade to courses and certification.
# A lower score never takes anything back: courses keeps a pass once recorded (ActivityPass) and the
# competency registry keeps its evidence; the RegradeRecord says what changed.


def _attempt_rescore(attempt: Attempt, slots: list[AttemptSlot]) -> None:
    """Sum the attempt's marks again (unmarked essays count 0 and keep it awaiting manual grading)."""
    attempt.score = sum((slot.mark for slot in slots if slot.mark is not None), Decimal(0))
    attempt.max_score = sum((slot.max_mark for slot in slots), Decimal(0))
    attempt.fraction = float(attempt.score / attempt.max_score) if attempt.max_score else 0.0
    attempt.needs_manual_grading = any(slot.mark is None for slot in slots)


def _check_grader(by, quiz_id: int) -> None:
    from .selectors import quizzes_gradable_by

    if not quizzes_gradable_by(by).filter(pk=quiz_id).exists():
        raise GradingOutOfScope()


@transaction.atomic
def slot_grade_manually(
    *, slot: AttemptSlot, by, mark: Decimal | int | str, comment: str = "", now: datetime.datetime | None = None
) -> AttemptSlot:
    """Mark an essay answer by hand (0..the slot's mark) with an optional comment for the learner.

    The attempt row is locked first (as submit does), so two trainers marking the same attempt add
    up correctly. Changing a mark already given keeps the old score in a RegradeRecord.
    """
    from assessments.choices import QuestionType
    from assessments.models import AttemptSlotGrading, RegradeRecord

    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().select_related("quiz", "person").get(pk=slot.attempt_id)
    _check_grader(by, attempt.quiz_id)
    slots = list(attempt.slots.select_related("version").order_by("number"))
    target = next((row for row in slots if row.pk == slot.pk), None)
    if target is None or attempt.state == AttemptState.IN_PROGRESS or target.version.qtype != QuestionType.ESSAY:
        raise NotGradedByHand()
    try:
        value = Decimal(str(mark).strip().replace(",", "."))
    except ArithmeticError:
        raise ManualMarkInvalid(target.max_mark) from None
    if not value.is_finite() or value < 0 or value > target.max_mark:
        raise ManualMarkInvalid(target.max_mark)
    old_score, old_fraction, remark = attempt.score, attempt.fraction, target.mark is not None
    target.mark = value.quantize(CENT, ROUND_HALF_UP)
    target.fraction = float(target.mark / target.max_mark) if target.max_mark else 1.0
    target.save(update_fields=["mark", "fraction"])
    AttemptSlotGrading.objects.update_or_create(
        slot=target, defaults={"comment": (comment or "").strip(), "graded_by": by, "graded_at": now}
    )
    _attempt_rescore(attempt, slots)
    attempt.save(update_fields=["score", "max_score", "fraction", "needs_manual_grading"])
    if remark and old_score != attempt.score:
        RegradeRecord.objects.create(
            attempt=attempt, old_score=old_score, new_score=attempt.score, old_fraction=old_fraction,
            new_fraction=attempt.fraction, by=by, at=now,
            reason=_("Mark of question %(number)s changed by hand.") % {"number": target.number},
        )
    _results_feed(attempt)
    return target


def _key_shape(version: QuestionVersion):
    """What a stored response refers to: option, pair or item ids (two versions with the same shape
    accept the same responses)."""
    payload = version.payload or {}
    if "options" in payload:
        return ("options", sorted(str(option["id"]) for option in payload["options"]))
    if "pairs" in payload:
        answers = {pair["answer"] for pair in payload["pairs"]} | set(payload.get("extra_answers", []))
        return ("pairs", sorted(str(pair["id"]) for pair in payload["pairs"]), sorted(answers))
    if "items" in payload:
        return ("items", sorted(str(item["id"]) for item in payload["items"]))
    return ("free",)


def answer_key(shown: QuestionVersion, current: QuestionVersion | None) -> QuestionVersion:
    """The version whose answer key a regrade uses for a slot that showed `shown`.

    The question's current version (the fix) when it has the same type and the same options, pairs
    or items (the learner's response means the same there); otherwise the version shown, unchanged.
    """
    if current is None or current.pk == shown.pk or current.qtype != shown.qtype:
        return shown
    return current if _key_shape(current) == _key_shape(shown) else shown


@transaction.atomic
def quiz_regrade(*, quiz: Quiz, by, reason: str, question=None, now: datetime.datetime | None = None) -> int:
    """Grade again every finished attempt of the quiz (or only its slots of one question) against the
    answer key of each question's current version (see `answer_key`), and record every attempt's old
    and new score (RegradeRecord). Essays keep their hand marks. A regrade that makes a person's quiz
    grade pass records the pass, as a submit would; a lower score takes no pass or evidence back.
    Returns how many attempts were regraded."""
    from assessments.choices import QuestionType
    from assessments.models import RegradeRecord

    from .selectors import regradable_attempts

    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise RegradeReasonMissing()
    _check_grader(by, quiz.pk)
    attempts = {
        attempt.pk: attempt
        for attempt in regradable_attempts(quiz).select_for_update(of=("self",))
        .select_related("quiz", "person").order_by("pk")
    }
    if not attempts:
        return 0
    slots = list(
        AttemptSlot.objects.filter(attempt_id__in=list(attempts))
        .select_related("version__question__current_version").order_by("attempt_id", "number")
    )
    old = {pk: (attempt.score, attempt.fraction) for pk, attempt in attempts.items()}
    changed = []
    for slot in slots:
        if slot.version.qtype == QuestionType.ESSAY:
            continue
        if question is not None and slot.version.question_id != question.pk:
            continue
        key = answer_key(slot.version, slot.version.question.current_version)
        result = _slot_grade_with(key, slot.response)
        slot.fraction, slot.feedback_ids = result.fraction, list(result.feedback_ids)
        slot.mark = (slot.max_mark * Decimal(str(result.fraction))).quantize(CENT, ROUND_HALF_UP)
        slot.key_version = None if key.pk == slot.version_id else key
        changed.append(slot)
    AttemptSlot.objects.bulk_update(changed, ["fraction", "mark", "feedback_ids", "key_version"])
    by_attempt: dict[int, list[AttemptSlot]] = {}
    for slot in slots:
        by_attempt.setdefault(slot.attempt_id, []).append(slot)
    records = []
    for pk, attempt in attempts.items():
        _attempt_rescore(attempt, by_attempt.get(pk, []))
        records.append(RegradeRecord(
            attempt=attempt, old_score=old[pk][0], new_score=attempt.score, old_fraction=old[pk][1],
            new_fraction=attempt.fraction, reason=reason, by=by, at=now,
        ))
    Attempt.objects.bulk_update(list(attempts.values()), ["score", "max_score", "fraction", "needs_manual_grading"])
    RegradeRecord.objects.bulk_create(records)
    best: dict[int, Attempt] = {}
    for attempt in attempts.values():
        if attempt.person_id not in best or (attempt.fraction or 0) > (best[attempt.person_id].fraction or 0):
            best[attempt.person_id] = attempt
    for attempt in best.values():
        _results_feed(attempt)
    return len(attempts)


def _slot_grade_with(version: QuestionVersion, response) -> Grade:
    if response is None:
        return Grade(0.0)
    try:
        result = grade(version.qtype, version.payload, response)
    except MalformedResponse:
        return Grade(0.0)
    return result if result.fraction is not None else Grade(0.0)
