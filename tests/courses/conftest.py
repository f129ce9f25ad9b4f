"""Learning-record fixtures. Courses are real published pages (cms's fixtures), so the anchors come
from the publish signal exactly as in production."""

import datetime

import pytest
from django.utils import timezone, translation

from courses.models import Course
from tests.cms.conftest import make_course, make_lesson, make_section, trainer  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def english(client):
    """Messages are asserted in English (the msgids), whatever the Vietnamese catalogue holds."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def anchor():
    """The courses.Course anchor of a course page."""

    def _anchor(course_page):
        return Course.objects.get(page_id=course_page.pk)

    return _anchor


@pytest.fixture
def due_date():
    return timezone.localdate() + datetime.timedelta(days=30)
