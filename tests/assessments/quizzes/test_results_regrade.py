"""A regrade after a question fix: old and new scores recorded per attempt, the fixed version's key used,
a pass gained is recorded, a lower score takes no pass back; the trainer confirms first; others 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from assessments.models import RegradeRecord
from assessments.quizzes.errors import RegradeReasonMissing
from assessments.quizzes.services import answer_save, attempt_start, attempt_submit, quiz_regrade
from assessments.services import question_save
from courses.models import ActivityPass
from courses.services import lesson_open

pytestmark = pytest.mark.django_db

# The key as first written: o1 right. The "fix" makes o2 the right option (same options, same ids).
WRONG_KEY = {"options": [{"text": "Tường lửa", "fraction": 1}, {"text": "Sao lưu", "fraction": 0},
                         {"text": "In ấn", "fraction": 0}], "shuffle": False}
FIXED_KEY = {"options": [{"text": "Tường lửa", "fraction": 0}, {"text": "Sao lưu", "fraction": 1},
                         {"text": "In ấn", "fraction": 0}], "shuffle": False}


@pytest.fixture
def keyed(make_question):
    return make_question(name="Khoá đáp án", stem="<p>Cách nào giữ được dữ liệu khi ổ cứng hỏng?</p>", payload=WRONG_KEY)


@pytest.fixture
def regrade_quiz(make_quiz, keyed, place, learner, other_learner):
    quiz = make_quiz(questions=[keyed], pass_mark=100)
    quiz.course = place(quiz, learner, other_learner)
    return quiz


def take(person, quiz, choice):
    attempt = attempt_start(person=person, quiz=quiz)
    answer_save(user=person.user, attempt_id=attempt.pk, slot_number=1, response={"choice": choice})
    return attempt_submit(attempt=attempt)


def fix_key(trainer, question):
    return question_save(actor=trainer, category=question.category, name=question.name, qtype="single_choice",
                         stem=question.current_version.stem, payload=FIXED_KEY, question=question)


def test_a_regrade_uses_the_fixed_key_records_old_and_new_and_records_a_pass(
    regrade_quiz, keyed, learner, other_learner, trainer, django_capture_on_commit_callbacks
):
    lesson_open(person=learner, lesson_page_id=regrade_quiz.course.lessons.get().page_id)
    with django_capture_on_commit_callbacks(execute=True):
        wronged = take(learner, regrade_quiz, "o2")  # right in fact, marked wrong
        lucky = take(other_learner, regrade_quiz, "o1")  # wrong in fact, marked right: passed
    shown = keyed.current_version
    assert (wronged.score, lucky.score) == (0, 1)
    assert list(ActivityPass.objects.values_list("enrolment__person", flat=True)) == [other_learner.pk]
    fixed = fix_key(trainer, keyed).current_version
    assert fixed.pk != shown.pk  # the used version was kept; the fix is a new version
    with django_capture_on_commit_callbacks(execute=True):
        assert quiz_regrade(quiz=regrade_quiz, by=trainer, reason="Câu 1: đáp án sai") == 2
    wronged.refresh_from_db()
    lucky.refresh_from_db()
    assert (wronged.score, wronged.fraction, lucky.score, lucky.fraction) == (1, 1.0, 0, 0.0)
    slot = wronged.slots.get()
    assert slot.version_id == shown.pk and slot.key_version_id == fixed.pk  # shown text kept, fixed key used
    records = {r.attempt_id: r for r in RegradeRecord.objects.all()}
    assert (records[wronged.pk].old_score, records[wronged.pk].new_score) == (Decimal("0.00"), Decimal("1.00"))
    assert (records[wronged.pk].old_fraction, records[wronged.pk].new_fraction) == (0.0, 1.0)
    assert (records[lucky.pk].old_score, records[lucky.pk].new_score) == (Decimal("1.00"), Decimal("0.00"))
    assert {r.reason for r in records.values()} == {"Câu 1: đáp án sai"} and records[lucky.pk].by == trainer
    # The pass gained is recorded; the pass of the lowered attempt is not taken back.
    assert set(ActivityPass.objects.values_list("enrolment__person", flat=True)) == {learner.pk, other_learner.pk}
    assert learner.enrolments.get(course=regrade_quiz.course).status == "completed"


def test_a_changed_question_type_or_options_keeps_the_shown_key(regrade_quiz, keyed, learner, trainer):
    attempt = take(learner, regrade_quiz, "o2")
    question_save(actor=trainer, category=keyed.category, name=keyed.name, qtype="single_choice",
                  stem="<p>Khác</p>", question=keyed,
                  payload={"options": [{"text": "A", "fraction": 0}, {"text": "B", "fraction": 1}]})  # o3 gone
    quiz_regrade(quiz=regrade_quiz, by=trainer, reason="Sửa câu hỏi")
    attempt.refresh_from_db()
    slot = attempt.slots.get()
    assert attempt.score == 0 and slot.key_version_id is None
    record = RegradeRecord.objects.get()
    assert record.old_score == record.new_score == 0


def test_the_trainer_confirms_with_the_count_then_sees_the_history(client, regrade_quiz, keyed, learner,
                                                                   other_learner, trainer):
    attempt = take(learner, regrade_quiz, "o2")
    take(other_learner, regrade_quiz, "o1")
    attempt_start(person=learner, quiz=regrade_quiz)  # an open attempt is not regraded
    fix_key(trainer, keyed)
    client.force_login(trainer)
    url = reverse("assessment_results:regrade", args=[regrade_quiz.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "2 submitted attempts will be graded again" in confirm.content.decode()
    assert not RegradeRecord.objects.exists()  # the GET only asks
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400 and not RegradeRecord.objects.exists()
    attempt.refresh_from_db()
    assert attempt.score == 0
    done = client.post(url, {"reason": "Câu 1: đáp án sai", "question": str(keyed.pk)})
    assert done.status_code == 302 and RegradeRecord.objects.count() == 2
    attempt.refresh_from_db()
    assert attempt.score == 1
    page = client.get(reverse("assessment_results:attempt", args=[attempt.pk])).content.decode()
    assert "Regrade history" in page and "Câu 1: đáp án sai" in page


def test_a_regrade_needs_a_reason_and_the_right_trainer(client, regrade_quiz, learner, make_person, unit_b):
    take(learner, regrade_quiz, "o2")
    stranger = make_person(unit=unit_b, roles=[Role.TRAINER]).user
    with pytest.raises(RegradeReasonMissing):
        quiz_regrade(quiz=regrade_quiz, by=stranger, reason="")
    client.force_login(stranger)
    url = reverse("assessment_results:regrade", args=[regrade_quiz.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Thử"}).status_code == 404
    assert not RegradeRecord.objects.exists()
