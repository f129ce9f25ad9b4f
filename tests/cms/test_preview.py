"""Trainers preview drafts before submitting them: new and edited course pages render as a preview."""

import pytest

from cms.models import LessonPage


@pytest.mark.django_db
def test_a_course_draft_with_changed_trainers_previews(make_course, trainer, other_trainer):
    course = make_course(trainers=[trainer])
    course.trainers = [trainer, other_trainer]
    course.save_revision()

    response = course.get_latest_revision_as_object().make_preview_request()

    assert response.status_code == 200
    html = response.content.decode()
    assert "Lê Văn Giảng" in html and "Phạm Thị Dạy" in html


@pytest.mark.django_db
def test_a_new_lesson_previews_before_it_is_saved(make_course, make_lesson):
    course = make_course()
    make_lesson(course, "Bài 1")
    # As Wagtail's create-view preview does: a realistic path without touching the tree.
    lesson = LessonPage(title="Bài mới", slug="bai-moi", body=[("text", "<p>Nội dung mới.</p>")])
    lesson.depth = course.depth + 1
    lesson.path = course.get_last_child()._inc_path()
    lesson.set_url_path(course)

    response = lesson.make_preview_request()

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nội dung mới." in html and 'rel="prev"' in html
