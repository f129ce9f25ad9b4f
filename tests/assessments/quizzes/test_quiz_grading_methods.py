"""A person's quiz grade follows the grading method: highest, last, average or first attempt."""

import pytest

from assessments.models import Attempt, Quiz
from assessments.quizzes.choices import GradingMethod
from assessments.quizzes.selectors import quiz_grade, quiz_passed


def attempts(*fractions, open_last=False):
    rows = [Attempt(number=number, state="submitted", fraction=fraction) for number, fraction in enumerate(fractions, 1)]
    if open_last:
        rows.append(Attempt(number=len(rows) + 1, state="in_progress", fraction=None))
    return list(reversed(rows))  # order of the input must not matter


@pytest.mark.parametrize(
    ("method", "expected"),
    [(GradingMethod.HIGHEST, 0.9), (GradingMethod.LAST, 0.3), (GradingMethod.FIRST, 0.6), (GradingMethod.AVERAGE, 0.6)],
)
def test_grade_per_method(method, expected):
    assert quiz_grade(attempts(0.6, 0.9, 0.3, open_last=True), method) == pytest.approx(expected)


def test_no_finished_attempt_no_grade():
    assert quiz_grade(attempts(open_last=True), GradingMethod.HIGHEST) is None


def test_pass_mark_is_inclusive():
    quiz = Quiz(pass_mark=60)
    assert quiz_passed(quiz, 0.6) and not quiz_passed(quiz, 0.5999) and not quiz_passed(quiz, None)
