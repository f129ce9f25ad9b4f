"""Journey 2 (issue 9), the trainer and the curriculum manager in the Wagtail admin: the trainer (two-factor
login) uploads the lesson's image and the H5P TrueFalse package, creates a course and submits it to the
"Curriculum review" workflow, writes two questions and a quiz, and adds the course's two lessons; the manager
(two-factor login) asks for changes with a comment; the trainer fixes the course and resubmits; the manager
approves, and the course is in the public catalogue.

Everything through the admin UI: the logins, the image upload (Images, Add an image: the trainer group's
collection permission comes from cms/migrations/0008 and survives the live server's serialized rollback), the
H5P upload, the two new questions (question bank forms, the stem in the rich text editor) and the quiz built
from them, the course's creation, both lessons in the page editor (StreamField's block picker, the rich text
editor, the image, H5P and quiz choosers), every workflow step."""

import time

import pytest
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import WorkflowState

from accounts.roles import Role
from assessments.choices import QuestionType
from assessments.models import Question, Quiz
from cms.models import CatalogueIndexPage, CoursePage, LessonPage, TrackPage
from courses.tracks import Track
from h5p.models import H5PContent
from tests.assessments.conftest import category  # noqa: F401 (fixture)
from tests.browser.journeys.conftest import axe_check, keyboard_check
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


def _add_question(page, site_url, category, *, name, stem, qtype, rows=(), correct=None):
    """A new question through the question bank's form: its text typed into the rich text editor."""
    page.goto(site_url + reverse("assessment_questions:add"))
    page.locator("input[name=name]").fill(name)
    page.locator("select[name=category]").select_option(str(category.pk))
    page.locator("select[name=qtype]").select_option(qtype)
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()
    page.keyboard.type(stem)
    for number, (text, credit) in enumerate(rows):
        page.locator(f"input[name=options-{number}-text]").fill(text)
        page.locator(f"input[name=options-{number}-fraction]").fill(str(credit))
    if correct is not None:
        page.locator("select[name=correct]").select_option("true" if correct else "false")
    _admin_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo").first.click()
    question = Question.objects.filter(name=name).first()
    assert question is not None, page.locator("main").inner_text()[:1500]
    return question


def _add_quiz(page, site_url, *, title, questions):
    """A quiz of fixed questions through its admin form: one inline row per question, in order, each chosen in
    the question chooser."""
    page.goto(site_url + reverse("assessment_quizzes:add"))
    page.locator("input[name=title]").fill(title)
    page.locator("select[name=selection]").select_option("fixed")
    for number, question in enumerate(questions):
        page.locator("#id_fixed_questions-ADD").click()
        _choose(page, "Chọn câu hỏi", question.name)  # the question chooser: the trainer's bank, searchable
    shuffle = page.locator("input[name=shuffle_questions]")
    if shuffle.is_checked():
        shuffle.uncheck()
    _admin_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo").first.click()
    quiz = Quiz.objects.filter(title=title).first()
    assert quiz is not None, page.locator("main").inner_text()[:1500]
    return quiz


def _upload_image(page, site_url, user, filename):
    """Images, "Add an image": the file is sent as soon as it is picked (the multiple uploader)."""
    page.goto(site_url + reverse("wagtailimages:add_multiple"))
    # Wagtail's own uploader names its file input only through cms/static/cms/admin-file-input.js: the whole
    # page is checked, and the one control a keyboard user reaches there is that named input.
    axe_check(page)
    button = " ".join(page.locator(".replace-file-input button").first.inner_text().split())
    stops = keyboard_check(page)
    assert page.locator("#fileupload").get_attribute("aria-label") == button
    assert stops.count(button) == 1, (button, stops)  # the named input: one stop, not input + dead button
    page.locator("input[type=file]").first.set_input_files(
        {"name": filename, "mimeType": "image/png", "buffer": get_test_image_file().file.getvalue()}
    )
    title = filename.rsplit(".", 1)[0]
    for _ in range(80):
        image = Image.objects.filter(title=title, uploaded_by_user=user).first()
        if image is not None:
            return image
        time.sleep(0.25)
    raise AssertionError(page.locator("main").inner_text()[:1500])


def _add_block(page, label):
    """StreamField's last "+" button, then the block picker's option (a listbox of block types)."""
    page.locator("[data-contentpath=body] button.c-sf-add-button").last.click()
    page.get_by_role("option", name=label, exact=True).click()


def _choose(page, button, item):
    """A chooser block: its button opens a modal listing the choices; the item is picked by its link."""
    page.get_by_role("button", name=button).last.click()
    page.get_by_role("dialog").filter(has_text=item).get_by_role("link", name=item).first.click()
    page.get_by_role("dialog").first.wait_for(state="hidden")


