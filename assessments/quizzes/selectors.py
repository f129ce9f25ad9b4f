"""Reads of quizzes and attempts, and who may see what.

Trainers see and change the quizzes they own; curriculum managers and site administrators see all
(the same rule as the question bank). A learner may take a quiz that a live lesson of a course they
are actively enrolled in places, and sees only their own attempts: anything else answers 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from accounts.roles import Role, has_role
from assessments.models import Attempt, AttemptSlot, QuestionVersion, Quiz
from assessments.selectors import sees_whole_bank
from courses.choices import ActivityKind
from courses.models import LessonActivity
from courses.selectors import activities_open_to, activity_open_to
from organisations.models import Person
from organisations.selectors import person_of

from .choices import FINISHED_STATES, AttemptState, GradingMethod, ReviewOption


def grace() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.QUIZ_ANSWER_GRACE_SECONDS)


def quizzes_visible_to(user) -> QuerySet[Quiz]:
    quizzes = Quiz.objects.select_related("owner")
    if sees_whole_bank(user):
        return quizzes
    if has_role(user, Role.TRAINER):
        return quizzes.filter(owner=user)
    return quizzes.none()


def quiz_placed_for(person, quiz: Quiz) -> bool:
    """Whether a live lesson of a course the person is enrolled in (in progress or completed) places
    the quiz, or it is such a course's final exam and open to them (courses decides, lock included)."""
    return activity_open_to(person, kind=ActivityKind.QUIZ, ref=str(quiz.pk))


def quiz_for_learner(user, quiz_id) -> tuple[Quiz, object] | None:
    """The quiz and the user's person, if the user may take it; None otherwise (the view answers 404)."""
    person = person_of(user)
    quiz = Quiz.objects.filter(pk=quiz_id).first() if str(quiz_id).isdecimal() else None
    if quiz is None or not quiz_placed_for(person, quiz):
        return None
    return quiz, person


def attempt_return_link(attempt: Attempt) -> tuple[str, str] | None:
    """(address, label) of where the review of a finished attempt leads back to, or None.

    The quiz's page while the quiz is open to the attempt's person. Otherwise an app that starts attempts of
    its own quizzes says where (the `attempt_return_link` hook: the placement survey's diagnostic quiz leads
    back to the survey); a quiz no longer open to the person (a course left or unpublished) leads nowhere,
    rather than to a page that answers 404.
    """
    if quiz_placed_for(attempt.person, attempt.quiz):
        return reverse("assessments:quiz", args=[attempt.quiz_id]), _("Back to the quiz")
    for hook in hooks.get_hooks("attempt_return_link"):
        link = hook(attempt)
        if link:
            return link
    return None


def attempt_of_user(user, attempt_id) -> Attempt | None:
    """The user's own attempt (None for anyone else's: the view answers 404)."""
    person = person_of(user)
    if person is None or not str(attempt_id).isdecimal():
        return None
    return Attempt.objects.select_related("quiz").filter(pk=attempt_id, person=person).first()


@dataclass(frozen=True)
class AnswerTarget:
    """The slot an autosave writes and what its response is checked against."""

    slot_id: int
    attempt_id: int
    number: int
    page: int
    qtype: str
    payload: dict


