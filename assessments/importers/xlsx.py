"""The XLSX question template: one question per row, and its reader.

Columns (Vietnamese headers; the English keys are accepted too):
category ("Bảo mật/Mật khẩu"), name, type, question, answer, options A–F, mark, competencies,
general feedback, ignore case, ignore diacritics. What "answer" and the options mean per type:

- single choice: options A–F, answer "B"; multiple response: answer "A, C" (the right options share
  100%, the wrong ones share -100%, so ticking everything scores 0);
- true/false: answer "Đúng" or "Sai"; short answer: accepted answers in "answer", separated by "|";
- numeric: "3.14" or "3.14 ± 0.01" (several separated by "|"); matching: options "item -> match";
- ordering: the options in their correct order; essay: no answer.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill

from assessments.choices import QuestionType
from assessments.text import normalise_answer

from .base import ImportedQuestion, ImportProblem, ParseResult, file_problem, plain_to_rich_text

OPTION_LETTERS = "ABCDEF"
COLUMNS = [
    ("category", "Danh mục"),
    ("name", "Tên câu hỏi"),
    ("type", "Loại"),
    ("question", "Nội dung câu hỏi"),
    ("answer", "Đáp án"),
    *[(f"option_{letter.lower()}", f"Phương án {letter}") for letter in OPTION_LETTERS],
    ("mark", "Điểm"),
    ("competencies", "Năng lực"),
    ("general_feedback", "Phản hồi chung"),
    ("ignore_case", "Không phân biệt hoa thường"),
    ("ignore_diacritics", "Không phân biệt dấu"),
]
TYPE_WORDS = {
    QuestionType.SINGLE_CHOICE: ["một lựa chọn", "trắc nghiệm"],
    QuestionType.MULTIPLE_RESPONSE: ["nhiều lựa chọn"],
    QuestionType.TRUE_FALSE: ["đúng/sai", "đúng sai"],
    QuestionType.SHORT_ANSWER: ["trả lời ngắn"],
    QuestionType.NUMERIC: ["số"],
    QuestionType.MATCHING: ["ghép cặp", "ghép nối"],
    QuestionType.ORDERING: ["sắp xếp", "sắp thứ tự"],
    QuestionType.ESSAY: ["tự luận"],
}
YES = {"x", "có", "co", "1", "true", "yes", "đúng", "dung"}
TRUE_WORDS, FALSE_WORDS = {"đúng", "dung", "true", "t", "đ"}, {"sai", "false", "f", "s"}
# A real workbook of a few thousand questions is a few MB unpacked; far more is a zip bomb.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


def _fold(text: str) -> str:
    return normalise_answer(text, ignore_case=True, ignore_diacritics=True)


_HEADERS = {_fold(label): key for key, label in COLUMNS} | {_fold(key): key for key, _label in COLUMNS}
_TYPES = {_fold(word): qtype for qtype, words in TYPE_WORDS.items() for word in words} | {
    _fold(qtype): qtype for qtype in QuestionType.values
} | {_fold(str(qtype.label)): qtype for qtype in QuestionType}


class RowError(ValueError):
    pass


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _numbers(text: str) -> list[dict]:
    """ "3,14 ± 0,01 | 3" → [{"value": "3.14", "tolerance": "0.01"}, {"value": "3", "tolerance": "0"}]."""
    answers = []
    for part in filter(None, (piece.strip() for piece in text.split("|"))):
        pieces = re.split(r"±|\+/-|:", part, maxsplit=1)
        tolerance = pieces[1] if len(pieces) > 1 else "0"
        answers.append({"value": pieces[0].strip().replace(",", "."), "tolerance": tolerance.strip().replace(",", ".")})
    return answers


def _letters(text: str, options: dict[str, str]) -> list[str]:
    letters = [letter.strip().upper() for letter in re.split(r"[,;\s]+", text) if letter.strip()]
    for letter in letters:
        if letter not in options:
            raise RowError(_("The answer “%(letter)s” is not one of the options given.") % {"letter": letter})
    return letters


def _row_question(number: int, row: dict[str, str]) -> ImportedQuestion:
    qtype = _TYPES.get(_fold(row.get("type", "")))
    if qtype is None:
        raise RowError(_("Unknown question type “%(type)s”.") % {"type": row.get("type", "")})
    options = {
        letter: row[f"option_{letter.lower()}"] for letter in OPTION_LETTERS if row.get(f"option_{letter.lower()}")
    }
    answer = row.get("answer", "")
    if qtype in {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE}:
        right = _letters(answer, options)
        if not right:
            raise RowError(_("Say which option is right in the answer column (e.g. B, or A, C)."))
        wrong = [letter for letter in options if letter not in right]
        # Right options share 100%; in multiple response the wrong ones share -100%.
        penalty = -1 / len(wrong) if wrong and qtype == QuestionType.MULTIPLE_RESPONSE else 0.0
        payload = {
            "options": [
                {"text": text, "fraction": 1 / len(right) if letter in right else penalty}
                for letter, text in options.items()
            ]
        }
    elif qtype == QuestionType.TRUE_FALSE:
        word = answer.strip().lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise RowError(_("The answer of a true/false question is “Đúng” or “Sai”."))
        payload = {"correct": word in TRUE_WORDS}
    elif qtype == QuestionType.SHORT_ANSWER:
        payload = {
            "answers": [{"text": text.strip()} for text in answer.split("|") if text.strip()],
            "ignore_case": _fold(row.get("ignore_case", "")) in YES or not row.get("ignore_case"),
            "ignore_diacritics": _fold(row.get("ignore_diacritics", "")) in YES,
        }
    elif qtype == QuestionType.NUMERIC:
        payload = {"answers": _numbers(answer)}
    elif qtype == QuestionType.MATCHING:
        pairs = []
        for text in options.values():
            if "->" not in text:
                raise RowError(_("Each option of a matching question is written “item -> match”."))
            prompt, match = text.split("->", 1)
            pairs.append({"prompt": prompt.strip(), "answer": match.strip()})
        payload = {"pairs": pairs}
    elif qtype == QuestionType.ORDERING:
        payload = {"items": [{"text": text} for text in options.values()]}
    else:
        payload = {}
    try:
        mark = Decimal((row.get("mark") or "1").replace(",", ".")).quantize(Decimal("0.01"))
    except InvalidOperation as error:
        raise RowError(_("The mark is not a number.")) from error
    if not row.get("question"):
        raise RowError(_("The question text is empty."))
    return ImportedQuestion(
        where=_("Row %(row)s") % {"row": number},
        name=row.get("name") or row["question"][:60],
        qtype=qtype,
        stem=plain_to_rich_text(row["question"]),
        payload=payload,
        general_feedback=plain_to_rich_text(row.get("general_feedback", "")),
        default_mark=mark,
        competency_codes=[code for code in re.split(r"[,;\s]+", row.get("competencies", "")) if code],
        category_path=[step.strip() for step in row.get("category", "").split("/") if step.strip()],
    )


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise file_problem(_("This is not an Excel workbook (.xlsx).")) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise file_problem(_("The workbook unpacks to far more data than a question list holds; it is refused."))


def parse_xlsx(data: bytes, *, max_items: int) -> ParseResult:
    _check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet_rows = list(workbook.worksheets[0].iter_rows(values_only=True, max_row=max_items + 50))
        workbook.close()
    except Exception as error:  # openpyxl raises many kinds of errors on damaged or foreign files
        raise file_problem(
            _("This Excel workbook cannot be read. Open it in Excel and save it again as .xlsx.")
        ) from error
    result, keys = ParseResult(), None
    for number, values in enumerate(sheet_rows, start=1):
        cells = [_cell(value) for value in values]
        if not any(cells):
            continue
        if keys is None:
            keys = [_HEADERS.get(_fold(cell)) if cell else None for cell in cells]
            unknown = [cell for cell, key in zip(cells, keys) if cell and key is None]
            if unknown:
                raise file_problem(
                    _("Row %(row)s: unknown columns: %(columns)s.") % {"row": number, "columns": ", ".join(unknown)}
                )
            if not {"type", "question"} <= set(keys):
                raise file_problem(_("The header row needs at least the columns “Loại” and “Nội dung câu hỏi”."))
            continue
        row = {key: cell for key, cell in zip(keys, cells) if key and cell}
        try:
            result.questions.append(_row_question(number, row))
        except RowError as error:
            result.problems.append(ImportProblem(_("Row %(row)s") % {"row": number}, str(error)))
    if keys is None:
        raise file_problem(_("The file is empty."))
    return result


EXAMPLES = [
    ["An toàn thông tin/Mật khẩu", "Mật khẩu mạnh", "một lựa chọn", "Mật khẩu nào sau đây an toàn nhất?", "C",
     "123456", "ngaysinh1990", "T@m-Bi3t!Ha-N0i", "", "", "", 1, "IU14",
     "Mật khẩu mạnh dài, trộn nhiều loại ký tự.", "", ""],
    ["An toàn thông tin", "Thói quen an toàn", "nhiều lựa chọn", "Những việc nào giúp bảo vệ dữ liệu?", "A, B",
     "Sao lưu định kỳ", "Cập nhật phần mềm", "Dùng chung mật khẩu", "", "", "", 1, "IU14", "", "", ""],
    ["An toàn thông tin", "Thư lừa đảo", "đúng/sai", "Mọi thư điện tử có logo cơ quan đều an toàn.", "Sai",
     "", "", "", "", "", "", 1, "IU06", "", "", ""],
    ["An toàn thông tin", "Thuật ngữ", "trả lời ngắn", "Việc giữ cho thông tin không bị lộ gọi là gì?",
     "Bảo mật|Bảo mật thông tin", "", "", "", "", "", "", 1, "IU14", "", "x", "x"],
    ["Bảng tính", "Tổng", "số", "Kết quả của =SUM(2;3,5) là bao nhiêu?", "5,5 ± 0", "", "", "", "", "", "", 1, "IU04",
     "", "", ""],
    ["Soạn thảo", "Phím tắt", "ghép cặp", "Ghép phím tắt với chức năng.", "", "Ctrl+C -> Sao chép",
     "Ctrl+V -> Dán", "Ctrl+Z -> Hoàn tác", "", "", "", 1, "IU03", "", "", ""],
    ["Soạn thảo", "Gửi văn bản", "sắp xếp", "Sắp xếp các bước gửi văn bản điện tử.", "", "Soạn thảo",
     "Ký số", "Gửi lên hệ thống", "", "", "", 1, "IU03", "", "", ""],
    ["An toàn thông tin", "Tình huống", "tự luận", "Trình bày cách xử lý khi máy tính nghi nhiễm mã độc.", "",
     "", "", "", "", "", "", 5, "IU14", "", "", ""],
]


def xlsx_template() -> bytes:
    """The downloadable template: the header row and one example of every type, in Vietnamese."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Câu hỏi"
    sheet.append([label for _key, label in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True)
    for row in EXAMPLES:
        sheet.append(row)
    for column, width in zip("ABCDE", (26, 22, 16, 48, 22)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Hướng dẫn")
    for line in (
        "Mỗi dòng là một câu hỏi. Loại: một lựa chọn, nhiều lựa chọn, đúng/sai, trả lời ngắn, số, ghép cặp, "
        "sắp xếp, tự luận.",
        "Một lựa chọn: ghi chữ cái của phương án đúng (B). Nhiều lựa chọn: A, C.",
        "Đúng/sai: ghi Đúng hoặc Sai.",
        "Trả lời ngắn: các đáp án chấp nhận, cách nhau bởi |; dấu * thay cho chuỗi bất kỳ.",
        "Số: 3,14 ± 0,01. Ghép cặp: mỗi phương án ghi “vế trái -> vế phải”. Sắp xếp: các phương án theo thứ tự đúng.",
        "Danh mục: đường dẫn như “An toàn thông tin/Mật khẩu”. Năng lực: mã như IU01, IU14.",
    ):
        guide.append([line])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
