"""Periodic reports: the XLSX opens with openpyxl with the expected sheets and header, an issued period
is a snapshot (same bytes twice, unchanged by later data), a reissue is a new version with a reason,
and only the requester's role, within its scope, downloads it."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from reports.choices import PeriodKind
from reports.models import Indicator, ProgrammeTarget, ReportSnapshot, SnapshotState
from reports.periods import period_of
from reports.rollups import rollups_rebuild
from reports.snapshots import ReportError, closed_periods_due, report_request
from reports.tasks import issue_scheduled_reports

from .conftest import YEAR, at, enrol

Q1 = period_of(PeriodKind.QUARTER, YEAR, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def issue(world, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = report_request(user=world.home_affairs_user, unit=world.province, period=Q1, **kwargs)
    snapshot.refresh_from_db()
    return snapshot


def test_the_workbook_has_the_sheets_and_the_official_header(world, django_capture_on_commit_callbacks):
    rollups_rebuild()
    snapshot = issue(world, django_capture_on_commit_callbacks)
    assert snapshot.state == SnapshotState.READY and snapshot.progress == 100
    workbook = openpyxl.load_workbook(io.BytesIO(snapshot.file.read()))
    assert workbook.sheetnames == ["Tổng hợp", "Theo đơn vị", "Năng lực", "Trình độ CNTT"]
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        assert sheet["A2"].value == "Độc lập - Tự do - Hạnh phúc"
        cells = [sheet.cell(row=row, column=1).value or "" for row in range(4, 9)]
        assert any(world.province.name in cell for cell in cells)
        assert any("01/01/2026 – 31/03/2026" in cell for cell in cells)
        assert any(cell.startswith("Thời điểm lập:") for cell in cells)
    units = [row[0].value for row in workbook["Theo đơn vị"].iter_rows(min_row=11)]
    assert {"Sở Nội vụ", "Sở Y tế", "Xã Hưng Nguyên"} <= set(units)
    assert snapshot.figures["total"]["enrolled"] == 7
    assert (snapshot.figures["total"]["pass_rate"], snapshot.figures["total"]["average_score"]) == (60.0, 65.0)
    labels = {sheet_row[0].value: sheet_row[1].value for sheet_row in workbook["Tổng hợp"].iter_rows(min_row=11)}
    assert labels["Tỷ lệ đạt (%)"] == 60.0 and labels["Điểm trung bình (%)"] == 65.0
    assert labels["Bài kiểm tra đã nộp"] == 5 and labels["Lớp đã tổ chức"] == 1 and labels["Lượt tham dự lớp"] == 3
    skills = {sheet_row[0].value: [cell.value for cell in sheet_row[1:6]]
              for sheet_row in workbook["Trình độ CNTT"].iter_rows(min_row=10)}
    assert skills["Mô-đun"] == ["Chưa đạt", "Cơ bản", "Thành thạo", "Nâng cao", "Tổng"]
    assert next(values for label, values in skills.items() if label.startswith("IU01")) == [1, 0, 1, 1, 3]
    assert snapshot.figures["skill_levels"]["people"] == 3


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_summary_has_the_header_unit_period_charts_and_targets(world, mfa_client,
                                                                      django_capture_on_commit_callbacks):
    ProgrammeTarget.objects.update_or_create(indicator=Indicator.BASIC_IT_STANDARD, year=YEAR,
                                             defaults={"target_value": Decimal(100), "is_active": True})
    rollups_rebuild()
    snapshot = issue(world, django_capture_on_commit_callbacks)
    assert snapshot.pdf and len(snapshot.pdf_sha256) == 64
    client = mfa_client(world.home_affairs_user)
    url = reverse("reports:report_download_format", args=[snapshot.pk, "pdf"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    text = pdf_text(content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert f"Đơn vị: {world.province.name}" in text
    assert "Kỳ báo cáo: 01/01/2026 – 31/03/2026" in text
    assert "Xã Hưng Nguyên" in text and "Ghi danh và hoàn thành theo đơn vị" in text  # the unit chart
    assert "Tỷ lệ đạt (%)" in text
    basic = next(entry for entry in snapshot.figures["targets"] if entry["indicator"] == Indicator.BASIC_IT_STANDARD)
    assert basic["status"] == "red" and "Chưa đạt" in text  # the RAG table
    # The stored file, byte for byte, whatever changes later.
    enrol(world.people["dung"], world.courses["it"], enrolled=at(2, 2), completed=at(2, 3))
    rollups_rebuild()
    assert b"".join(client.get(url).streaming_content) == content
    assert mfa_client(world.officer_user).get(url).status_code == 404
    assert client.get(reverse("reports:report_download_format", args=[snapshot.pk, "docx"])).status_code == 404
    snapshot.pdf.storage.delete(snapshot.pdf.name)  # lost from storage: not found, not a server error
    assert mfa_client(world.home_affairs_user).get(url).status_code == 404


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 4, 1), {("quarter", "2026-01-01")}),
        (datetime.date(2026, 7, 3), {("quarter", "2026-04-01"), ("half", "2026-01-01")}),
        (datetime.date(2027, 1, 2), {("quarter", "2026-10-01"), ("half", "2026-07-01"), ("year", "2026-01-01")}),
        (datetime.date(2026, 5, 20), set()),
    ],
)
def test_the_periods_due_on_schedule(today, expected):
    assert {(period.kind, period.start.isoformat()) for period in closed_periods_due(today)} == expected


def test_beat_issues_the_provinces_reports_once_with_a_frozen_clock(world, mfa_client, settings,
                                                                   django_capture_on_commit_callbacks):
    from freezegun import freeze_time

    schedule = settings.CELERY_BEAT_SCHEDULE["reports-scheduled-reports"]
    assert schedule["task"] == "reports.tasks.issue_scheduled_reports"
    assert schedule["schedule"].month_of_year == {1, 4, 7, 10}
    assert schedule["schedule"].day_of_month == set(range(1, 8))
    rollups_rebuild()
    with freeze_time("2026-07-02 01:00:00"), django_capture_on_commit_callbacks(execute=True):
        # 08:00 in Vietnam, the second day after June closed; the task runs twice.
        first = issue_scheduled_reports.delay().get()
        again = issue_scheduled_reports.delay().get()
    assert len(first) == 2 and again == []
    snapshots = ReportSnapshot.objects.filter(unit=world.province).order_by("period_start", "period_end")
    assert [(s.period_kind, s.period_start, s.period_end, s.version) for s in snapshots] == [
        ("half", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), 1),
        ("quarter", datetime.date(2026, 4, 1), datetime.date(2026, 6, 30), 1),
    ]
    for snapshot in snapshots:
        assert snapshot.requested_by is None and snapshot.requested_role == "home_affairs"
        assert snapshot.state == SnapshotState.READY and snapshot.file and snapshot.pdf
    half = snapshots[0]
    assert half.figures["total"]["enrolled"] == 7  # the first half-year: Q1's seven, none in Q2
    # Any Home Affairs reader downloads them; a unit officer does not.
    client = mfa_client(world.home_affairs_user)
    assert client.get(reverse("reports:report_download", args=[half.pk])).status_code == 200
    assert mfa_client(world.officer_user).get(reverse("reports:report_download", args=[half.pk])).status_code == 404
    # A period a reader already issued by hand is not issued again on schedule.
    with freeze_time("2026-10-01 00:30:00"):
        assert timezone.localdate() == datetime.date(2026, 10, 1)
        report_request(user=world.home_affairs_user, unit=world.province,
                       period=period_of(PeriodKind.QUARTER, YEAR, 3))
        assert issue_scheduled_reports.delay().get() == []
    assert ReportSnapshot.objects.filter(unit=world.province, period_kind="quarter", period_start=datetime.date(2026, 7, 1)).count() == 1


def test_a_closed_period_is_a_snapshot_and_a_reissue_a_new_version(world, mfa_client, django_capture_on_commit_callbacks):
    rollups_rebuild()
    snapshot = issue(world, django_capture_on_commit_callbacks)
    client = mfa_client(world.home_affairs_user)
    url = reverse("reports:report_download", args=[snapshot.pk])
    first = b"".join(client.get(url).streaming_content)
    # Later data for the period does not change what was issued.
    enrol(world.people["dung"], world.courses["it"], enrolled=at(2, 2), completed=at(2, 3))
    rollups_rebuild()
    second = b"".join(client.get(url).streaming_content)
    assert first == second and len(first) > 1000
    with pytest.raises(ReportError, match="already been issued"):
        report_request(user=world.home_affairs_user, unit=world.province, period=Q1)
    reissued = issue(world, django_capture_on_commit_callbacks, reason="Bổ sung số liệu của xã Hưng Nguyên.")
    assert (reissued.version, reissued.figures["total"]["enrolled"]) == (2, 8)
    snapshot.refresh_from_db()
    assert snapshot.figures["total"]["enrolled"] == 7
    with pytest.raises(ReportError, match="closed period"):
        report_request(user=world.home_affairs_user, unit=world.province, period=period_of(PeriodKind.YEAR, 2099))


def test_only_the_requesters_role_within_scope_downloads(world, mfa_client, make_person, client,
                                                         django_capture_on_commit_callbacks):
    from accounts.roles import Role

    rollups_rebuild()
    snapshot = issue(world, django_capture_on_commit_callbacks)
    url = reverse("reports:report_download", args=[snapshot.pk])
    assert mfa_client(world.officer_user).get(url).status_code == 404  # a unit officer, not Home Affairs
    client.logout()
    admin = make_person(unit=world.province, roles=[Role.SITE_ADMIN]).user
    assert mfa_client(admin).get(url).status_code == 404  # another role, even a wider one
    client.logout()
    colleague = make_person(unit=world.province, roles=[Role.HOME_AFFAIRS]).user
    assert mfa_client(colleague).get(url).status_code == 200


def test_the_pages(world, mfa_client):
    rollups_rebuild()
    client = mfa_client(world.home_affairs_user)
    response = client.post(reverse("reports:report_list"), {"period": "quarter", "year": YEAR, "number": 1})
    snapshot = ReportSnapshot.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:report_status", args=[snapshot.pk])
    status = client.get(response["Location"])
    assert status.status_code == 200 and 'role="status"' in status.content.decode()
    again = client.post(reverse("reports:report_list"), {"period": "quarter", "year": YEAR, "number": 1})
    assert "Give a reason to reissue it." in again.content.decode()
    officer = mfa_client(world.officer_user)
    assert officer.get(reverse("reports:unit_report_list", args=[world.units["b"].pk])).status_code == 404
    assert officer.get(reverse("reports:report_status", args=[snapshot.pk])).status_code == 404


def test_the_workbook_neutralises_unit_names_a_spreadsheet_would_run(world, django_capture_on_commit_callbacks):
    from organisations.models import OrganisationUnit

    OrganisationUnit.objects.filter(name="Sở Y tế").update(name="@SUM(1)")
    rollups_rebuild()
    workbook = openpyxl.load_workbook(io.BytesIO(issue(world, django_capture_on_commit_callbacks).file.read()))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "'@SUM(1)" in [cell.value for cell in cells]
