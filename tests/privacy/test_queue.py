"""The officers' queue: scoping (unit subtree, Home Affairs read-only, site administrators all), overdue
first, search, transitions recorded who/when, and the requester told once by e-mail."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from freezegun import freeze_time

from privacy.models import AccessLog, DataRequest, DataRequestStatus
from privacy.services import DataRequestError, data_request_complete, data_request_file, data_request_start
from privacy.tasks import send_data_request_outcome

pytestmark = pytest.mark.django_db

FILED = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def correction(people):
    with freeze_time(FILED):
        return data_request_file(user=people["hoa"].user, kind="correction", field_names="full name",
                                 details="Misspelt", correct_value="Lê Thị Hòa")


def test_the_officer_of_the_unit_subtree_sees_the_request_another_officer_gets_404(people, login, correction):
    officer_a, officer_b = login(people["officer_a"]), login(people["officer_b"])
    assert officer_a.get(reverse("privacy:request_detail", args=[correction.pk])).status_code == 200
    assert f"#{correction.pk}<" in officer_a.get(reverse("privacy:queue")).content.decode()
    assert officer_b.get(reverse("privacy:request_detail", args=[correction.pk])).status_code == 404
    assert f"#{correction.pk}<" not in officer_b.get(reverse("privacy:queue")).content.decode()
    for name in ("request_start", "request_refuse"):
        assert officer_b.post(reverse(f"privacy:{name}", args=[correction.pk]), {"response": "x"}).status_code == 404
    assert DataRequest.objects.get().status == DataRequestStatus.OPEN


def test_home_affairs_reads_every_request_but_cannot_handle_one(people, login, correction):
    client = login(people["home_affairs"])
    assert client.get(reverse("privacy:queue")).status_code == 200
    assert client.get(reverse("privacy:request_detail", args=[correction.pk])).status_code == 200
    for name in ("request_start", "request_complete", "request_refuse", "request_erase"):
        assert client.post(reverse(f"privacy:{name}", args=[correction.pk]), {"response": "x"}).status_code == 403
    with pytest.raises(PermissionError):
        data_request_start(actor=people["home_affairs"].user, request_id=correction.pk)
    assert DataRequest.objects.get().status == DataRequestStatus.OPEN


def test_a_site_administrator_handles_any_request(people, login, correction, django_capture_on_commit_callbacks):
    client = login(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("privacy:request_refuse", args=[correction.pk]),
                           {"response": "Your name matches your ID card."}).status_code == 302
    data_request = DataRequest.objects.get()
    assert data_request.status == DataRequestStatus.REFUSED and data_request.handled_by == people["admin"].user
    assert len(mail.outbox) == 1


def test_handling_records_who_and_when_and_tells_the_person_once(people, login, correction,
                                                                   django_capture_on_commit_callbacks):
    client = login(people["officer_a"])
    start, done = FILED + datetime.timedelta(hours=1), FILED + datetime.timedelta(hours=5)
    with freeze_time(start):
        assert client.post(reverse("privacy:request_start", args=[correction.pk])).status_code == 302
    with freeze_time(done), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:request_complete", args=[correction.pk]), {"response": "Name corrected."})
    data_request = DataRequest.objects.get()
    assert data_request.status == DataRequestStatus.DONE
    assert (data_request.started_by, data_request.started_at) == (people["officer_a"].user, start)
    assert (data_request.handled_by, data_request.handled_at) == (people["officer_a"].user, done)
    events = [(e.status, e.actor, e.at) for e in data_request.events.all()]
    assert events == [("open", people["hoa"].user, FILED), ("in_progress", people["officer_a"].user, start),
                      ("done", people["officer_a"].user, done)]

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [people["hoa"].user.email]
    assert "Name corrected." in mail.outbox[0].body
    assert data_request.notified_at is not None and data_request.notify_email == ""
    send_data_request_outcome(correction.pk)  # a retry, or a second delivery of the task
    assert len(mail.outbox) == 1

    # Closed is closed: no second answer, and the person sees the response.
    with pytest.raises(DataRequestError):
        data_request_complete(actor=people["officer_a"].user, request_id=correction.pk, response="again")
    assert "Name corrected." in login(people["hoa"]).get(reverse("privacy:my_data")).content.decode()


def test_a_deletion_request_is_not_closed_as_done_without_deleting(people):
    deletion = data_request_file(user=people["hoa"].user, kind="deletion", details="Leaving")
    with pytest.raises(DataRequestError):
        data_request_complete(actor=people["officer_a"].user, request_id=deletion.pk, response="ok")


def test_overdue_requests_come_first_and_the_queue_searches_and_is_logged(people, login, correction):
    with freeze_time(FILED + datetime.timedelta(hours=60)):
        later = data_request_file(user=people["officer_a"].user, kind="deletion", details="x")
    with freeze_time(FILED + datetime.timedelta(hours=80)):  # `correction` overdue, `later` not yet
        html = login(people["officer_a"]).get(reverse("privacy:queue")).content.decode()
        assert html.index(f"#{correction.pk}<") < html.index(f"#{later.pk}<")
        assert html.count("Overdue</span>") == 1
        html = login(people["officer_a"]).get(reverse("privacy:queue"), {"q": "Hoa"}).content.decode()
        assert f"#{correction.pk}<" in html and f"#{later.pk}<" not in html
    entry = AccessLog.objects.filter(user=people["officer_a"].user, what="privacy:queue").last()
    assert entry.action == "list" and entry.record_ids == [people["hoa"].pk] and entry.filters == "q=Hoa"


def test_a_refused_close_keeps_the_answer_the_officer_typed(people, login, correction):
    client = login(people["officer_a"])
    url = reverse("privacy:request_refuse", args=[correction.pk])
    empty = client.post(url, {"response": "   "})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()

    # Too long: refused with why, and what was typed is still in its box to shorten.
    typed = "Thông tin đã đúng với căn cước công dân. " * 50
    response = client.post(url, {"response": typed})
    html = response.content.decode()
    assert response.status_code == 400 and "at most 2000 characters" in html and typed.strip() in html
    assert DataRequest.objects.get().status == DataRequestStatus.OPEN

    # A colleague closed it meanwhile: the page says so.
    data_request_complete(actor=people["admin"].user, request_id=correction.pk, response="Đã sửa tên.")
    response = client.post(url, {"response": "Thông tin đã đúng."})
    assert response.status_code == 400 and "This request is already closed." in response.content.decode()
    assert DataRequest.objects.get().status == DataRequestStatus.DONE
