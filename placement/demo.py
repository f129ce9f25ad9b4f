"""Demo data of the IT skill survey for `make run`: an open survey with twelve statements and a small
diagnostic quiz (one or two single-choice questions per module, tagged IU01–IU06), and submitted
responses of a handful of demo staff, so the results pages have figures.

Built through the same services as the site (question bank, quiz attempts, survey). Run after
seed_demo. Idempotent: it does nothing once the demo survey exists. The demo learner is left
unsurveyed, so the survey can be tried with that account.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from assessments.choices import QuestionType
from assessments.models import Quiz, QuizQuestion
from assessments.quizzes.choices import ReviewOption
from assessments.quizzes.services import answers_save, attempt_submit
from assessments.services import category_save, question_save
from organisations.models import SELF_REGISTERED_AUDIENCES, Person

from .models import Survey, SurveyItem
from .services import diagnostic_start, response_submit, self_assessment_save

DEMO_SURVEY = "Khảo sát kỹ năng sử dụng CNTT cơ bản 2026"
DEMO_RESPONDENTS = 14
OFFICER_UNIT_RESPONDENTS = 5

STATEMENTS = (
    ("IU01", "Tôi phân biệt được phần cứng, phần mềm và các thiết bị ngoại vi thông dụng."),
    ("IU01", "Tôi biết các nguy cơ mất an toàn thông tin thường gặp và cách phòng tránh."),
    ("IU02", "Tôi sắp xếp được thư mục, sao chép, di chuyển và tìm lại tệp trên máy tính."),
    ("IU02", "Tôi cài đặt và gỡ được một phần mềm thông dụng, in được tài liệu."),
    ("IU03", "Tôi định dạng được văn bản có tiêu đề, danh sách và bảng."),
    ("IU03", "Tôi trình bày được văn bản hành chính đúng thể thức (lề, phông chữ, đánh số trang)."),
    ("IU04", "Tôi nhập dữ liệu và dùng được các hàm SUM, AVERAGE, IF trong bảng tính."),
    ("IU04", "Tôi sắp xếp, lọc dữ liệu và vẽ được biểu đồ từ bảng tính."),
    ("IU05", "Tôi tạo được bài trình chiếu có bố cục, hình ảnh và hiệu ứng chuyển trang."),
    ("IU05", "Tôi trình chiếu được bài thuyết trình và in được bản ghi chú."),
    ("IU06", "Tôi tìm kiếm thông tin trên Internet và đánh giá được độ tin cậy của nguồn."),
    ("IU06", "Tôi gửi, nhận thư điện tử có tệp đính kèm và dùng được dịch vụ công trực tuyến."),
)

QUESTIONS = (
    ("IU01", "Thiết bị nào là thiết bị nhập?", ["Bàn phím", "Màn hình", "Máy in", "Loa"]),
    ("IU01", "Phần mềm nào là hệ điều hành?", ["Ubuntu", "LibreOffice Writer", "Firefox", "VLC"]),
    ("IU02", "Tổ hợp phím nào sao chép nội dung đã chọn?", ["Ctrl+C", "Ctrl+V", "Ctrl+X", "Ctrl+Z"]),
    ("IU03", "Để tạo mục lục tự động, văn bản cần dùng gì?",
     ["Kiểu tiêu đề (Heading)", "Chữ in đậm", "Phông chữ lớn", "Gạch chân"]),
    ("IU03", "Khổ giấy của văn bản hành chính là gì?", ["A4", "A3", "A5", "Letter"]),
    ("IU04", "Hàm nào tính tổng một vùng ô?", ["SUM", "COUNT", "MAX", "IF"]),
    ("IU04", "Địa chỉ ô nào là địa chỉ tuyệt đối?", ["$A$1", "A1", "A$", "1A"]),
    ("IU05", "Phím nào bắt đầu trình chiếu từ trang đầu?", ["F5", "F1", "F12", "Esc"]),
    ("IU06", "Địa chỉ nào dùng kết nối được mã hoá?",
     ["https://dichvucong.gov.vn", "http://dichvucong.gov.vn", "ftp://dichvucong.gov.vn", "dichvucong"]),
    ("IU06", "Thư yêu cầu cung cấp mật khẩu qua đường dẫn lạ là gì?",
     ["Thư lừa đảo", "Thư công vụ", "Thư quảng cáo hợp lệ", "Thư hệ thống"]),
)


@dataclass(frozen=True)
class DemoPlacementResult:
    created: bool
    responses: int = 0


def _diagnostic_quiz(owner) -> Quiz:
    category = category_save(actor=owner, name="Khảo sát kỹ năng CNTT – câu hỏi chẩn đoán")
    quiz = Quiz(
        owner=owner, title="Bài kiểm tra chẩn đoán kỹ năng CNTT cơ bản",
        description="Mười câu hỏi ngắn về sáu mô-đun IU01–IU06. Không tính điểm thi: chỉ để gợi ý khoá học.",
        shuffle_questions=True, shuffle_options=True, time_limit_minutes=20,
        review_option=ReviewOption.CORRECT_ANSWERS, competency_codes=[],
    )
    quiz.full_clean()
    quiz.save()
    for position, (code, stem, options) in enumerate(QUESTIONS):
        question = question_save(
            actor=owner, category=category, name=f"{code} – {stem[:60]}", qtype=QuestionType.SINGLE_CHOICE,
            stem=f"<p>{stem}</p>",
            payload={"options": [
                {"text": text, "fraction": 1 if index == 0 else 0} for index, text in enumerate(options)
            ]},
            competency_codes=[code],
        )
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=position)
    return quiz


def _answer_at_random(attempt, rng: random.Random, skill: float) -> None:
    """Answer every question, right with probability `skill`."""
    responses = {}
    for slot in attempt.slots.select_related("version"):
        options = slot.version.payload["options"]
        right = next(option["id"] for option in options if option["fraction"] == 1)
        wrong = [option["id"] for option in options if option["id"] != right]
        responses[slot.number] = {"choice": right if rng.random() < skill else rng.choice(wrong)}
    answers_save(attempt=attempt, responses=responses)


def _respondents() -> list[Person]:
    """Staff spread over the units (one per unit in turn), so unit officers' pages have figures."""
    rows = (
        Person.objects.filter(unit__isnull=False).exclude(audience__in=SELF_REGISTERED_AUDIENCES)
        .exclude(user__username="demo.hocvien").order_by("pk").values_list("pk", "unit_id")
    )
    by_unit: dict[int, list[int]] = {}
    for pk, unit_id in rows:
        by_unit.setdefault(unit_id, []).append(pk)
    # A few more in the demo training officer's unit, so their page shows a distribution.
    officer = Person.objects.filter(user__username="demo.canbodaotao").values_list("unit_id", flat=True).first()
    chosen = by_unit.get(officer, [])[:OFFICER_UNIT_RESPONDENTS]
    by_unit[officer] = by_unit.get(officer, [])[OFFICER_UNIT_RESPONDENTS:]
    while len(chosen) < DEMO_RESPONDENTS + OFFICER_UNIT_RESPONDENTS and any(by_unit.values()):
        for queue in by_unit.values():
            if queue and len(chosen) < DEMO_RESPONDENTS + OFFICER_UNIT_RESPONDENTS:
                chosen.append(queue.pop(0))
    return list(Person.objects.filter(pk__in=chosen).select_related("unit", "commune").order_by("pk"))


