"""The admin's upload form, the template download and the Moodle XML download."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Question

from .importing import FIXTURES
from .test_import_all_or_nothing import PARTLY_BAD_GIFT

pytestmark = pytest.mark.django_db


def upload(client, category, name, content, **fields):
    return client.post(
        reverse("assessment_questions:import"),
        {"file": SimpleUploadedFile(name, content), "category": category.pk, "file_format": "", **fields},
    )


def test_a_moodle_file_uploaded_in_the_admin_is_imported(client, trainer, category):
    client.force_login(trainer)
    assert client.get(reverse("assessment_questions:import")).status_code == 200
    response = upload(client, category, "ngan-hang.xml", (FIXTURES / "moodle_bank.xml").read_bytes())
    assert response.status_code == 302
    assert Question.objects.filter(owner=trainer).count() == 8


def test_a_partly_bad_upload_shows_each_problem_and_imports_nothing(client, trainer, category):
    client.force_login(trainer)
    response = upload(client, category, "cau-hoi.gift", PARTLY_BAD_GIFT.encode())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Line 8: The answer block is not closed with }." in html
    assert "Line 6: A single-choice question needs exactly one option worth 100%." in html
    assert not Question.objects.exists()


def test_skipping_bad_items_in_the_admin_lists_what_was_skipped(client, trainer, category):
    client.force_login(trainer)
    response = upload(client, category, "cau-hoi.txt", PARTLY_BAD_GIFT.encode(), skip_bad="on")
    assert response.status_code == 200
    assert "2 bad items were skipped" in response.content.decode()
    assert Question.objects.count() == 2


def test_an_entity_attack_upload_is_refused_with_a_message(client, trainer, category):
    from .test_import_moodle_xml import BILLION_LAUGHS

    client.force_login(trainer)
    response = upload(client, category, "tan-cong.xml", BILLION_LAUGHS)
    assert response.status_code == 200
    assert "refused for safety" in response.content.decode()
    assert not Question.objects.exists()


def test_an_unknown_extension_asks_for_the_format(client, trainer, category):
    client.force_login(trainer)
    response = upload(client, category, "cau-hoi.doc", b"x")
    assert "Choose the file's format" in response.context["form"].errors["file_format"][0]


def test_the_xlsx_template_downloads(client, trainer):
    client.force_login(trainer)
    response = client.get(reverse("assessment_questions:import_template"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["C1"].value == "Loại" and sheet["C2"].value == "một lựa chọn"


def test_a_category_exports_to_moodle_xml(client, trainer, category, make_question):
    make_question(name="Câu xuất ra")
    client.force_login(trainer)
    response = client.get(reverse("assessment_questions:export"), {"category": category.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    assert "Câu xuất ra" in response.content.decode() and "$course$/top/An toàn thông tin" in response.content.decode()
