"""Reads of the learning records, and who may enrol in what. Scoping of people is organisations'."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from organisations.models import Person
from organisations.selectors import people_managed_by, units_managed_by

from .choices import AccessMode, EnrolmentStatus
from .errors import AssignmentOnly, AudienceNotAdmitted, CourseNotLive, CoursesError, PrerequisitesMissing
from .models import (
    Assignment,
    Attendance,
    ClassSession,
    Cohort,
    Course,
    CourseAudience,
    Enrolment,
    Lesson,
    LessonActivity,
    LessonProgress,
)


def course_for_page(page_id: int) -> Course | None:
    return Course.objects.filter(page_id=page_id).first()


def anchored_page_ids() -> list[int]:
    """Pages of every course that was published at least once."""
    return list(Course.objects.values_list("page_id", flat=True))


def pages_have_learning_records(page_ids: QuerySet) -> bool:
    """Whether any of these pages anchors a course or lesson (they were published at least once)."""
    return Course.objects.filter(page_id__in=page_ids).exists() or Lesson.objects.filter(page_id__in=page_ids).exists()


def live_courses() -> QuerySet[Course]:
    return Course.objects.filter(is_live=True).order_by("title", "id")


def enrolment_for(person: Person | None, course: Course) -> Enrolment | None:
    if person is None:
        return None
    return Enrolment.objects.filter(person=person, course=course).select_related("last_lesson__page").first()


def missing_prerequisites(*, person: Person, course: Course) -> list[str]:
    """Titles of the course's live prerequisites the person has not completed, in one query."""
    completed = Enrolment.objects.filter(
        person=person, course=OuterRef("pk"), status=EnrolmentStatus.COMPLETED
    )
    missing = course.prerequisites.filter(is_live=True).exclude(Exists(completed)).order_by("title")
    return list(missing.values_list("title", flat=True))


def self_enrolment_refusal(*, person: Person, course: Course) -> CoursesError | None:
    """Why the person may not enrol themselves in the course, or None when they may."""
    if not course.is_live:
        return CourseNotLive()
    if course.access_mode == AccessMode.ASSIGNMENT_ONLY:
        return AssignmentOnly()
    if (
        course.access_mode == AccessMode.SELF_ENROLMENT
        and not CourseAudience.objects.filter(course=course, audience=person.audience).exists()
    ):
        return AudienceNotAdmitted()
    missing = missing_prerequisites(person=person, course=course)
    if missing:
        return PrerequisitesMissing(missing)
    return None


def courses_visible_to(person: Person | None) -> QuerySet[Course]:
    """Live courses the person may see in their learning space: those they could enrol in
    themselves (open, or for their audience) and those they are enrolled in or assigned to."""
    courses = live_courses()
    if person is None:
        return courses.filter(access_mode=AccessMode.OPEN)
    return courses.filter(
        Q(access_mode=AccessMode.OPEN)
        | Q(access_mode=AccessMode.SELF_ENROLMENT, audiences__audience=person.audience)
        | Q(enrolments__person=person)
        | Q(assignments__person=person)
    ).distinct()


@dataclass
class EnrolmentPanel:
    """What the course page shows about joining: the enrolment, or whether and why not."""

    course: Course | None
    person: Person | None = None
    enrolment: Enrolment | None = None
    refusal: CoursesError | None = None

    @property
    def can_enrol(self) -> bool:
        return None not in (self.course, self.person) and self.enrolment is None and self.refusal is None


def enrolment_panel(*, person: Person | None, page_id: int) -> EnrolmentPanel:
    course = course_for_page(page_id)
    if course is None or person is None:
        return EnrolmentPanel(course=course)
    enrolment = enrolment_for(person, course)
    if enrolment is not None:
        return EnrolmentPanel(course=course, person=person, enrolment=enrolment)
    return EnrolmentPanel(course=course, person=person, refusal=self_enrolment_refusal(person=person, course=course))


def assignments_in_scope(*, user, course: Course) -> QuerySet[Assignment]:
    """The course's assignments of people the user manages, each with its `enrolment_status`."""
    status = Enrolment.objects.filter(person=OuterRef("person"), course=OuterRef("course")).values("status")[:1]
    return (
        Assignment.objects.filter(course=course, person__in=people_managed_by(user).values("pk"))
        .select_related("person", "person__unit")
        .annotate(enrolment_status=Subquery(status))
        .order_by("person__full_name", "person_id")
    )


DUE_SOON_DAYS = 7


def _percent(done: int, total: int) -> int:
    return round(done * 100 / total) if total else 0


@dataclass(frozen=True)
class CourseProgress:
    """How far an enrolment is: required lessons done of the total, and every completed lesson's page id."""

    done: int
    total: int
    done_page_ids: frozenset[int]

    @property
    def percent(self) -> int:
        return _percent(self.done, self.total)


