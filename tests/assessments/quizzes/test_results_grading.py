"""The essay grading queue and a hand mark: who sees what (owner, course trainer, others 404), the
mark's validation (nothing written on a bad mark), and a mark that passes the quiz completes the lesson
exactly as an automatic grade would; the learner's review shows the mark and comment."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from assessments.choices import QuestionType
from assessments.models import Attempt, AttemptSlot, AttemptSlotGrading, QuizQuestion, RegradeRecord
from assessments.quizzes.errors import GradingOutOfScope, ManualMarkInvalid
from assessments.quizzes.services import answer_save, attempt_start, attempt_submit, slot_grade_manually
from courses.models import ActivityPass
from courses.services import lesson_open

from .conftest import autosave, start

pytestmark = pytest.mark.django_db

ESSAY_TEXT = "Em bật xác thực hai lớp <script>alert(1)</script> cho mọi tài khoản."


@pytest.fixture
def essay(make_question):
    return make_question(name="Bài luận bảo mật", qtype=QuestionType.ESSAY, stem="<p>Trình bày cách bảo vệ tài khoản.</p>",
                         payload={"response_template": "", "grader_info": "Cần nêu xác thực hai lớp."})


@pytest.fixture
def essay_quiz(make_quiz, essay, questions, place, learner):
    """A single choice (1 mark) and an essay (9 marks), pass mark 60 %, placed in a lesson."""
    quiz = make_quiz(questions=[questions[0], essay], pass_mark=60)
    QuizQuestion.objects.filter(quiz=quiz, question=essay).update(mark=9)
    quiz.course = place(quiz, learner)
    return quiz


@pytest.fixture
def third_trainer(make_person, unit_b):
    return make_person(unit=unit_b, roles=[Role.TRAINER], full_name="Đỗ Văn Khác").user


def submitted_essay(person, quiz, text=ESSAY_TEXT):
    attempt = attempt_start(person=person, quiz=quiz)
    essay_slot = attempt.slots.get(version__qtype=QuestionType.ESSAY)
    answer_save(user=person.user, attempt_id=attempt.pk, slot_number=essay_slot.number, response={"text": text})
    attempt_submit(attempt=attempt)
    attempt.refresh_from_db()
    essay_slot.refresh_from_db()
    return attempt, essay_slot


def grade_url(slot):
    return reverse("assessment_results:grade", args=[slot.pk])


def test_the_owner_and_the_course_trainer_see_the_queue_others_get_404(
    client, essay_quiz, learner, trainer, other_trainer, third_trainer
):
    attempt, slot = submitted_essay(learner, essay_quiz)
    assert attempt.needs_manual_grading and slot.mark is None
    essay_quiz.course.trainers.add(other_trainer)  # a trainer of the course whose lesson places the quiz
    for user in (trainer, other_trainer):
        client.force_login(user)
        queue = client.get(reverse("assessment_results:queue"))
        assert queue.status_code == 200 and learner.full_name in queue.content.decode()
        page = client.get(grade_url(slot))
        assert page.status_code == 200
        html = page.content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    client.force_login(third_trainer)
    queue = client.get(reverse("assessment_results:queue"))
    assert queue.status_code == 200 and learner.full_name not in queue.content.decode()
    assert 'class="grading-row"' not in queue.content.decode()
    assert client.get(grade_url(slot)).status_code == 404
    assert client.post(grade_url(slot), {"mark": "9"}).status_code == 404
    assert client.get(reverse("assessment_results:grade", args=[999999])).status_code == 404
    slot.refresh_from_db()
    assert slot.mark is None and not AttemptSlotGrading.objects.exists()
    with pytest.raises(GradingOutOfScope):
        slot_grade_manually(slot=slot, by=third_trainer, mark=5)


def test_learners_and_anonymous_visitors_are_refused(client, essay_quiz, learner):
    _attempt, slot = submitted_essay(learner, essay_quiz)
    response = client.get(grade_url(slot))
    assert response.status_code == 302 and "login" in response.url
    client.force_login(learner.user)
    for url in (reverse("assessment_results:queue"), grade_url(slot)):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
    assert client.post(grade_url(slot), {"mark": "9"}).status_code in (302, 403, 404)
    slot.refresh_from_db()
    assert slot.mark is None


def test_a_site_admin_sees_every_quiz(mfa_client, make_person, province, essay_quiz, learner):
    _attempt, slot = submitted_essay(learner, essay_quiz)
    admin = make_person(unit=province, roles=[Role.SITE_ADMIN]).user
    client = mfa_client(admin)
    assert learner.full_name in client.get(reverse("assessment_results:queue")).content.decode()
    assert client.get(grade_url(slot)).status_code == 200


@pytest.mark.parametrize(("mark", "message"), [
    ("9.5", "Give a mark between 0 and 9."),
    ("-1", "Give a mark between 0 and 9."),
    ("bảy", "The mark must be a number, e.g. 7.5."),
    ("", "This field is required."),
    ("1.234", "Give the mark with at most two decimals."),
])
def test_a_bad_mark_is_refused_and_nothing_is_written(client, essay_quiz, learner, trainer, mark, message):
    attempt, slot = submitted_essay(learner, essay_quiz)
    client.force_login(trainer)
    response = client.post(grade_url(slot), {"mark": mark, "comment": "Tốt"})
    assert response.status_code == 400
    assert message in response.content.decode()
    slot.refresh_from_db()
    before = (attempt.score, attempt.fraction, attempt.needs_manual_grading)
    attempt.refresh_from_db()
    assert slot.mark is None and slot.fraction is None
    assert (attempt.score, attempt.fraction, attempt.needs_manual_grading) == before
    assert not AttemptSlotGrading.objects.exists()


def test_the_service_checks_the_mark_itself(essay_quiz, learner, trainer):
    _attempt, slot = submitted_essay(learner, essay_quiz)
    for bad in ("9.01", "-0.5", "NaN", "x"):
        with pytest.raises(ManualMarkInvalid):
            slot_grade_manually(slot=slot, by=trainer, mark=bad)
    slot.refresh_from_db()
    assert slot.mark is None and not AttemptSlotGrading.objects.exists()


def test_a_comma_decimal_mark_is_accepted(client, essay_quiz, learner, trainer):
    _attempt, slot = submitted_essay(learner, essay_quiz)
    client.force_login(trainer)
    assert client.post(grade_url(slot), {"mark": "4,5"}).status_code == 302
    slot.refresh_from_db()
    assert slot.mark == Decimal("4.50") and slot.fraction == 0.5


def test_a_passing_hand_mark_completes_the_lesson_and_shows_in_the_review(
    client, essay_quiz, learner, learner_client, trainer, django_capture_on_commit_callbacks
):
    lesson_open(person=learner, lesson_page_id=essay_quiz.course.lessons.get().page_id)
    attempt = start(learner_client, essay_quiz)
    options = attempt.slots.get(number=1).version.payload["options"]
    right = next(option["id"] for option in options if option["fraction"] == 1)
    autosave(learner_client, attempt, 1, {"choice": right})
    autosave(learner_client, attempt, 2, {"text": ESSAY_TEXT})
    learner_client.post(reverse("assessments:submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.needs_manual_grading and attempt.score == 1  # provisional 10 %: no pass
    assert not ActivityPass.objects.exists()
    slot = attempt.slots.get(number=2)
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(grade_url(slot), {"mark": "5", "comment": "Ý đúng <b>nhưng</b> còn thiếu."})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.score, attempt.needs_manual_grading) == (Decimal("6.00"), False)
    assert attempt.fraction == pytest.approx(0.6)
    assert ActivityPass.objects.filter(enrolment__person=learner, activity__ref=str(essay_quiz.pk)).count() == 1
    assert learner.enrolments.get(course=essay_quiz.course).status == "completed"
    grading = AttemptSlotGrading.objects.get(slot=slot)
    assert grading.graded_by == trainer and grading.comment == "Ý đúng <b>nhưng</b> còn thiếu."
    assert not RegradeRecord.objects.exists()  # a first mark is grading, not a regrade
    # Out of the queue now (the page still greets with the "Mark saved" message naming the person).
    assert 'class="grading-row"' not in client.get(reverse("assessment_results:queue")).content.decode()
    client.force_login(learner.user)  # the same test client as learner_client
    review = client.get(reverse("assessments:review", args=[attempt.pk])).content.decode()
    assert "5 / 9" in review and "Ý đúng &lt;b&gt;nhưng&lt;/b&gt; còn thiếu." in review


def test_the_review_rules_hide_the_comment_when_only_the_score_is_shown(
    client, essay_quiz, learner, learner_client, trainer
):
    essay_quiz.review_option = "score_only"
    essay_quiz.save()
    attempt, slot = submitted_essay(learner, essay_quiz)
    slot_grade_manually(slot=slot, by=trainer, mark="7", comment="Nhận xét riêng")
    review = learner_client.get(reverse("assessments:review", args=[attempt.pk])).content.decode()
    assert "Nhận xét riêng" not in review and "7 / 10" in review  # score 7 of 10 shown, no comment


def test_changing_a_mark_keeps_the_old_score_in_the_history(essay_quiz, learner, trainer, client):
    attempt, slot = submitted_essay(learner, essay_quiz)
    slot_grade_manually(slot=slot, by=trainer, mark="3")
    slot_grade_manually(slot=slot, by=trainer, mark="8", comment="Chấm lại")
    record = RegradeRecord.objects.get(attempt=attempt)
    assert (record.old_score, record.new_score, record.by) == (Decimal("3.00"), Decimal("8.00"), trainer)
    client.force_login(trainer)
    page = client.get(reverse("assessment_results:attempt", args=[attempt.pk])).content.decode()
    assert "Regrade history" in page and "Chấm lại" in page


def test_an_unanswered_essay_needs_no_hand_mark(essay_quiz, learner):
    attempt = attempt_start(person=learner, quiz=essay_quiz)
    attempt_submit(attempt=attempt)
    attempt.refresh_from_db()
    assert not attempt.needs_manual_grading
    assert not AttemptSlot.objects.filter(attempt=attempt, mark__isnull=True).exists()
    assert Attempt.objects.count() == 1


def test_the_queue_is_oldest_first_and_searchable(client, essay_quiz, learner, other_learner, trainer, place):
    import datetime

    from django.utils import timezone

    place(essay_quiz, other_learner)
    newer, _slot = submitted_essay(learner, essay_quiz)
    older, _slot = submitted_essay(other_learner, essay_quiz)
    Attempt.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=2))
    client.force_login(trainer)
    html = client.get(reverse("assessment_results:queue")).content.decode()
    assert html.index(other_learner.full_name) < html.index(learner.full_name)  # oldest first
    found = client.get(reverse("assessment_results:queue"), {"q": "Thi"}).content.decode()  # "Trần Văn Thi"
    assert other_learner.full_name in found and learner.full_name not in found
    by_quiz = client.get(reverse("assessment_results:queue"), {"q": "an toàn"}).content.decode()
    assert by_quiz.count('class="grading-row"') == 2
    assert client.get(reverse("assessment_results:queue"), {"q": "không có"}).content.decode().count(
        'class="grading-row"') == 0
