"""Writes of the learning records: keeping the course anchors in step with the pages, enrolment,
assignment and progress. Every service is atomic and takes keyword arguments only."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from organisations.models import OrganisationUnit, Person
from organisations.selectors import people_managed_by, units_managed_by

from .choices import EnrolmentSource, EnrolmentStatus
from .errors import CourseNotLive, DueDateInPast, OutOfScope, UnitOutOfScope
from .models import Assignment, Course, CourseAudience, Enrolment, Lesson, LessonProgress
from .selectors import self_enrolment_refusal


@dataclass(frozen=True)
class LessonSpec:
    """A live lesson of a course as the pages have it: `position` is its rank in the outline."""

    page_id: int
    title: str
    position: int
    is_required: bool


@transaction.atomic
def course_structure_sync(
    *,
    course_page_id: int,
    code: str,
    title: str,
    track: str,
    access_mode: str,
    estimated_hours=0,
    competency_codes: Iterable[str] = (),
    audiences: Iterable[str],
    prerequisite_page_ids: Iterable[int],
    trainer_ids: Iterable[int],
    lessons: Iterable[LessonSpec],
    live: bool,
) -> Course:
    """Create or update the course anchor and its lessons from plain values read off the pages.

    Running it twice with the same values changes nothing. Lessons no longer listed (unpublished,
    moved away, under an unpublished section) stay as rows, marked not live, so records that point
    at them survive. Prerequisites that were never published have no anchor and do not count.
    """
    course = Course.objects.select_for_update().filter(page_id=course_page_id).first()
    if course is None:
        course = Course(page_id=course_page_id)
    course.code, course.title, course.track = code, title, track
    course.access_mode, course.is_live = access_mode, live
    course.estimated_hours, course.competency_codes = estimated_hours, list(competency_codes)
    course.full_clean()
    course.save()

    audiences = set(audiences)
    CourseAudience.objects.filter(course=course).exclude(audience__in=audiences).delete()
    new_audiences = [CourseAudience(course=course, audience=audience) for audience in sorted(audiences)]
    for row in new_audiences:
        row.full_clean(validate_unique=False, validate_constraints=False)
    CourseAudience.objects.bulk_create(new_audiences, ignore_conflicts=True)

    course.prerequisites.set(Course.objects.filter(page_id__in=set(prerequisite_page_ids)).exclude(pk=course.pk))
    course.trainers.set(set(trainer_ids))
    _lessons_sync(course=course, lessons=list(lessons))
    return course


def _lessons_sync(*, course: Course, lessons: list[LessonSpec]) -> None:
    listed = {spec.page_id for spec in lessons}
    Lesson.objects.filter(course=course, is_live=True).exclude(page_id__in=listed).update(is_live=False)
    # A lesson page may have been moved from another course: it is found by its page, not its course.
    existing = {lesson.page_id: lesson for lesson in Lesson.objects.filter(page_id__in=listed)}
    to_create, to_update = [], []
    for spec in lessons:
        lesson = existing.get(spec.page_id) or Lesson(page_id=spec.page_id)
        lesson.course, lesson.title, lesson.position = course, spec.title, spec.position
        lesson.is_required, lesson.is_live = spec.is_required, True
        lesson.full_clean(exclude=["page"], validate_unique=False, validate_constraints=False)
        (to_update if lesson.pk else to_create).append(lesson)
    Lesson.objects.bulk_create(to_create)
    Lesson.objects.bulk_update(to_update, ["course", "title", "position", "is_required", "is_live"])


@transaction.atomic
def enrolment_create(*, person: Person, course: Course) -> Enrolment:
    """The person enrols themselves; enrolling again returns the enrolment they have.

    Raises the refusal of courses.selectors.self_enrolment_refusal (not live, assignment only,
    another audience, prerequisites missing). Assigned people are enrolled by assignment_create.
    """
    existing = Enrolment.objects.filter(person=person, course=course).first()
    if existing is not None:
        return existing
    refusal = self_enrolment_refusal(person=person, course=course)
    if refusal is not None:
        raise refusal
    enrolment = Enrolment(person=person, course=course, source=EnrolmentSource.SELF)
    enrolment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        # A second request of the same person won the race: theirs is the enrolment.
        return Enrolment.objects.get(person=person, course=course)
    return enrolment


@dataclass(frozen=True)
class AssignmentResult:
    created: int  # people newly assigned
    updated: int  # people already assigned, whose due date is now the new one


@transaction.atomic
def assignment_create(
    *, course: Course, people: Iterable[Person], due_date: datetime.date, assigned_by
) -> AssignmentResult:
    """Assign the course to these people and enrol them, in a constant number of queries (on SQLite
    the inserts are split in batches of its 999 parameters).

    Every person must be managed by `assigned_by` (organisations.selectors.people_managed_by) or
    nothing is assigned. Assigning again is harmless: nobody is assigned twice, and the due date of
    the latest assignment wins, so an officer can move a deadline by assigning again.
    """
    person_ids = {person.pk for person in people}
    in_scope = people_managed_by(assigned_by).filter(pk__in=person_ids).values_list("pk", flat=True)
    if len(person_ids) != len(set(in_scope)):
        raise OutOfScope()
    return _assign(course=course, person_ids=person_ids, due_date=due_date, assigned_by=assigned_by)


@transaction.atomic
def assignment_create_for_audience(
    *, course: Course, audience: str, unit: OrganisationUnit, due_date: datetime.date, assigned_by
) -> AssignmentResult:
    """Assign the course to everyone of the audience in the unit's subtree, a unit the user manages."""
    if not units_managed_by(assigned_by).filter(pk=unit.pk).exists():
        raise UnitOutOfScope()
    people = people_managed_by(assigned_by).filter(unit__path__startswith=unit.path, audience=audience)
    person_ids = set(people.values_list("pk", flat=True))
    return _assign(course=course, person_ids=person_ids, due_date=due_date, assigned_by=assigned_by)


