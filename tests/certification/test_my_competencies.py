"""My competencies: current competencies with their validity, the standards met, and what is missing for
the next standard with the courses that give it."""

import datetime

import pytest
from django.urls import reverse

from certification.choices import RecordSource
from certification.services import competency_record

pytestmark = pytest.mark.django_db


def test_the_page_shows_competencies_standards_and_what_is_missing(client, learner, course, issue, make_course):
    issue(learner, course)  # IU01 and IU14
    offer = make_course(title="Sử dụng máy tính và Internet", competency_codes=["IU02", "IU06"])
    client.force_login(learner.user)

    page = client.get(reverse("certification:my_competencies")).content.decode()

    assert "IU01" in page and "IU14" in page
    assert "No standard met yet." in page
    assert "Still needed for the Basic IT skill standard" in page
    assert offer.title in page
    assert offer.url in page


def test_a_met_standard_is_listed(client, learner):
    for code in [f"IU{n:02d}" for n in range(1, 7)]:
        competency_record(person=learner, competency_code=code, source=RecordSource.OFFICER_DECISION,
                          achieved_on=datetime.date(2026, 2, 1), evidence_ref="QĐ 12/2026")
    client.force_login(learner.user)

    page = client.get(reverse("certification:my_competencies")).content.decode()

    assert "Basic IT skill standard" in page
    assert "Still needed for the Advanced IT skill standard" in page
    assert "And 3 more of these:" in page


def test_an_account_without_a_profile_sees_an_explanation(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    page = client.get(reverse("certification:my_competencies")).content.decode()
    assert "Only people with a learner profile" in page
