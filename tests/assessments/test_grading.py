"""Grading of every question type, partial credit, wildcards and diacritic-insensitive short answers."""

import pytest

from assessments.bank.payload import clean_payload
from assessments.choices import QuestionType as T
from assessments.errors import MalformedResponse
from assessments.grading import grade


def payload(qtype, **content):
    return clean_payload(qtype, content)


SINGLE = payload(T.SINGLE_CHOICE, options=[
    {"id": "a", "text": "Tường lửa", "fraction": 1, "feedback": "Chính xác."},
    {"id": "b", "text": "Máy in", "fraction": 0},
    {"id": "c", "text": "Bộ lưu điện", "fraction": 0.5},
])
MULTI = payload(T.MULTIPLE_RESPONSE, options=[
    {"id": "a", "text": "Phần mềm diệt virus", "fraction": 0.5},
    {"id": "b", "text": "Sao lưu định kỳ", "fraction": 0.5},
    {"id": "c", "text": "Chia sẻ mật khẩu", "fraction": -1},
    {"id": "d", "text": "Tắt cập nhật", "fraction": -0.5},
])


def test_single_choice_scores_the_chosen_options_credit():
    assert grade(T.SINGLE_CHOICE, SINGLE, {"choice": "a"}).fraction == 1
    assert grade(T.SINGLE_CHOICE, SINGLE, {"choice": "a"}).feedback_ids == ("a",)
    assert grade(T.SINGLE_CHOICE, SINGLE, {"choice": "b"}).fraction == 0
    assert grade(T.SINGLE_CHOICE, SINGLE, {"choice": "c"}).fraction == 0.5
    assert grade(T.SINGLE_CHOICE, SINGLE, {"choice": None}).fraction == 0


def test_multiple_response_adds_fractions_and_clamps():
    assert grade(T.MULTIPLE_RESPONSE, MULTI, {"choices": ["a", "b"]}).fraction == 1
    assert grade(T.MULTIPLE_RESPONSE, MULTI, {"choices": ["a"]}).fraction == 0.5
    assert grade(T.MULTIPLE_RESPONSE, MULTI, {"choices": ["a", "b", "d"]}).fraction == 0.5
    assert grade(T.MULTIPLE_RESPONSE, MULTI, {"choices": ["a", "c"]}).fraction == 0  # clamped, not -0.5
    assert grade(T.MULTIPLE_RESPONSE, MULTI, {"choices": []}).fraction == 0
    assert grade(T.MULTIPLE_RESPONSE, MULTI, {"choices": ["b", "a"]}).feedback_ids == ("a", "b")


def test_fractions_rounded_in_storage_still_add_up_to_full_marks():
    thirds = payload(T.MULTIPLE_RESPONSE, options=[{"text": t, "fraction": 1 / 3} for t in "abc"] + [
        {"text": "d", "fraction": -1}])
    assert grade(T.MULTIPLE_RESPONSE, thirds, {"choices": ["o1", "o2", "o3"]}).fraction == 1


def test_true_false():
    question = payload(T.TRUE_FALSE, correct=False, feedback_true="Sai rồi.", feedback_false="Đúng vậy.")
    assert grade(T.TRUE_FALSE, question, {"value": False}).fraction == 1
    assert grade(T.TRUE_FALSE, question, {"value": True}).fraction == 0
    assert grade(T.TRUE_FALSE, question, {"value": True}).feedback_ids == ("true",)


def short(ignore_case=True, ignore_diacritics=False):
    return payload(
        T.SHORT_ANSWER,
        answers=[{"id": "x", "text": "Bảo mật", "fraction": 1}, {"id": "y", "text": "an toàn*", "fraction": 0.5}],
        ignore_case=ignore_case,
        ignore_diacritics=ignore_diacritics,
    )


def test_short_answer_ignores_diacritics_only_when_asked():
    assert grade(T.SHORT_ANSWER, short(ignore_diacritics=True), {"text": "bao mat"}).fraction == 1
    assert grade(T.SHORT_ANSWER, short(ignore_diacritics=True), {"text": "BAO  MAT "}).fraction == 1
    assert grade(T.SHORT_ANSWER, short(ignore_diacritics=False), {"text": "bao mat"}).fraction == 0
    assert grade(T.SHORT_ANSWER, short(ignore_diacritics=False), {"text": "bảo mật"}).fraction == 1


def test_short_answer_case_and_the_letter_d_with_stroke():
    assert grade(T.SHORT_ANSWER, short(ignore_case=False), {"text": "bảo mật"}).fraction == 0
    assert grade(T.SHORT_ANSWER, short(ignore_case=False), {"text": "Bảo mật"}).fraction == 1
    question = payload(T.SHORT_ANSWER, answers=[{"text": "Đăng nhập"}], ignore_case=True, ignore_diacritics=True)
    assert grade(T.SHORT_ANSWER, question, {"text": "dang nhap"}).fraction == 1
    # Decomposed input (some Vietnamese keyboards) equals the composed answer.
    assert grade(T.SHORT_ANSWER, short(), {"text": "Ba\u0309o mâ\u0323t"}).fraction == 1


