"""Reads of the learning records, and who may enrol in what. Scoping of people is organisations'."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from organisations.models import Person
from organisations.selectors import people_managed_by

from .choices import AccessMode, EnrolmentStatus
from .errors import AssignmentOnly, AudienceNotAdmitted, CourseNotLive, CoursesError, PrerequisitesMissing
from .models import Assignment, Course, CourseAudience, Enrolment, Lesson


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
    return Enrolment.objects.filter(person=person, course=course).first()


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