def course_progress(enrolment: Enrolment) -> CourseProgress:
    """Progress through the live lessons of the enrolment's course, in one query."""
    completed = LessonProgress.objects.filter(enrolment=enrolment, lesson=OuterRef("pk"), completed_at__isnull=False)
    rows = (
        Lesson.objects.filter(course_id=enrolment.course_id, is_live=True)
        .annotate(done=Exists(completed))
        .values_list("page_id", "is_required", "done")
    )
    done_page_ids, done, total = set(), 0, 0
    for page_id, is_required, is_done in rows:
        if is_done:
            done_page_ids.add(page_id)
        if is_required:
            total += 1
            done += is_done
    return CourseProgress(done=done, total=total, done_page_ids=frozenset(done_page_ids))


@dataclass
class LearningDashboard:
    """A learner's enrolments sorted for "My learning". Each enrolment carries `due_date` (None when
    not assigned), `lessons_done` and `lessons_total` (required live lessons) and `percent`.

    assigned: assigned and not started; in_progress: the other active ones; completed; due_soon:
    active with a due date within DUE_SOON_DAYS days; overdue: active and past their due date.
    """

    assigned: list[Enrolment] = field(default_factory=list)
    in_progress: list[Enrolment] = field(default_factory=list)
    completed: list[Enrolment] = field(default_factory=list)
    due_soon: list[Enrolment] = field(default_factory=list)
    overdue: list[Enrolment] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.assigned or self.in_progress or self.completed)


def _count(grouped: QuerySet) -> Coalesce:
    """The row count of a correlated queryset grouped by its outer reference, as a subquery (0 if none)."""
    counted = grouped.order_by().annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def learning_dashboard(person: Person, *, today: datetime.date | None = None) -> LearningDashboard:
    """The person's live-course enrolments (withdrawn left out) in "My learning" buckets, in one query."""
    today = today or timezone.localdate()
    required = Lesson.objects.filter(course=OuterRef("course"), is_live=True, is_required=True)
    done = LessonProgress.objects.filter(
        enrolment=OuterRef("pk"), completed_at__isnull=False, lesson__is_live=True, lesson__is_required=True
    )
    due = Assignment.objects.filter(person=OuterRef("person"), course=OuterRef("course")).values("due_date")[:1]
    enrolments = (
        Enrolment.objects.filter(person=person, course__is_live=True)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("course__page", "last_lesson__page", "cohort")
        .prefetch_related(
            Prefetch(
                "cohort__sessions",
                queryset=ClassSession.objects.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk"),
                to_attr="upcoming_sessions",
            )
        )
        .annotate(
            due_date=Subquery(due),
            lessons_total=_count(required.values("course")),
            lessons_done=_count(done.values("enrolment")),
        )
        .order_by("course__title", "pk")
    )
    dashboard = LearningDashboard()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    for enrolment in enrolments:
        enrolment.percent = 100 if enrolment.status == EnrolmentStatus.COMPLETED else _percent(
            enrolment.lessons_done, enrolment.lessons_total
        )
        if enrolment.status == EnrolmentStatus.COMPLETED:
            dashboard.completed.append(enrolment)
            continue
        if enrolment.due_date is not None and enrolment.last_lesson_id is None:
            dashboard.assigned.append(enrolment)
        else:
            dashboard.in_progress.append(enrolment)
        if enrolment.due_date is not None and enrolment.due_date < today:
            dashboard.overdue.append(enrolment)
        elif enrolment.due_date is not None and enrolment.due_date <= soon:
            dashboard.due_soon.append(enrolment)
    dashboard.completed.sort(key=lambda enrolment: enrolment.completed_at, reverse=True)
    dashboard.due_soon.sort(key=lambda enrolment: enrolment.due_date)
    dashboard.overdue.sort(key=lambda enrolment: enrolment.due_date)
    return dashboard


# Classes ---------------------------------------------------------------------------------------


def cohorts_managed_by(user) -> QuerySet[Cohort]:
    """Classes of the units the user manages (their subtree), newest first."""
    units = units_managed_by(user)
    return Cohort.objects.filter(unit__in=units.values("pk")).select_related("course", "unit")


def can_manage_cohort(user, cohort: Cohort) -> bool:
    return units_managed_by(user).filter(pk=cohort.unit_id).exists()


def cohorts_visible_to(user) -> QuerySet[Cohort]:
    """Classes the user may open: those they manage and those with a session they teach."""
    taught = ClassSession.objects.filter(trainer=user).values("cohort_id")
    units = units_managed_by(user).values("pk")
    return (
        Cohort.objects.filter(Q(unit__in=units) | Q(pk__in=taught))
        .select_related("course", "unit")
        .annotate(
            member_count=_count(Enrolment.objects.filter(cohort=OuterRef("pk")).values("cohort")),
            session_count=_count(ClassSession.objects.filter(cohort=OuterRef("pk")).values("cohort")),
        )
        .order_by("-starts_on", "name", "pk")
    )


