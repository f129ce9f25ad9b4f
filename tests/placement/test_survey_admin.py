"""The Wagtail admin of surveys: curriculum managers list and create them; a survey with responses is
never deleted (its rows are history); people without the permission are kept out."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from placement.admin import survey_policy
from placement.models import Survey, SurveyResponse

from .conftest import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_person, province):
    return make_person(unit=province, roles=[Role.CURRICULUM_MANAGER], full_name="Hoàng Văn Duyệt").user


def test_curriculum_manager_lists_and_creates_surveys(manager, mfa_client):
    make_survey(title="Đợt 2026")
    client = mfa_client(manager)
    listing = client.get(reverse("placement_surveys:index"))
    assert listing.status_code == 200 and "Đợt 2026" in listing.content.decode()
    data = {
        "title": "Đợt 2027", "introduction": "", "is_active": "on", "opens_at": "", "closes_at": "",
        "diagnostic_quiz": "",
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "1", "items-MAX_NUM_FORMS": "1000",
        "items-0-module_code": "IU03", "items-0-text": "Tôi định dạng được văn bản có bảng.", "items-0-ORDER": "1",
        "items-0-id": "", "items-0-DELETE": "",
    }
    created = client.post(reverse("placement_surveys:add"), data)
    assert created.status_code == 302, created.content.decode()[:2000]
    survey = Survey.objects.get(title="Đợt 2027")
    assert list(survey.items.values_list("module_code", "text")) == [("IU03", "Tôi định dạng được văn bản có bảng.")]


def test_a_survey_with_responses_cannot_be_deleted(manager, make_person, unit_a):
    answered, empty = make_survey(title="Có trả lời"), make_survey(title="Chưa ai trả lời")
    SurveyResponse.objects.create(survey=answered, person=make_person(unit=unit_a))
    assert not survey_policy.user_has_permission_for_instance(manager, "delete", answered)
    assert survey_policy.user_has_permission_for_instance(manager, "delete", empty)


def test_trainers_and_learners_have_no_survey_admin(make_person, unit_a, mfa_client, client):
    trainer = make_person(unit=unit_a, roles=[Role.TRAINER]).user
    assert not survey_policy.user_has_permission(trainer, "add")
    response = mfa_client(trainer).get(reverse("placement_surveys:index"))
    assert response.status_code in (302, 403)
