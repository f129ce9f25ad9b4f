"""GIFT import: every construct of the format the parser supports."""

import pytest

from assessments.choices import QuestionType as T
from assessments.grading import grade
from assessments.importers.gift import parse_gift
from assessments.models import Question

from .importing import FIXTURES, import_file

pytestmark = pytest.mark.django_db


def test_a_gift_bank_with_every_construct_is_imported(trainer, category):
    report = import_file(
        actor=trainer, category=category, data=(FIXTURES / "gift_bank.txt").read_bytes(), file_format="gift"
    )

    assert len(report.imported) == 12
    q = {question.name: question for question in Question.objects.select_related("current_version", "category")}
    strong = q["Mật khẩu mạnh"]
    assert strong.category.path_names() == ["An toàn thông tin", "An toàn thông tin", "Mật khẩu"]
    assert strong.competency_codes == ["IU14"]
    assert strong.current_version.general_feedback == "<p>Mật khẩu mạnh dài và trộn nhiều loại ký tự.</p>"
    assert strong.current_version.payload["options"][0]["feedback"] == "Quá dễ đoán."
    assert grade(T.SINGLE_CHOICE, strong.current_version.payload, {"choice": "o2"}).fraction == 1

    multi = q["Bảo vệ dữ liệu"].current_version
    assert multi.qtype == T.MULTIPLE_RESPONSE
    assert [o["fraction"] for o in multi.payload["options"]] == [0.5, 0.5, -1]

    false = q["Thư lừa đảo"].current_version.payload
    assert false == {"correct": False, "feedback_true": "Kẻ gian làm giả logo dễ dàng.", "feedback_false": "Đúng vậy."}
    assert q["Cập nhật"].current_version.payload["correct"] is True

    term = q["Thuật ngữ"]
    assert term.competency_codes == ["IU01", "IU14"]
    assert grade(T.SHORT_ANSWER, term.current_version.payload, {"text": "bảo MẬT"}).fraction == 1
    assert grade(T.SHORT_ANSWER, term.current_version.payload, {"text": "điều bí mật"}).fraction == 0.5

    assert q["Hàm SUM"].current_version.stem == "<p>Kết quả của =SUM(2;3,5) là bao nhiêu?</p>"
    assert grade(T.NUMERIC, q["Hàm SUM"].current_version.payload, {"value": "5,5"}).fraction == 1
    bits = q["Số bit"].current_version.payload
    assert grade(T.NUMERIC, bits, {"value": 8}).fraction == 1 and grade(T.NUMERIC, bits, {"value": 9}).fraction == 0.5
    assert q["Khoảng"].current_version.payload["answers"][0] | {"id": "a1"} == {
        "id": "a1", "value": 3.0, "tolerance": 2.0, "fraction": 1.0, "feedback": ""
    }
    assert [p["answer"] for p in q["Phím tắt"].current_version.payload["pairs"]] == ["Sao chép", "Dán", "Hoàn tác"]
    blank = q["Điền từ"].current_version
    assert blank.qtype == T.SHORT_ANSWER and "Phần mềm _____ giúp bảo vệ máy tính." in blank.stem
    essay = q["Xử lý mã độc"].current_version
    assert essay.qtype == T.ESSAY and essay.stem == "<p>Trình bày cách xử lý khi máy tính <b>nghi nhiễm</b> mã độc.</p>"
    escaped = q["Ký tự đặc biệt"].current_version
    assert "a:b = c, dấu { và } và ~ và # nghĩa" in escaped.stem


def test_questions_without_a_title_are_named_after_their_text():
    parsed = parse_gift("// chú thích\nThủ đô của Việt Nam là?{=Hà Nội ~Huế ~Đà Nẵng}\n")
    assert parsed.problems == []
    assert parsed.questions[0].name == "Thủ đô của Việt Nam là?"
    assert parsed.questions[0].where == "Line 2"


@pytest.mark.parametrize(
    "text, message",
    [
        ("Câu hỏi không có đáp án", "No answer block"),
        ("Câu hỏi {=a ~b", "not closed"),
        ("::Tiêu đề chưa đóng Câu hỏi {T}", "title is not closed"),
        ("Số nào? {#ba:1}", "is not a number"),
        ("Số nào? {#5..1}", "ends before it starts"),
        ("Ghép {=a -> b ~c}", "=item -> match"),
        ("Chọn {a ~b}", "must start with = (right) or ~ (wrong)"),
    ],
)
def test_gift_syntax_errors_name_the_line(text, message):
    parsed = parse_gift(f"// đầu tệp\n\n{text}\n")
    assert parsed.questions == []
    assert parsed.problems[0].where == "Line 3" and message in parsed.problems[0].message