def cohort_members(cohort: Cohort) -> QuerySet[Enrolment]:
    """The class's members with `attended` (sessions present) and `lessons_done` / `lessons_total`."""
    required = Lesson.objects.filter(course=OuterRef("course"), is_live=True, is_required=True)
    done = LessonProgress.objects.filter(
        enrolment=OuterRef("pk"), completed_at__isnull=False, lesson__is_live=True, lesson__is_required=True
    )
    attended = Attendance.objects.filter(enrolment=OuterRef("pk"), session__cohort=cohort, present=True)
    return (
        Enrolment.objects.filter(cohort=cohort)
        .select_related("person", "person__unit")
        .annotate(
            attended=_count(attended.values("enrolment")),
            lessons_total=_count(required.values("course")),
            lessons_done=_count(done.values("enrolment")),
        )
        .order_by("person__full_name", "pk")
    )


def cohort_sessions(cohort: Cohort) -> QuerySet[ClassSession]:
    """The class's sessions in time order, each with `present_count` and `recorded` (attendance taken)."""
    rows = Attendance.objects.filter(session=OuterRef("pk"))
    return (
        ClassSession.objects.filter(cohort=cohort)
        .select_related("trainer")
        .annotate(
            present_count=_count(rows.filter(present=True).values("session")),
            recorded=Exists(rows),
        )
        .order_by("starts_at", "pk")
    )


def session_attendance(session: ClassSession) -> list[Enrolment]:
    """The members of the session's class, each with `present` (True, False, or None if not recorded)."""
    present = Attendance.objects.filter(session=session, enrolment=OuterRef("pk")).values("present")[:1]
    return list(
        Enrolment.objects.filter(cohort_id=session.cohort_id)
        .select_related("person", "person__unit")
        .annotate(present=Subquery(present))
        .order_by("person__full_name", "pk")
    )


def required_lessons_complete(enrolment: Enrolment) -> bool:
    """Every live required lesson of the enrolment's course is complete."""
    completed = LessonProgress.objects.filter(enrolment=enrolment, lesson=OuterRef("pk"), completed_at__isnull=False)
    return not (
        Lesson.objects.filter(course_id=enrolment.course_id, is_live=True, is_required=True)
        .exclude(Exists(completed))
        .exists()
    )


def course_final_exam(course_id: int) -> LessonActivity | None:
    """The live activity placed on the course itself (its final exam), if it has one."""
    return LessonActivity.objects.filter(course_id=course_id, lesson__isnull=True, is_live=True).first()


def final_exam_locked(enrolment: Enrolment, exam: LessonActivity) -> bool:
    """The exam opens only after the required lessons and the learner has not completed them yet."""
    return exam.after_lessons and not required_lessons_complete(enrolment)


# Enrolments whose activities stay open: a completed course can still be reviewed and practised.
OPEN_STATUSES = (EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)


def activity_open_to(person: Person | None, *, kind: str, ref: str) -> bool:
    """Whether the person may take a scored activity: a live lesson of a live course they are enrolled
    in (in progress, or completed: a finished course stays open for review and practice) places it,
    or it is the final exam of such a course and is not locked for them (an exam that opens after
    the lessons stays shut until their required lessons are complete)."""
    return str(ref) in activities_open_to(person, kind=kind, refs=[ref])


def activities_open_to(person: Person | None, *, kind: str, refs) -> set[str]:
    """The refs among `refs` that `activity_open_to` allows, in one query when a lesson of the
    person's courses places them all (a lesson page with several quizzes)."""
    refs = {str(ref) for ref in refs}
    if person is None or not refs:
        return set()
    placed = LessonActivity.objects.filter(kind=kind, ref__in=refs, is_live=True)
    open_refs = set(
        placed.filter(
            lesson__is_live=True, lesson__course__is_live=True,
            lesson__course__enrolments__person=person, lesson__course__enrolments__status__in=OPEN_STATUSES,
        ).values_list("ref", flat=True)
    )
    if open_refs == refs:
        return open_refs
    exams = list(placed.filter(ref__in=refs - open_refs, lesson__isnull=True, course__is_live=True))
    if not exams:
        return open_refs
    enrolments = {
        enrolment.course_id: enrolment
        for enrolment in Enrolment.objects.filter(
            person=person, status__in=OPEN_STATUSES, course_id__in=[exam.course_id for exam in exams]
        )
    }
    return open_refs | {
        exam.ref for exam in exams
        if exam.course_id in enrolments and not final_exam_locked(enrolments[exam.course_id], exam)
    }
