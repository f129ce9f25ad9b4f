"""A lesson page and "My learning" run a fixed number of SQL queries however many lessons and
enrolments there are: measured on a small dataset, asserted on a larger one."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.choices import AccessMode
from courses.services import (
    assignment_create,
    cohort_create,
    cohort_members_add,
    enrolment_create,
    lesson_open,
    session_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(make_person, unit_a):
    return make_person(unit=unit_a, full_name="Nguyễn Văn Học")


@pytest.fixture
def make_full_course(make_course, make_section, make_lesson, anchor):
    def _make(*, sections, lessons_per_section):
        page = make_course(access_mode=AccessMode.OPEN)
        lessons = [make_lesson(page, "Bài mở đầu")]
        for number in range(sections):
            section = make_section(page, f"Phần {number + 1}")
            lessons += [make_lesson(section, f"Bài {number + 1}.{index + 1}") for index in range(lessons_per_section)]
        return page, anchor(page), lessons

    return _make


def lesson_page_queries(client, make_full_course, learner, *, sections, lessons_per_section, opened):
    """Open `opened` lessons of a fresh course, then count the queries of opening the next one."""
    _page, course, lessons = make_full_course(sections=sections, lessons_per_section=lessons_per_section)
    enrolment_create(person=learner, course=course)
    for lesson in lessons[:opened]:
        client.get(lesson.url)
    return lessons[opened].url


def count_queries(client, url):
    cache.clear()  # both measures start cold: the course outline and the roles are cached (cms.page_cache)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_lesson_page_queries_do_not_grow_with_lessons(client, make_full_course, learner, django_assert_num_queries):
    client.force_login(learner.user)
    small = lesson_page_queries(client, make_full_course, learner, sections=1, lessons_per_section=2, opened=1)
    expected = count_queries(client, small)
    large = lesson_page_queries(client, make_full_course, learner, sections=4, lessons_per_section=5, opened=12)
    cache.clear()
    with django_assert_num_queries(expected):
        assert client.get(large).status_code == 200
    assert b'<span class="tick" aria-hidden="true">' in client.get(large).content


def test_dashboard_queries_do_not_grow_with_enrolments(
    client, make_full_course, learner, officer_a, unit_a, django_assert_num_queries
):
    client.force_login(learner.user)
    url = reverse("courses:my_learning")
    today = timezone.localdate()
    due = today + datetime.timedelta(days=3)

    def add_course(*, assigned, opened, in_class=False):
        _page, course, lessons = make_full_course(sections=1, lessons_per_section=2)
        if in_class:
            cohort = cohort_create(
                course=course, unit=unit_a, name=f"Lớp {course.pk}", starts_on=today, ends_on=due,
                created_by=officer_a.user,
            )
            for hours in (1, 2):
                starts = timezone.now() + datetime.timedelta(hours=hours)
                session_create(
                    cohort=cohort, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=30),
                    place="Phòng 101", created_by=officer_a.user,
                )
            cohort_members_add(cohort=cohort, people=[learner], added_by=officer_a.user)
        elif assigned:
            assignment_create(course=course, people=[learner], due_date=due, assigned_by=officer_a.user)
        else:
            enrolment_create(person=learner, course=course)
        for lesson in lessons[:opened]:
            lesson_open(person=learner, lesson_page_id=lesson.pk)

    add_course(assigned=True, opened=1, in_class=True)
    client.get(url)  # warms the site's root paths cache, as any earlier request would
    expected = count_queries(client, url)

    for assigned, opened in ((True, 0), (False, 2), (True, 3), (False, 0), (False, 3), (True, 2)):
        add_course(assigned=assigned, opened=opened, in_class=assigned and opened < 3)
    cache.clear()
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.content.decode().count('href="/') > 10
    assert response.content.decode().count("Phòng 101") == 3
