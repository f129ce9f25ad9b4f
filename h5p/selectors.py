"""Reads of the H5P app and who may see what.

Trainers see the activities they uploaded; curriculum managers and site administrators see all.
A learner is graded on an activity only while actively enrolled in a live course whose live lesson
places it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet

from accounts.roles import Role, has_role
from courses.choices import ActivityKind, EnrolmentStatus
from courses.models import Enrolment, LessonActivity
from organisations.models import Person

from .models import H5PAttempt, H5PContent, H5PGrade


def sees_all_content(user) -> bool:
    return has_role(user, Role.CURRICULUM_MANAGER, Role.SITE_ADMIN)


def can_author_content(user) -> bool:
    return sees_all_content(user) or has_role(user, Role.TRAINER)


def contents_visible_to(user) -> QuerySet[H5PContent]:
    contents = H5PContent.objects.select_related("package", "owner")
    if sees_all_content(user):
        return contents
    if has_role(user, Role.TRAINER):
        return contents.filter(owner=user)
    return contents.none()


def is_gradable(*, person: Person, content: H5PContent) -> bool:
    """The person is a learner (in progress or completed, not withdrawn) of a live course whose live
    lesson places the activity. A completed learner may still retry; their grade keeps moving."""
    course_ids = LessonActivity.objects.filter(
        kind=ActivityKind.H5P,
        ref=str(content.pk),
        is_live=True,
        lesson__is_live=True,
        lesson__course__is_live=True,
    ).values("lesson__course_id")
    return (
        Enrolment.objects.filter(person=person, course_id__in=course_ids)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .exists()
    )


def attempts_of(*, person: Person, content: H5PContent) -> QuerySet[H5PAttempt]:
    return H5PAttempt.objects.filter(person=person, content=content).order_by("created_at", "id")


def grade_of(*, person: Person, content: H5PContent) -> H5PGrade | None:
    return H5PGrade.objects.filter(person=person, content=content).first()


def grades_for(*, content_ids, person_ids) -> dict[tuple[int, int], H5PGrade]:
    """The grades of many people on many activities, in one query, keyed by (content id, person id):
    the gradebook reads a page of people at once."""
    grades = H5PGrade.objects.filter(content_id__in=list(content_ids), person_id__in=list(person_ids))
    return {(grade.content_id, grade.person_id): grade for grade in grades.only("content_id", "person_id", "scaled")}


def origin_of(url: str) -> str:
    """scheme://host[:port] of an address, as browsers compare origins."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def content_origin() -> str:
    return origin_of(settings.H5P_CONTENT_ORIGIN)


def lms_origin() -> str:
    return origin_of(settings.WAGTAILADMIN_BASE_URL)


def content_host() -> str:
    return (urlsplit(settings.H5P_CONTENT_ORIGIN).hostname or "").lower()


def host_with_port(host: str) -> str:
    """host[:port] without a default port, lower-cased, to compare a request's host with an origin's."""
    host = host.lower()
    for default in (":80", ":443"):
        if host.endswith(default):
            return host[: -len(default)]
    return host


def is_content_host(request_host: str) -> bool:
    """Host name and port both: Wagtail's preview requests come as the Site's host ("localhost", port
    80), which must stay the LMS even when the content origin is that name on the dev server's port."""
    return host_with_port(request_host) == host_with_port(urlsplit(settings.H5P_CONTENT_ORIGIN).netloc)


PLAYER_SALT = "h5p.player"


def player_url(content: H5PContent) -> str:
    """The player page of an activity on the content origin. The id is signed, so the activities
    cannot be walked there (the content origin has no session to check who is asking)."""
    from django.core import signing
    from django.urls import reverse

    token = signing.dumps(content.pk, salt=PLAYER_SALT, compress=True)
    return content_origin() + reverse("h5p_player", urlconf="h5p.content_urls", kwargs={"token": token})
