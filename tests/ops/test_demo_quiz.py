"""The demo quiz (assessments.demo): `make run`'s seeding places it in the last lesson of the IU01 demo
course, so the demo learner completes that course only with a pass; seeding again changes nothing."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Revision

from assessments.demo import MAX_ATTEMPTS, PASS_MARK, QUESTIONS, QUIZ_TITLE, demo_quiz_ensure
from assessments.models import Question, QuestionVersion, Quiz
from assessments.quizzes.choices import ReviewOption
from assessments.quizzes.selectors import quiz_placed_for
from assessments.quizzes.services import answers_save, attempt_start, attempt_submit
from cms.models import LessonPage
from courses.choices import ActivityKind, EnrolmentStatus
from courses.models import Enrolment, Lesson, LessonActivity
from courses.services import lesson_open
from organisations.models import Person
from tests.cms.conftest import media_root  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

VIETNAMESE_LETTERS = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"


def run(command, *args):
    call_command(command, *args, stdout=io.StringIO())


def seed_all():
    run("seed_demo", "--people", "20")
    run("seed_demo_courses")
    run("seed_demo_learning")


def responses(attempt, *, right: bool) -> dict:
    """What the learner types or ticks, question by question: the demo's answer key, or all wrong."""
    by_stem = {item.stem: item for item in QUESTIONS}
    answers = {}
    for slot in attempt.slots.select_related("version"):
        item, payload = by_stem[slot.version.stem], slot.version.payload
        if item.qtype == "true_false":
            answers[slot.number] = {"value": item.answer if right else not item.answer}
        elif item.qtype == "short_answer":
            answers[slot.number] = {"text": item.answer if right else "ROM"}
        else:
            ids = [option["id"] for option in payload["options"] if (option["text"] in item.answer) == right]
            answers[slot.number] = {"choice": ids[0]} if item.qtype == "single_choice" else {"choices": ids}
    return answers


def counts():
    return (Quiz.objects.count(), Question.objects.count(), QuestionVersion.objects.count(),
            Revision.objects.count(), LessonActivity.objects.count())


def test_the_iu01_course_ends_with_the_demo_quiz_completes_only_with_a_pass_and_seeding_again_changes_nothing(
    media_root,  # noqa: F811
):
    seed_all()
    seeded = counts()
    run("seed_demo_courses")
    run("seed_demo_learning")
    assert counts() == seeded
    assert demo_quiz_ensure().fixed_questions.count() == len(QUESTIONS)

    quiz = Quiz.objects.get(title=QUIZ_TITLE)
    assert quiz.owner.username == "demo.giangvien"
    assert (quiz.pass_mark, quiz.max_attempts, quiz.review_option) == (PASS_MARK, MAX_ATTEMPTS, ReviewOption.CORRECT_ANSWERS)
    assert 50 <= quiz.pass_mark <= 70
    versions = [placed.question.current_version for placed in quiz.fixed_questions.select_related("question")]
    assert {version.qtype for version in versions} == {"single_choice", "true_false", "multiple_response", "short_answer"}
    assert all(any(letter in version.stem for letter in VIETNAMESE_LETTERS) for version in versions)

    lessons = list(Lesson.objects.filter(course__code="IU01", is_live=True).order_by("position"))
    activity = LessonActivity.objects.get(kind=ActivityKind.QUIZ, ref=str(quiz.pk), is_live=True)
    assert activity.lesson == lessons[-1] and activity.is_required
    assert LessonPage.objects.get(pk=lessons[-1].page_id).title == "Ôn tập"

    learner = Person.objects.get(user__username="demo.hocvien")
    for lesson in lessons:
        lesson_open(person=learner, lesson_page_id=lesson.page_id)
    enrolment = Enrolment.objects.get(person=learner, course__code="IU01")
    assert enrolment.status == EnrolmentStatus.ACTIVE  # every lesson opened, the quiz not passed yet

    failed = attempt_start(person=learner, quiz=quiz)
    answers_save(attempt=failed, responses=responses(failed, right=False))
    assert attempt_submit(attempt=failed).fraction == 0
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE

    passed = attempt_start(person=learner, quiz=quiz)
    answers_save(attempt=passed, responses=responses(passed, right=True))
    assert attempt_submit(attempt=passed).fraction == 1
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    # A finished course stays open: the quiz can still be opened (review, practice), not "enrol first".
    assert quiz_placed_for(learner, quiz)


def test_without_the_demo_trainer_the_course_has_no_quiz_until_a_later_run(media_root):  # noqa: F811
    run("seed_demo_courses")
    assert not Quiz.objects.exists()
    assert not LessonActivity.objects.filter(kind=ActivityKind.QUIZ).exists()

    seed_all()
    quiz = Quiz.objects.get()
    assert LessonActivity.objects.filter(kind=ActivityKind.QUIZ, ref=str(quiz.pk), lesson__course__code="IU01").exists()
