"""Scored activities (quizzes, H5P) in lessons: the lesson completes only when every required one is
passed, passes are recorded once, and the pages' blocks declare them (cms.course_sync)."""

import pytest
from wagtail import blocks

from cms.course_sync import lesson_activities
from courses.choices import AccessMode, ActivityKind, EnrolmentStatus
from courses.models import ActivityPass, LessonActivity, LessonProgress
from courses.services import (
    ActivitySpec,
    LessonSpec,
    activity_result_record,
    course_structure_sync,
    enrolment_create,
    lesson_open,
)

pytestmark = pytest.mark.django_db


class ScoredTestBlock(blocks.StructBlock):
    """A block shaped like the quiz block of the assessments issue."""

    quiz_id = blocks.IntegerBlock()
    required = blocks.BooleanBlock(required=False, default=True)

    def scored_activity(self, value):
        return ActivitySpec(kind=ActivityKind.QUIZ, ref=str(value["quiz_id"]), title="Quiz", is_required=value["required"])


class BodyWithScoredBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock()
    quiz = ScoredTestBlock()


class FakeLesson:
    def __init__(self, body):
        self.body = BodyWithScoredBlock().to_python(body)


def test_scored_blocks_of_a_lesson_body_are_its_activities():
    lesson = FakeLesson(
        [
            {"type": "text", "value": "<p>Đọc kỹ.</p>"},
            {"type": "quiz", "value": {"quiz_id": 7, "required": True}},
            {"type": "quiz", "value": {"quiz_id": 9, "required": False}},
        ]
    )
    assert lesson_activities(lesson) == (
        ActivitySpec(kind="quiz", ref="7", title="Quiz", is_required=True),
        ActivitySpec(kind="quiz", ref="9", title="Quiz", is_required=False),
    )


@pytest.fixture
def quiz_course(make_course, make_lesson, anchor):
    """A course of two lessons; the second places a required quiz 7 and an optional quiz 9."""
    page = make_course(access_mode=AccessMode.OPEN)
    intro = make_lesson(page, "Bài 1")
    practice = make_lesson(page, "Bài 2: Kiểm tra")
    course = anchor(page)
    course_structure_sync(
        course_page_id=page.pk, code=course.code, title=course.title, track=course.track,
        access_mode=course.access_mode, audiences=[], prerequisite_page_ids=[], trainer_ids=[], live=True,
        lessons=[
            LessonSpec(page_id=intro.pk, title="Bài 1", position=1, is_required=True),
            LessonSpec(
                page_id=practice.pk, title="Bài 2: Kiểm tra", position=2, is_required=True,
                activities=(
                    ActivitySpec(kind=ActivityKind.QUIZ, ref="7", title="Kiểm tra cuối"),
                    ActivitySpec(kind=ActivityKind.QUIZ, ref="9", title="Tự luyện", is_required=False),
                ),
            ),
        ],
    )
    return course, intro, practice


@pytest.fixture
def learner(make_person, unit_a):
    return make_person(unit=unit_a)


def test_a_lesson_with_a_required_quiz_completes_only_when_it_is_passed(quiz_course, learner):
    course, intro, practice = quiz_course
    enrolment = enrolment_create(person=learner, course=course)
    lesson_open(person=learner, lesson_page_id=intro.pk)
    lesson_open(person=learner, lesson_page_id=practice.pk)
    progress = LessonProgress.objects.get(enrolment=enrolment, lesson__page_id=practice.pk)
    assert progress.completed_at is None

    assert activity_result_record(person=learner, kind=ActivityKind.QUIZ, ref="7", passed=False) == []
    assert activity_result_record(person=learner, kind=ActivityKind.QUIZ, ref="9", passed=True) == [enrolment]
    progress.refresh_from_db()
    assert progress.completed_at is None  # the optional quiz does not count

    assert activity_result_record(person=learner, kind=ActivityKind.QUIZ, ref="7", passed=True) == [enrolment]
    progress.refresh_from_db()
    enrolment.refresh_from_db()
    assert progress.completed_at is not None
    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_a_pass_before_opening_the_lesson_counts_when_it_is_opened(quiz_course, learner):
    course, intro, practice = quiz_course
    enrolment = enrolment_create(person=learner, course=course)
    activity_result_record(person=learner, kind=ActivityKind.QUIZ, ref="7", passed=True)
    lesson_open(person=learner, lesson_page_id=intro.pk)
    lesson_open(person=learner, lesson_page_id=practice.pk)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_a_pass_is_recorded_once_and_needs_an_enrolment(quiz_course, learner, make_person, unit_b):
    course, _intro, _practice = quiz_course
    outsider = make_person(unit=unit_b)
    assert activity_result_record(person=outsider, kind=ActivityKind.QUIZ, ref="7", passed=True) == []
    enrolment_create(person=learner, course=course)
    activity_result_record(person=learner, kind=ActivityKind.QUIZ, ref="7", passed=True)
    assert activity_result_record(person=learner, kind=ActivityKind.QUIZ, ref="7", passed=True) == []
    assert ActivityPass.objects.count() == 1


def test_an_activity_taken_out_of_a_lesson_stops_counting_but_keeps_its_passes(quiz_course, learner):
    course, intro, practice = quiz_course
    enrolment = enrolment_create(person=learner, course=course)
    activity_result_record(person=learner, kind=ActivityKind.QUIZ, ref="9", passed=True)
    course_structure_sync(
        course_page_id=course.page_id, code=course.code, title=course.title, track=course.track,
        access_mode=course.access_mode, audiences=[], prerequisite_page_ids=[], trainer_ids=[], live=True,
        lessons=[
            LessonSpec(page_id=intro.pk, title="Bài 1", position=1, is_required=True),
            LessonSpec(page_id=practice.pk, title="Bài 2", position=2, is_required=True),
        ],
    )
    assert set(LessonActivity.objects.values_list("ref", "is_live")) == {("7", False), ("9", False)}
    assert ActivityPass.objects.filter(enrolment=enrolment).count() == 1
    lesson_open(person=learner, lesson_page_id=intro.pk)
    lesson_open(person=learner, lesson_page_id=practice.pk)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
