"""Journey 5 (issue 9), the farmer, on a phone (390 × 844) over a slow 3G line: registers with explicit
consent, confirms the e-mail, finds the farmer-outreach track, enrols in a course, and completes its lesson
by passing the quiz; the quiz survives 30 seconds offline mid-way (the answer is said to be not saved,
and is saved once the connection is back). The catalogue and the lesson weigh under 300 KB; each page
passes axe-core, and the keyboard check where it is first seen."""

import re
import time

import pytest
from django.core import mail

from accounts.models import ConsentRecord
from accounts.roles import Role
from assessments.choices import QuestionType
from assessments.models import Attempt, AttemptSlot, Quiz, QuizQuestion
from cms.models import CatalogueIndexPage, TrackPage
from courses.choices import AccessMode, EnrolmentStatus
from courses.models import Course, Enrolment
from courses.tracks import Track
from organisations.models import Audience, Person, UnitKind
from tests.assessments.conftest import category, make_question  # noqa: F401 (fixtures)
from tests.browser.journeys.conftest import axe_check, keyboard_check
from tests.cms.conftest import make_course, make_lesson  # noqa: F401 (fixtures)
from tests.factories import make_unit

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.viewport(390, 844)]

EMAIL = "le.van.nong@gmail.com"
PASSWORD = "Lua-chiem-xuan-2026"
PAGE_BUDGET = 300 * 1024
# Chrome DevTools' "Slow 3G" order of magnitude: 400 ms latency, about 50 KB/s each way.
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 50 * 1024, "uploadThroughput": 50 * 1024}


@pytest.fixture
def trainer(make_person, unit_a):
    return make_person(unit=unit_a, roles=[Role.TRAINER], full_name="Lê Văn Giảng").user


@pytest.fixture
def farmer_course(trainer, make_question, make_course, make_lesson):
    """A published open course of the farmer track whose only lesson holds a two-question quiz."""
    questions = [
        make_question(
            name="Giá lúa", stem="<p>Nên xem giá lúa ở đâu cho đáng tin?</p>",
            payload={"options": [
                {"text": "Trang thông tin của Sở Nông nghiệp", "fraction": 1},
                {"text": "Tin nhắn lạ gửi đến điện thoại", "fraction": 0},
            ]},
        ),
        make_question(
            name="Mã OTP", qtype=QuestionType.TRUE_FALSE, stem="<p>Có nên đọc mã OTP cho người gọi điện lạ?</p>",
            payload={"correct": False, "feedback_true": "Sai rồi.", "feedback_false": "Đúng."},
        ),
    ]
    quiz = Quiz(owner=trainer, title="Kiểm tra: dùng điện thoại an toàn", shuffle_questions=False)
    quiz.full_clean()
    quiz.save()
    for position, question in enumerate(questions):
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=position)
    page = make_course(
        track=TrackPage.objects.get(track=Track.FARMERS), access_mode=AccessMode.OPEN, competency_codes=[],
        title="Điện thoại thông minh cho nhà nông", code="ND-01", audiences=[Audience.FARMER],
        summary="Tra cứu giá cả, thời tiết và giữ an toàn tài khoản trên điện thoại.",
    )
    lesson = make_lesson(
        page, "Giữ an toàn khi dùng điện thoại",
        body=[("text", "<p>Không bao giờ đọc mã OTP cho người khác.</p>"), ("quiz", {"quiz": quiz, "required": True})],
    )
    return page, lesson, quiz


def _offline(page, cdp, offline: bool):
    """Playwright's offline switch, and the same on the throttling DevTools session (whose conditions
    would otherwise keep the line up); the page gets its offline / online events."""
    if offline:
        page.context.set_offline(True)
        cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "offline": True})
    else:  # the line first, so the page's "online" event finds it up
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        page.context.set_offline(False)


def _check(page):
    """A page first seen in this journey: axe-core, then the keyboard (each control reached, focus visible)."""
    axe_check(page)
    keyboard_check(page)


def _submit(page):
    page.locator("form button[type=submit]:visible").last.click()


