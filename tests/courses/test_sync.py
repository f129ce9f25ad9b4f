"""Publishing and unpublishing course, section and lesson pages keeps the courses anchors in step."""

import pytest
from django.core.management import call_command

from cms.models import CoursePage, TrackPage
from courses.choices import AccessMode
from courses.models import Course, Lesson
from courses.tracks import Track
from organisations.models import Audience
from tests.cms.conftest import publish

pytestmark = pytest.mark.django_db


def lesson_rows(course):
    lessons = Lesson.objects.filter(course=course).order_by("position")
    return list(lessons.values_list("title", "position", "is_required", "is_live"))


def test_publishing_a_course_creates_its_anchor(make_course, trainer):
    track = TrackPage.objects.get(track=Track.IT_STAFF)
    page = make_course(
        track=track,
        title="An toàn thông tin",
        code="ATTT-01",
        trainers=[trainer],
        audiences=[Audience.IT_STAFF, Audience.LEADER_CIO],
        access_mode=AccessMode.SELF_ENROLMENT,
    )
    course = Course.objects.get(page_id=page.pk)
    assert (course.code, course.title, course.track, course.access_mode, course.is_live) == (
        "ATTT-01", "An toàn thông tin", Track.IT_STAFF, AccessMode.SELF_ENROLMENT, True,
    )
    assert set(course.audiences.values_list("audience", flat=True)) == {Audience.IT_STAFF, Audience.LEADER_CIO}
    assert list(course.trainers.all()) == [trainer]


def test_a_draft_course_has_no_anchor(make_course):
    page = make_course(live=False)
    assert not Course.objects.filter(page_id=page.pk).exists()


def test_republishing_updates_the_anchor_without_duplicating(make_course):
    page = make_course(title="Tin học cơ bản", audiences=[Audience.GENERAL])
    page.title = "Tin học cơ bản (IU01)"
    page.access_mode = AccessMode.ASSIGNMENT_ONLY
    page.audiences = []
    publish(page)
    course = Course.objects.get(page_id=page.pk)
    assert Course.objects.count() == 1
    assert (course.title, course.access_mode) == ("Tin học cơ bản (IU01)", AccessMode.ASSIGNMENT_ONLY)
    assert not course.audiences.exists()


def test_lessons_follow_the_outline_including_sections(make_course, make_section, make_lesson, anchor):
    page = make_course()
    make_lesson(page, "Giới thiệu")
    section = make_section(page, "Phần 1")
    make_lesson(section, "Bài 1")
    make_lesson(section, "Bài 2", is_required=False)
    assert lesson_rows(anchor(page)) == [
        ("Giới thiệu", 1, True, True), ("Bài 1", 2, True, True), ("Bài 2", 3, False, True),
    ]


def test_unpublishing_a_lesson_or_section_marks_its_lessons_not_live(make_course, make_section, make_lesson, anchor):
    page = make_course()
    intro = make_lesson(page, "Giới thiệu")
    section = make_section(page, "Phần 1")
    make_lesson(section, "Bài 1")
    intro.unpublish()
    assert lesson_rows(anchor(page)) == [("Giới thiệu", 1, True, False), ("Bài 1", 1, True, True)]
    section.unpublish()
    assert [row[3] for row in lesson_rows(anchor(page))] == [False, False]
    publish(intro)
    live = Lesson.objects.filter(course=anchor(page), is_live=True)
    assert list(live.values_list("title", "position")) == [("Giới thiệu", 1)]


def test_a_lesson_change_is_synced_when_republished(make_course, make_lesson, anchor):
    page = make_course()
    lesson = make_lesson(page, "Bài 1")
    lesson.title, lesson.is_required = "Bài 1 (sửa)", False
    publish(lesson)
    assert lesson_rows(anchor(page)) == [("Bài 1 (sửa)", 1, False, True)]


def test_unpublishing_the_course_deactivates_it_and_publishing_again_restores_it(make_course, make_lesson, anchor):
    page = make_course()
    make_lesson(page)
    page.unpublish()
    assert anchor(page).is_live is False
    publish(CoursePage.objects.get(pk=page.pk))
    assert anchor(page).is_live is True
    assert Course.objects.count() == 1


def test_prerequisites_link_to_published_courses_in_either_order(make_course, anchor):
    later = make_course(live=False, title="Nâng cao")
    basic = make_course(live=False, title="Cơ bản")
    later.prerequisites = [basic]
    publish(later)
    assert not anchor(later).prerequisites.exists()  # the prerequisite was never published
    publish(basic)
    assert list(anchor(later).prerequisites.all()) == [anchor(basic)]


def test_courses_sync_backfills_existing_pages(make_course, make_lesson, anchor):
    page = make_course(title="Khoá cũ")
    make_lesson(page, "Bài cũ")
    Lesson.objects.all().delete()
    Course.objects.all().delete()
    call_command("courses_sync", stdout=open("/dev/null", "w"))
    assert anchor(page).title == "Khoá cũ"
    assert lesson_rows(anchor(page)) == [("Bài cũ", 1, True, True)]
    call_command("courses_sync", stdout=open("/dev/null", "w"))
    assert Course.objects.count() == Lesson.objects.count() == 1


def test_a_lesson_moved_to_another_course_follows_it(make_course, make_lesson, anchor):
    first, second = make_course(title="Khoá 1"), make_course(title="Khoá 2")
    make_lesson(second, "Bài của khoá 2")
    lesson = make_lesson(first, "Bài di chuyển")
    lesson.move(second, pos="last-child")
    assert lesson_rows(anchor(first)) == []
    assert lesson_rows(anchor(second)) == [("Bài của khoá 2", 1, True, True), ("Bài di chuyển", 2, True, True)]



def test_a_course_moved_to_another_track_takes_the_track(make_course, anchor):
    page = make_course()
    page.move(TrackPage.objects.get(track=Track.OPEN_SOURCE), pos="last-child")
    assert anchor(page).track == Track.OPEN_SOURCE


def test_the_anchor_carries_hours_and_competencies_for_certificates(make_course):
    page = make_course(estimated_hours="12.5", competency_codes=["IU01", "IU02"])
    course = Course.objects.get(page_id=page.pk)
    assert (str(course.estimated_hours), course.competency_codes) == ("12.5", ["IU01", "IU02"])
