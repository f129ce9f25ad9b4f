"""A passing grade completes the lesson (courses.activity_result_record) and records the quiz's
competencies in the registry (certification.api.competency_record) with the attempt as evidence."""

import pytest
from django.urls import reverse

from certification.models import CompetencyRecord
from courses.models import ActivityPass
from courses.services import lesson_open

from .conftest import autosave, start

pytestmark = pytest.mark.django_db


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


def test_a_pass_completes_the_lesson_and_records_competencies(
    make_quiz, place, learner, learner_client, django_capture_on_commit_callbacks
):
    quiz = make_quiz(pass_mark=80, competency_codes=["IU01", "IU14"])
    course = place(quiz, learner)
    enrolment = learner.enrolments.get(course=course)
    lesson_open(person=learner, lesson_page_id=course.lessons.get().page_id)
    with django_capture_on_commit_callbacks(execute=True):
        failed = take(learner_client, quiz, right=False)  # 1 of 3: below 80%
    assert not ActivityPass.objects.exists() and not CompetencyRecord.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        passed = take(learner_client, quiz, right=True)
    assert failed.pk != passed.pk
    assert ActivityPass.objects.filter(enrolment=enrolment, activity__ref=str(quiz.pk)).count() == 1
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"  # the quiz was the course's only lesson's only requirement
    records = CompetencyRecord.objects.filter(person=learner).order_by("competency__code")
    assert [(r.competency.code, r.source, r.evidence_ref) for r in records] == [
        ("IU01", "quiz", str(passed.pk)), ("IU14", "quiz", str(passed.pk)),
    ]


def test_grading_method_decides_the_pass(make_quiz, place, learner, learner_client, django_capture_on_commit_callbacks):
    quiz = make_quiz(pass_mark=80, grading_method="average")
    place(quiz, learner)
    with django_capture_on_commit_callbacks(execute=True):
        take(learner_client, quiz, right=False)
        take(learner_client, quiz, right=True)  # average (1/3 + 1) / 2 < 80%
    assert not ActivityPass.objects.exists()
