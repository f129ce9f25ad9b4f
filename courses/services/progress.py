"""Progress and completion: lessons opened, scored activities passed, class attendance, and the
course completion rule. Completion is decided here and only here."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from certification import api as certification
from organisations.models import Person

from ..choices import EnrolmentStatus
from ..models import ActivityPass, Attendance, ClassSession, Enrolment, Lesson, LessonActivity, LessonProgress


def lesson_open(*, person: Person | None, lesson_page_id: int) -> Enrolment | None:
    """The person opened a lesson page: record it for their enrolment in its course, if they have one.

    Records the first opening once (opening again changes nothing but the resume point), moves the
    enrolment's resume point to this lesson, completes the lesson when its rule holds, and then the
    course when its completion rule holds. Returns the enrolment, or None when nothing is
    recorded: no profile, a lesson or course not live, or no enrolment (withdrawn counts as none).
    """
    if person is None:
        return None
    # One query: the enrolment joined to the live lesson of its live course, with whether the lesson
    # was opened, completed, and still misses a required activity (the lesson rule) annotated.
    progress = LessonProgress.objects.filter(enrolment=OuterRef("pk"), lesson=OuterRef("open_lesson_id"))
    passed = ActivityPass.objects.filter(enrolment_id=OuterRef(OuterRef("pk")), activity=OuterRef("pk"))
    missing = LessonActivity.objects.filter(
        lesson_id=OuterRef("open_lesson_id"), is_live=True, is_required=True
    ).exclude(Exists(passed))
    enrolment = (
        Enrolment.objects.filter(
            person=person,
            course__is_live=True,
            course__lessons__page_id=lesson_page_id,
            course__lessons__is_live=True,
        )
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .annotate(
            open_lesson_id=F("course__lessons__pk"),
            lesson_opened=Exists(progress),
            lesson_completed=Exists(progress.filter(completed_at__isnull=False)),
            lesson_missing=Exists(missing),
        )
        .first()
    )
    if enrolment is None:
        return None
    if (
        enrolment.lesson_opened
        and enrolment.last_lesson_id == enrolment.open_lesson_id
        and (enrolment.lesson_completed or enrolment.lesson_missing)
    ):
        # Opened before, already the resume point, nothing newly complete: the usual reopening only
        # reads, in that one query, outside any transaction.
        return enrolment
    lesson = Lesson.objects.get(pk=enrolment.open_lesson_id)
    return _lesson_open_record(enrolment=enrolment, lesson=lesson)


@transaction.atomic
def _lesson_open_record(*, enrolment: Enrolment, lesson: Lesson) -> Enrolment:
    # get_or_create retries the read when a parallel request inserted the row first (unique constraint).
    progress, _created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    if enrolment.last_lesson_id != lesson.pk:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
        enrolment.last_lesson = lesson
    if progress.completed_at is None and _lesson_complete_if_done(progress):
        enrolment.refresh_from_db()
    return enrolment


def _lesson_complete_if_done(progress: LessonProgress) -> bool:
    """Complete the lesson when its rule holds, then the course when its rule holds. Returns whether
    the lesson completed now."""
    if progress.completed_at is not None or not _lesson_rule_holds(progress):
        return False
    progress.completed_at = timezone.now()
    progress.save(update_fields=["completed_at"])
    enrolment_complete_if_done(enrolment=progress.enrolment)
    return True


def _lesson_rule_holds(progress: LessonProgress) -> bool:
    """A lesson is complete when the learner has opened it and passed every required, live scored
    activity (quiz, H5P) placed in it. Lessons without such activities complete on opening."""
    if progress.first_opened_at is None:
        return False
    passed = ActivityPass.objects.filter(enrolment_id=progress.enrolment_id, activity=OuterRef("pk"))
    return not (
        LessonActivity.objects.filter(lesson_id=progress.lesson_id, is_live=True, is_required=True)
        .exclude(Exists(passed))
        .exists()
    )


@transaction.atomic
def activity_result_record(*, person: Person, kind: str, ref: str, passed: bool) -> list[Enrolment]:
    """A scored activity (`kind`, `ref`: a quiz or H5P id of the owning app) was graded for the person.

    The assessments and H5P apps call this after grading. A pass is recorded once, for every live
    placement of the activity in the person's active enrolments: a live lesson that places it, or a
    live course that has it as its final exam. Then each such lesson, if already opened, completes
    when its rule holds, and the course with it (a final exam checks the course directly). A fail
    records nothing (a later pass still counts; a pass is never taken back by a later fail). Returns
    the enrolments that gained a pass.
    """
    if not passed:
        return []
    activities = (
        LessonActivity.objects.filter(kind=kind, ref=str(ref), is_live=True)
        .filter(
            Q(lesson__is_live=True, lesson__course__is_live=True) | Q(lesson__isnull=True, course__is_live=True)
        )
        .select_related("lesson")
    )
    touched = []
    for activity in activities:
        course_id = activity.lesson.course_id if activity.lesson_id else activity.course_id
        enrolment = Enrolment.objects.filter(person=person, course_id=course_id, status=EnrolmentStatus.ACTIVE).first()
        if enrolment is None:
            continue
        _pass, created = ActivityPass.objects.get_or_create(enrolment=enrolment, activity=activity)
        if not created:
            continue
        touched.append(enrolment)
        if activity.lesson_id is None:
            enrolment_complete_if_done(enrolment=enrolment)
            continue
        progress = LessonProgress.objects.filter(enrolment=enrolment, lesson_id=activity.lesson_id).first()
        if progress is not None:
            _lesson_complete_if_done(progress)
    return touched


def attendance_rule_holds(enrolment: Enrolment) -> bool:
    """The in-person part of the completion rule: a member of a class that requires attendance has
    attended at least that share of the class's sessions (all of them count, held or still to come)."""
    cohort = enrolment.cohort
    if cohort is None or cohort.min_attendance_percent == 0:
        return True
    sessions = ClassSession.objects.filter(cohort=cohort).count()
    if sessions == 0:
        return False
    attended = Attendance.objects.filter(enrolment=enrolment, session__cohort=cohort, present=True).count()
    return attended * 100 >= cohort.min_attendance_percent * sessions