def answer_target(user, attempt_id, slot_number: int) -> AnswerTarget | None:
    """The slot `slot_number` of the user's own attempt (None for anyone else's), whatever the attempt's
    state: the autosave's conditional UPDATE decides whether it may still be written.

    The read every autosave makes (issue 8, E1): plain SQL, one statement over primary keys and the
    (attempt, number) unique index, because building the same join through the ORM cost more CPU than
    the rest of the request.
    """
    if not getattr(user, "is_authenticated", False) or not str(attempt_id).isdecimal():
        return None
    attempt_id, slot_number = int(attempt_id), int(slot_number)
    if attempt_id >= 2**63 or not 0 <= slot_number < 2**31:  # out of the columns' range: no such slot
        return None
    sql = (
        f"SELECT s.id, s.page, v.qtype, v.payload FROM {AttemptSlot._meta.db_table} s "
        f"JOIN {Attempt._meta.db_table} a ON a.id = s.attempt_id "
        f"JOIN {Person._meta.db_table} p ON p.id = a.person_id "
        f"JOIN {QuestionVersion._meta.db_table} v ON v.id = s.version_id "
        "WHERE s.attempt_id = %s AND s.number = %s AND p.user_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [attempt_id, slot_number, user.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    slot_id, page, qtype, payload = row
    payload = QuestionVersion._meta.get_field("payload").from_db_value(payload, None, connection)
    return AnswerTarget(slot_id=slot_id, attempt_id=attempt_id, number=slot_number, page=page, qtype=qtype,
                        payload=payload)


def attempts_of(person, quiz: Quiz) -> list[Attempt]:
    return list(Attempt.objects.filter(person=person, quiz=quiz).order_by("number"))


def open_attempt(person, quiz: Quiz) -> Attempt | None:
    return Attempt.objects.filter(person=person, quiz=quiz, state=AttemptState.IN_PROGRESS).first()


def quiz_grade(attempts: list[Attempt], method: str) -> float | None:
    """The person's quiz grade (a fraction in [0, 1]) from their finished attempts, per the grading method.

    Attempts still awaiting manual grading count with their provisional score.
    """
    scored = sorted((a for a in attempts if a.state in FINISHED_STATES and a.fraction is not None), key=lambda a: a.number)
    if not scored:
        return None
    fractions = [attempt.fraction for attempt in scored]
    if method == GradingMethod.LAST:
        return fractions[-1]
    if method == GradingMethod.FIRST:
        return fractions[0]
    if method == GradingMethod.AVERAGE:
        return sum(fractions) / len(fractions)
    return max(fractions)


def quiz_passed(quiz: Quiz, grade: float | None) -> bool:
    return grade is not None and grade * 100 >= float(quiz.pass_mark) - 1e-9


@dataclass(frozen=True)
class ReviewRights:
    score: bool = False
    marks: bool = False
    correct_answers: bool = False


def review_rights(attempt: Attempt, *, now: datetime.datetime | None = None) -> ReviewRights:
    """What the learner may see of a finished attempt (nothing of an open one)."""
    if attempt.state not in FINISHED_STATES:
        return ReviewRights()
    option = attempt.quiz.review_option
    if option == ReviewOption.SCORE_ONLY:
        return ReviewRights(score=True)
    if option == ReviewOption.ANSWERS_MARKED:
        return ReviewRights(score=True, marks=True)
    if option == ReviewOption.CORRECT_ANSWERS:
        return ReviewRights(score=True, marks=True, correct_answers=True)
    closes_at = attempt.quiz.closes_at
    closed = closes_at is None or (now or timezone.now()) >= closes_at
    return ReviewRights(score=True, marks=True, correct_answers=closed)


def attempts_overdue(*, now: datetime.datetime | None = None) -> QuerySet[Attempt]:
    """Open attempts whose deadline plus the grace has passed (the beat task submits them)."""
    return Attempt.objects.filter(state=AttemptState.IN_PROGRESS, deadline__lt=(now or timezone.now()) - grace())


def quiz_standings(quizzes: list[Quiz], person) -> dict[int, dict]:
    """`quiz_standing` of each quiz the person may take (quiz_placed_for), by quiz id, in two queries
    whatever the number of quizzes: what a lesson page with several quiz blocks shows."""
    quizzes = {quiz.pk: quiz for quiz in quizzes}
    open_ids = {int(ref) for ref in activities_open_to(person, kind=ActivityKind.QUIZ, refs=quizzes)}
    attempts = {quiz_id: [] for quiz_id in open_ids}
    if open_ids:
        for attempt in Attempt.objects.filter(person=person, quiz_id__in=open_ids).order_by("number"):
            attempts[attempt.quiz_id].append(attempt)
    return {quiz_id: quiz_standing(quizzes[quiz_id], person, attempts=attempts[quiz_id]) for quiz_id in open_ids}


def quiz_standing(quiz: Quiz, person, *, attempts: list[Attempt] | None = None) -> dict:
    """The learner's standing at a quiz: attempts, grade, and whether they may start or continue."""
    attempts = attempts_of(person, quiz) if attempts is None else attempts
    grade = quiz_grade(attempts, quiz.grading_method)
    now = timezone.now()
    open_attempt = next((attempt for attempt in attempts if attempt.state == AttemptState.IN_PROGRESS), None)
    can_start = open_attempt is None and not (quiz.max_attempts and len(attempts) >= quiz.max_attempts) and not (
        quiz.opens_at and now < quiz.opens_at) and not (quiz.closes_at and now >= quiz.closes_at)
    return {
        "quiz": quiz, "attempts": attempts, "open_attempt": open_attempt, "can_start": can_start,
        "grade_percent": None if grade is None else round(grade * 100, 2), "passed": quiz_passed(quiz, grade),
        "attempts_left": None if not quiz.max_attempts else max(0, quiz.max_attempts - len(attempts)),
    }


# Results: who grades which quiz, the grading queue, attempts per quiz ----------------------------------


def quizzes_gradable_by(user) -> QuerySet[Quiz]:
    """The quizzes whose results a user sees and grades.

    Curriculum managers and site administrators: every quiz (as in the quiz admin). A trainer: the
    quizzes they own, and the quizzes placed in a lesson of a course they are listed on as a trainer
    (`Course.trainers`; `LessonActivity.ref` is the quiz id as text, compared as text so a stray
    non-numeric ref can never break the query), or set as the final exam of such a course (a
    course-level activity: `course` set, `lesson` empty). Anyone else: none.
    """
    from django.db.models import CharField, Q
    from django.db.models.functions import Cast

    quizzes = Quiz.objects.select_related("owner")
    if sees_whole_bank(user):
        return quizzes
    if not has_role(user, Role.TRAINER):
        return quizzes.none()
    placed = LessonActivity.objects.filter(
        Q(lesson__course__trainers=user) | Q(course__trainers=user), kind=ActivityKind.QUIZ
    ).values("ref")
    return quizzes.annotate(ref_text=Cast("pk", CharField())).filter(Q(owner=user) | Q(ref_text__in=placed))


def gradable_quiz(user, quiz_id) -> Quiz | None:
    """The quiz if the user grades it; None otherwise (the view answers 404, ids cannot be probed)."""
    if not str(quiz_id).isdecimal():
        return None
    return quizzes_gradable_by(user).filter(pk=quiz_id).first()


def grading_queue(user, *, search: str = ""):
    """Essay answers of finished attempts still without a mark, in the quizzes the user grades, oldest first."""
    from django.db.models import Q

    from assessments.choices import QuestionType
    from assessments.models import AttemptSlot

    slots = AttemptSlot.objects.filter(
        attempt__quiz__in=quizzes_gradable_by(user).values("pk"), attempt__state__in=FINISHED_STATES,
        version__qtype=QuestionType.ESSAY, mark__isnull=True,
    ).select_related("attempt__quiz", "attempt__person", "version__question")
    search = (search or "").strip()
    if search:
        slots = slots.filter(
            Q(attempt__quiz__title__icontains=search) | Q(attempt__person__full_name__icontains=search)
            | Q(attempt__person__employee_code__iexact=search)
        )
    return slots.order_by("attempt__submitted_at", "attempt_id", "number")


def gradable_slot(user, slot_id):
    """An essay slot of a finished attempt in a quiz the user grades (graded or not); None otherwise."""
    from assessments.choices import QuestionType
    from assessments.models import AttemptSlot

    if not str(slot_id).isdecimal():
        return None
    return (
        AttemptSlot.objects.filter(
            pk=slot_id, attempt__quiz__in=quizzes_gradable_by(user).values("pk"),
            attempt__state__in=FINISHED_STATES, version__qtype=QuestionType.ESSAY,
        )
        .select_related("attempt__quiz", "attempt__person", "version__question", "grading")
        .first()
    )


def quiz_attempts(quiz: Quiz, *, state: str = "", search: str = "") -> QuerySet[Attempt]:
    """A quiz's attempts for its trainer, newest first, filtered by state and person."""
    from django.db.models import Q

    attempts = Attempt.objects.filter(quiz=quiz).select_related("person")
    if state in AttemptState.values:
        attempts = attempts.filter(state=state)
    search = (search or "").strip()
    if search:
        attempts = attempts.filter(Q(person__full_name__icontains=search) | Q(person__employee_code__iexact=search))
    return attempts.order_by("-started_at", "-pk")


def gradable_attempt(user, attempt_id) -> Attempt | None:
    if not str(attempt_id).isdecimal():
        return None
    return (
        Attempt.objects.filter(pk=attempt_id, quiz__in=quizzes_gradable_by(user).values("pk"))
        .select_related("quiz", "person").first()
    )


def regradable_attempts(quiz: Quiz) -> QuerySet[Attempt]:
    """The attempts a regrade of the quiz would touch: the finished ones."""
    return Attempt.objects.filter(quiz=quiz, state__in=FINISHED_STATES)
