"""Keeps the courses app's anchors (courses.Course / courses.Lesson) in step with the published pages.

cms reads the live pages into plain values and hands them to courses.services.course_structure_sync;
courses never reads a page. Called on publish and unpublish (cms.receivers) and by `courses_sync`.
"""

from __future__ import annotations

from wagtail.models import Page

from cms import models as pages
from cms import selectors
from courses.choices import ActivityKind
from courses.selectors import anchored_page_ids, course_for_page
from courses.services import ActivitySpec, LessonSpec, course_structure_sync


def lesson_activities(lesson) -> tuple[ActivitySpec, ...]:
    """The scored activities the lesson's body places, in order: every block whose class defines
    `scored_activity(value) -> ActivitySpec | None` (the quiz and H5P blocks) contributes one."""
    specs = []
    for child in lesson.body:
        describe = getattr(child.block, "scored_activity", None)
        spec = describe(child.value) if describe is not None else None
        if spec is not None:
            specs.append(spec)
    return tuple(specs)


def course_activities(course_page: pages.CoursePage) -> tuple[ActivitySpec, ...]:
    """The scored activities placed on the course itself: its final exam, if it has one."""
    quiz = course_page.final_exam
    if quiz is None:
        return ()
    return (
        ActivitySpec(
            kind=ActivityKind.QUIZ,
            ref=str(quiz.pk),
            title=quiz.title,
            after_lessons=course_page.final_exam_after_lessons,
        ),
    )


def course_page_sync(course_page: pages.CoursePage, *, with_dependants: bool = True) -> None:
    """Sync one course from its page as stored now (its live state, fields and live lessons)."""
    course_page = pages.CoursePage.objects.get(pk=course_page.pk)
    is_new = course_for_page(course_page.pk) is None
    track_page = pages.TrackPage.objects.ancestor_of(course_page).first()
    lessons = [lesson for entry in selectors.course_outline(course_page) for lesson in entry.lessons]
    course_structure_sync(
        course_page_id=course_page.pk,
        code=course_page.code,
        title=course_page.title,
        track=track_page.track,
        access_mode=course_page.access_mode,
        estimated_hours=course_page.estimated_hours,
        competency_codes=course_page.competency_codes,
        audiences=course_page.audiences.values_list("code", flat=True),
        prerequisite_page_ids=course_page.prerequisites.values_list("pk", flat=True),
        trainer_ids=course_page.trainers.values_list("pk", flat=True),
        lessons=[
            LessonSpec(
                page_id=lesson.pk,
                title=lesson.title,
                position=position,
                is_required=lesson.is_required,
                activities=lesson_activities(lesson),
            )
            for position, lesson in enumerate(lessons, start=1)
        ],
        live=course_page.live,
        course_activities=course_activities(course_page),
    )
    if is_new and with_dependants:
        # Courses published earlier that list this one as a prerequisite could not link to it yet.
        for dependant in pages.CoursePage.objects.live().filter(prerequisites=course_page):
            course_page_sync(dependant, with_dependants=False)


def course_part_sync(page: Page) -> None:
    """A section or lesson changed: resync its course, if the course was ever published."""
    course_page = pages.CoursePage.objects.ancestor_of(page).first()
    if course_page is not None and (course_page.live or course_for_page(course_page.pk) is not None):
        course_page_sync(course_page)


def page_moved_sync(page: Page, *, parent_before: Page) -> None:
    """A course, section or lesson moved: resync the course it left (if any) and the one it is in now."""
    for course_page in (
        pages.CoursePage.objects.ancestor_of(parent_before, inclusive=True).first(),
        pages.CoursePage.objects.ancestor_of(page, inclusive=True).first(),
    ):
        if course_page is not None and (course_page.live or course_for_page(course_page.pk) is not None):
            course_page_sync(course_page)


def courses_sync_all() -> int:
    """Resync every course that is live or was published once; returns how many were synced."""
    anchored = anchored_page_ids()
    course_pages = pages.CoursePage.objects.filter(pk__in=anchored) | pages.CoursePage.objects.live()
    count = 0
    for course_page in course_pages.order_by("path"):
        course_page_sync(course_page)
        count += 1
    return count
