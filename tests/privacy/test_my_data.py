"""A person's own data page: consents (and withdrawing one), the download of everything about them, logged."""

import json

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

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


def test_consent_withdrawn_can_be_given_again_as_a_new_record(people, login):
    user = people["hoa"].user
    first = consent_record(user=user)
    client = login(people["hoa"])
    give = reverse("privacy:consent_give")
    assert give not in client.get(reverse("privacy:my_data")).content.decode()  # standing: nothing to give
    client.post(reverse("privacy:consent_withdraw", args=[first.pk]))
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert give in page and first.notice_version in page and 'name="consent"' in page
    assert "checked" not in page.split('name="consent"')[1].split(">")[0]  # never ticked in advance

    refused = client.post(give, {})  # the box left empty: refused, said why, nothing recorded
    assert refused.status_code == 400 and "Tick the box to give your consent." in refused.content.decode()
    assert ConsentRecord.objects.filter(user=user).count() == 1

    assert client.post(give, {"consent": "on"}).status_code == 302
    again = ConsentRecord.objects.filter(user=user).exclude(pk=first.pk).get()
    assert again.withdrawn_at is None and again.notice_version == first.notice_version
    assert ConsentRecord.objects.get(pk=first.pk).withdrawn_at is not None  # the withdrawal stays on record
    client.post(give, {"consent": "on"})  # given twice (a double click): still one standing consent
    assert ConsentRecord.objects.filter(user=user, withdrawn_at__isnull=True).count() == 1
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert give not in page and reverse("privacy:consent_withdraw", args=[again.pk]) in page
    assert client.get(give).status_code == 405


def test_an_account_without_consent_on_record_is_offered_the_box(people, login):
    client = login(people["yte"])
    html = client.get(reverse("privacy:my_data")).content.decode()
    assert reverse("privacy:consent_give") in html and reverse("privacy_notice") in html
    client.post(reverse("privacy:consent_give"), {"consent": "on"})
    assert ConsentRecord.objects.filter(user=people["yte"].user, withdrawn_at__isnull=True).count() == 1


def test_the_database_keeps_one_standing_consent_per_notice_version(people):
    user = people["hoa"].user
    ConsentRecord.objects.create(user=user, notice_version="2026-01", given_at=timezone.now(),
                                 withdrawn_at=timezone.now())
    ConsentRecord.objects.create(user=user, notice_version="2026-01", given_at=timezone.now())
    ConsentRecord.objects.create(user=user, notice_version="2027-01", given_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentRecord.objects.create(user=user, notice_version="2026-01", given_at=timezone.now())
