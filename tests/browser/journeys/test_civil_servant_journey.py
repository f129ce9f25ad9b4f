"""Journey 1 (issue 9), the civil servant: logs in, finds the course their officer assigned in "My learning",
works through the lessons (text and an uploaded video that loads and plays, then the H5P activity played
from the content origin), fails the quiz once and passes it the second time with the keyboard alone, downloads the certificate (a PDF that opens), follows the URL of its QR code
to the public verification page, which says it is valid, and sees the competency in "My competencies". Every page of the LMS it visits passes axe-core and the keyboard check (Tab reaches each
control with a visible focus ring, no trap).

The video is an uploaded WebM document (tests/browser/fixtures/two-seconds.webm, 2 s, 160x120, VP8): an
embed would fetch from its provider, and no request may leave localhost here."""

import datetime
import io
import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader
from wagtail.documents import get_document_model

from accounts.roles import Role
from assessments.models import Quiz, QuizQuestion
from certification.models import Certificate
from courses.choices import AccessMode, EnrolmentStatus
from courses.models import Course, Enrolment
from courses.services import assignment_create
from h5p.services import content_upload
from tests.assessments.conftest import category, make_question  # noqa: F401 (fixtures)
from tests.browser.h5p import H5PTrace, h5p_question_frame, h5p_status
from tests.browser.journeys.conftest import axe_check, keyboard_check, tab_to
from tests.cms.conftest import make_course, make_lesson  # noqa: F401 (fixtures)
from tests.factories import TEST_PASSWORD
from tests.h5p.conftest import build_zip, upload, workspace_files

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RIGHT = "Tắt máy tính hoặc khoá màn hình"
WRONG = "Để nguyên màn hình"
VIDEO = Path(__file__).resolve().parents[1] / "fixtures" / "two-seconds.webm"
VIDEO_STATE = """() => {
    const video = document.querySelector('.block-video video');
    return {ready: video.readyState, duration: video.duration, time: video.currentTime,
            error: video.error && video.error.code, controls: video.controls, label: video.getAttribute('aria-label')};
}"""


@pytest.fixture
def trainer(make_person, unit_a):
    return make_person(unit=unit_a, roles=[Role.TRAINER], full_name="Lê Văn Giảng").user


@pytest.fixture
def origins(live_server, settings, tmp_path):
    """The LMS on 127.0.0.1, H5P content on localhost (same live server), QR codes pointing at the LMS."""
    port = urlsplit(live_server.url).port
    settings.WAGTAILADMIN_BASE_URL = f"http://127.0.0.1:{port}"
    settings.LMS_PUBLIC_BASE_URL = f"http://127.0.0.1:{port}"
    settings.H5P_CONTENT_ORIGIN = f"http://localhost:{port}"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


@pytest.fixture
def assigned_course(origins, trainer, officer_a, make_person, unit_a, make_question, make_course, make_lesson):
    learner = make_person(unit=unit_a, roles=[Role.LEARNER], full_name="Nguyễn Thị Hồng Nhung")
    h5p = content_upload(uploaded=upload(build_zip(workspace_files())), title="Đúng hay sai", owner=trainer)
    question = make_question(
        actor=trainer, name="Rời chỗ ngồi", stem="<p>Rời chỗ làm việc thì làm gì với máy tính?</p>",
        payload={"options": [{"text": RIGHT, "fraction": 1}, {"text": WRONG, "fraction": 0}]},
    )
    quiz = Quiz(owner=trainer, title="Kiểm tra cuối khoá", shuffle_questions=False, shuffle_options=False,
                pass_mark=80, max_attempts=3)
    quiz.full_clean()
    quiz.save()
    QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=0)
    page = make_course(title="Sử dụng Internet an toàn", code="INT-01", access_mode=AccessMode.ASSIGNMENT_ONLY,
                       competency_codes=["IU06"])
    video = get_document_model().objects.create(
        title="Khoá màn hình", file=ContentFile(VIDEO.read_bytes(), name="khoa-man-hinh.webm")
    )
    make_lesson(page, "Bài 1: Thư điện tử công vụ", body=json.dumps([
        {"type": "text", "value": "<p>Chỉ dùng hộp thư công vụ cho công việc.</p>"},
        {"type": "video", "value": {"title": "Khoá màn hình khi rời chỗ", "file": video.pk, "poster": None,
                                    "captions": None, "embed": ""}},
    ]))
    make_lesson(page, "Bài 2: Đúng hay sai", body=json.dumps([
        {"type": "h5p", "value": {"content": h5p.pk, "required": True}},
    ]))
    quiz_lesson = make_lesson(
        page, "Bài 3: Kiểm tra", body=json.dumps([{"type": "quiz", "value": {"quiz": quiz.pk, "required": True}}])
    )
    course = Course.objects.get(page_id=page.pk)
    assignment_create(course=course, people=[learner], due_date=timezone.localdate() + datetime.timedelta(days=14),
                      assigned_by=officer_a.user)
    return learner, page, quiz_lesson