def _add_lesson(page, site_url, course, title, fill_body):
    """A new lesson under the course in the page editor, saved as a draft."""
    page.goto(site_url + reverse("wagtailadmin_pages:add", args=["cms", "lessonpage", course.pk]))
    page.locator("input[name=title]").fill(title)
    fill_body(page)
    with page.expect_navigation():
        page.locator("button.action-save").first.click()
    lesson = LessonPage.objects.filter(title=title).first()
    assert lesson is not None, page.locator("main").inner_text()[:1500]
    return lesson


def test_a_trainer_authors_a_course_the_manager_rejects_then_approves_and_it_is_in_the_catalogue(
    site_url, page, shot, log_in_with_totp, trainer, curriculum_manager, media, category
):
    track = TrackPage.objects.get(track=Track.GENERAL)

    # The trainer, through the two-factor login, into the admin.
    log_in_with_totp(page, trainer)
    page.goto(site_url + "/admin/")
    shot("trainer: admin home")
    _admin_axe(page)

    # An image for the first lesson, through Images, "Add an image".
    image = _upload_image(page, site_url, trainer, "hop-thu-den.png")
    shot("trainer: image uploaded")

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
    course = CoursePage.objects.get(code="TDT-01")
    assert course.workflow_in_progress and not course.live
    shot("trainer: submitted")

    # Two new questions in the trainer's bank, and the quiz built from them.
    questions = [
        _add_question(page, site_url, category, name="Người gửi lạ", qtype=QuestionType.TRUE_FALSE,
                      stem="Thư từ người gửi lạ có tệp .exe: mở?", correct=False),
        _add_question(page, site_url, category, name="Đường dẫn", qtype=QuestionType.SINGLE_CHOICE,
                      stem="Trước khi bấm một đường dẫn, cần làm gì?",
                      rows=[("Kiểm tra địa chỉ thật của nó", 100), ("Bấm ngay", 0)]),
    ]
    shot("trainer: two new questions")
    quiz = _add_quiz(page, site_url, title="Kiểm tra: thư điện tử", questions=questions)
    shot("trainer: the quiz of the new questions")
    assert quiz.owner == trainer
    assert [row.question_id for row in quiz.fixed_questions.order_by("sort_order")] == [
        question.pk for question in questions
    ]
    assert questions[0].current_version.payload["correct"] is False

    # The two lessons, in the page editor: rich text and an image; an H5P activity and the quiz.
    def text_and_image(page):
        _add_block(page, "Văn bản")
        page.locator("[data-contentpath=body] .Draftail-Editor [contenteditable=true]").first.click()
        page.keyboard.type("Thư lừa đảo thường giục người nhận.")
        _add_block(page, "Hình ảnh có chú thích")
        _choose(page, "Chọn một hình ảnh", image.title)
        page.locator("input[name$='-value-alt_text']").fill("Hộp thư đến có một thư lạ")
        shot("trainer: lesson 1, text and image")

    def h5p_and_quiz(page):
        _add_block(page, "Hoạt động H5P")
        _choose(page, "Chọn hoạt động H5P", h5p_content.title)
        _add_block(page, "Bài kiểm tra")
        _choose(page, "Chọn bài kiểm tra", quiz.title)
        shot("trainer: lesson 2, H5P and quiz")

    first = _add_lesson(page, site_url, course, "Bài 1: Nhận biết thư lừa đảo", text_and_image)
    second = _add_lesson(page, site_url, course, "Bài 2: Luyện tập", h5p_and_quiz)
    assert [lesson.get_parent().pk for lesson in (first, second)] == [course.pk, course.pk]
    assert not first.live and first.owner == trainer
    assert [block.block_type for block in first.body] == ["text", "image"]
    assert "giục người nhận" in str(first.body[0].value)
    assert first.body[1].value == {"image": image, "alt_text": "Hộp thư đến có một thư lạ", "caption": ""}
    assert [(block.block_type, block.value["required"]) for block in second.body] == [("h5p", True), ("quiz", True)]
    assert (second.body[0].value["content"], second.body[1].value["quiz"]) == (h5p_content, quiz)
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
    workflow_state = WorkflowState.objects.for_instance(course).get()
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert workflow_state.current_task_state.comment == COMMENT
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
    assert WorkflowState.objects.for_instance(course).filter(status=WorkflowState.STATUS_IN_PROGRESS).exists()
    shot("trainer: resubmitted")
    _log_out(page, site_url)

    # The manager approves: the course is published and listed.
    log_in_with_totp(page, curriculum_manager)
    page.goto(site_url + reverse("wagtailadmin_pages:edit", args=[course.pk]))
    with page.expect_navigation():
        _workflow_action(page, "approve")  # the first "approve": without a comment
    course.refresh_from_db()
    assert course.live and "Mục tiêu" in course.summary
    shot("manager: approved")

    page.goto(site_url + CatalogueIndexPage.objects.get().url)
    assert page.get_by_role("link", name=TITLE).first.is_visible()
    axe_check(page)
    shot("catalogue lists the course")
