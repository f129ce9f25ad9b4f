"""Reads for the curriculum pages: catalogue search and filters, track listings, course outlines."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Func, OuterRef, QuerySet, Subquery
from wagtail.models import Page

# The page models import this module; reaching them through the module object breaks the cycle.
from assessments.models import Quiz
from assessments.quizzes.selectors import quiz_placed_for, quiz_standing
from cms import models as pages
from cms.text import fold_for_search
from courses.choices import EnrolmentStatus
from courses.selectors import course_final_exam, final_exam_locked

if TYPE_CHECKING:
    from cms.models import CatalogueIndexPage, CoursePage, LessonPage, SectionPage, TrackPage


def course_search(query: str, courses: QuerySet | None = None) -> QuerySet:
    """Live courses whose title, code or summary contain every word of the query.

    Case and Vietnamese diacritics are ignored on both sides: "bao mat" finds "Bảo mật thông tin".
    """
    courses = pages.CoursePage.objects.live() if courses is None else courses
    for word in fold_for_search(query).split():
        courses = courses.filter(search_text__contains=word)
    return courses


def catalogue_courses(
    *,
    query: str = "",
    track: str = "",
    audience: str = "",
    level: str = "",
    max_hours: Decimal | None = None,
) -> QuerySet:
    courses = course_search(query).select_related("cover_image").prefetch_related("cover_image__renditions")
    if track:
        track_paths = pages.TrackPage.objects.filter(track=track).values_list("path", flat=True)[:1]
        courses = courses.filter(path__startswith=Subquery(track_paths))
    if audience:
        courses = courses.filter(audiences__code=audience)
    if level:
        courses = courses.filter(level=level)
    if max_hours is not None:
        courses = courses.filter(estimated_hours__lte=max_hours)
    return courses.order_by("title", "pk")


def live_catalogue() -> CatalogueIndexPage | None:
    return pages.CatalogueIndexPage.objects.live().first()


def tracks_with_course_counts(catalogue: CatalogueIndexPage) -> QuerySet:
    """The catalogue's live tracks in tree order, each with `course_count` of its live courses."""
    live_courses = (
        pages.CoursePage.objects.live()
        .filter(path__startswith=OuterRef("path"))
        .order_by()
        .annotate(count=Func("pk", function="COUNT"))
        .values("count")
    )
    return pages.TrackPage.objects.child_of(catalogue).live().annotate(course_count=Subquery(live_courses))


def track_courses(track: TrackPage) -> QuerySet:
    return (
        pages.CoursePage.objects.child_of(track)
        .live()
        .select_related("cover_image")
        .prefetch_related("cover_image__renditions")
        .order_by("path")
    )


def course_trainer_names(course: CoursePage) -> list[str]:
    """Trainers' full names in alphabetical order (a preview's draft trainers included)."""
    names = []
    for user in course.trainers.select_related("person"):
        person = getattr(user, "person", None)
        names.append(person.full_name if person else user.get_full_name() or user.username)
    return sorted(names, key=fold_for_search)


@dataclass
class OutlineEntry:
    """A section with its lessons, or (section None) a run of lessons directly under the course."""

    section: SectionPage | None
    lessons: list[LessonPage] = field(default_factory=list)


def course_outline(course: CoursePage) -> list[OutlineEntry]:
    """The course's live sections and lessons in tree order, in two queries."""
    sections = list(pages.SectionPage.objects.live().descendant_of(course))
    lessons = list(pages.LessonPage.objects.live().descendant_of(course))
    entries: list[OutlineEntry] = []
    section_entries: dict[str, OutlineEntry] = {}
    for page in sorted([*sections, *lessons], key=lambda page: page.path):
        if isinstance(page, pages.SectionPage):
            entries.append(section_entries.setdefault(page.path, OutlineEntry(section=page)))
            continue
        parent_entry = section_entries.get(page.path[: -Page.steplen])
        if parent_entry is None and page.depth > course.depth + 1:
            continue  # its section is not live, so neither is the lesson to learners
        if parent_entry is None:
            if not entries or entries[-1].section is not None:
                entries.append(OutlineEntry(section=None))
            parent_entry = entries[-1]
        parent_entry.lessons.append(page)
    return entries


def section_lessons(section: SectionPage) -> QuerySet:
    return pages.LessonPage.objects.child_of(section).live().order_by("path")


def lesson_course(lesson: LessonPage) -> CoursePage | None:
    return pages.CoursePage.objects.ancestor_of(lesson).first()


def lesson_neighbours(lesson: LessonPage) -> tuple[LessonPage | None, LessonPage | None]:
    """The previous and next live lessons of the same course, in tree order (sections included)."""
    course = lesson_course(lesson)
    if course is None:
        return None, None
    lessons = pages.LessonPage.objects.live().descendant_of(course).order_by("path").only("pk", "title", "url_path", "path")
    previous = lessons.filter(path__lt=lesson.path).last()
    following = lessons.filter(path__gt=lesson.path).first()
    return previous, following


def course_final_exam_panel(course_page: CoursePage, enrolment_panel) -> dict | None:
    """What the course page's "Final exam" section shows: the exam quiz (as synced on publish), whether
    the learner may take it now, whether it is locked until their lessons are complete, and their
    standing. None when the course has no final exam."""
    course = enrolment_panel.course
    exam = course_final_exam(course.pk) if course is not None else None
    quiz = Quiz.objects.filter(pk=exam.ref).first() if exam is not None and exam.ref.isdigit() else None
    if quiz is None:
        return None
    person, enrolment = enrolment_panel.person, enrolment_panel.enrolment
    panel = {
        "quiz": quiz, "required": exam.is_required, "after_lessons": exam.after_lessons,
        "enrolled": enrolment is not None and enrolment.status != EnrolmentStatus.WITHDRAWN,
        "locked": enrolment is not None and enrolment.status == EnrolmentStatus.ACTIVE
        and final_exam_locked(enrolment, exam),
        "may_take": False, "standing": None,
    }
    if person is not None and quiz_placed_for(person, quiz):
        panel.update(may_take=True, standing=quiz_standing(quiz, person))
    elif panel["enrolled"] and not panel["locked"]:
        # A completed learner sees their attempts and grade, with nothing left to start.
        panel["standing"] = {**quiz_standing(quiz, person), "can_start": False, "open_attempt": None}
    return panel
