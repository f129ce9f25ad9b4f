"""seed_demo_courses publishes one complete Vietnamese course per track, with pictures, and is idempotent."""

import io
import re

import pytest
from django.core.management import call_command
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from accounts.roles import Role
from cms.demo_content import drawing
from cms.demo_content.courses import COURSES
from cms.models import CoursePage, LessonPage, TrackPage
from cms.selectors import course_search
from courses.tracks import Track
from organisations.models import Audience
from tests.factories import UserFactory

# Letters only Vietnamese uses: a page showing them shows Vietnamese text with its diacritics.
VIETNAMESE_LETTERS = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
MAX_IMAGE_BYTES = 60 * 1024


def seed():
    out = io.StringIO()
    call_command("seed_demo_courses", stdout=out)
    return out.getvalue()


def counts():
    return {
        "pages": Page.objects.count(),
        "live": Page.objects.live().count(),
        "images": get_image_model().objects.count(),
        "revisions": Revision.objects.count(),
    }


@pytest.fixture
def demo_trainer(db):
    return UserFactory(username="demo.giangvien", roles=[Role.TRAINER])


@pytest.mark.django_db
def test_one_live_course_per_track_with_lessons_a_cover_the_demo_trainer_and_search(media_root, demo_trainer):
    seed()

    for track in TrackPage.objects.all():
        courses = CoursePage.objects.live().descendant_of(track)
        assert courses.count() == 1, track.track
        course = courses.get()
        assert LessonPage.objects.live().descendant_of(course).count() >= 3, course.code
        assert course.cover_image is not None
        assert course.audiences.exists()
        assert list(course.trainers.all()) == [demo_trainer]
        assert VIETNAMESE_LETTERS.search(course.title + course.summary)
        assert not course.has_unpublished_changes
    general = CoursePage.objects.descendant_of(TrackPage.objects.get(track=Track.GENERAL)).get()
    assert (general.code, general.competency_codes) == ("IU01", ["IU01"])
    it_course = CoursePage.objects.descendant_of(TrackPage.objects.get(track=Track.IT_STAFF)).get()
    assert it_course.competency_codes == ["IU14"]
    assert set(it_course.audiences.values_list("code", flat=True)) == {Audience.IT_STAFF}
    farmers = CoursePage.objects.descendant_of(TrackPage.objects.get(track=Track.FARMERS)).get()
    assert set(farmers.audiences.values_list("code", flat=True)) == {Audience.FARMER, Audience.RESIDENT}
    it_blocks = [child.block_type for lesson in LessonPage.objects.descendant_of(it_course) for child in lesson.body]
    assert "code" in it_blocks and "steps" in it_blocks
    writer = CoursePage.objects.descendant_of(TrackPage.objects.get(track=Track.OPEN_SOURCE)).get()
    screenshots = [
        step["screenshot"]
        for lesson in LessonPage.objects.descendant_of(writer)
        for child in lesson.body
        if child.block_type == "steps"
        for step in child.value["steps"]
        if step["screenshot"]
    ]
    assert len(screenshots) >= 3
    assert [course.code for course in course_search("bao mat")] == ["ATTT-CT01"]  # diacritics ignored


@pytest.mark.django_db
def test_without_the_demo_trainer_the_courses_have_no_trainer(media_root):
    seed()
    assert all(not course.trainers.exists() for course in CoursePage.objects.all())


@pytest.mark.django_db
def test_every_course_and_lesson_renders_in_vietnamese_with_described_images(client, media_root):
    seed()

    pages = [*CoursePage.objects.live(), *LessonPage.objects.live()]
    assert len(pages) == sum(len(course.lessons()) + 1 for course in COURSES)
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert page.title.replace(",", "") in html.replace(",", "")
        assert VIETNAMESE_LETTERS.search(html)
        if isinstance(page.specific, LessonPage):
            assert 'alt=""' not in html  # every lesson picture is described (a course's cover is decorative)
    review = LessonPage.objects.live().filter(title="Ôn tập")
    assert review.count() == len(COURSES)


@pytest.mark.django_db
def test_running_twice_changes_nothing(media_root, demo_trainer):
    seed()
    before = counts()
    seed()
    assert counts() == before  # revisions included: nothing was published again


@pytest.mark.django_db
def test_running_again_restores_edited_content_without_duplicating(media_root):
    seed()
    lesson = LessonPage.objects.get(slug="sao-luu-du-lieu-3-2-1")
    original_title = lesson.title
    lesson.title = "Tiêu đề bị sửa nhầm"
    lesson.save_revision().publish()
    before = counts()

    seed()

    lesson.refresh_from_db()
    assert lesson.title == original_title
    assert counts()["pages"] == before["pages"]
    assert counts()["images"] == before["images"]


@pytest.mark.django_db
def test_images_are_small_pngs_for_phones(media_root):
    seed()

    images = get_image_model().objects.all()
    assert images.count() == sum(len(course.pictures) for course in COURSES)
    for image in images:
        with image.open_file() as handle:
            data = handle.read()
        assert len(data) < MAX_IMAGE_BYTES, image.title
        picture = PillowImage.open(io.BytesIO(data))
        assert picture.format == "PNG"
        assert picture.width >= 600


def test_pictures_are_drawn_without_labels_where_the_font_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(drawing, "FONT_DIR", tmp_path)
    drawing.font.cache_clear()
    try:
        assert not drawing.fonts_available()
        for course in COURSES:
            for picture in course.pictures.values():
                assert PillowImage.open(io.BytesIO(picture.draw())).format == "PNG"
    finally:
        drawing.font.cache_clear()
