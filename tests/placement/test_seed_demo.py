"""seed_demo_placement (run by `make run`): an open survey with a diagnostic quiz tagged IU01–IU06 and
submitted responses of a few demo people, so the results pages have figures; running it again changes nothing."""

import io

import pytest
from django.core.management import call_command

from assessments.models import QuestionCompetency
from placement.models import ModuleLevel, ResponseStatus, Survey, SurveyResponse
from placement.modules import MODULE_CODES
from placement.selectors import current_survey, level_distribution
from organisations.selectors import province_root

pytestmark = pytest.mark.django_db


def run(command, *args) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_seed_demo_placement_is_idempotent_and_fills_the_results():
    assert "already exists" in run("seed_demo_placement")  # nothing to do before seed_demo
    assert not Survey.objects.exists()
    run("seed_demo", "--people", "30")
    run("seed_demo_placement")
    survey = current_survey()
    assert survey is not None and survey.diagnostic_quiz is not None
    assert survey.items.count() == 12
    quiz_questions = survey.diagnostic_quiz.fixed_questions.values("question")
    assert set(QuestionCompetency.objects.filter(question__in=quiz_questions).values_list("code", flat=True)) == set(
        MODULE_CODES
    )
    submitted = SurveyResponse.objects.filter(status=ResponseStatus.SUBMITTED).count()
    assert submitted >= 5
    assert ModuleLevel.objects.count() == submitted * 6
    assert not SurveyResponse.objects.filter(person__user__username="demo.hocvien").exists()
    assert level_distribution(province_root()).people == submitted

    counts = (Survey.objects.count(), SurveyResponse.objects.count(), ModuleLevel.objects.count())
    assert "already exists" in run("seed_demo_placement")
    assert (Survey.objects.count(), SurveyResponse.objects.count(), ModuleLevel.objects.count()) == counts
