"""A person's own data page: consents (and withdrawing one), the download of everything about them, logged."""

import json

import pytest
from django.urls import reverse

from accounts.models import ConsentRecord
from accounts.services import consent_record
from privacy.models import AccessLog
from tests.security.conftest import OWNER

pytestmark = pytest.mark.django_db


def _download(client) -> dict:
    response = client.post(reverse("privacy:my_data_download"))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    return json.loads(b"".join(response.streaming_content))


def test_the_download_holds_everything_about_the_person_and_is_logged(world):
    owner = world.objects.person
    consent_record(user=owner.user)
    client = world.client(OWNER)
    data = _download(client)
    assert data["account"]["email"] == owner.user.email
    assert data["person"]["full_name"] == owner.full_name
    assert data["unit"]["name"] == world.unit_a.name
    assert {row["course"] for row in data["enrolments"]} >= {world.objects.course.title}
    assert len(data["quiz_attempts"]) == 1 and data["quiz_attempts"][0]["answers"]
    assert {row["kind"] for row in data["certificates"]} == {"issued", "external"}
    assert data["certificates"][0]["serial"] == world.objects.certificate.serial
    assert data["consents"][0]["notice_version"] and data["data_requests"] == []
    assert "competencies" in data

    entry = AccessLog.objects.get(user=owner.user)
    assert (entry.action, entry.what, entry.record_ids) == ("export", "privacy:my_data_download", [owner.pk])


def test_the_download_is_a_post(world):
    client = world.client(OWNER)
    assert client.get(reverse("privacy:my_data_download")).status_code == 405
    assert not AccessLog.objects.exists()


def test_the_page_lists_consents_and_a_person_withdraws_their_own_only(people, login):
    mine = consent_record(user=people["hoa"].user)
    theirs = consent_record(user=people["yte"].user)
    client = login(people["hoa"])
    html = client.get(reverse("privacy:my_data")).content.decode()
    assert mine.notice_version in html and reverse("privacy:consent_withdraw", args=[mine.pk]) in html
    assert client.post(reverse("privacy:consent_withdraw", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("privacy:consent_withdraw", args=[theirs.pk])).status_code == 404
    # The page's link asks first: what withdrawing means, and a button; nothing is recorded yet.
    confirm = client.get(reverse("privacy:consent_withdraw", args=[mine.pk]))
    assert confirm.status_code == 200 and "Withdraw my consent" in confirm.content.decode()
    assert ConsentRecord.objects.get(pk=mine.pk).withdrawn_at is None
    assert client.post(reverse("privacy:consent_withdraw", args=[mine.pk])).status_code == 302
    assert ConsentRecord.objects.get(pk=mine.pk).withdrawn_at is not None
    assert ConsentRecord.objects.get(pk=theirs.pk).withdrawn_at is None
    # Withdrawn once: no button any more, and the address answers 404.
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert reverse("privacy:consent_withdraw", args=[mine.pk]) not in page
    assert client.get(reverse("privacy:consent_withdraw", args=[mine.pk])).status_code == 404
