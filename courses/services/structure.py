"""Keeping the course anchors (course, lessons, their scored activities) in step with the pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from ..models import Course, CourseAudience, Lesson, LessonActivity


@dataclass(frozen=True)
class ActivitySpec:
    """A scored activity a lesson page places (a quiz or H5P block): `ref` is the owning app's id."""

    kind: str
    ref: str
    title: str = ""
    is_required: bool = True
    # Course-level activities only (the final exam): it opens once the required lessons are complete.
    after_lessons: bool = False


@dataclass(frozen=True)
class LessonSpec:
    """A live lesson of a course as the pages have it: `position` is its rank in the outline."""

    page_id: int
    title: str
    position: int
    is_required: bool
    activities: tuple[ActivitySpec, ...] = ()


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
    course_activities: Iterable[ActivitySpec] = (),
) -> Course:
    """Create or update the course anchor and its lessons from plain values read off the pages.

    Running it twice with the same values changes nothing. Lessons no longer listed (unpublished,
    moved away, under an unpublished section) stay as rows, marked not live, so records that point
    at them survive. Prerequisites that were never published have no anchor and do not count.
    `course_activities` are the activities placed on the course itself (its final exam); one taken
    off stays as a row, not live, like a lesson's.
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
    _course_activities_sync(course=course, activities=list(course_activities))
    return course


def _course_activities_sync(*, course: Course, activities: list[ActivitySpec]) -> None:
    existing = {(row.kind, row.ref): row for row in LessonActivity.objects.filter(course=course)}
    listed = set()
    for spec in activities:
        key = (spec.kind, spec.ref)
        if key in listed:
            continue
        listed.add(key)
        row = existing.get(key) or LessonActivity(course=course, kind=spec.kind, ref=spec.ref)
        row.title, row.is_required, row.after_lessons, row.is_live = (
            spec.title[:255], spec.is_required, spec.after_lessons, True,
        )
        row.full_clean(exclude=["course"], validate_unique=False, validate_constraints=False)
        row.save()
    gone = [row.pk for key, row in existing.items() if key not in listed and row.is_live]
    LessonActivity.objects.filter(pk__in=gone).update(is_live=False)


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
    _activities_sync(lessons=lessons)


def _activities_sync(*, lessons: list[LessonSpec]) -> None:
    """Keep each listed lesson's activities as its page places them. An activity taken out of a
    lesson stays as a row, not live, so the passes recorded against it survive."""
    lesson_ids = dict(Lesson.objects.filter(page_id__in=[spec.page_id for spec in lessons]).values_list("page_id", "pk"))
    existing = {
        (row.lesson_id, row.kind, row.ref): row for row in LessonActivity.objects.filter(lesson_id__in=lesson_ids.values())
    }
    listed, to_create, to_update = set(), [], []
    for spec in lessons:
        for activity in spec.activities:
            key = (lesson_ids[spec.page_id], activity.kind, activity.ref)
            if key in listed:
                continue  # the same activity placed twice in one lesson counts once
            listed.add(key)
            row = existing.get(key) or LessonActivity(lesson_id=key[0], kind=activity.kind, ref=activity.ref)
            row.title, row.is_required, row.is_live = activity.title[:255], activity.is_required, True
            row.full_clean(exclude=["lesson"], validate_unique=False, validate_constraints=False)
            (to_update if row.pk else to_create).append(row)
    LessonActivity.objects.bulk_create(to_create)
    LessonActivity.objects.bulk_update(to_update, ["title", "is_required", "is_live"])
    gone = [row.pk for key, row in existing.items() if key not in listed and row.is_live]
    LessonActivity.objects.filter(pk__in=gone).update(is_live=False)
