"""The course gradebook (issue 4; issue 5's "the grade appears in the trainer's gradebook"): rows are the
course's learners, columns its live scored activities in lesson order (quiz grade by the quiz's grading
method or "awaiting grading", H5P grade as a percentage, the final exam last); a fixed number of queries
per page; scoping by role; an XLSX export safe against formula injection, built by Celery when large."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.gradebook.selectors import gradebook_columns
from lms.spreadsheets import safe_cell as neutralise
from assessments.models import Attempt
from courses.choices import AccessMode
from courses.models import Course
from courses.services import enrolment_create
from h5p.models import H5PContent, H5PGrade, H5PPackage
from tests.assessments.quizzes.conftest import make_quiz, questions  # noqa: F401 (fixtures)
from tests.cms.conftest import make_course, make_lesson, media_root  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def h5p_content(trainer):
    package = H5PPackage.objects.create(
        sha256="a" * 64, file="h5p_packages/dung-sai.h5p", h5p_json={"title": "Đúng hay sai"},
        main_library="H5P.TrueFalse", libraries=[], file_count=1, size=1,
    )
    return H5PContent.objects.create(title="Đúng hay sai?", package=package, owner=trainer)


@pytest.fixture
def book(make_course, make_lesson, make_quiz, h5p_content, trainer, unit_a, unit_b, make_person):
    """A course: lesson 1 places an H5P activity, lesson 2 a quiz (highest attempt), plus a final exam
    (last attempt). Three learners in unit A (one named like a formula), two in unit B."""
    quiz = make_quiz(title="Kiểm tra bài 2", grading_method="highest", pass_mark=50)
    exam = make_quiz(title="Thi cuối khoá", grading_method="last", pass_mark=50)
    page = make_course(
        access_mode=AccessMode.OPEN, competency_codes=[], trainers=[trainer], final_exam=exam,
        final_exam_after_lessons=False, title="Bảo mật thông tin",
    )
    make_lesson(page, "Bài 1", body=[("h5p", {"content": h5p_content, "required": True})])
    make_lesson(page, "Bài 2", body=[("quiz", {"quiz": quiz, "required": True})])
    course = Course.objects.get(page_id=page.pk)
    people = [
        make_person(unit=unit_a, full_name="An Văn Một", employee_code="NV-A1"),
        make_person(unit=unit_a, full_name="Bình Thị Hai", employee_code="NV-A2"),
        make_person(unit=unit_a, full_name="=HYPERLINK(\"http://x\")", employee_code="NV-A3"),
        make_person(unit=unit_b, full_name="Dương Văn Bốn", employee_code="NV-B1"),
        make_person(unit=unit_b, full_name="Đinh Thị Năm", employee_code="NV-B2"),
    ]
    for person in people:
        enrolment_create(person=person, course=course)
    one, two = people[0], people[1]
    attempt(quiz, one, 1, 0.4)
    attempt(quiz, one, 2, 0.9)  # highest: 90
    attempt(exam, one, 1, 0.8)
    attempt(exam, one, 2, 0.6)  # last: 60
    attempt(quiz, two, 1, 0.3, manual=True)  # an essay still to grade
    H5PGrade.objects.create(content=h5p_content, person=one, scaled=Decimal("0.75"), attempts=1)
    return {"course": course, "quiz": quiz, "exam": exam, "people": people}


def attempt(quiz, person, number, fraction, *, manual=False):
    return Attempt.objects.create(
        quiz=quiz, person=person, number=number, state="submitted", started_at=timezone.now(),
        submitted_at=timezone.now(), fraction=fraction, score=Decimal(str(fraction * 10)), max_score=Decimal(10),
        needs_manual_grading=manual,
    )


def url(book, name="course", **params):
    base = reverse(f"assessments:gradebook:{name}", args=[book["course"].pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_columns_are_the_live_activities_in_lesson_order_with_the_final_exam_last(book):
    columns = gradebook_columns(book["course"])
    assert [(c.kind, c.lesson_title, c.is_final_exam) for c in columns] == [
        ("h5p", "Bài 1", False), ("quiz", "Bài 2", False), ("quiz", "", True),
    ]
    assert columns[2].heading == "Final exam: Thi cuối khoá"


def test_the_course_trainer_sees_every_grade(book, client, trainer):
    client.force_login(trainer)
    response = client.get(url(book))
    assert response.status_code == 200
    rows = {row.enrolment.person.employee_code: row for row in response.context["rows"]}
    assert len(rows) == 5
    one = [(cell.percent, cell.awaiting) for cell in rows["NV-A1"].cells]
    assert one == [(75.0, False), (90.0, False), (60.0, False)]  # H5P; quiz by highest; exam by last
    two = [(cell.percent, cell.awaiting) for cell in rows["NV-A2"].cells]
    assert two == [(None, False), (30.0, True), (None, False)]
    body = response.content.decode()
    assert "Awaiting grading (30% provisional)" in body and "75%" in body
    assert "0 / 2" in body


def test_a_page_costs_the_same_queries_whatever_the_number_of_people(book, client, trainer, make_person, unit_a):
    client.force_login(trainer)
    client.get(url(book))  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(book)).status_code == 200
    for number in range(12):
        person = make_person(unit=unit_a, full_name=f"Người học {number:02d}")
        enrolment_create(person=person, course=book["course"])
        attempt(book["quiz"], person, 1, 0.5)
        attempt(book["exam"], person, 1, 0.5)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url(book))
    assert len(response.context["rows"]) == 17
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large.captured_queries) <= 20


def test_search_and_unit_filter(book, client, trainer, unit_b):
    client.force_login(trainer)
    names = lambda response: [row.enrolment.person.full_name for row in response.context["rows"]]  # noqa: E731
    assert names(client.get(url(book, q="Bình"))) == ["Bình Thị Hai"]
    assert names(client.get(url(book, q="nv-b1"))) == ["Dương Văn Bốn"]
    assert names(client.get(url(book, unit=unit_b.pk))) == ["Dương Văn Bốn", "Đinh Thị Năm"]


def test_a_unit_officer_sees_only_their_subtree(book, mfa_client, officer_a):
    client = mfa_client(officer_a.user)
    response = client.get(url(book))
    assert response.status_code == 200
    assert {row.enrolment.person.employee_code for row in response.context["rows"]} == {"NV-A1", "NV-A2", "NV-A3"}
    listed = client.get(reverse("assessments:gradebook:courses")).context["page"].object_list
    assert [course.pk for course in listed] == [book["course"].pk]


def test_a_curriculum_manager_sees_everyone(book, mfa_client, curriculum_manager):
    response = mfa_client(curriculum_manager).get(url(book))
    assert len(response.context["rows"]) == 5


def test_others_get_404(book, client, other_trainer):
    client.force_login(other_trainer)  # a trainer, but not of this course
    assert client.get(url(book)).status_code == 404
    assert client.get(url(book, "export")).status_code == 404
    assert not client.get(reverse("assessments:gradebook:courses")).context["page"].object_list
    client.force_login(book["people"][0].user)  # a learner of the course
    assert client.get(url(book)).status_code == 404


def test_formula_like_text_is_neutralised():
    assert neutralise("=1+1") == "'=1+1"
    assert [neutralise(v) for v in ("+84", "-x", "@cmd", "Bình")] == ["'+84", "'-x", "'@cmd", "Bình"]
    assert neutralise(42.5) == 42.5


def read_sheet(content: bytes):
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_export_streams_a_workbook_with_title_time_and_one_header_row(book, client, trainer):
    client.force_login(trainer)
    response = client.get(url(book, "export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="gradebook-')
    rows = read_sheet(response.content)
    assert rows[0][0] == "Bảo mật thông tin"
    assert rows[1][0].startswith("Generated at")
    assert rows[2][:5] == ("Full name", "Employee code", "Unit", "Enrolment status", "Completed on")
    assert rows[2][-3:] == ("Lessons completed", "Required lessons", "Course completed")
    data = {row[1]: row for row in rows[3:]}
    assert len(data) == 5
    assert data["NV-A1"][5:8] == (75, 90, 60)
    assert data["NV-A2"][6] == "Awaiting grading (provisional 30.0%)"
    assert data["NV-A3"][0] == "'=HYPERLINK(\"http://x\")"  # never a live formula


def test_a_large_export_runs_in_celery_and_is_offered_to_its_owner_only(
    book, client, mfa_client, trainer, curriculum_manager, settings, media_root,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    settings.GRADEBOOK_SYNC_EXPORT_LIMIT = 2
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(url(book, "export", unit=book["people"][0].unit_id))
    assert response.status_code == 302 and len(callbacks) == 1
    status_url = response.url
    assert not client.get(status_url).context["ready"]
    callbacks[0]()  # the worker runs the task
    page = client.get(status_url)
    assert page.context["ready"]
    download = client.get(status_url + "&download=1")
    assert download.status_code == 200
    rows = read_sheet(b"".join(download.streaming_content))
    assert {row[1] for row in rows[3:]} == {"NV-A1", "NV-A2", "NV-A3"}  # the unit filter held
    other = mfa_client(curriculum_manager)  # sees the course, but the token is the trainer's
    assert other.get(status_url).status_code == 404
    assert other.get(status_url + "&download=1").status_code == 404


def test_the_admin_menu_links_trainers_to_the_gradebook(book, mfa_client, trainer):
    html = mfa_client(trainer).get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("assessments:gradebook:courses") in html
