"""Curriculum fixtures: the catalogue and tracks come from cms's data migration; courses are made here."""

import itertools
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from accounts.roles import Role
from cms.models import CatalogueIndexPage, CourseAudience, CoursePage, LessonPage, SectionPage, TrackPage
from courses.tracks import Track

_codes = itertools.count(1)


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def catalogue(db):
    return CatalogueIndexPage.objects.get()


@pytest.fixture
def it_track(db):
    return TrackPage.objects.get(track=Track.IT_STAFF)


@pytest.fixture
def make_course(db):
    def _make(*, track=None, trainers=(), audiences=(), live=True, **fields):
        track = track or TrackPage.objects.get(track=Track.GENERAL)
        number = next(_codes)
        fields.setdefault("title", f"Khoá học {number}")
        fields.setdefault("code", f"KH-{number:03d}")
        fields.setdefault("summary", "Khoá học bồi dưỡng kỹ năng CNTT.")
        fields.setdefault("estimated_hours", Decimal("4"))
        course = CoursePage(live=live, **fields)
        course.trainers = list(trainers)
        course.audiences = list(CourseAudience.objects.filter(code__in=audiences))
        track.add_child(instance=course)
        return publish(course) if live else course

    return _make


@pytest.fixture
def make_section(db):
    def _make(course, title="Phần 1", *, live=True):
        section = course.add_child(instance=SectionPage(title=title, live=live))
        return publish(section) if live else section

    return _make


@pytest.fixture
def make_lesson(db):
    def _make(parent, title="Bài học", *, body=None, live=True, **fields):
        body = body if body is not None else [("text", "<p>Nội dung bài học.</p>")]
        lesson = parent.add_child(instance=LessonPage(title=title, body=body, live=live, **fields))
        return publish(lesson) if live else lesson

    return _make


@pytest.fixture
def trainer(make_person, unit_a):
    return make_person(unit=unit_a, roles=[Role.TRAINER], full_name="Lê Văn Giảng").user


@pytest.fixture
def other_trainer(make_person, unit_b):
    return make_person(unit=unit_b, roles=[Role.TRAINER], full_name="Phạm Thị Dạy").user


@pytest.fixture
def curriculum_manager(make_person, province):
    return make_person(unit=province, roles=[Role.CURRICULUM_MANAGER], full_name="Hoàng Văn Duyệt").user


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def make_image(media_root):
    def _make(title="Ảnh minh hoạ"):
        return Image.objects.create(title=title, file=get_test_image_file())

    return _make


@pytest.fixture
def make_document(media_root):
    def _make(filename, content=b"WEBVTT\n", title="Tài liệu"):
        return Document.objects.create(title=title, file=ContentFile(content, name=filename))

    return _make


@pytest.fixture
def embed_url(db):
    """A video URL whose embed is already cached, so no test asks a provider over the network."""
    url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    Embed.objects.create(
        url=url,
        hash=get_embed_hash(url, None, None),
        type="video",
        html='<iframe title="Video bài giảng" src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
    )
    return url
