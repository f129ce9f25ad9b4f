"""Pages are found by their URL path in two queries (cms.models.HomePage.route) and the lesson page's
course outline is cached until the page tree changes (cms.page_cache): what Wagtail's own routing
guaranteed still holds, and no change is hidden by the cache (issue 8, W1)."""

import pytest
from wagtail.models import PageViewRestriction

from tests.cms.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(make_course, make_section, make_lesson):
    course = make_course(title="An toàn thông tin")
    section = make_section(course, "Phần 1")
    make_lesson(section, "Bài đầu")
    return make_lesson(section, "Bài hai")


def test_pages_at_every_depth_are_found_and_unknown_paths_are_404(client, lesson):
    section = lesson.get_parent()
    course = section.get_parent()
    for page in (course.get_parent(), course, section, lesson):
        assert client.get(page.url).status_code == 200, page.url
    assert client.get(section.url + "khong-co/").status_code == 404
    assert client.get(lesson.url + "them/").status_code == 404


def test_an_unpublished_lesson_is_404_and_a_republished_one_is_back(client, lesson):
    lesson.unpublish()
    assert client.get(lesson.url).status_code == 404
    publish(lesson)
    assert client.get(lesson.url).status_code == 200


def test_a_view_restriction_on_the_course_covers_its_lessons(client, lesson):
    course = lesson.get_parent().get_parent()
    assert client.get(lesson.url).status_code == 200
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(lesson.url)
    assert response.status_code == 302 and "login" in response.url


def test_the_outline_shows_a_renamed_lesson_and_a_new_one_at_once(client, lesson, make_lesson):
    section = lesson.get_parent()
    first = section.get_children().first().specific
    assert "Bài đầu" in client.get(lesson.url).content.decode()  # now cached
    first.title = "Bài mở đầu đã sửa"
    publish(first)
    make_lesson(section, "Bài ba mới")
    page = client.get(lesson.url).content.decode()
    assert "Bài mở đầu đã sửa" in page and "Bài ba mới" in page
    first.refresh_from_db()
    first.unpublish()
    assert "Bài mở đầu đã sửa" not in client.get(lesson.url).content.decode()


def test_the_breadcrumb_links_the_lessons_section(client, lesson):
    section = lesson.get_parent()
    assert f'<a href="{section.url}">Phần 1</a>' in client.get(lesson.url).content.decode()
