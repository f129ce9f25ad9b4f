"""Item analysis against a hand computation on eight learners, in a constant number of queries.

Three questions, one mark each: Q1 single choice (o1 right), Q2 true/false (true right), Q3 multiple
response (o1 and o2 half each, o3 −100 %). Totals: P1 3, P2 2.5, P3 2, P4 2, P5 1.5, P6 1, P7 0.5,
P8 0. 27 % of 8 rounds to 2: upper group P1, P2; lower group P7, P8 (no tie at either boundary).
"""

import pytest
from django.urls import reverse

from accounts.roles import Role
from assessments.choices import QuestionType
from assessments.quizzes.analysis import item_analysis
from assessments.quizzes.services import answer_save, attempt_start, attempt_submit

pytestmark = pytest.mark.django_db

MR_PAYLOAD = {"options": [{"text": "Mã hoá ổ đĩa", "fraction": 0.5}, {"text": "Khoá màn hình", "fraction": 0.5},
                          {"text": "Tắt tường lửa", "fraction": -1}]}
ANSWERS = [  # (Q1 choice, Q2 value, Q3 choices); None: not answered
    ("o1", True, ["o1", "o2"]),
    ("o1", True, ["o1"]),
    ("o1", False, ["o1", "o2"]),
    ("o2", True, ["o1", "o2"]),
    ("o1", False, ["o1"]),
    ("o3", True, ["o3"]),
    ("o2", False, ["o1"]),
    (None, False, []),
]


@pytest.fixture
def analysed(make_quiz, make_question, questions, make_person, unit_a):
    mr = make_question(name="Bảo vệ máy", qtype=QuestionType.MULTIPLE_RESPONSE, stem="<p>Chọn các cách đúng.</p>",
                       payload=MR_PAYLOAD)
    quiz = make_quiz(questions=[questions[0], questions[1], mr])
    people = [make_person(unit=unit_a, roles=[Role.LEARNER], full_name=f"Học viên {n}") for n in range(1, 9)]
    for person, answers in zip(people, ANSWERS):
        take(person, quiz, answers)
    return quiz, people


def take(person, quiz, answers):
    attempt = attempt_start(person=person, quiz=quiz)
    choice, value, choices = answers
    if choice is not None:
        answer_save(user=person.user, attempt_id=attempt.pk, slot_number=1, response={"choice": choice})
    answer_save(user=person.user, attempt_id=attempt.pk, slot_number=2, response={"value": value})
    answer_save(user=person.user, attempt_id=attempt.pk, slot_number=3, response={"choices": choices})
    return attempt_submit(attempt=attempt)


def figures(analysis):
    return [(row.position, row.responses, row.answered, round(row.facility, 4), round(row.discrimination, 4),
             [(option.label, option.count, option.is_correct) for option in row.options]) for row in analysis.rows]


def test_the_figures_match_a_hand_computation(analysed, django_assert_num_queries):
    quiz, _people = analysed
    with django_assert_num_queries(3):
        analysis = item_analysis(quiz)
    assert (analysis.attempts, analysis.group_size) == (8, 2)
    assert figures(analysis) == [
        # Q1: right P1 P2 P3 P5 → 4/8; upper 1, lower 0.
        (1, 8, 7, 0.5, 1.0, [("Mật khẩu dài, có chữ hoa, chữ thường, số và ký tự đặc biệt", 4, True),
                             ("Ngày sinh của mình", 2, False), ("123456", 1, False)]),
        # Q2: right P1 P2 P4 P6 → 4/8; upper 1, lower 0.
        (2, 8, 8, 0.5, 1.0, [("True", 4, True), ("False", 4, False)]),
        # Q3: 1 .5 1 1 .5 0 .5 0 → 4.5/8; upper (1 + .5)/2, lower (.5 + 0)/2 → D .5.
        (3, 8, 8, 0.5625, 0.5, [("Mã hoá ổ đĩa", 6, True), ("Khoá màn hình", 3, True), ("Tắt tường lửa", 1, False)]),
    ]


def test_open_attempts_are_left_out_first_attempts_on_request_and_queries_stay_constant(
    analysed, make_person, unit_a, django_assert_num_queries
):
    quiz, people = analysed
    take(people[0], quiz, ("o2", False, ["o3"]))  # P1 again, all wrong: 0
    late = make_person(unit=unit_a, roles=[Role.LEARNER])
    attempt_start(person=late, quiz=quiz)  # in progress: never counted
    with django_assert_num_queries(3):
        everything = item_analysis(quiz)
    with django_assert_num_queries(3):
        first = item_analysis(quiz, first_only=True)
    assert (everything.attempts, everything.group_size) == (9, 2)  # round(9 × 0.27) = 2
    q1 = everything.rows[0]
    assert (q1.responses, round(q1.facility, 4), q1.discrimination) == (9, round(4 / 9, 4), 1.0)
    assert first.attempts == 8 and figures(first)[0][:5] == (1, 8, 7, 0.5, 1.0)


def test_the_page_is_a_table_for_the_owner_and_404_for_others(client, analysed, trainer, other_trainer):
    quiz, _people = analysed
    url = reverse("assessment_results:analysis", args=[quiz.pk])
    client.force_login(trainer)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "<caption>Item analysis</caption>" in html and 'scope="col"' in html
    assert "0.56" in html  # Q3's facility
    client.force_login(other_trainer)
    assert client.get(url).status_code == 404


def test_no_attempt_no_rows(make_quiz, django_assert_num_queries):
    quiz = make_quiz()
    with django_assert_num_queries(1):
        assert item_analysis(quiz).rows == []
