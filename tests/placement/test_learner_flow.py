"""The learner's pages: start page, self-assessment form (validation, nothing lost on a bad submit),
the diagnostic quiz through the quiz pages, submit, results with recommended courses."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from assessments.models import Attempt
from assessments.quizzes.services import answers_save
from placement.models import ItemAnswer, ResponseStatus, SurveyResponse
from placement.modules import Level

from .conftest import make_course, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(make_person, unit_a):
    return make_person(unit=unit_a, roles=[Role.LEARNER], full_name="Nguyễn Thị Khảo")


@pytest.fixture
def logged_in(client, learner):
    client.force_login(learner.user)
    return client


def form_data(survey, rating=2, *, skip=0, overrides=None):
    items = list(survey.items.order_by("sort_order"))
    data = {f"item_{item.pk}": str(rating) for item in items[skip:]}
    data.update(overrides or {})
    return data


def test_start_page_shows_the_steps(logged_in, survey):
    page = logged_in.get(reverse("placement:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert survey.title in html
    assert "Start the self-assessment" in html
    assert reverse("placement:self_assessment", args=[survey.pk]) in html
    assert "Take the diagnostic quiz" in html


def test_no_open_survey(logged_in, survey):
    survey.is_active = False
    survey.save()
    assert "No IT skill survey is open at the moment." in logged_in.get(reverse("placement:home")).content.decode()
    assert logged_in.get(reverse("placement:self_assessment", args=[survey.pk])).status_code == 404


def test_the_form_lists_every_module_with_labelled_radio_scales(logged_in, survey):
    html = logged_in.get(reverse("placement:self_assessment", args=[survey.pk])).content.decode()
    for code in ("IU01", "IU02", "IU03", "IU04", "IU05", "IU06"):
        assert f'id="module-{code}"' in html
    assert html.count('type="radio"') == 12 * 4
    assert html.count("<legend>") == 12
    assert "I can do this with help" in html and "I do this confidently and could show others" in html


def test_a_bad_submit_shows_the_errors_and_keeps_every_answer(logged_in, survey):
    first, second = survey.items.order_by("sort_order")[:2]
    data = form_data(survey, 3, skip=2, overrides={f"item_{second.pk}": "7"})
    page = logged_in.post(reverse("placement:self_assessment", args=[survey.pk]), data)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Choose how well you can do this." in html  # the first statement was left blank
    assert "Choose one of the four answers on the scale." in html  # the second had a forged value
    assert "Some statements have no answer yet: they are marked below." in html
    # The ten answers given are still ticked.
    assert len(re.findall(r'value="3"[^>]*checked', html)) == 10
    assert not SurveyResponse.objects.exists() and not ItemAnswer.objects.exists()


def test_the_whole_journey(logged_in, learner, survey):
    course_iu05 = make_course("IU05-CB", ["IU05"])
    make_course("IU03-CB", ["IU03"])
    url = reverse("placement:self_assessment", args=[survey.pk])
    done = logged_in.post(url, form_data(survey, 1))
    assert done.status_code == 302 and done.url == reverse("placement:home")
    assert SurveyResponse.objects.get(person=learner).status == ResponseStatus.DRAFT
    # The form shows what was saved.
    assert len(re.findall(r'value="1"[^>]*checked', logged_in.get(url).content.decode())) == 12

    # Submitting before the quiz is refused with a message.
    refused = logged_in.post(reverse("placement:submit", args=[survey.pk]), follow=True)
    assert "Take the diagnostic quiz before submitting the survey." in refused.content.decode()

    started = logged_in.post(reverse("placement:diagnostic", args=[survey.pk]))
    attempt = Attempt.objects.get(person=learner, quiz=survey.diagnostic_quiz)
    assert started.url == reverse("assessments:attempt", args=[attempt.pk])
    assert logged_in.get(started.url).status_code == 200  # the quiz app's own attempt page
    home = logged_in.get(reverse("placement:home")).content.decode()
    assert "Continue the quiz" in home
    # Right on everything except the IU05 question (position 5).
    responses = {}
    for slot in attempt.slots.select_related("version__question"):
        options = slot.version.payload["options"]
        wanted = 0 if slot.version.question.name == "Câu 6" else 1
        responses[slot.number] = {"choice": next(o["id"] for o in options if o["fraction"] == wanted)}
    answers_save(attempt=attempt, responses=responses)
    assert logged_in.post(reverse("assessments:submit", args=[attempt.pk])).status_code == 302
    # The review of the diagnostic attempt leads back to the survey, not to the quiz's own page (a 404: no
    # lesson places the diagnostic quiz).
    review = logged_in.get(reverse("assessments:review", args=[attempt.pk])).content.decode()
    assert f'href="{reverse("placement:home")}"' in review and "Back to the skills survey" in review
    assert reverse("assessments:quiz", args=[attempt.quiz_id]) not in review

    submitted = logged_in.post(reverse("placement:submit", args=[survey.pk]))
    assert submitted.url == reverse("placement:my_results", args=[survey.pk])
    response = SurveyResponse.objects.get(person=learner)
    assert response.status == ResponseStatus.SUBMITTED
    levels = dict(response.levels.values_list("module_code", "level"))
    assert levels["IU05"] == Level.NOT_YET and levels["IU03"] == Level.PROFICIENT

    results = logged_in.get(submitted.url)
    html = results.content.decode()
    assert results.status_code == 200
    assert "Basic IT knowledge" in html and "Not yet" in html and "Proficient" in html
    assert [rec.course for rec in results.context["recommendations"]] == [course_iu05]
    assert course_iu05.page.url in html
    assert "Khoá IU03-CB" not in html

    # The round withdrawn later: the history on the survey page still opens the person's own results.
    survey.is_active = False
    survey.save(update_fields=["is_active"])
    assert submitted.url in logged_in.get(reverse("placement:home")).content.decode()
    results = logged_in.get(submitted.url)
    assert results.status_code == 200 and results.context["may_update"] is False


def test_people_see_only_their_own_results(client, make_person, unit_a, survey):
    someone = make_person(unit=unit_a)
    client.force_login(someone.user)
    assert client.get(reverse("placement:my_results", args=[survey.pk])).status_code == 404
    assert client.get(reverse("placement:my_results", args=[999999])).status_code == 404


def test_a_closed_survey_is_not_taken(logged_in, survey):
    survey.closes_at = timezone.now() - datetime.timedelta(hours=1)
    survey.save()
    page = logged_in.post(reverse("placement:self_assessment", args=[survey.pk]), form_data(survey), follow=True)
    assert "This survey is not open at the moment." in page.content.decode()
    assert not SurveyResponse.objects.exists()
    started = logged_in.post(reverse("placement:diagnostic", args=[survey.pk]), follow=True)
    assert "This survey is not open at the moment." in started.content.decode()
    assert not Attempt.objects.exists()


def test_a_survey_without_quiz_is_submitted_on_the_self_assessment(logged_in, learner):
    survey = make_survey(title="Chỉ tự đánh giá")
    logged_in.post(reverse("placement:self_assessment", args=[survey.pk]), form_data(survey, 3))
    assert "Take the diagnostic quiz" not in logged_in.get(reverse("placement:home")).content.decode()
    logged_in.post(reverse("placement:submit", args=[survey.pk]))
    levels = set(SurveyResponse.objects.get(person=learner).levels.values_list("level", flat=True))
    assert levels == {Level.PROFICIENT}  # self-assessment alone stops at proficient
