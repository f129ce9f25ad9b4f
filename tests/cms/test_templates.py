"""Each curriculum page type renders for an anonymous visitor."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from cms.choices import CourseLevel
from cms.models import TrackPage
from cms.selectors import course_trainer_names
from courses.tracks import Track
from organisations.models import Audience


@pytest.fixture
def course_with_lessons(make_course, make_section, make_lesson, trainer, other_trainer):
    """Lessons in tree order: an introduction under the course, then two sections of two lessons."""
    course = make_course(
        track=TrackPage.objects.get(track=Track.IT_STAFF),
        title="An toàn thông tin cho cán bộ chuyên trách",
        code="ATTT-01",
        summary="Nhận diện và phòng chống các nguy cơ mất an toàn thông tin.",
        audiences=[Audience.IT_STAFF],
        level=CourseLevel.INTERMEDIATE,
        estimated_hours=Decimal("12.5"),
        trainers=[trainer, other_trainer],
    )
    intro = make_lesson(course, "Giới thiệu")
    first_section = make_section(course, "Phần 1. Mã độc")
    lessons = [intro, make_lesson(first_section, "Nhận diện mã độc"), make_lesson(first_section, "Phòng chống mã độc")]
    second_section = make_section(course, "Phần 2. Sao lưu")
    lessons += [make_lesson(second_section, "Sao lưu dữ liệu", is_required=False)]
    make_lesson(second_section, "Bản nháp", live=False)
    return course, lessons


@pytest.mark.django_db
def test_catalogue_lists_the_five_tracks_with_their_course_counts(client, catalogue, course_with_lessons, make_course):
    make_course(title="Khoá chưa xuất bản", live=False)
    client.cookies["django_language"] = "en"

    html = client.get(catalogue.url).content.decode()

    for track in TrackPage.objects.all():
        assert track.title in html and track.url in html
    assert "1 course" in html  # the IT staff track; the unpublished course is not counted
    assert "0 courses" in html


@pytest.mark.django_db
def test_track_page_shows_its_live_courses_as_cards(client, course_with_lessons, make_course):
    course, _lessons = course_with_lessons
    make_course(track=course.get_parent().specific, title="Khoá chưa xuất bản", live=False)
    client.cookies["django_language"] = "en"

    html = client.get(course.get_parent().url).content.decode()

    assert course.title in html and course.url in html and course.summary in html
    assert "12.5 hours" in html
    assert "Khoá chưa xuất bản" not in html


@pytest.mark.django_db
def test_course_page_shows_facts_trainers_and_the_outline(client, course_with_lessons):
    course, lessons = course_with_lessons
    client.cookies["django_language"] = "en"

    html = client.get(course.url).content.decode()

    assert course.summary in html and "ATTT-01" in html
    assert "Dedicated IT staff" in html and "Intermediate" in html
    assert "Lê Văn Giảng" in html and "Phạm Thị Dạy" in html
    positions = [html.index(title) for title in ("Giới thiệu", "Phần 1. Mã độc", "Nhận diện mã độc",
                                                  "Phòng chống mã độc", "Phần 2. Sao lưu", "Sao lưu dữ liệu")]
    assert positions == sorted(positions)
    assert "Bản nháp" not in html
    assert "optional" in html


@pytest.mark.django_db
def test_section_page_lists_its_lessons(client, course_with_lessons):
    _course, lessons = course_with_lessons
    section = lessons[1].get_parent()
    html = client.get(section.url).content.decode()
    assert "Nhận diện mã độc" in html and "Phòng chống mã độc" in html and "Giới thiệu" not in html


@pytest.mark.django_db
def test_lesson_page_shows_body_reading_time_and_neighbours_across_sections(client, course_with_lessons):
    _course, lessons = course_with_lessons
    client.cookies["django_language"] = "en"

    html = client.get(lessons[2].url).content.decode()

    assert "Nội dung bài học." in html
    assert "About 1 minute to read" in html
    assert f'href="{lessons[1].url}" rel="prev"' in html
    assert f'href="{lessons[3].url}" rel="next"' in html  # the next section's first lesson

    first = client.get(lessons[0].url).content.decode()
    assert 'rel="prev"' not in first and f'href="{lessons[1].url}" rel="next"' in first
    last = client.get(lessons[3].url).content.decode()
    assert 'rel="next"' not in last


@pytest.mark.django_db
def test_lesson_blocks_render_inside_the_page(client, make_course, make_lesson):
    lesson = make_lesson(make_course(), body=[
        ("heading", {"text": "Các bước thực hiện", "level": "h2"}),
        ("callout", {"kind": "warning", "text": "<p>Không chia sẻ mật khẩu.</p>"}),
        ("steps", {"title": "Đổi mật khẩu", "steps": [
            {"text": "<p>Mở trang cá nhân.</p>", "screenshot": None, "screenshot_alt": ""},
            {"text": "<p>Chọn Đổi mật khẩu.</p>", "screenshot": None, "screenshot_alt": ""},
        ]}),
        ("code", {"language": "bash", "code": "passwd"}),
    ])

    html = client.get(lesson.url).content.decode()

    assert "<h2>Các bước thực hiện</h2>" in html
    assert 'class="callout callout-warning"' in html and "Không chia sẻ mật khẩu." in html
    assert '<ol class="steps">' in html and "Mở trang cá nhân." in html and "Chọn Đổi mật khẩu." in html
    assert '<code class="language-bash">passwd</code>' in html


@pytest.mark.django_db
def test_track_and_catalogue_pages_query_the_same_however_many_courses_have_covers(client, catalogue, make_course,
                                                                                     make_image):
    track = TrackPage.objects.get(track=Track.OPEN_SOURCE)

    def count_queries(url):
        client.get(url)  # the first view creates the cover renditions
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    make_course(track=track, cover_image=make_image())
    one = (count_queries(track.url), count_queries(catalogue.url))
    for _ in range(3):
        make_course(track=track, cover_image=make_image())
    assert (count_queries(track.url), count_queries(catalogue.url)) == one


@pytest.mark.django_db
def test_trainers_are_listed_in_vietnamese_alphabetical_order(make_course, make_person, unit_a, trainer):
    do_hoa = make_person(unit=unit_a, roles=[Role.TRAINER], full_name="Đỗ Thị Hoa").user
    course = make_course(trainers=[trainer, do_hoa])
    assert course_trainer_names(course) == ["Đỗ Thị Hoa", "Lê Văn Giảng"]


def test_home_page_lists_the_tracks_and_links_the_catalogue(client, db):
    from cms.models import CatalogueIndexPage

    catalogue = CatalogueIndexPage.objects.get()
    html = client.get("/").content.decode()
    assert f'href="{catalogue.url}"' in html
    assert "Phần mềm nguồn mở" in html and "Nông dân và người dân" in html
