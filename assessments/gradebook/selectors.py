"""Reads of the course gradebook: who may open it, its columns and its rows.

Course trainers, curriculum managers, site administrators and Home Affairs officers (who read
everything) see every learner of the course; a unit training officer sees only the learners in their
subtree (`organisations.selectors.people_in_scope`); anyone else sees nothing (the views answer 404).

A page of rows costs a fixed number of queries however many people it holds: the grades of all its
people are read in bulk, one query per activity kind, never per row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, has_role
from assessments.models import Attempt, Quiz
from assessments.quizzes.choices import FINISHED_STATES
from assessments.quizzes.selectors import quiz_grade
from courses.choices import ActivityKind
from courses.models import Course, Enrolment, Lesson, LessonActivity, LessonProgress
from h5p.selectors import grades_for
from organisations.models import OrganisationUnit
from organisations.selectors import officer_unit, people_in_scope

# Roles that see every learner of any course in the gradebook.
_WHOLE_COURSE_ROLES = (Role.CURRICULUM_MANAGER, Role.SITE_ADMIN, Role.HOME_AFFAIRS)


@dataclass(frozen=True)
class GradebookScope:
    """Which learners of the course a user sees: all (`people` None) or those in a queryset."""

    course: Course
    people: QuerySet | None = None


def _sees_all_courses(user) -> bool:
    return has_role(user, *_WHOLE_COURSE_ROLES)


def gradebook_courses_for(user) -> QuerySet[Course]:
    """The courses whose gradebook the user may open (live or once published), by title."""
    courses = Course.objects.all()
    if _sees_all_courses(user):
        return courses
    allowed = Q(trainers=user) if has_role(user, Role.TRAINER) else Q(pk__in=[])
    if officer_unit(user) is not None:
        in_scope = Enrolment.objects.filter(course=OuterRef("pk"), person__in=people_in_scope(user).values("pk"))
        return courses.filter(allowed | Q(Exists(in_scope))).distinct()
    return courses.filter(allowed).distinct()


def gradebook_scope(user, course_id) -> GradebookScope | None:
    """What the user sees of the course's gradebook, or None (the view answers 404)."""
    course = Course.objects.filter(pk=course_id).first() if str(course_id).isdecimal() else None
    if course is None:
        return None
    if _sees_all_courses(user) or (has_role(user, Role.TRAINER) and course.trainers.filter(pk=user.pk).exists()):
        return GradebookScope(course=course)
    if officer_unit(user) is not None:
        return GradebookScope(course=course, people=people_in_scope(user))
    return None


@dataclass(frozen=True)
class Column:
    """A live scored activity of the course: a quiz or an H5P activity in a lesson, or the final exam."""

    activity_id: int
    kind: str
    ref: str
    title: str
    lesson_title: str
    is_required: bool
    is_final_exam: bool
    # For a quiz: the quiz's grading method and pass mark; for H5P: its pass percent.
    grading_method: str = ""
    pass_percent: Decimal | None = None

    @property
    def heading(self) -> str:
        if self.is_final_exam:
            return str(_("Final exam: %(title)s") % {"title": self.title})
        return f"{self.lesson_title} – {self.title}" if self.lesson_title else self.title


def gradebook_columns(course: Course) -> list[Column]:
    """The course's live scored activities in lesson order (then in the order the lesson places
    them), the final exam last. Two queries: the activities, then the quizzes' grading rules."""
    activities = list(
        LessonActivity.objects.filter(is_live=True)
        .filter(Q(lesson__course=course, lesson__is_live=True) | Q(lesson__isnull=True, course=course))
        .select_related("lesson")
        .order_by(F("lesson__position").asc(nulls_last=True), "id")
    )
    quiz_ids = [int(a.ref) for a in activities if a.kind == ActivityKind.QUIZ and a.ref.isdecimal()]
    quizzes = {quiz.pk: quiz for quiz in Quiz.objects.filter(pk__in=quiz_ids).only("grading_method", "pass_mark")}
    columns = []
    for activity in activities:
        quiz = quizzes.get(int(activity.ref)) if activity.kind == ActivityKind.QUIZ and activity.ref.isdecimal() else None
        columns.append(
            Column(
                activity_id=activity.pk, kind=activity.kind, ref=activity.ref, title=activity.title,
                lesson_title=activity.lesson.title if activity.lesson_id else "",
                is_required=activity.is_required, is_final_exam=activity.lesson_id is None,
                grading_method=quiz.grading_method if quiz else "",
                pass_percent=quiz.pass_mark if quiz else None,
            )
        )
    return columns


