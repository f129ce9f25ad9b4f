"""Journey 2 (issue 9), the trainer and the curriculum manager in the Wagtail admin: the trainer (two-factor
login) uploads the H5P TrueFalse package, creates a course and submits it to the "Curriculum review"
workflow; the manager (two-factor login) asks for changes with a comment; the trainer fixes the course and
resubmits; the manager approves, and the course is in the public catalogue.

Through the admin UI: the logins, the H5P upload, the course's creation, every workflow step. With
factories: the image (trainers have no permission on Wagtail's image collections), and the two lessons (a
rich text + image lesson; an H5P + quiz lesson, the quiz built from two new questions) added under the
submitted course in code."""

import json
import time

import pytest
from django.db import OperationalError
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import WorkflowState

from accounts.roles import Role
from assessments.choices import QuestionType
from assessments.models import Quiz, QuizQuestion
from cms.models import CatalogueIndexPage, CoursePage, TrackPage
from courses.tracks import Track
from h5p.models import H5PContent
from tests.assessments.conftest import category, make_question  # noqa: F401 (fixtures)
from tests.browser.journeys.conftest import axe_check
from tests.cms.conftest import make_lesson  # noqa: F401 (fixture)
from tests.h5p.conftest import build_zip, workspace_files

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Làm việc an toàn với thư điện tử"
COMMENT = "Bổ sung mục tiêu của khoá học vào phần tóm tắt."


@pytest.fixture
def trainer(make_person, unit_a):
    return make_person(unit=unit_a, roles=[Role.TRAINER], full_name="Lê Văn Giảng").user


@pytest.fixture
def curriculum_manager(make_person, province):
    return make_person(unit=province, roles=[Role.CURRICULUM_MANAGER], full_name="Hoàng Văn Duyệt").user


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def _read(query, attempts=40):
    """A database read from the test while the browser may still be busy: Wagtail's editor pings its
    "editing sessions" in the background, and the live server's in-memory SQLite locks whole tables."""
    for _ in range(attempts - 1):
        try:
            return query()
        except OperationalError:
            time.sleep(0.25)
    return query()


def _admin_axe(page):
    """Wagtail's admin is checked like our pages: no critical or serious violation."""
    axe_check(page)


def _log_out(page, site_url):
    page.goto(site_url + "/")
    page.get_by_role("navigation", name="Menu chính").locator("form button[type=submit]").click()
    page.wait_for_load_state("load")
    page.context.clear_cookies()


def _workflow_action(page, name: str):
    """A workflow button of the page editor's action menu (opened first: it is a drop-down)."""
    button = page.locator(f"button[data-workflow-action-name={name}], button[name={name}]").first
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target=toggle], footer .w-dropdown__toggle").last.click()
    button.click()