def test_farmer_registers_on_a_phone_and_completes_a_lesson_and_its_quiz_through_an_outage(
    site_url, page, shot, weigh, province, farmer_course
):
    course_page, lesson, quiz = farmer_course
    make_unit("Xã Nghi Lộc", parent=province, kind=UnitKind.COMMUNE, code="17000")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    page.set_default_timeout(45_000)

    # Registration, with the consent box ticked by the farmer (never in advance).
    page.goto(site_url + "/")
    shot("home on a phone")
    _check(page)
    page.get_by_role("link", name="Đăng ký (dành cho nông dân và người dân)").first.click()
    page.wait_for_url("**/accounts/signup/")
    _check(page)
    consent = page.locator("input[name=consent]")
    assert not consent.is_checked()
    page.get_by_label("Họ và tên").fill("Lê Văn Nông")
    page.get_by_label("nông dân").check()
    page.get_by_label("Xã, phường nơi cư trú").select_option(label="Xã Nghi Lộc")
    page.get_by_label("Số điện thoại (không bắt buộc)").fill("0912 345 678")
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    consent.check()
    shot("sign-up form, consent given")
    _submit(page)
    page.wait_for_url("**/accounts/confirm-email/")
    _check(page)
    shot("check your e-mail")
    person = Person.objects.get(user__email=EMAIL)
    assert person.audience == Audience.FARMER and ConsentRecord.objects.filter(user=person.user).exists()

    # The link in the e-mail, then the login.
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body).group(1)
    page.goto(site_url + link)
    _check(page)
    _submit(page)
    page.wait_for_load_state("load")
    page.goto(site_url + "/accounts/login/")
    page.get_by_label("Email hoặc mã cán bộ").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    _submit(page)
    page.wait_for_load_state("load")
    assert page.get_by_text("Lê Văn Nông").first.is_visible()
    shot("logged in")

    # The catalogue and the farmer track; both light enough for the line.
    catalogue = CatalogueIndexPage.objects.get()
    catalogue_weight = weigh(page, site_url + catalogue.url, session=cdp)
    assert catalogue_weight < PAGE_BUDGET, catalogue_weight
    _check(page)
    shot("catalogue")
    track = TrackPage.objects.get(track=Track.FARMERS)
    page.get_by_role("link", name=track.title).first.click()
    page.wait_for_url(f"**{track.url}")
    _check(page)
    shot("farmer track")
    page.get_by_role("link", name=course_page.title).first.click()
    page.wait_for_url(f"**{course_page.url}")
    _check(page)
    page.get_by_role("button", name="Đăng ký học").click()
    page.wait_for_load_state("load")
    shot("enrolled")
    axe_check(page)
    assert Enrolment.objects.filter(person=person, course__page=course_page).exists()

    lesson_weight = weigh(page, site_url + lesson.url, session=cdp)
    assert lesson_weight < PAGE_BUDGET, lesson_weight
    _check(page)
    shot("lesson with its quiz")
    page.get_by_role("button", name="Bắt đầu làm bài kiểm tra").click()
    page.wait_for_url("**/attempts/*/")
    axe_check(page)
    attempt = Attempt.objects.get(person=person, quiz=quiz)
    first, second = page.locator("fieldset.quiz-question").all()

    first.get_by_label("Trang thông tin của Sở Nông nghiệp").check()
    first.locator(".quiz-save-status[data-state=saved]").wait_for()
    shot("first answer saved")

    # The connection drops for 30 seconds, mid-quiz.
    _offline(page, cdp, True)
    second.get_by_label("Sai").check()
    status = second.locator(".quiz-save-status")
    second.locator(".quiz-save-status[data-state=error]").wait_for()
    assert "Chưa lưu được" in status.inner_text()
    shot("answered offline: not saved")
    assert AttemptSlot.objects.get(attempt=attempt, number=2).saved_at is None
    time.sleep(30)
    assert second.get_by_label("Sai").is_checked()  # the answer is still on the page
    _offline(page, cdp, False)
    second.locator(".quiz-save-status[data-state=saved]").wait_for()
    shot("back online: saved")
    assert AttemptSlot.objects.get(attempt=attempt, number=2).response == {"value": False}

    page.get_by_role("button", name="Kết thúc lượt làm bài…").click()
    axe_check(page)
    page.get_by_role("button", name="Nộp bài và kết thúc").click()
    page.wait_for_load_state("load")
    axe_check(page)
    shot("quiz passed")
    attempt.refresh_from_db()
    assert attempt.percent == 100
    page.goto(site_url + lesson.url)
    shot("lesson completed")
    enrolment = Enrolment.objects.get(person=person, course__page=course_page)
    assert enrolment.status == EnrolmentStatus.COMPLETED