def course_activities_passed(enrolment: Enrolment) -> bool:
    """The final-exam part of the completion rule: every live, required activity placed on the course
    itself (not in a lesson) is passed."""
    passed = ActivityPass.objects.filter(enrolment_id=enrolment.pk, activity=OuterRef("pk"))
    return not (
        LessonActivity.objects.filter(
            course_id=enrolment.course_id, lesson__isnull=True, is_live=True, is_required=True
        )
        .exclude(Exists(passed))
        .exists()
    )


@transaction.atomic
def enrolment_complete_if_done(*, enrolment: Enrolment) -> bool:
    """Complete the enrolment when the course's completion rule holds: every live required lesson is
    complete (which includes its required quizzes and H5P activities passed), the course's final
    exam (a live, required course-level activity) is passed and, for a member of a class that
    requires it, the in-person attendance.

    Completion is recorded once, with its time: a completed (or withdrawn) enrolment is left as it
    is, so later openings never move `completed_at`. Returns whether it completed now.

    On completion the certification app is told through its public api (not a signal): it issues
    the certificate after this transaction commits, so a rolled-back completion issues nothing.
    """
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return False
    completed = LessonProgress.objects.filter(enrolment=enrolment, lesson=OuterRef("pk"), completed_at__isnull=False)
    missing = Lesson.objects.filter(course_id=enrolment.course_id, is_live=True, is_required=True).exclude(
        Exists(completed)
    )
    if missing.exists() or not attendance_rule_holds(enrolment) or not course_activities_passed(enrolment):
        return False
    enrolment.status, enrolment.completed_at = EnrolmentStatus.COMPLETED, timezone.now()
    enrolment.full_clean(validate_unique=False)
    enrolment.save(update_fields=["status", "completed_at"])
    certification.course_completion_notify(enrolment_id=enrolment.pk)
    return True
