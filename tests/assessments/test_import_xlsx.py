"""XLSX import: the downloadable template imports as it is, and a workbook built by hand reads right."""

import io

import openpyxl
import pytest

from assessments.choices import QuestionType as T
from assessments.grading import grade
from assessments.importers import ImportRejected
from assessments.importers.xlsx import COLUMNS, EXAMPLES, xlsx_template
from assessments.models import Question

from .importing import import_file

pytestmark = pytest.mark.django_db


def workbook(*rows, header=None):
    book = openpyxl.Workbook()
    book.active.append(header or [label for _key, label in COLUMNS])
    for row in rows:
        book.active.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def test_the_template_has_a_vietnamese_header_and_imports_as_it_is(trainer, category):
    data = xlsx_template()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [cell.value for cell in sheet[1]][:4] == ["Danh mục", "Tên câu hỏi", "Loại", "Nội dung câu hỏi"]

    report = import_file(actor=trainer, category=category, data=data, file_format="xlsx")

    assert len(report.imported) == len(EXAMPLES) == 8
    q = {question.name: question.current_version for question in Question.objects.select_related("current_version")}
    assert {version.qtype for version in q.values()} == set(T.values)
    assert grade(T.SINGLE_CHOICE, q["Mật khẩu mạnh"].payload, {"choice": "o3"}).fraction == 1
    multi = q["Thói quen an toàn"].payload
    assert grade(T.MULTIPLE_RESPONSE, multi, {"choices": ["o1", "o2"]}).fraction == 1
    assert grade(T.MULTIPLE_RESPONSE, multi, {"choices": ["o1", "o2", "o3"]}).fraction == 0
    assert q["Thư lừa đảo"].payload["correct"] is False
    term = q["Thuật ngữ"].payload
    assert term["ignore_diacritics"] and grade(T.SHORT_ANSWER, term, {"text": "bao mat thong tin"}).fraction == 1
    assert grade(T.NUMERIC, q["Tổng"].payload, {"value": "5,5"}).fraction == 1
    assert q["Phím tắt"].payload["pairs"][1] == {"id": "p2", "prompt": "Ctrl+V", "answer": "Dán"}
    assert [item["text"] for item in q["Gửi văn bản"].payload["items"]] == ["Soạn thảo", "Ký số", "Gửi lên hệ thống"]
    assert q["Tình huống"].default_mark == 5
    assert Question.objects.get(name="Mật khẩu mạnh").category.path_names()[-1] == "Mật khẩu"


def test_english_headers_and_type_codes_are_accepted(trainer, category):
    data = workbook(
        ["single_choice", "Chọn A", "A", "Có", "Không"], header=["type", "question", "answer", "option_a", "option_b"]
    )
    report = import_file(actor=trainer, category=category, data=data, file_format="xlsx")
    assert report.imported[0].name == "Chọn A"


def test_a_bad_row_is_reported_by_number_and_nothing_is_imported(trainer, category):
    good = ["", "Câu đúng", "đúng/sai", "Trái đất quay quanh Mặt trời.", "Đúng"]
    bad = ["", "Câu sai", "một lựa chọn", "Chọn một.", "G", "Có", "Không"]
    with pytest.raises(ImportRejected) as error:
        import_file(actor=trainer, category=category, data=workbook(good, bad), file_format="xlsx")
    assert [str(problem) for problem in error.value.problems] == [
        "Row 3: The answer “G” is not one of the options given."
    ]
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"PK\x03\x04garbage", "not an Excel workbook"),
        (b"name,type\nx,y\n", "not an Excel workbook"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(trainer, category, data, message):
    with pytest.raises(ImportRejected) as error:
        import_file(actor=trainer, category=category, data=data, file_format="xlsx")
    assert message in error.value.message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(trainer, category):
    import zipfile

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    with pytest.raises(ImportRejected) as error:
        import_file(actor=trainer, category=category, data=output.getvalue(), file_format="xlsx")
    assert "unpacks to far more data" in error.value.message
