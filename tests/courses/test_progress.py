"""Lesson progress and course completion: required and optional lessons, completion recorded once,
nothing recorded without an enrolment, the resume link and the lesson player."""

import datetime

import pytest
from freezegun import freeze_time

from courses.choices import AccessMode, EnrolmentStatus
from courses.models import Enrolment, LessonProgress
from courses.selectors import course_progress
from courses.services import enrolment_create, lesson_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(make_person, unit_a):
    return make_person(unit=unit_a, full_name="Nguyễn Văn Học")


@pytest.fixture
def course_with_optional(make_course, make_section, make_lesson):
    """Two required lessons (one inside a section) and one optional lesson."""
    course = make_course(access_mode=AccessMode.OPEN)
    first = make_lesson(course, "Bài 1: Giới thiệu")
    section = make_section(course, "Phần 2")
    second = make_lesson(section, "Bài 2: Thực hành")
    optional = make_lesson(section, "Bài đọc thêm", is_required=False)
    return course, first, second, optional


def test_required_lessons_complete_the_course_once_with_its_time(course_with_optional, anchor, learner):
    course_page, first, second, optional = course_with_optional
    enrolment = enrolment_create(person=learner, course=anchor(course_page))

    with freeze_time("2026-03-02 08:00:00"):
        lesson_open(person=learner, lesson_page_id=first.pk)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.completed_at) == (EnrolmentStatus.ACTIVE, None)
    progress = course_progress(enrolment)
    assert (progress.done, progress.total, progress.percent) == (1, 2, 50)
    assert progress.done_page_ids == {first.pk}

    with freeze_time("2026-03-03 09:30:00"):
        lesson_open(person=learner, lesson_page_id=second.pk)
    enrolment.refresh_from_db()
    completed_at = datetime.datetime(2026, 3, 3, 9, 30, tzinfo=datetime.UTC)
    assert (enrolment.status, enrolment.completed_at) == (EnrolmentStatus.COMPLETED, completed_at)
    # The optional lesson was never opened and did not block completion.
    assert not LessonProgress.objects.filter(lesson__page_id=optional.pk).exists()

    with freeze_time("2026-03-10 10:00:00"):
        lesson_open(person=learner, lesson_page_id=optional.pk)
        lesson_open(person=learner, lesson_page_id=first.pk)
    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at
    assert course_progress(enrolment).done_page_ids == {first.pk, second.pk, optional.pk}


def test_opening_again_records_the_first_opening_once(course_with_optional, anchor, learner):
    course_page, first, *_ = course_with_optional
    enrolment_create(person=learner, course=anchor(course_page))
    with freeze_time("2026-03-02 08:00:00"):
        lesson_open(person=learner, lesson_page_id=first.pk)
    with freeze_time("2026-03-05 08:00:00"):
        lesson_open(person=learner, lesson_page_id=first.pk)
    progress = LessonProgress.objects.get()
    assert progress.first_opened_at == datetime.datetime(2026, 3, 2, 8, tzinfo=datetime.UTC)
    assert progress.completed_at == progress.first_opened_at


def test_only_optional_lessons_opened_leaves_the_course_in_progress(course_with_optional, anchor, learner):
    course_page, _first, _second, optional = course_with_optional
    enrolment = enrolment_create(person=learner, course=anchor(course_page))
    lesson_open(person=learner, lesson_page_id=optional.pk)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert course_progress(enrolment).done == 0


def test_not_enrolled_records_nothing_and_the_lesson_invites_to_enrol(course_with_optional, learner, client):
    course_page, first, *_ = course_with_optional
    assert lesson_open(person=learner, lesson_page_id=first.pk) is None
    client.force_login(learner.user)
    response = client.get(first.url)
    assert response.status_code == 200
    assert "Enrol in this course to track your progress." in response.content.decode()
    assert not LessonProgress.objects.exists()


def test_withdrawn_enrolment_records_nothing(course_with_optional, anchor, learner):
    course_page, first, *_ = course_with_optional
    enrolment = enrolment_create(person=learner, course=anchor(course_page))
    Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.WITHDRAWN)
    assert lesson_open(person=learner, lesson_page_id=first.pk) is None
    assert not LessonProgress.objects.exists()


