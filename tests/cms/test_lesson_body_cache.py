"""The lesson page renders the blocks that look the same to everyone once per published revision and
language (cms.models.LessonPage.body_parts), finds its site and page from the cache (cms.selectors),
and keeps what is the learner's own rendered per request: a publish shows at once, a draft only in
its preview, and one learner's quiz standing never reaches another (issue 8, W1)."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from assessments.quizzes.choices import AttemptState
from assessments.models import Attempt, Quiz
from courses.choices import AccessMode
from courses.models import Course
from courses.services import enrolment_create
from tests.cms.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(trainer):
    return Quiz.objects.create(owner=trainer, title="Kiểm tra cuối bài", pass_mark=Decimal("50"))


@pytest.fixture
def lesson(make_course, make_section, make_lesson, quiz):
    course = make_course(title="An toàn thông tin", access_mode=AccessMode.OPEN, competency_codes=[])
    section = make_section(course, "Phần 1")
    make_lesson(section, "Bài đầu")
    return make_lesson(section, "Bài kiểm tra", body=[
        ("text", "<p>Nội dung đã xuất bản.</p>"),
        ("callout", {"kind": "warning", "text": "<p>Không chia sẻ mật khẩu.</p>"}),
        ("quiz", {"quiz": quiz, "required": True}),
    ])


@pytest.fixture
def enrolled(make_person, unit_a, lesson):
    """Two learners enrolled in the lesson's course, each with a signed-in client."""
    course = Course.objects.get(page_id=lesson.get_parent().get_parent().pk)
    people = []
    for name in ("Nguyễn Thị Một", "Trần Văn Hai"):
        person = make_person(unit=unit_a, full_name=name)
        enrolment_create(person=person, course=course)
        client = Client()
        client.force_login(person.user)
        people.append((person, client))
    return people


def html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def edit_body(lesson, text):
    lesson.body = [("text", f"<p>{text}</p>"), *[(child.block_type, child.value) for child in lesson.body][1:]]
    return lesson


def test_a_published_edit_shows_at_once_and_a_draft_only_in_its_preview(client, lesson):
    assert "Nội dung đã xuất bản." in html(client, lesson.url)  # now cached
    edit_body(lesson, "Bản nháp chưa duyệt.").save_revision()
    page = html(client, lesson.url)
    assert "Nội dung đã xuất bản." in page and "Bản nháp chưa duyệt." not in page
    preview = lesson.get_latest_revision_as_object().make_preview_request().content.decode()
    assert "Bản nháp chưa duyệt." in preview and "Nội dung đã xuất bản." not in preview
    lesson.get_latest_revision().publish()
    page = html(client, lesson.url)
    assert "Bản nháp chưa duyệt." in page and "Nội dung đã xuất bản." not in page


def test_each_learner_sees_their_own_quiz_standing_from_the_shared_body(lesson, quiz, enrolled):
    (first, first_client), (second, second_client) = enrolled
    attempt = Attempt.objects.create(quiz=quiz, person=first, number=1, state=AttemptState.IN_PROGRESS,
                                     started_at=timezone.now())
    continue_url = reverse("assessments:attempt", args=[attempt.pk])
    start_url = reverse("assessments:start", args=[quiz.pk])
    for _ in range(2):  # the second time, the body comes from the cache
        first_page, second_page = html(first_client, lesson.url), html(second_client, lesson.url)
        assert "Nội dung đã xuất bản." in first_page and "Nội dung đã xuất bản." in second_page
        assert continue_url in first_page and start_url not in first_page
        assert start_url in second_page and continue_url not in second_page
    assert "Nguyễn Thị Một" not in second_page and "Trần Văn Hai" not in first_page


def test_each_language_has_its_rendered_body(client, lesson):
    assert "Cảnh báo" in html(client, lesson.url)
    english = Client()
    english.cookies["django_language"] = "en"
    page = html(english, lesson.url)
    assert "Warning" in page and "Cảnh báo" not in page
    assert "Cảnh báo" in html(client, lesson.url)


def test_a_renamed_slug_moves_the_page_at_once(client, lesson):
    old_url = lesson.url
    assert client.get(old_url).status_code == 200  # the route is now cached
    lesson.slug = "bai-kiem-tra-moi"
    publish(lesson)
    assert client.get(old_url).status_code == 404
    assert "Nội dung đã xuất bản." in html(client, lesson.url)


def test_a_changed_site_is_seen_at_once(client, lesson):
    assert client.get(lesson.url).status_code == 200  # the site is now cached
    site = Site.objects.get(is_default_site=True)
    site.root_page = lesson.get_parent()  # the section becomes the site's root
    site.save()
    assert client.get("/bai-kiem-tra/").status_code == 200


def test_a_reopened_lesson_runs_few_queries_with_the_caches_warm(lesson, quiz, enrolled):
    _person, learner_client = enrolled[0]
    html(learner_client, lesson.url)  # the first opening records it (writes)
    html(learner_client, lesson.url)
    with CaptureQueriesContext(connection) as queries:
        page = html(learner_client, lesson.url)
    assert "Nội dung đã xuất bản." in page and reverse("assessments:start", args=[quiz.pk]) in page
    # Session, user and profile; the page (site and route cached); the quiz; opening the lesson (one
    # query: lesson, enrolment, progress and the lesson rule joined) and the progress; the quiz's
    # placement and attempts.
    assert len(queries) <= 9, [query["sql"][:80] for query in queries.captured_queries]
    # The profile is read once: the page's reads and the header's `user.person` share it.
    assert sum('FROM "organisations_person"' in query["sql"] for query in queries.captured_queries) == 1
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        html(learner_client, lesson.url)
    assert len(queries) < len(cold)
