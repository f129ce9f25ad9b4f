"""Periodic reports: the XLSX opens with openpyxl with the expected sheets and header, an issued period
is a snapshot (same bytes twice, unchanged by later data), a reissue is a new version with a reason,
and only the requester's role, within its scope, downloads it."""

import io

import openpyxl
import pytest
from django.urls import reverse

from reports.choices import PeriodKind
from reports.models import ReportSnapshot, SnapshotState
from reports.periods import period_of
from reports.rollups import rollups_rebuild
from reports.snapshots import ReportError, report_request

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
    assert workbook.sheetnames == ["Tổng hợp", "Theo đơn vị", "Năng lực"]
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