def test_lesson_page_records_progress_and_shows_ticks_and_the_bar(course_with_optional, anchor, learner, client):
    course_page, first, second, _optional = course_with_optional
    enrolment = enrolment_create(person=learner, course=anchor(course_page))
    client.force_login(learner.user)
    client.get(first.url)
    html = client.get(second.url).content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert '<progress id="course-progress" max="2" value="2">100%</progress>' in html
    assert "2 of 2 required lessons completed (100%)" in html
    assert html.count('<span class="tick" aria-hidden="true">✓</span>') == 2


def test_resume_link_points_to_the_last_lesson_opened(course_with_optional, anchor, learner, client):
    course_page, first, second, _optional = course_with_optional
    enrolment_create(person=learner, course=anchor(course_page))
    client.force_login(learner.user)
    assert "Resume where you stopped" not in client.get(course_page.url).content.decode()
    client.get(second.url)
    client.get(first.url)
    html = client.get(course_page.url).content.decode()
    assert f'href="{first.url}">Resume where you stopped: {first.title}</a>' in html
    assert Enrolment.objects.get().last_lesson.page_id == first.pk


def test_anonymous_visitors_can_read_lessons_without_records(course_with_optional, client):
    _course_page, first, *_ = course_with_optional
    response = client.get(first.url)
    assert response.status_code == 200
    assert "Enrol in this course" not in response.content.decode()
    assert not LessonProgress.objects.exists()


def test_previewing_a_lesson_records_nothing(course_with_optional, anchor, learner, rf, client):
    course_page, first, *_ = course_with_optional
    enrolment_create(person=learner, course=anchor(course_page))
    client.force_login(learner.user)  # the preview request carries the learner's session cookie
    request = rf.get(first.url, HTTP_COOKIE=client.cookies.output(header="", sep=";"))
    response = first.get_latest_revision_as_object().make_preview_request(original_request=request)
    assert response.status_code == 200
    assert not LessonProgress.objects.exists()


def test_completing_a_course_issues_its_certificate_after_commit(
    course_with_optional, anchor, learner, django_capture_on_commit_callbacks
):
    from certification.models import Certificate

    course_page, first, second, _optional = course_with_optional
    enrolment = enrolment_create(person=learner, course=anchor(course_page))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lesson_open(person=learner, lesson_page_id=first.pk)
    assert callbacks == []  # not complete yet: nothing to certify
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lesson_open(person=learner, lesson_page_id=second.pk)
        assert not Certificate.objects.exists()  # only once the completion has committed
    assert len(callbacks) == 1
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.holder_name == "Nguyễn Văn Học"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lesson_open(person=learner, lesson_page_id=first.pk)
    assert callbacks == [] and Certificate.objects.count() == 1


def test_reopening_a_lesson_reads_once_and_still_completes_it_after_a_pass(
    course_with_optional, anchor, learner, django_assert_num_queries
):
    """Issue 8: a reopening that changes nothing is one query (lesson, enrolment, progress and the
    lesson rule joined), also while a required activity is not passed; a pass still completes it."""
    from courses.choices import ActivityKind
    from courses.models import ActivityPass, LessonActivity

    course_page, first, second, _optional = course_with_optional
    course = anchor(course_page)
    enrolment = enrolment_create(person=learner, course=course)
    activity = LessonActivity.objects.create(
        lesson=course.lessons.get(page_id=first.pk), kind=ActivityKind.QUIZ, ref="1", title="Kiểm tra"
    )
    lesson_open(person=learner, lesson_page_id=first.pk)
    with django_assert_num_queries(1):
        assert lesson_open(person=learner, lesson_page_id=first.pk).pk == enrolment.pk
    assert LessonProgress.objects.get().completed_at is None

    ActivityPass.objects.create(enrolment=enrolment, activity=activity)  # passed, not yet recorded as done
    lesson_open(person=learner, lesson_page_id=first.pk)
    assert LessonProgress.objects.get().completed_at is not None
    with django_assert_num_queries(1):
        lesson_open(person=learner, lesson_page_id=first.pk)

    lesson_open(person=learner, lesson_page_id=second.pk)  # the resume point moves, and back
    lesson_open(person=learner, lesson_page_id=first.pk)
    enrolment.refresh_from_db()
    assert enrolment.last_lesson.page_id == first.pk
    assert enrolment.status == EnrolmentStatus.COMPLETED
