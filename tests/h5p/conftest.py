"""H5P fixtures: the real TrueFalse package (h5p-standalone 2.1.3's test workspace, MIT, in
fixtures/truefalse/) zipped in the test, crafted bad packages, and a published lesson placing it."""

import io
import json
import stat
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from courses.choices import AccessMode
from courses.models import Course
from courses.services import enrolment_create, lesson_open
from h5p.services import content_upload
from tests.cms.conftest import curriculum_manager, make_course, make_lesson, other_trainer, trainer  # noqa: F401

WORKSPACE = Path(__file__).parent / "fixtures" / "truefalse"


def workspace_files() -> dict[str, bytes]:
    return {
        path.relative_to(WORKSPACE).as_posix(): path.read_bytes() for path in sorted(WORKSPACE.rglob("*")) if path.is_file()
    }


def build_zip(files: dict[str, bytes], *, symlinks: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def upload(data: bytes, name: str = "cau-hoi.h5p") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids), whatever the Vietnamese catalogue holds."""
    with translation.override("en"):
        yield


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def truefalse_bytes():
    return build_zip(workspace_files())


@pytest.fixture
def h5p_content(media_root, trainer, truefalse_bytes):
    return content_upload(uploaded=upload(truefalse_bytes), title="Câu hỏi Đúng/Sai", owner=trainer)


@pytest.fixture
def h5p_lesson(make_course, make_lesson, h5p_content):
    """A published open course whose one lesson places the TrueFalse activity (required)."""
    course_page = make_course(access_mode=AccessMode.OPEN, title="An toàn thông tin cơ bản")
    body = json.dumps(
        [
            {"type": "text", "value": "<p>Trả lời câu hỏi dưới đây.</p>"},
            {"type": "h5p", "value": {"content": h5p_content.pk, "required": True}},
        ]
    )
    lesson = make_lesson(course_page, "Bài 1: Câu hỏi", body=body)
    return Course.objects.get(page_id=course_page.pk), lesson


@pytest.fixture
def learner(make_person, unit_a, h5p_lesson):
    """An enrolled learner who has opened the lesson."""
    course, lesson = h5p_lesson
    person = make_person(unit=unit_a, full_name="Nguyễn Văn Học")
    enrolment_create(person=person, course=course)
    lesson_open(person=person, lesson_page_id=lesson.pk)
    return person