@transaction.atomic
def demo_placement_ensure() -> DemoPlacementResult:
    if Survey.objects.filter(title=DEMO_SURVEY).exists():
        return DemoPlacementResult(created=False)
    owner = get_user_model().objects.filter(username="demo.giangvien").first()
    if owner is None:
        return DemoPlacementResult(created=False)  # seed_demo has not run
    survey = Survey(
        title=DEMO_SURVEY, is_active=True, diagnostic_quiz=_diagnostic_quiz(owner),
        introduction="Khảo sát trình độ sử dụng CNTT của cán bộ, công chức, viên chức (Đề án 1.1).",
    )
    survey.full_clean()
    survey.save()
    SurveyItem.objects.bulk_create([
        SurveyItem(survey=survey, module_code=code, text=text, sort_order=position)
        for position, (code, text) in enumerate(STATEMENTS)
    ])
    respondents = _respondents()
    items = list(survey.items.values_list("pk", flat=True))
    for person in respondents:
        rng = random.Random(person.pk)  # the same figures on every fresh database
        skill = rng.uniform(0.2, 0.95)
        ratings = {item: min(3, max(0, round(skill * 3 + rng.uniform(-1, 1)))) for item in items}
        self_assessment_save(person=person, survey=survey, ratings=ratings)
        attempt = diagnostic_start(person=person, survey=survey)
        _answer_at_random(attempt, rng, skill)
        attempt_submit(attempt=attempt)
        response_submit(person=person, survey=survey)
    return DemoPlacementResult(created=True, responses=len(respondents))
