"""xAPI statements forwarded by the lesson page: recorded for the logged-in person whatever actor
they name, scores clamped and scaled on the server, each scored top-level statement an attempt, the
grade the highest (or last) attempt, a pass completing the lesson and the course."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from courses.choices import EnrolmentStatus
from courses.models import Enrolment, LessonProgress
from h5p.choices import GradingMethod
from h5p.models import H5PAttempt, H5PGrade, H5PStatement
from h5p.selectors import attempts_of, grade_of

pytestmark = pytest.mark.django_db
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"


def statement(raw, maximum=1, *, verb=ANSWERED, actor="someone-else@example.com", **extra):
    return {
        "actor": {"mbox": f"mailto:{actor}", "name": "Người khác"},
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
        "object": {"id": "http://localhost:8000/activities/1", "objectType": "Activity"},
        "result": {"score": {"raw": raw, "max": maximum, "min": 0, "scaled": 1}, "success": raw == maximum},
        **extra,
    }


@pytest.fixture
def post(client):
    client.cookies["django_language"] = "en"  # messages are asserted in English (the msgids)

    def _post(content, body, **headers):
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        return client.post(
            reverse("h5p_statement_create", args=[content.pk]), data=data, content_type="application/json", **headers
        )

    return _post


def test_a_statement_is_recorded_for_the_logged_in_person_whatever_actor_it_names(client, post, learner, h5p_content):
    client.force_login(learner.user)

    response = post(h5p_content, statement(0, actor="forged@example.com"))

    assert response.status_code == 201
    record = H5PStatement.objects.get()
    assert record.person == learner and record.verb == ANSWERED
    assert record.statement["actor"]["mbox"] == "mailto:forged@example.com"  # kept as sent, not believed


def test_raw_above_max_is_clamped_and_scaled_is_computed_on_the_server(client, post, learner, h5p_content):
    client.force_login(learner.user)

    post(h5p_content, statement(50, 4))
    post(h5p_content, {**statement(-3, 4), "result": {"score": {"raw": -3, "max": 4, "scaled": 1}}})
    post(h5p_content, {**statement(1, 4), "result": {"score": {"raw": 1, "max": 4, "scaled": 1}}})

    attempts = list(attempts_of(person=learner, content=h5p_content))
    assert [(a.raw, a.max, a.scaled) for a in attempts] == [
        (Decimal("4"), Decimal("4"), Decimal("1")),
        (Decimal("0"), Decimal("4"), Decimal("0")),
        (Decimal("1"), Decimal("4"), Decimal("0.25")),
    ]


def test_only_scored_top_level_statements_are_attempts(client, post, learner, h5p_content):
    client.force_login(learner.user)
    post(h5p_content, statement(1, verb="http://adlnet.gov/expapi/verbs/interacted"))
    post(h5p_content, {**statement(1), "context": {"contextActivities": {"parent": [{"id": "http://x/1"}]}}})
    post(h5p_content, {**statement(1), "object": {"id": "http://x/1?subContentId=abc"}})
    post(h5p_content, {**statement(1), "result": {"score": {"raw": 1, "max": 0}}})
    post(h5p_content, {**statement(1), "result": {"completion": True}})

    assert H5PStatement.objects.filter(person=learner).count() == 5
    assert not H5PAttempt.objects.exists() and grade_of(person=learner, content=h5p_content) is None


def test_the_grade_is_the_highest_attempt_by_default(client, post, learner, h5p_content):
    client.force_login(learner.user)
    h5p_content.pass_percent = 80
    h5p_content.save()

    post(h5p_content, statement(1, 2))
    post(h5p_content, statement(2, 2, verb="http://adlnet.gov/expapi/verbs/completed"))
    post(h5p_content, statement(0, 2, verb="http://adlnet.gov/expapi/verbs/failed"))

    grade = H5PGrade.objects.get(person=learner, content=h5p_content)
    assert grade.scaled == Decimal("1") and grade.attempts == 3 and grade.passed_at is not None


def test_the_grade_can_be_the_last_attempt(client, post, learner, h5p_content):
    client.force_login(learner.user)
    h5p_content.grading_method = GradingMethod.LAST
    h5p_content.save()

    post(h5p_content, statement(2, 2))
    post(h5p_content, statement(1, 2))

    assert grade_of(person=learner, content=h5p_content).scaled == Decimal("0.5")


def test_a_pass_completes_the_lesson_and_the_course(client, post, learner, h5p_content, h5p_lesson):
    course, lesson = h5p_lesson
    client.force_login(learner.user)
    progress = LessonProgress.objects.get(enrolment__person=learner, lesson__page_id=lesson.pk)
    assert progress.completed_at is None  # opened, but the required activity is not passed yet

    post(h5p_content, statement(0, 1))
    progress.refresh_from_db()
    assert progress.completed_at is None

    post(h5p_content, statement(1, 1))

    progress.refresh_from_db()
    assert progress.completed_at is not None
    enrolment = Enrolment.objects.get(person=learner, course=course)
    assert enrolment.status == EnrolmentStatus.COMPLETED

    # A completed learner may still retry: the attempt is recorded, the grade stays the highest.
    assert post(h5p_content, statement(0, 1)).status_code == 201
    assert grade_of(person=learner, content=h5p_content).scaled == Decimal("1")


def test_a_withdrawn_learner_is_not_graded(client, post, learner, h5p_content):
    Enrolment.objects.filter(person=learner).update(status=EnrolmentStatus.WITHDRAWN)
    client.force_login(learner.user)
    assert post(h5p_content, statement(1)).status_code == 404
    assert not H5PStatement.objects.exists()


def test_a_person_not_enrolled_gets_404_and_nothing_is_recorded(client, post, make_person, unit_b, h5p_lesson, h5p_content):
    _course, _lesson = h5p_lesson
    outsider = make_person(unit=unit_b, full_name="Lê Thị Ngoài")
    client.force_login(outsider.user)

    response = post(h5p_content, statement(1))

    assert response.status_code == 404
    assert "not enrolled" in response.json()["error"]
    assert not H5PStatement.objects.exists()


def test_an_activity_not_placed_in_the_learners_course_answers_404(client, post, learner, trainer, truefalse_bytes):
    from h5p.services import content_upload
    from tests.h5p.conftest import upload

    other = content_upload(uploaded=upload(truefalse_bytes), title="Hoạt động khác", owner=trainer)
    client.force_login(learner.user)

    assert post(other, statement(1)).status_code == 404
    assert not H5PStatement.objects.exists()


def test_anonymous_oversize_and_malformed_statements_are_refused(client, post, learner, h5p_content, settings):
    assert post(h5p_content, statement(1)).status_code == 401
    client.force_login(learner.user)
    huge = statement(1, extensions={"padding": "x" * (settings.H5P_STATEMENT_MAX_BYTES + 1)})
    assert post(h5p_content, huge).status_code == 413
    assert post(h5p_content, b"{not json").status_code == 400
    assert post(h5p_content, [1, 2]).status_code == 400
    assert client.get(reverse("h5p_statement_create", args=[h5p_content.pk])).status_code == 405
    assert not H5PStatement.objects.exists()


def test_the_endpoint_needs_the_csrf_token(learner, h5p_content):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner.user)
    response = client.post(
        reverse("h5p_statement_create", args=[h5p_content.pk]), data=json.dumps(statement(1)),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not H5PStatement.objects.exists()

