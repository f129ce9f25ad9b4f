"""Enrolment exports: asked from the statistics page, built by the Celery task (never in the request),
scoped like the statistics, downloaded only by the requester through a signed link, formula-safe
cells, and an entry in the privacy access log."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from privacy.models import AccessAction, AccessLog
from reports.exports import download_token, enrolment_export_build
from reports.models import EnrolmentExport, SnapshotState
from tests.helpers import login_with_totp

from .test_statistics_page import Q1


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def reader(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    login_with_totp(client, user)
    return client


def request_export(client, unit, fmt, capture, filters=Q1):
    url = reverse("reports:enrolment_export", args=[unit.pk]) + "?" + "&".join(f"{k}={v}" for k, v in filters.items())
    with capture(execute=True):
        response = client.post(url, {"format": fmt})
    assert response.status_code == 302
    return EnrolmentExport.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def download(client, export):
    status = client.get(reverse("reports:export_status", args=[export.pk]))
    assert status.status_code == 200 and "Download the file" in status.content.decode()
    link = status.context["link"]
    response = client.get(link)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_an_officer_exports_their_subtrees_enrolments_as_csv(world, django_capture_on_commit_callbacks):
    client = reader(world.officer_user)
    export = request_export(client, world.units["a"], "csv", django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.state == SnapshotState.READY and export.rows_written == export.rows_total == 4
    rows = list(csv.reader(io.StringIO(download(client, export).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Enrolment", "Full name", "Employee code"]
    names = {row[1] for row in rows[1:]}
    # Q1 enrolments of unit A's subtree, counted where people are now (Giang moved in; Cường is in B).
    assert names == {"Lê Văn An", "Phạm Thị Bình", "Trịnh Thị Giang"} and len(rows) == 5
    log = AccessLog.objects.get(what="reports:enrolment_export")
    assert log.user == world.officer_user and log.action == AccessAction.EXPORT and log.count == 4


def test_xlsx_with_filters_and_formula_safe_cells(world, django_capture_on_commit_callbacks):
    an = world.people["an"]
    an.full_name = "=HYPERLINK(\"http://x\")"
    an.save()
    client = reader(world.home_affairs_user)
    export = request_export(client, world.province, "xlsx", django_capture_on_commit_callbacks,
                            filters={**Q1, "track": "general"})
    sheet = load_workbook(io.BytesIO(download(client, export)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 5  # general-track enrolments made in Q1 (the IT course's are left out)
    assert "'=HYPERLINK(\"http://x\")" in {row[1] for row in rows[1:]}
    assert {row[6] for row in rows[1:]} == {"Civil servants and public employees"}


def test_xlsx_goes_on_in_another_sheet_past_excel_s_row_limit(world, django_capture_on_commit_callbacks, monkeypatch):
    """Excel opens at most 1,048,576 rows a sheet; a province's export has more (2,000,000 enrolments at dataset
    P), so the rows continue on further sheets, each headed like the first (the limit lowered to 2 here)."""
    from reports import exports

    monkeypatch.setattr(exports, "XLSX_SHEET_ROWS", 2)
    client = reader(world.home_affairs_user)
    export = request_export(client, world.province, "xlsx", django_capture_on_commit_callbacks,
                            filters={**Q1, "track": "general"})
    workbook = load_workbook(io.BytesIO(download(client, export)), read_only=True)
    sheets = [list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets]
    assert [len(rows) for rows in sheets] == [3, 3, 2]  # 5 rows: 2 + 2 + 1, each under the header
    assert sheets[0][0] == sheets[1][0] == sheets[2][0]
    assert workbook.sheetnames[1].endswith("(2)") and workbook.sheetnames[2].endswith("(3)")
    export.refresh_from_db()
    assert export.rows_written == 5


def test_only_the_requester_downloads_and_only_through_the_signed_link(world, make_person,
                                                                      django_capture_on_commit_callbacks):
    officer = reader(world.officer_user)
    export = request_export(officer, world.units["a"], "csv", django_capture_on_commit_callbacks)
    token = download_token(export)
    other = reader(world.home_affairs_user)  # reads the whole province, yet not someone else's export
    assert other.get(reverse("reports:export_status", args=[export.pk])).status_code == 404
    assert other.get(reverse("reports:export_download", args=[export.pk]), {"token": token}).status_code == 404
    url = reverse("reports:export_download", args=[export.pk])
    assert officer.get(url).status_code == 404
    assert officer.get(url, {"token": token + "x"}).status_code == 404
    assert officer.get(url, {"token": token}).status_code == 200


def test_outside_the_scope_or_without_people_rights_nothing_is_exported(world, make_person,
                                                                        django_capture_on_commit_callbacks):
    officer = reader(world.officer_user)
    for unit in (world.units["b"], world.province):
        url = reverse("reports:enrolment_export", args=[unit.pk])
        assert officer.post(url, {"format": "csv"}).status_code == 404
    learner = Client()
    learner.force_login(world.people["an"].user)
    assert learner.post(reverse("reports:enrolment_export", args=[world.units["a"].pk]),
                        {"format": "csv"}).status_code == 404
    assert officer.post(reverse("reports:enrolment_export", args=[world.units["a"].pk]),
                        {"format": "pdf"}).status_code == 404
    assert officer.get(reverse("reports:enrolment_export", args=[world.units["a"].pk])).status_code == 405
    assert not EnrolmentExport.objects.exists()


def test_the_task_rechecks_the_scope_and_is_idempotent(world, make_person, django_capture_on_commit_callbacks):
    client = reader(world.officer_user)
    export = request_export(client, world.units["a"], "csv", django_capture_on_commit_callbacks)
    assert enrolment_export_build(export_id=export.pk).state == SnapshotState.READY  # a rerun changes nothing
    assert AccessLog.objects.filter(what="reports:enrolment_export").count() == 1
    again = EnrolmentExport.objects.create(requested_by=world.officer_user, unit=world.units["a"],
                                           filters=export.filters, file_name="enrolments-again.csv")
    world.officer_user.is_active = False
    world.officer_user.save()
    assert enrolment_export_build(export_id=again.pk).state == SnapshotState.FAILED


def test_the_statistics_page_offers_the_export_to_readers_of_people(world, make_person):
    page = reader(world.officer_user).get(reverse("reports:statistics"), Q1).content.decode()
    assert reverse("reports:enrolment_export", args=[world.units["a"].pk]) in page
    coordinator = make_person(unit=world.province, roles=[Role.FARMER_COORDINATOR])
    page = reader(coordinator.user).get(reverse("reports:statistics"), Q1)
    assert page.context["may_see_people"] is (reverse("reports:enrolment_export", args=[world.province.pk])
                                              in page.content.decode())
