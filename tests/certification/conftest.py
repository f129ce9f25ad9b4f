"""Certification fixtures: real published courses (cms's fixtures), completed enrolments, certificates."""

import pytest
from django.utils import timezone, translation

from courses.choices import EnrolmentSource, EnrolmentStatus
from courses.models import Course, Enrolment
from tests.cms.conftest import make_course, media_root  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def english(client):
    """Messages are asserted in English (the msgids), whatever the Vietnamese catalogue holds."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media(media_root):  # noqa: F811
    """Every certificate PDF of a test goes to a temporary MEDIA_ROOT."""
    return media_root


@pytest.fixture
def learner(make_person, unit_a):
    return make_person(
        unit=unit_a, full_name="Nguyễn Thị Hồng Nhung", employee_code="NV-NA-004217",
    )


@pytest.fixture
def course(make_course):  # noqa: F811
    """A live course developing IU01 and IU14, plus a code the framework does not know."""
    page = make_course(title="An toàn, bảo mật thông tin cho cán bộ, công chức", competency_codes=["IU01", "IU14"])
    anchor = Course.objects.get(page_id=page.pk)
    Course.objects.filter(pk=anchor.pk).update(competency_codes=["IU01", "IU14", "XX99"])
    anchor.refresh_from_db()
    return anchor


@pytest.fixture
def complete():
    """A completed enrolment of the person in the course."""

    def _complete(person, course, *, when=None):
        return Enrolment.objects.create(
            person=person, course=course, source=EnrolmentSource.SELF,
            status=EnrolmentStatus.COMPLETED, completed_at=when or timezone.now(),
        )

    return _complete


@pytest.fixture
def issue(complete):
    """Complete the course and issue its certificate (as the task does)."""
    from certification.services import certificate_issue_for_enrolment

    def _issue(person, course):
        return certificate_issue_for_enrolment(enrolment_id=complete(person, course).pk)

    return _issue


@pytest.fixture(autouse=True)
def _signing_key_file(settings, tmp_path_factory):
    """The embedded default signing key is generated into a temporary var/ directory, once per test run."""
    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path_factory.getbasetemp() / "var" / "certificate-signing-key.pem")
