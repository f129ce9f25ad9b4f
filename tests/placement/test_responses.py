"""One response per person per survey (database and service), submission and resubmission, the unit
recorded at submission, and the diagnostic score per module from the latest finished attempt."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.quizzes.services import attempt_start
from placement.errors import AnswerInvalid, AnswersIncomplete, DiagnosticMissing, SurveyClosed
from placement.models import ItemAnswer, ModuleLevel, ResponseStatus, SurveyResponse
from placement.modules import Level
from placement.selectors import diagnostic_fractions, latest_diagnostic_attempt
from placement.services import response_submit, self_assessment_save

from .conftest import make_survey, ratings_for, take_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(make_person, unit_a):
    return make_person(unit=unit_a, full_name="Nguyễn Thị Khảo")


def levels(response) -> dict[str, int]:
    return dict(response.levels.values_list("module_code", "level"))


def test_the_database_allows_one_response_per_person_and_survey(survey, learner):
    SurveyResponse.objects.create(survey=survey, person=learner)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=survey, person=learner)


def test_saving_twice_updates_the_same_response(survey, learner):
    first = self_assessment_save(person=learner, survey=survey, ratings=ratings_for(survey, 1))
    second = self_assessment_save(person=learner, survey=survey, ratings=ratings_for(survey, 2))
    assert first.pk == second.pk
    assert SurveyResponse.objects.filter(person=learner).count() == 1
    assert set(ItemAnswer.objects.filter(response=first).values_list("rating", flat=True)) == {2}
    assert ItemAnswer.objects.filter(response=first).count() == 12


def test_a_submitted_survey_has_a_level_per_module_and_the_unit_at_submission(survey, learner, unit_a):
    self_assessment_save(person=learner, survey=survey, ratings=ratings_for(survey, 3))
    # Right on the IU01 mark-3 question and the IU03+IU04 question; wrong elsewhere.
    attempt = take_quiz(learner, survey.diagnostic_quiz, right={1, 3})
    response = response_submit(person=learner, survey=survey)
    assert response.status == ResponseStatus.SUBMITTED and response.submitted_at is not None
    assert response.unit == unit_a and response.audience == learner.audience
    assert response.diagnostic_attempt == attempt
    rows = {row.module_code: row for row in response.levels.all()}
    assert rows["IU01"].diagnostic_fraction == pytest.approx(0.75)  # 3 of 4 marks
    assert rows["IU04"].diagnostic_fraction == pytest.approx(2 / 3)  # 2 of 3 marks
    assert rows["IU06"].diagnostic_fraction is None  # no IU06 question: self-assessment alone
    assert rows["IU01"].self_score == 3
    assert levels(response) == {
        "IU01": Level.PROFICIENT,  # 0.35 + 0.65 × 0.75 = 0.8375
        "IU02": Level.BASIC,  # 0.35: claimed, not shown
        "IU03": Level.ADVANCED,  # 1.0
        "IU04": Level.PROFICIENT,  # 0.35 + 0.65 × 2/3 = 0.783
        "IU05": Level.BASIC,
        "IU06": Level.PROFICIENT,  # self-assessment alone, capped
    }


def test_resubmitting_in_the_same_survey_updates_it(survey, learner):
    self_assessment_save(person=learner, survey=survey, ratings=ratings_for(survey, 0))
    take_quiz(learner, survey.diagnostic_quiz, right=set())
    first = response_submit(person=learner, survey=survey)
    assert set(levels(first).values()) == {Level.NOT_YET}
    first_time = first.submitted_at

    take_quiz(learner, survey.diagnostic_quiz, right=set(range(6)))
    again = response_submit(person=learner, survey=survey)
    assert again.pk == first.pk and again.submitted_at >= first_time
    assert levels(again)["IU05"] == Level.PROFICIENT  # 0.65
    assert ModuleLevel.objects.filter(response=again).count() == 6
    # Changing the ratings of a submitted response places it again at once.
    self_assessment_save(person=learner, survey=survey, ratings=ratings_for(survey, 3))
    assert levels(SurveyResponse.objects.get(pk=first.pk))["IU05"] == Level.ADVANCED
    assert SurveyResponse.objects.filter(person=learner).count() == 1


def test_a_new_survey_is_a_new_round(survey, learner):
    self_assessment_save(person=learner, survey=survey, ratings=ratings_for(survey, 1))
    take_quiz(learner, survey.diagnostic_quiz, right=set())
    response_submit(person=learner, survey=survey)
    next_round = make_survey(title="Khảo sát 2027", quiz=survey.diagnostic_quiz, opens_at=timezone.now())
    self_assessment_save(person=learner, survey=next_round, ratings=ratings_for(next_round, 1))
    # The attempt of the previous round does not count for the new one.
    assert latest_diagnostic_attempt(learner, next_round) is None
    with pytest.raises(DiagnosticMissing):
        response_submit(person=learner, survey=next_round)
    assert SurveyResponse.objects.filter(person=learner).count() == 2


def test_submission_needs_every_statement_and_the_diagnostic(survey, learner):
    with pytest.raises(AnswersIncomplete):
        response_submit(person=learner, survey=survey)
    ratings = ratings_for(survey, 2)
    with pytest.raises(AnswersIncomplete):
        self_assessment_save(person=learner, survey=survey, ratings=dict(list(ratings.items())[:-1]))
    assert not SurveyResponse.objects.exists()  # nothing half-written
    self_assessment_save(person=learner, survey=survey, ratings=ratings)
    with pytest.raises(DiagnosticMissing):
        response_submit(person=learner, survey=survey)
    assert SurveyResponse.objects.get().status == ResponseStatus.DRAFT
    assert not ModuleLevel.objects.exists()


@pytest.mark.parametrize("bad", [4, -1, "2", True, None])
def test_ratings_off_the_scale_or_of_other_items_are_refused(survey, learner, bad):
    ratings = ratings_for(survey, 2)
    ratings[next(iter(ratings))] = bad
    with pytest.raises(AnswerInvalid):
        self_assessment_save(person=learner, survey=survey, ratings=ratings)
    other = make_survey(title="Khác")
    with pytest.raises(AnswerInvalid):
        self_assessment_save(person=learner, survey=survey, ratings=ratings_for(survey, 2) | ratings_for(other, 1))
    assert not SurveyResponse.objects.exists()


def test_closed_or_inactive_surveys_take_no_answers(survey, learner):
    survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    survey.save()
    with pytest.raises(SurveyClosed):
        self_assessment_save(person=learner, survey=survey, ratings=ratings_for(survey, 2))
    survey.closes_at, survey.is_active = None, False
    survey.save()
    with pytest.raises(SurveyClosed):
        response_submit(person=learner, survey=survey)


def test_diagnostic_fraction_per_module_comes_from_the_latest_finished_attempt(survey, learner, other_person):
    quiz = survey.diagnostic_quiz
    take_quiz(learner, quiz, right=set(range(6)))
    latest = take_quiz(learner, quiz, right={0, 4})
    take_quiz(other_person, quiz, right=set())  # someone else's attempt does not count
    attempt_start(person=learner, quiz=quiz)  # an open attempt does not count either
    assert latest_diagnostic_attempt(learner, survey) == latest
    fractions = diagnostic_fractions(latest)
    assert fractions == pytest.approx({"IU01": 0.25, "IU02": 0.0, "IU03": 0.0, "IU04": 1 / 3, "IU05": 0.0})


def test_diagnostic_fractions_are_one_query(survey, learner, django_assert_num_queries):
    attempt = take_quiz(learner, survey.diagnostic_quiz, right={0})
    with django_assert_num_queries(1):
        diagnostic_fractions(attempt)


@pytest.fixture
def other_person(make_person, unit_b):
    return make_person(unit=unit_b, full_name="Phạm Văn Khác")
