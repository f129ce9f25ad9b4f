"""A course's final exam (issue 4: a quiz "usable as a course's final exam"): chosen on the course page,
synced on publish as a course-level scored activity, locked until the lessons are complete when so
configured, and part of the completion rule: lessons alone do not complete the course, passing the exam
does, and the certificate follows."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Quiz
from certification.models import Certificate
from cms.models import CoursePage
from courses.choices import AccessMode, ActivityKind, EnrolmentStatus
from courses.models import LessonActivity
from courses.services import activity_result_record, enrolment_create, lesson_open
from tests.assessments.conftest import category, make_question  # noqa: F401 (fixtures)
from tests.assessments.quizzes.conftest import autosave, make_quiz, questions, start  # noqa: F401 (fixtures)
from tests.cms.conftest import media_root, other_trainer, publish  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(media_root, settings, tmp_path_factory):  # noqa: F811
    """Certificate PDFs and the signing key go to temporary folders."""
    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path_factory.getbasetemp() / "var" / "certificate-signing-key.pem")


@pytest.fixture
def learner(make_person, unit_a):
    return make_person(unit=unit_a, full_name="Nguyễn Thị Học")


@pytest.fixture
def exam(make_quiz):
    return make_quiz(title="Bài thi cuối khoá", pass_mark=80)


@pytest.fixture
def exam_course(make_course, make_lesson, anchor, exam, learner):
    """A course of one plain lesson and a final exam that opens after the lessons; the learner enrolled."""
    page = make_course(access_mode=AccessMode.OPEN, competency_codes=[], final_exam=exam, final_exam_after_lessons=True)
    make_lesson(page, "Bài 1")
    course = anchor(page)
    enrolment_create(person=learner, course=course)
    return page, course


def right_choice(attempt):
    options = attempt.slots.get(number=1).version.payload["options"]
    return next(option["id"] for option in options if option["fraction"] == 1)


def take(client, quiz, *, right):
    attempt = start(client, quiz)
    autosave(client, attempt, 1, {"choice": right_choice(attempt)})
    if right:
        autosave(client, attempt, 2, {"value": True})
        autosave(client, attempt, 3, {"matches": {"p1": "Word", "p2": "Excel"}})
    client.post(reverse("assessments:submit", args=[attempt.pk]))
    return attempt


def test_publishing_records_the_exam_as_a_course_level_activity(exam_course, exam, make_course):
    page, course = exam_course
    activity = LessonActivity.objects.get(course=course)
    assert (activity.lesson, activity.kind, activity.ref, activity.after_lessons) == (None, ActivityKind.QUIZ,
                                                                                       str(exam.pk), True)
    assert activity.is_live and activity.is_required
    # Taking the exam off the page and publishing again keeps the row, not live.
    page.final_exam = None
    publish(page)
    activity.refresh_from_db()
    assert not activity.is_live


def test_lessons_alone_do_not_complete_the_course_passing_the_exam_does(
    exam_course, exam, learner, client, django_capture_on_commit_callbacks
):
    page, course = exam_course
    client.force_login(learner.user)
    enrolment = learner.enrolments.get(course=course)

    # Locked until the lessons are complete: the page says so and the quiz cannot be opened or started.
    response = client.get(page.url)
    assert "The final exam opens once you have completed the required lessons" in response.content.decode()
    assert client.get(reverse("assessments:quiz", args=[exam.pk])).status_code == 404
    assert client.post(reverse("assessments:start", args=[exam.pk])).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        lesson_open(person=learner, lesson_page_id=course.lessons.get().page_id)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE and not Certificate.objects.exists()

    body = client.get(page.url).content.decode()
    assert "The final exam opens once" not in body
    assert reverse("assessments:start", args=[exam.pk]) in body

    with django_capture_on_commit_callbacks(execute=True):
        take(client, exam, right=False)  # 1 of 3, below the pass mark
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE and not Certificate.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        take(client, exam, right=True)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.completed_at is not None
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_an_exam_open_from_the_start_completes_the_course_with_the_last_lesson(
    make_course, make_lesson, anchor, exam, learner, django_capture_on_commit_callbacks
):
    page = make_course(
        access_mode=AccessMode.OPEN, competency_codes=[], final_exam=exam, final_exam_after_lessons=False
    )
    make_lesson(page, "Bài 1")
    course = anchor(page)
    enrolment = enrolment_create(person=learner, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        touched = activity_result_record(person=learner, kind=ActivityKind.QUIZ, ref=str(exam.pk), passed=True)
    assert touched == [enrolment]
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE  # the lesson is not done yet
    with django_capture_on_commit_callbacks(execute=True):
        lesson_open(person=learner, lesson_page_id=course.lessons.get().page_id)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_the_exam_is_not_open_to_people_outside_the_course(exam_course, exam, make_person, unit_b, client):
    outsider = make_person(unit=unit_b, full_name="Người Ngoài")
    client.force_login(outsider.user)
    assert client.get(reverse("assessments:quiz", args=[exam.pk])).status_code == 404
    assert "Enrol in the course to take the final exam." in client.get(exam_course[0].url).content.decode()


def test_the_course_editor_offers_the_final_exam_with_the_quiz_chooser(make_course, exam, trainer, mfa_client):
    page = make_course(trainers=[trainer], competency_codes=[], final_exam=exam)
    html = mfa_client(trainer).get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'name="final_exam"' in html and 'name="final_exam_after_lessons"' in html
    assert reverse("quiz_chooser:choose") in html
    assert "Bài thi cuối khoá" in html  # the chosen quiz is shown


def test_a_trainer_may_not_make_another_trainers_quiz_the_final_exam(make_course, exam, trainer, other_trainer):
    foreign = Quiz.objects.create(title="Bài của người khác", owner=other_trainer)
    page = make_course(trainers=[trainer], competency_codes=[])
    form_class = CoursePage.get_edit_handler().get_form_class()

    def clean(quiz, *, instance=page, user=trainer):
        form = form_class(instance=instance, for_user=user)
        form.cleaned_data = {"final_exam": quiz}
        return form.clean_final_exam()

    assert clean(exam) == exam  # their own quiz
    with pytest.raises(ValidationError):
        clean(foreign)
    # Chosen earlier by someone who could: it may stay while the trainer edits other fields.
    page.final_exam = foreign
    page.save()
    assert clean(foreign, instance=CoursePage.objects.get(pk=page.pk)) == foreign


def test_a_trainer_of_the_course_grades_its_final_exam(exam_course, exam, other_trainer, make_person, unit_b):
    from accounts.roles import Role
    from assessments.quizzes.selectors import quizzes_gradable_by

    page, course = exam_course
    stranger = make_person(unit=unit_b, roles=[Role.TRAINER], full_name="Đỗ Văn Ngoài").user
    assert exam.owner != other_trainer
    assert exam not in quizzes_gradable_by(other_trainer)
    course.trainers.add(other_trainer)
    assert exam in quizzes_gradable_by(other_trainer)
    assert exam not in quizzes_gradable_by(stranger)
