"""End to end: opening the last required lesson completes the course, and once that commits the
certificate is issued (courses calls certification.api.course_completion_notify)."""

import pytest

from certification.models import Certificate
from courses.choices import AccessMode, EnrolmentStatus
from courses.models import Course
from courses.services import enrolment_create, lesson_open
from tests.cms.conftest import make_lesson  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_completing_a_course_issues_its_certificate_after_commit(
    learner, make_course, make_lesson, django_capture_on_commit_callbacks  # noqa: F811
):
    page = make_course(title="Sử dụng Internet cơ bản", access_mode=AccessMode.OPEN, competency_codes=["IU06"])
    lesson = make_lesson(page, "Bài 1: Trình duyệt web")
    enrolment = enrolment_create(person=learner, course=Course.objects.get(page_id=page.pk))

    with django_capture_on_commit_callbacks(execute=True):
        lesson_open(person=learner, lesson_page_id=lesson.pk)
        assert not Certificate.objects.exists()  # not before the completion commits

    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.holder_name == "Nguyễn Thị Hồng Nhung"
    assert certificate.competency_records.get().competency.code == "IU06"
