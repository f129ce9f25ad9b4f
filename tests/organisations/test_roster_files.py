"""Roster import, the file itself: size, format, encoding, columns and rows are checked before anything else."""

import io
import os
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from organisations.models import Person, RosterImport
from organisations.roster import RosterFileError, read_roster_file
from tests.organisations.roster_files import HEADER, csv_bytes, in_english, staff_row, upload, upload_ok, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(mfa_client, officer_a):
    return in_english(mfa_client(officer_a.user))


def refused(client, content: bytes, name: str) -> str:
    """Upload a file that must be refused; return the page, after checking nothing was stored."""
    people_before = Person.objects.count()
    response = upload(client, content, name)
    assert response.status_code == 200
    assert not RosterImport.objects.exists()
    assert Person.objects.count() == people_before
    return response.content.decode()


def test_a_valid_xlsx_and_csv_are_accepted(officer_client):
    rows = [staff_row("NV100"), staff_row("NV101")]
    assert upload_ok(officer_client, xlsx_bytes(rows)).created_count == 2
    assert upload_ok(officer_client, csv_bytes(rows), "danh-sach.csv").created_count == 2


def test_csv_without_bom_with_semicolons_is_read(officer_client):
    content = csv_bytes([staff_row("NV100")], bom=False, delimiter=";")
    roster_import = upload_ok(officer_client, content, "danh-sach.csv")
    assert roster_import.created_count == 1
    assert roster_import.rows[0]["values"]["full_name"] == "Nguyễn Văn NV100"


def test_a_10_mb_file_is_refused_before_it_is_read(officer_client, settings):
    assert settings.ROSTER_IMPORT_MAX_BYTES < 10 * 1024 * 1024
    page = refused(officer_client, os.urandom(1024) * 10 * 1024, "lon.xlsx")
    assert "The file is 10.0\xa0MB; the limit is 5.0\xa0MB" in page


def test_the_size_is_checked_without_reading_the_file(settings):
    class HugeUpload(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("the file was read")

    huge = HugeUpload("lon.csv", b"")
    huge.size = 10 * 1024 * 1024
    with pytest.raises(RosterFileError), translation.override("en"):
        read_roster_file(huge)


def test_an_empty_file_is_refused(officer_client):
    assert "The file is empty." in refused(officer_client, b"", "rong.xlsx")
    assert "The file is empty." in refused(officer_client, b"\n\n", "rong.csv")


def test_a_header_without_rows_is_refused(officer_client):
    page = "The file has a header row but no staff rows."
    assert page in refused(officer_client, xlsx_bytes([]), "mau.xlsx")
    assert page in refused(officer_client, csv_bytes([]), "mau.csv")


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n", "danh-sach.xlsx", "is named .xlsx"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(200), "danh-sach.xlsx", "is named .xlsx"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(200), "danh-sach.csv", "CSV UTF-8"),
        (bytes(range(128, 256)) * 20, "danh-sach.csv", "CSV UTF-8"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "danh-sach.csv", "CSV UTF-8"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "danh-sach.xls", "old Excel file (.xls)"),
    ],
)
def test_files_of_another_format_are_refused(officer_client, content, name, message):
    assert message in refused(officer_client, content, name)


def test_a_zip_that_is_not_a_workbook_is_refused(officer_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "cannot be read" in refused(officer_client, buffer.getvalue(), "danh-sach.xlsx")


def test_a_truncated_workbook_is_refused(officer_client):
    content = xlsx_bytes([staff_row("NV100")])
    assert "cannot be read" in refused(officer_client, content[: len(content) // 2], "danh-sach.xlsx")


def test_a_csv_in_a_legacy_vietnamese_encoding_is_refused_with_the_way_out(officer_client):
    content = "employee_code,full_name\nNV100,Nguyễn Văn An\n".encode("utf-16")
    assert "CSV UTF-8" in refused(officer_client, content, "danh-sach.csv")


def test_missing_required_columns_are_named(officer_client):
    header = [key for key in HEADER if key != "full_name"]
    page = refused(officer_client, xlsx_bytes([staff_row("NV100")], header=header), "thieu.xlsx")
    assert "Required columns are missing: full_name." in page


def test_unknown_columns_are_named(officer_client):
    header = [*HEADER, "ethnicity", "religion"]
    page = refused(officer_client, xlsx_bytes([staff_row("NV100")], header=header), "thua.xlsx")
    assert "Unknown columns: ethnicity, religion." in page


def test_a_repeated_column_is_refused(officer_client):
    header = [*HEADER, "phone"]
    page = refused(officer_client, xlsx_bytes([], header=header), "x.xlsx")
    assert "The column phone appears more than once." in page


def test_values_under_a_blank_header_are_refused(officer_client):
    content = "employee_code,full_name,,email\nNV100,Lê An,ghi chú,an@nghean.gov.vn\n".encode()
    assert "Column C has values (row 2) but no header." in refused(officer_client, content, "x.csv")


def test_headers_are_matched_ignoring_case_spaces_and_labels(officer_client):
    content = "Employee code, FULL_NAME ,E-mail\nNV100,Lê Văn An,an@nghean.gov.vn\n".encode()
    assert upload_ok(officer_client, content, "x.csv").created_count == 1


def test_vietnamese_headers_of_the_current_and_earlier_releases_are_read(officer_client):
    headers = {
        "NV100": "Phân loại CBCCVC,Giám đốc CNTT (CIO) của đơn vị",  # this release's labels
        "NV101": "Loại cán bộ (ngạch),Giám đốc CNTT (CIO) của đơn vị",  # an earlier release's staff category
    }
    for code, header in headers.items():
        content = f"Mã cán bộ,Họ và tên,Email,{header}\n{code},Lê Văn An,{code}@nghean.gov.vn,viên chức,x\n"
        roster_import = upload_ok(officer_client, content.encode(), f"{code}.csv")
        assert roster_import.created_count == 1
        values = roster_import.rows[0]["values"]
        assert (values["staff_category"], values["is_cio"]) == ("viên chức", "x"), values  # both columns recognised


def test_too_many_rows_are_refused(officer_client, settings):
    settings.ROSTER_IMPORT_MAX_ROWS = 3
    rows = [staff_row(f"NV{n}") for n in range(4)]
    assert "more than 3 staff rows" in refused(officer_client, xlsx_bytes(rows), "dai.xlsx")
    assert upload_ok(officer_client, xlsx_bytes(rows[:3])).created_count == 3


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(officer_client):
    content = xlsx_bytes([staff_row("NV100"), {}, staff_row("NV101")])
    roster_import = upload_ok(officer_client, content)
    assert [row["n"] for row in roster_import.rows] == [2, 4]


def test_the_upload_page_links_the_template_and_lists_recent_imports(officer_client):
    upload_ok(officer_client, xlsx_bytes([staff_row("NV100")]), "thang-ba.xlsx")
    page = officer_client.get(reverse("organisations:roster_upload")).content.decode()
    assert reverse("organisations:roster_template") in page
    assert "thang-ba.xlsx" in page
    assert 'enctype="multipart/form-data"' in page


def test_a_workbook_with_a_wrong_used_range_is_read_to_its_end(officer_client):
    # Some programs write <dimension ref="A1:A1"/> whatever the sheet holds.
    content = xlsx_bytes([staff_row("NV100"), staff_row("NV101")])
    source, rewritten = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(rewritten, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:A1"/>', data)
            target.writestr(item, data)
    roster_import = upload_ok(officer_client, rewritten.getvalue())
    assert roster_import.created_count == 2
    assert roster_import.rows[0]["values"]["email"] == "nv100@nghean.gov.vn"