def test_short_answer_wildcard_and_literal_star():
    assert grade(T.SHORT_ANSWER, short(), {"text": "An toàn thông tin"}).fraction == 0.5
    assert grade(T.SHORT_ANSWER, short(), {"text": "An toàn thông tin"}).feedback_ids == ("y",)
    assert grade(T.SHORT_ANSWER, short(), {"text": "không an toàn"}).fraction == 0
    star = payload(T.SHORT_ANSWER, answers=[{"text": "a\\*b"}])
    assert grade(T.SHORT_ANSWER, star, {"text": "a*b"}).fraction == 1
    assert grade(T.SHORT_ANSWER, star, {"text": "axxb"}).fraction == 0
    dots = payload(T.SHORT_ANSWER, answers=[{"text": "v1.0"}])
    assert grade(T.SHORT_ANSWER, dots, {"text": "v1x0"}).fraction == 0


def test_numeric_tolerance_several_answers_and_decimal_comma():
    question = payload(T.NUMERIC, answers=[
        {"id": "exact", "value": 3.14, "tolerance": 0.01, "fraction": 1},
        {"id": "rough", "value": 3, "tolerance": 0.5, "fraction": 0.5},
    ])
    assert grade(T.NUMERIC, question, {"value": 3.149}).fraction == 1
    assert grade(T.NUMERIC, question, {"value": "3,15"}).fraction == 1
    assert grade(T.NUMERIC, question, {"value": "3.2"}).fraction == 0.5
    assert grade(T.NUMERIC, question, {"value": "3.2"}).feedback_ids == ("rough",)
    assert grade(T.NUMERIC, question, {"value": 4}).fraction == 0
    exact = payload(T.NUMERIC, answers=[{"value": 0.3}])
    assert grade(T.NUMERIC, exact, {"value": 0.1 + 0.2}).fraction == 1


def test_matching_gives_credit_per_correct_pair():
    question = payload(T.MATCHING, pairs=[
        {"id": "p1", "prompt": "Ctrl+C", "answer": "Sao chép"},
        {"id": "p2", "prompt": "Ctrl+V", "answer": "Dán"},
        {"id": "p3", "prompt": "Ctrl+Z", "answer": "Hoàn tác"},
        {"id": "p4", "prompt": "Ctrl+X", "answer": "Cắt"},
    ], extra_answers=["In"])
    everything = {"p1": "Sao chép", "p2": "Dán", "p3": "Hoàn tác", "p4": "Cắt"}
    assert grade(T.MATCHING, question, {"matches": everything}).fraction == 1
    assert grade(T.MATCHING, question, {"matches": {**everything, "p3": "In", "p4": None}}).fraction == 0.5
    assert grade(T.MATCHING, question, {"matches": {"p1": "Dán"}}).fraction == 0


def test_ordering_gives_credit_per_item_in_place():
    question = payload(T.ORDERING, items=[{"id": i, "text": f"Bước {i}"} for i in "abcd"])
    assert grade(T.ORDERING, question, {"order": ["a", "b", "c", "d"]}).fraction == 1
    assert grade(T.ORDERING, question, {"order": ["a", "b", "d", "c"]}).fraction == 0.5
    assert grade(T.ORDERING, question, {"order": ["d", "c", "b", "a"]}).fraction == 0


def test_essay_needs_a_trainer():
    result = grade(T.ESSAY, payload(T.ESSAY), {"text": "Bài làm của tôi"})
    assert result.fraction is None and result.needs_manual_grading


@pytest.mark.parametrize(
    "qtype, question, response",
    [
        (T.SINGLE_CHOICE, SINGLE, {"choice": "zz"}),
        (T.SINGLE_CHOICE, SINGLE, {"choice": ["a"]}),
        (T.SINGLE_CHOICE, SINGLE, ["a"]),
        (T.SINGLE_CHOICE, SINGLE, {"choice": "a", "extra": 1}),
        (T.MULTIPLE_RESPONSE, MULTI, {"choices": ["a", "a"]}),
        (T.MULTIPLE_RESPONSE, MULTI, {"choices": "ab"}),
        (T.MULTIPLE_RESPONSE, MULTI, {"choices": ["a", "other-question-option"]}),
        (T.TRUE_FALSE, payload(T.TRUE_FALSE, correct=True), {"value": "true"}),
        (T.SHORT_ANSWER, short(), {"text": 42}),
        (T.SHORT_ANSWER, short(), {"text": "x" * 20_001}),
        (T.NUMERIC, payload(T.NUMERIC, answers=[{"value": 1}]), {"value": "một"}),
        (T.NUMERIC, payload(T.NUMERIC, answers=[{"value": 1}]), {"value": "nan"}),
        (T.NUMERIC, payload(T.NUMERIC, answers=[{"value": 1}]), {"value": True}),
        (T.MATCHING, payload(T.MATCHING, pairs=[{"prompt": "a", "answer": "b"}, {"prompt": "c", "answer": "d"}]),
         {"matches": {"p9": "b"}}),
        (T.MATCHING, payload(T.MATCHING, pairs=[{"prompt": "a", "answer": "b"}, {"prompt": "c", "answer": "d"}]),
         {"matches": {"p1": "not offered"}}),
        (T.ORDERING, payload(T.ORDERING, items=[{"text": "x"}, {"text": "y"}]), {"order": ["i1", "i1"]}),
        (T.ORDERING, payload(T.ORDERING, items=[{"text": "x"}, {"text": "y"}]), {"order": ["i1"]}),
        (T.ESSAY, payload(T.ESSAY), {"text": ["x"]}),
        ("no_such_type", {}, {}),
    ],
)
def test_malformed_responses_raise_a_domain_error(qtype, question, response):
    with pytest.raises(MalformedResponse) as error:
        grade(qtype, question, response)
    assert error.value.message