def test_a_trainer_authors_a_course_the_manager_rejects_then_approves_and_it_is_in_the_catalogue(
    site_url, page, shot, log_in_with_totp, trainer, curriculum_manager, media, make_question, make_lesson
):
    track = TrackPage.objects.get(track=Track.GENERAL)

    # The trainer, through the two-factor login, into the admin.
    log_in_with_totp(page, trainer)
    page.goto(site_url + "/admin/")
    shot("trainer: admin home")
    _admin_axe(page)

    # An image for the first lesson (a factory: trainers have no permission on Wagtail's image collections).
    image = Image.objects.create(title="Hộp thư đến", file=get_test_image_file())

    # The H5P package.
    page.goto(site_url + reverse("h5p_contents:add"))
    page.locator("input[name=title]").fill("Thư lừa đảo: đúng hay sai")
    page.locator("input[name=package]").set_input_files(
        {"name": "dung-sai.h5p", "mimeType": "application/zip", "buffer": build_zip(workspace_files())}
    )
    shot("trainer: H5P upload")
    _admin_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo").click()
    shot("trainer: H5P activity saved")
    h5p_content = H5PContent.objects.filter(title="Thư lừa đảo: đúng hay sai").first()
    assert h5p_content is not None, page.locator("main").inner_text()[:1500]
    assert h5p_content.owner == trainer

    # The course page, in the general track, submitted to the review workflow.
    page.goto(site_url + reverse("wagtailadmin_pages:add", args=["cms", "coursepage", track.pk]))
    page.locator("input[name=title]").fill(TITLE)
    page.locator("input[name=code]").fill("TDT-01")
    page.locator("[name=summary]").fill("Nhận biết thư lừa đảo.")
    page.locator("input[name=estimated_hours]").fill("4")
    shot("trainer: new course")
    _admin_axe(page)
    with page.expect_navigation():
        _workflow_action(page, "action-submit")
    course = _read(lambda: CoursePage.objects.get(code="TDT-01"))
    assert course.workflow_in_progress and not course.live
    shot("trainer: submitted")

    # The two lessons (factories: see the module docstring) and the quiz of new questions.
    questions = [
        make_question(actor=trainer, name="Người gửi lạ", stem="<p>Thư từ người gửi lạ có tệp .exe: mở?</p>",
                      qtype=QuestionType.TRUE_FALSE,
                      payload={"correct": False, "feedback_true": "Không.", "feedback_false": "Đúng."}),
        make_question(actor=trainer, name="Đường dẫn", stem="<p>Trước khi bấm một đường dẫn, cần làm gì?</p>",
                      payload={"options": [{"text": "Kiểm tra địa chỉ thật của nó", "fraction": 1},
                                           {"text": "Bấm ngay", "fraction": 0}]}),
    ]
    quiz = Quiz(owner=trainer, title="Kiểm tra: thư điện tử", shuffle_questions=False)
    quiz.full_clean()
    quiz.save()
    for position, question in enumerate(questions):
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=position)
    make_lesson(course, "Bài 1: Nhận biết thư lừa đảo", live=False, body=json.dumps([
        {"type": "text", "value": "<p>Thư lừa đảo thường <strong>giục</strong> người nhận.</p>"},
        {"type": "image", "value": {"image": image.pk, "alt_text": "Hộp thư đến có một thư lạ", "caption": ""}},
    ]))
    make_lesson(course, "Bài 2: Luyện tập", live=False, body=json.dumps([
        {"type": "h5p", "value": {"content": h5p_content.pk, "required": True}},
        {"type": "quiz", "value": {"quiz": quiz.pk, "required": True}},
    ]))
    _log_out(page, site_url)

    # The manager asks for changes, with a comment.
    log_in_with_totp(page, curriculum_manager)
    page.goto(site_url + reverse("wagtailadmin_pages:edit", args=[course.pk]))
    shot("manager: the submitted course")
    _admin_axe(page)
    _workflow_action(page, "reject")
    page.locator("textarea[name=comment]").fill(COMMENT)
    shot("manager: request changes with a comment")
    with page.expect_navigation():
        page.locator(".modal form button[type=submit], [role=dialog] form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    workflow_state = _read(lambda: WorkflowState.objects.for_instance(course).get())
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert _read(lambda: workflow_state.current_task_state.comment) == COMMENT
    _log_out(page, site_url)

    # The trainer sees the comment, fixes the summary and resubmits.
    log_in_with_totp(page, trainer)
    page.goto(site_url + reverse("wagtailadmin_pages:edit", args=[course.pk]))
    banner = page.locator(".messages").get_by_text(COMMENT)  # at the top of the editor, not only in a side panel
    assert banner.is_visible() and "Hoàng Văn Duyệt" in banner.inner_text(), banner.inner_text()
    shot("trainer: the manager's comment")
    _admin_axe(page)
    page.locator("[name=summary]").fill("Nhận biết thư lừa đảo. Mục tiêu: không mở tệp đính kèm lạ.")
    with page.expect_navigation():
        _workflow_action(page, "action-submit")
    assert _read(WorkflowState.objects.for_instance(course).filter(status=WorkflowState.STATUS_IN_PROGRESS).exists)
    shot("trainer: resubmitted")
    _log_out(page, site_url)

    # The manager approves: the course is published and listed.
    log_in_with_totp(page, curriculum_manager)
    page.goto(site_url + reverse("wagtailadmin_pages:edit", args=[course.pk]))
    with page.expect_navigation():
        _workflow_action(page, "approve")  # the first "approve": without a comment
    _read(course.refresh_from_db)
    assert course.live and "Mục tiêu" in course.summary
    shot("manager: approved")

    page.goto(site_url + CatalogueIndexPage.objects.get().url)
    assert page.get_by_role("link", name=TITLE).first.is_visible()
    axe_check(page)
    shot("catalogue lists the course")
