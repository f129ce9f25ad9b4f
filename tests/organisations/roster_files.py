"""Staff lists for the roster import tests, built in memory."""

import csv
import io

import openpyxl
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisations.models import RosterImport

HEADER = [
    "employee_code",
    "full_name",
    "email",
    "unit_code",
    "position",
    "staff_category",
    "audience",
    "is_leader",
    "is_cio",
    "it_qualification",
    "gender",
    "birth_year",
    "phone",
]


def staff_row(code: str, **values) -> dict:
    """A valid row for a new person; keyword arguments replace or add cells."""
    row = {
        "employee_code": code,
        "full_name": f"Nguyễn Văn {code}",
        "email": f"{code.lower()}@nghean.gov.vn",
        "unit_code": "",
        "position": "Chuyên viên",
        "staff_category": "Công chức",
        "audience": "general",
        "is_leader": "",
        "is_cio": "",
        "it_qualification": "chứng chỉ",
        "gender": "Nữ",
        "birth_year": 1988,
        "phone": "0912 345 678",
    }
    row.update(values)
    return row


def xlsx_bytes(rows: list[dict], header: list[str] = HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(key, "") for key in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], header: list[str] = HEADER, *, bom: bool = True, delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(key, "") for key in header])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def upload(client, content: bytes, name: str = "danh-sach.xlsx"):
    return client.post(reverse("organisations:roster_upload"), {"file": SimpleUploadedFile(name, content)})


def upload_ok(client, content: bytes, name: str = "danh-sach.xlsx"):
    """Upload a file that must pass the file checks; returns the RosterImport."""
    response = upload(client, content, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    return RosterImport.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