def _check(page):
    """Each page of the LMS the journey visits: axe-core, then the keyboard."""
    axe_check(page)
    keyboard_check(page)


def _poll(page, expression, done, *, seconds=20):
    """page.evaluate until done(result) (the CSP blocks Playwright's string-based wait_for_function)."""
    deadline = time.monotonic() + seconds
    result = page.evaluate(expression)
    while not done(result) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        result = page.evaluate(expression)
    assert done(result), result
    return result


def _take_quiz_with_the_keyboard(page, answer: str):
    """The same, with Tab, Space and Enter only."""
    tab_to(page, "Bắt đầu")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/attempts/*/")
    _check(page)
    tab_to(page, answer)
    page.keyboard.press("Space")
    assert page.get_by_label(answer).is_checked()
    page.locator(".quiz-save-status[data-state=saved]").wait_for()
    tab_to(page, "Kết thúc lượt làm bài")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _check(page)
    tab_to(page, "Nộp bài và kết thúc")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/review/")
    _check(page)


def _take_quiz(page, answer: str):
    page.get_by_role("button", name="Bắt đầu").first.click()
    page.wait_for_url("**/attempts/*/")
    page.get_by_label(answer).check()
    page.locator(".quiz-save-status[data-state=saved]").wait_for()
    axe_check(page)
    page.get_by_role("button", name="Kết thúc lượt làm bài…").click()
    page.get_by_role("button", name="Nộp bài và kết thúc").click()
    page.wait_for_url("**/review/")
    axe_check(page)


def test_civil_servant_completes_an_assigned_course_and_verifies_the_certificate(site_url, page, shot, assigned_course):
    learner, course_page, quiz_lesson = assigned_course
    page.goto(site_url + "/accounts/login/")
    EmailAddress.objects.create(user=learner.user, email=learner.user.email, verified=True, primary=True)
    page.get_by_label("Email hoặc mã cán bộ").fill(learner.user.username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("load")

    menu = page.get_by_role("navigation", name="Menu chính")
    menu.get_by_role("link", name="Học tập của tôi").click()
    _check(page)
    shot("my learning: the assigned course")
    page.get_by_role("link", name="Sử dụng Internet an toàn").first.click()
    _check(page)
    page.get_by_role("link", name="Bài 1: Thư điện tử công vụ").first.click()
    _check(page)
    shot("lesson 1: text")

    # The video: its metadata loads (2 s), it has the player's controls and a name, and it plays.
    page.locator(".block-video video").scroll_into_view_if_needed()
    state = _poll(page, VIDEO_STATE, lambda state: state["ready"] >= 1 or state["error"])
    assert state["error"] is None and 1.5 < state["duration"] < 2.5, state
    assert state["controls"] and state["label"] == "Khoá màn hình khi rời chỗ"
    page.evaluate("() => { const video = document.querySelector('.block-video video'); video.muted = true; "
                  "return video.play(); }")
    _poll(page, VIDEO_STATE, lambda state: state["time"] > 0.3)
    shot("lesson 1: the video plays")

    trace = H5PTrace(page)
    page.get_by_role("link", name="Bài tiếp theo: Bài 2: Đúng hay sai").click()
    frame = h5p_question_frame(page)
    _check(page)
    shot("lesson 2: H5P")
    frame.get_by_role("radio", name="False").click()
    frame.get_by_role("button", name="Check").click()
    h5p_status(page, trace)
    shot("lesson 2: H5P answered")

    page.get_by_role("link", name="Bài tiếp theo: Bài 3: Kiểm tra").click()
    _check(page)
    _take_quiz(page, WRONG)
    shot("quiz: first attempt failed")
    page.goto(site_url + quiz_lesson.url)
    assert page.get_by_text("Chưa đạt").first.is_visible()
    _take_quiz_with_the_keyboard(page, RIGHT)
    shot("quiz: second attempt passed, with the keyboard alone")

    enrolment = Enrolment.objects.get(person=learner, course__page=course_page)
    deadline = time.monotonic() + 20
    while not Certificate.objects.filter(enrolment=enrolment).exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED

    menu.get_by_role("link", name="Chứng chỉ của tôi").click()
    _check(page)
    shot("my certificates")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về").first.click()
    pdf = PdfReader(download.value.path())
    assert "Nguyễn Thị Hồng Nhung" in pdf.pages[0].extract_text()
    decoded = [
        result.text
        for image in pdf.pages[0].images
        for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)).convert("RGB"))
    ]
    assert len(decoded) == 1 and decoded[0].startswith(site_url + "/verify/")

    page.goto(decoded[0])
    assert page.get_by_text("Chứng chỉ này còn hiệu lực.").is_visible()
    _check(page)
    shot("public verification: valid")

    page.goto(site_url + "/")
    menu.get_by_role("link", name="Năng lực của tôi").click()
    _check(page)
    assert page.get_by_text("IU06").first.is_visible()
    shot("my competencies")
