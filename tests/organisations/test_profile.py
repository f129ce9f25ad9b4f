import pytest
from django.urls import reverse

from organisations.models import Audience


@pytest.fixture
def learner(make_person, unit_a):
    return make_person(unit=unit_a, full_name="Nguyen Van A", audience=Audience.GENERAL)


def test_person_corrects_own_details(learner, client):
    client.force_login(learner.user)
    response = client.post(
        reverse("organisations:profile"),
        {"full_name": "Nguyễn Văn Ánh", "position": "Chuyên viên", "phone": "0912 345 678", "gender": "male",
         "birth_year": "1985", "audience": "leader_cio"},
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.full_name == "Nguyễn Văn Ánh"
    assert learner.birth_year == 1985
    # The audience is the unit officer's to set, not the person's.
    assert learner.audience == Audience.GENERAL


def test_bad_input_is_refused_with_field_error_and_nothing_saved(learner, client):
    client.force_login(learner.user)
    response = client.post(
        reverse("organisations:profile"),
        {"full_name": "", "phone": "abc", "gender": "male", "birth_year": "1800"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"full_name", "phone", "birth_year"}
    learner.refresh_from_db()
    assert learner.full_name == "Nguyen Van A"


def test_odd_input_is_told_the_real_rule(learner, client):
    """-5 was told "at least 0" (the column type's bound) though the rule is 1920; a name of zero-width spaces and
    a phone of dots passed."""
    client.force_login(learner.user)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("organisations:profile"),
                           {"full_name": "\u200b\u200b", "phone": "--------", "gender": "male", "birth_year": "-5"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["full_name"] == ["Enter some letters or digits: this text shows nothing."]
    assert errors["phone"] == ["Enter a valid phone number."]
    assert errors["birth_year"] == ["Ensure this value is greater than or equal to 1920."]
    assert 'min="1920"' in response.content.decode() and 'max="2020"' in response.content.decode()
    learner.refresh_from_db()
    assert learner.full_name == "Nguyen Van A"
