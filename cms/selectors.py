"""Reads for the curriculum pages: catalogue search and filters, track listings, course outlines."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Func, OuterRef, Q, QuerySet, Subquery
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site, WorkflowState

# The page models import this module; reaching them through the module object breaks the cycle.
from assessments.models import Quiz
from assessments.quizzes.selectors import quiz_placed_for, quiz_standing
from cms import models as pages
from cms import page_cache
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


def page_at_path(root: Page, path_components: list[str]) -> Page | None:
    """The page at this path under the site's root, specific, with its parent cached.

    What Wagtail's `Page.route` finds by walking the tree one level at a time (two queries per level):
    `url_path` is the chain of slugs from the tree's root, kept up to date by Wagtail on every slug
    change and move. Where each path leads (the page's type and id, and its parent) is cached until
    the page tree changes (cms.page_cache), so a known path costs one query: the page itself, read
    fresh (its `live` and content as they are now); the query also checks the path, so a stale entry
    can only fall back to the two-query lookup. The caller checks that the page is live, as `route`
    does.
    """
    url_path = root.url_path + "".join(f"{component}/" for component in path_components)
    parent_url_path = url_path[: url_path.rstrip("/").rfind("/") + 1]
    key = page_cache.key("route", hashlib.sha256(f"{root.pk}:{url_path}".encode()).hexdigest())
    cached = cache.get(key)
    if cached is not None:
        content_type_id, page_id, parent_is_root, parent = cached
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        specific = model.objects.filter(pk=page_id, url_path=url_path).first() if model is not None else None
        if specific is not None:
            specific._cached_parent_obj = root if parent_is_root else parent
            return specific
    found = {page.url_path: page for page in Page.objects.filter(url_path__in=[url_path, parent_url_path])}
    page = found.get(url_path)
    if page is None:
        return None
    specific = page.specific
    # As Wagtail's route does: breadcrumbs read the parent without another query.
    parent_is_root = parent_url_path == root.url_path
    parent = None if parent_is_root else found.get(parent_url_path)
    specific._cached_parent_obj = root if parent_is_root else parent
    cache.set(key, (page.content_type_id, page.pk, parent_is_root, parent), page_cache.TIMEOUT)
    return specific


def site_cache_name(request) -> tuple:
    """The name the request's site is cached under (page_cache.current_read), by host and port."""
    hostname = split_domain_port(request._get_raw_host())[0]
    return ("site", hashlib.sha256(f"{hostname}:{request.get_port()}".encode()).hexdigest())


def site_for_request(request, *, cached=None, version: int | None = None) -> Site | None:
    """Wagtail's `Site.find_for_request`, its root page already specific, cached until the sites or the
    page tree change (cms.receivers): what every page request starts with, in no query instead of two.
    Wagtail keeps the answer on the request, so every later `Site.find_for_request` reads it. A caller
    that has already read the cache (with the version, in the same round trip as its own value: see
    cms.middleware) passes what it found as `cached` (None when missing)."""
    if not hasattr(request, "_wagtail_site"):
        name = site_cache_name(request)
        if version is None:
            version, (cached,) = page_cache.current_read(name)
        site = cached
        if site is None:
            site = Site.find_for_request(request)
            if site is not None:
                site.root_page = site.root_page.specific
            page_cache.current_store(name, site or False, version=version)
        request._wagtail_site = site or None
    return request._wagtail_site


def _any_view_restriction() -> bool:
    """Whether the site has any view restriction at all (usually none), cached: every change of a
    restriction bumps the page cache's version (cms.receivers)."""
    key = page_cache.key("any-view-restriction")
    exists = cache.get(key)
    if exists is None:
        exists = PageViewRestriction.objects.exists()
        cache.set(key, exists, page_cache.TIMEOUT)
    return exists


def view_restrictions_of(page: Page) -> QuerySet:
    """Wagtail's `get_view_restrictions` (the page's and its ancestors', an alias taking its source's)
    in one query (none while the site has no restriction): the ancestors' paths are the prefixes of
    the page's own path."""
    if not _any_view_restriction():
        return PageViewRestriction.objects.none()
    paths = [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]
    return PageViewRestriction.objects.filter(Q(page__path__in=paths) | Q(page__aliases__path__in=paths)).distinct()


@dataclass(frozen=True)
class OutlineLink:
    """What the lesson page shows of another page of its course: plain data, so it can be cached."""

    pk: int
    title: str
    url: str
    path: str
    is_required: bool = True


@dataclass
class CourseOutline:
    course: OutlineLink
    entries: list[OutlineEntry]

    @property
    def lessons(self) -> list[OutlineLink]:
        return [lesson for entry in self.entries for lesson in entry.lessons]

    def neighbours(self, lesson: LessonPage) -> tuple[OutlineLink | None, OutlineLink | None]:
        """The previous and next lessons of the outline, in tree order (sections included)."""
        lessons = self.lessons
        previous = [link for link in lessons if link.path < lesson.path]
        following = [link for link in lessons if link.path > lesson.path]
        return (previous[-1] if previous else None), (following[0] if following else None)

    def parent_of(self, page: Page) -> OutlineLink | None:
        parent_path = page.path[: -Page.steplen]
        if parent_path == self.course.path:
            return self.course
        return next((entry.section for entry in self.entries if entry.section and entry.section.path == parent_path), None)


def link_to(page: Page, request) -> OutlineLink:
    return OutlineLink(
        pk=page.pk, title=page.title, url=page.get_url(request=request), path=page.path,
        is_required=getattr(page, "is_required", True),
    )


def lesson_outline(lesson: LessonPage, request) -> CourseOutline | None:
    """The outline of the lesson's course as links, cached until the page tree changes (cms.page_cache).

    Keyed by the lesson's parent (its course or section) and the request's site (the links are
    relative to it); None when the lesson is under no course.
    """
    site = Site.find_for_request(request)
    key = page_cache.key("lesson-outline", site.pk if site else 0, lesson.path[: -Page.steplen])
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    prefixes = [lesson.path[:end] for end in range(Page.steplen, len(lesson.path), Page.steplen)]
    course = pages.CoursePage.objects.filter(path__in=prefixes).defer_streamfields().order_by("-depth").first()
    outline = False
    if course is not None:
        entries = [
            OutlineEntry(section=link_to(entry.section, request) if entry.section else None,
                         lessons=[link_to(lesson, request) for lesson in entry.lessons])
            for entry in course_outline(course)
        ]
        outline = CourseOutline(course=link_to(course, request), entries=entries)
    cache.set(key, outline, page_cache.TIMEOUT)
    return outline or None


def section_lessons(section: SectionPage) -> QuerySet:
    return pages.LessonPage.objects.child_of(section).live().order_by("path")


def course_final_exam_panel(course_page: CoursePage, enrolment_panel) -> dict | None:
    """What the course page's "Final exam" section shows: the exam quiz (as synced on publish), whether
    the learner may take it now, whether it is locked until their lessons are complete, and their
    standing. None when the course has no final exam."""
    course = enrolment_panel.course
    exam = course_final_exam(course.pk) if course is not None else None
    quiz = Quiz.objects.filter(pk=exam.ref).first() if exam is not None and exam.ref.isdecimal() else None
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


def page_changes_requested(page: Page):
    """The reviewer's rejected task state of the page's workflow, when it waits for changes (the author's
    to-do: who asked, and the comment); None otherwise, or when the reviewer left no comment."""
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    task_state = state.current_task_state
    if task_state is None or not task_state.comment:
        return None
    return task_state