def gradebook_enrolments(scope: GradebookScope, *, query: str = "", unit_id: str = "") -> QuerySet[Enrolment]:
    """The course's enrolments the scope shows, searched by name or employee code and filtered by a
    unit's subtree, each with `lessons_done` (completed live required lessons), by name."""
    enrolments = Enrolment.objects.filter(course=scope.course).select_related("person", "person__unit")
    if scope.people is not None:
        enrolments = enrolments.filter(person__in=scope.people.values("pk"))
    query = query.strip()
    if query:
        enrolments = enrolments.filter(
            Q(person__full_name__icontains=query) | Q(person__employee_code__iexact=query)
        )
    unit = OrganisationUnit.objects.filter(pk=unit_id).first() if str(unit_id).isdecimal() else None
    if unit is not None:
        enrolments = enrolments.filter(person__unit__path__startswith=unit.path)
    done = (
        LessonProgress.objects.filter(
            enrolment=OuterRef("pk"), completed_at__isnull=False, lesson__is_live=True, lesson__is_required=True
        )
        .order_by()
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return enrolments.annotate(
        lessons_done=Coalesce(Subquery(done, output_field=IntegerField()), 0)
    ).order_by("person__full_name", "pk")


def gradebook_units(scope: GradebookScope) -> QuerySet[OrganisationUnit]:
    """The units of the people the scope shows in this course (the unit filter's choices)."""
    people = Enrolment.objects.filter(course=scope.course)
    if scope.people is not None:
        people = people.filter(person__in=scope.people.values("pk"))
    return OrganisationUnit.objects.filter(pk__in=people.values("person__unit_id")).order_by("path")


def lessons_total(course: Course) -> int:
    return Lesson.objects.filter(course=course, is_live=True, is_required=True).count()


AWAITING = "awaiting"


@dataclass(frozen=True)
class Cell:
    """One grade: a percentage, or None (not attempted); `awaiting` for a quiz with an attempt still
    to be graded by hand (the percentage is then the provisional grade)."""

    percent: float | None = None
    awaiting: bool = False
    passed: bool = False


@dataclass
class Row:
    enrolment: Enrolment
    cells: list[Cell] = field(default_factory=list)


def gradebook_rows(enrolments: list[Enrolment], columns: list[Column]) -> list[Row]:
    """The grades of a page of enrolments: one query for all their quiz attempts, one for all their
    H5P grades, whatever the number of people."""
    person_ids = [enrolment.person_id for enrolment in enrolments]
    quiz_ids = {int(c.ref) for c in columns if c.kind == ActivityKind.QUIZ and c.ref.isdecimal()}
    h5p_ids = {int(c.ref) for c in columns if c.kind == ActivityKind.H5P and c.ref.isdecimal()}
    attempts = defaultdict(list)
    if quiz_ids and person_ids:
        finished = Attempt.objects.filter(quiz_id__in=quiz_ids, person_id__in=person_ids, state__in=FINISHED_STATES)
        for attempt in finished.only("quiz_id", "person_id", "number", "state", "fraction", "needs_manual_grading"):
            attempts[(attempt.quiz_id, attempt.person_id)].append(attempt)
    h5p_grades = grades_for(content_ids=h5p_ids, person_ids=person_ids) if h5p_ids and person_ids else {}
    rows = []
    for enrolment in enrolments:
        row = Row(enrolment=enrolment)
        for column in columns:
            if not column.ref.isdecimal():
                row.cells.append(Cell())
            elif column.kind == ActivityKind.QUIZ:
                row.cells.append(_quiz_cell(column, attempts.get((int(column.ref), enrolment.person_id), [])))
            else:
                grade = h5p_grades.get((int(column.ref), enrolment.person_id))
                percent = None if grade is None else round(float(grade.scaled) * 100, 2)
                row.cells.append(Cell(percent=percent))
        rows.append(row)
    return rows


def _quiz_cell(column: Column, attempts: list[Attempt]) -> Cell:
    grade = quiz_grade(attempts, column.grading_method)
    if grade is None:
        return Cell()
    percent = round(grade * 100, 2)
    awaiting = any(attempt.needs_manual_grading for attempt in attempts)
    passed = column.pass_percent is not None and percent >= float(column.pass_percent) - 1e-9
    return Cell(percent=percent, awaiting=awaiting, passed=passed and not awaiting)