def _assign(*, course: Course, person_ids: set[int], due_date: datetime.date, assigned_by) -> AssignmentResult:
    if not course.is_live:
        raise CourseNotLive()
    if due_date < timezone.localdate():
        raise DueDateInPast()
    if not person_ids:
        return AssignmentResult(created=0, updated=0)
    assigned = Assignment.objects.filter(course=course, person_id__in=person_ids)
    already = set(assigned.values_list("person_id", flat=True))
    if already:
        assigned.exclude(due_date=due_date).update(due_date=due_date)
    new_ids = sorted(person_ids - already)
    Assignment.objects.bulk_create(
        [Assignment(course=course, person_id=pk, assigned_by=assigned_by, due_date=due_date) for pk in new_ids],
        ignore_conflicts=True,
    )
    # People already enrolled (by themselves, or by an earlier assignment) keep their enrolment.
    Enrolment.objects.bulk_create(
        [Enrolment(course=course, person_id=pk, source=EnrolmentSource.ASSIGNMENT) for pk in new_ids],
        ignore_conflicts=True,
    )
    return AssignmentResult(created=len(new_ids), updated=len(already))


@transaction.atomic
def lesson_open(*, person: Person | None, lesson_page_id: int) -> Enrolment | None:
    """The person opened a lesson page: record it for their enrolment in its course, if they have one.

    Records the first opening once (opening again changes nothing but the resume point), moves the
    enrolment's resume point to this lesson, completes the lesson when its rule holds, and then the
    course when every required lesson is complete. Returns the enrolment, or None when nothing is
    recorded: no profile, a lesson or course not live, or no enrolment (withdrawn counts as none).
    """
    if person is None:
        return None
    lesson = Lesson.objects.filter(page_id=lesson_page_id, is_live=True, course__is_live=True).first()
    if lesson is None:
        return None
    enrolment = (
        Enrolment.objects.filter(person=person, course_id=lesson.course_id)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .first()
    )
    if enrolment is None:
        return None
    # get_or_create retries the read when a parallel request inserted the row first (unique constraint).
    progress, _created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    if enrolment.last_lesson_id != lesson.pk:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
        enrolment.last_lesson = lesson
    if progress.completed_at is None and _lesson_rule_holds(progress):
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at"])
        enrolment_complete_if_done(enrolment=enrolment)
        enrolment.refresh_from_db()
    return enrolment


def _lesson_rule_holds(progress: LessonProgress) -> bool:
    """A lesson is complete when the learner has opened it and passed every required scored activity
    in it. Lessons have no scored activities yet (the H5P and quiz blocks are filled by issues 4 and
    5), so an opened lesson is complete; their pass check belongs here, the one place of this rule."""
    return progress.first_opened_at is not None


@transaction.atomic
def enrolment_complete_if_done(*, enrolment: Enrolment) -> bool:
    """Complete the enrolment when every live required lesson of its course is complete.

    Completion is recorded once, with its time: a completed (or withdrawn) enrolment is left as it
    is, so later openings never move `completed_at`. Returns whether it completed now.
    """
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return False
    completed = LessonProgress.objects.filter(enrolment=enrolment, lesson=OuterRef("pk"), completed_at__isnull=False)
    missing = Lesson.objects.filter(course_id=enrolment.course_id, is_live=True, is_required=True).exclude(
        Exists(completed)
    )
    if missing.exists():
        return False
    enrolment.status, enrolment.completed_at = EnrolmentStatus.COMPLETED, timezone.now()
    enrolment.full_clean(validate_unique=False)
    enrolment.save(update_fields=["status", "completed_at"])
    return True
