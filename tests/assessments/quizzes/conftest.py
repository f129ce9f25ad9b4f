"""Quiz fixtures: a learner enrolled in a course whose lesson places the quiz (the real quiz block)."""

import datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from assessments.choices import QuestionType
from assessments.models import Attempt, Quiz, QuizQuestion
from courses.choices import AccessMode
from courses.models import Course
from courses.services import enrolment_create
from tests.cms.conftest import make_course, make_lesson  # noqa: F401 (fixtures used here)

TF_PAYLOAD = {"correct": True, "feedback_true": "Chính xác.", "feedback_false": "Sai rồi."}
MATCH_PAYLOAD = {
    "pairs": [
        {"prompt": "Phần mềm soạn thảo", "answer": "Word"},
        {"prompt": "Phần mềm bảng tính", "answer": "Excel"},
    ],
    "extra_answers": ["Paint"],
}


@pytest.fixture
def learner(make_person, unit_a):
    return make_person(unit=unit_a, roles=[Role.LEARNER], full_name="Nguyễn Thị Học")


@pytest.fixture
def other_learner(make_person, unit_a):
    return make_person(unit=unit_a, roles=[Role.LEARNER], full_name="Trần Văn Thi")


@pytest.fixture
def questions(make_question):
    """A single choice (feedback “Đúng.” / “Dễ đoán.”), a true/false and a matching question."""
    return [
        make_question(),
        make_question(name="Tường lửa", qtype=QuestionType.TRUE_FALSE, stem="<p>Tường lửa lọc lưu lượng mạng?</p>",
                      payload=TF_PAYLOAD),
        make_question(name="Ghép phần mềm", qtype=QuestionType.MATCHING, stem="<p>Ghép phần mềm với công dụng.</p>",
                      payload=MATCH_PAYLOAD),
    ]


@pytest.fixture
def make_quiz(trainer, questions):
    def _make(*, questions=questions, **fields):
        fields.setdefault("title", "Kiểm tra an toàn thông tin")
        fields.setdefault("shuffle_questions", False)
        quiz = Quiz(owner=trainer, **fields)
        quiz.full_clean()
        quiz.save()
        for position, question in enumerate(questions):
            QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=position)
        return quiz

    return _make


@pytest.fixture
def place(make_course, make_lesson):
    """Place a quiz in a published lesson of an open course and enrol the people in it."""

    def _place(quiz, *people, required=True):
        page = make_course(access_mode=AccessMode.OPEN, competency_codes=[])
        make_lesson(page, "Bài kiểm tra", body=[("quiz", {"quiz": quiz, "required": required})])
        course = Course.objects.get(page_id=page.pk)
        for person in people:
            enrolment_create(person=person, course=course)
        return course

    return _place


@pytest.fixture
def quiz(make_quiz, place, learner):
    quiz = make_quiz()
    place(quiz, learner)
    return quiz


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner.user)
    return client


def start(client, quiz):
    response = client.post(reverse("assessments:start", args=[quiz.pk]))
    assert response.status_code == 302, response
    return Attempt.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def autosave(client, attempt, slot, response):
    return client.post(
        reverse("assessments:autosave", args=[attempt.pk]),
        data={"slot": slot, "response": response}, content_type="application/json",
    )


def in_minutes(moment, minutes):
    return moment + datetime.timedelta(minutes=minutes)
