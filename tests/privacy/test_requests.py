"""Filing a data request: the deadline, what the person sees, and validation."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from privacy.models import DataRequest, DataRequestEvent, DataRequestKind, DataRequestStatus
from privacy.services import data_request_file

pytestmark = pytest.mark.django_db

FILED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def test_a_person_files_a_correction_due_72_hours_later(people, login):
    client = login(people["hoa"])
    with freeze_time(FILED):
        response = client.post(reverse("privacy:request_new"), {
            "kind": "correction", "field_names": "full name", "details": "Misspelt", "correct_value": "Lê Thị Hòa"})
    assert response.status_code == 302
    data_request = DataRequest.objects.get()
    assert data_request.user == people["hoa"].user and data_request.kind == DataRequestKind.CORRECTION
    assert data_request.status == DataRequestStatus.OPEN
    assert data_request.created_at == FILED and data_request.due_at == FILED + datetime.timedelta(hours=72)
    event = DataRequestEvent.objects.get()
    assert (event.actor, event.status, event.at) == (people["hoa"].user, "open", FILED)


def test_the_deadline_follows_the_setting(people, settings):
    settings.PRIVACY_REQUEST_DEADLINE_HOURS = 24
    with freeze_time(FILED):
        data_request = data_request_file(user=people["hoa"].user, kind="deletion", details="Leaving")
    assert data_request.due_at == FILED + datetime.timedelta(hours=24)


def test_a_correction_needs_the_field_and_the_correct_value(people, login):
    client = login(people["hoa"])
    response = client.post(reverse("privacy:request_new"), {"kind": "correction", "details": "Wrong"})
    assert response.status_code == 200
    assert not DataRequest.objects.exists()
    response = client.post(reverse("privacy:request_new"), {"kind": "deletion", "details": "I left the agency"})
    assert response.status_code == 302
    assert DataRequest.objects.get().correct_value == ""


def test_a_person_sees_only_their_own_requests(people, login):
    mine = data_request_file(user=people["hoa"].user, kind="deletion", details="Mine")
    theirs = data_request_file(user=people["yte"].user, kind="deletion", details="Theirs")
    html = login(people["hoa"]).get(reverse("privacy:my_data")).content.decode()
    assert f"<td>#{mine.pk}</td>" in html
    assert f"<td>#{theirs.pk}</td>" not in html


def test_learners_cannot_open_the_queue(people, login):
    data_request = data_request_file(user=people["hoa"].user, kind="deletion", details="x")
    client = login(people["hoa"])
    assert client.get(reverse("privacy:queue")).status_code == 403
    assert client.get(reverse("privacy:request_detail", args=[data_request.pk])).status_code == 403
    assert client.post(reverse("privacy:request_start", args=[data_request.pk])).status_code == 403
    assert DataRequest.objects.get().status == DataRequestStatus.OPEN


def test_filing_needs_a_login(client):
    response = client.get(reverse("privacy:my_data"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
