"""The demo quiz for `make run`: a short IU01 end-of-course test owned by the demo trainer.

`demo_quiz_ensure()` builds it through the question bank's services (a category, versioned questions)
and places the questions in a quiz; seed_demo_courses puts the quiz in the last lesson of the IU01
demo course, so completing that course takes a pass. Idempotent: running it again finds the same
category, questions and quiz (a question gets a new version only if its content here changed).

`QUESTIONS` is plain data, importable without Django set up: the production stack smoke test
(deploy/stack_smoke.py) answers the quiz from it as a learner who studied the course would, by the
texts on the page (the page never carries the answers).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

DEMO_TRAINER = "demo.giangvien"
CATEGORY_NAME = "Khoá học mẫu – IU01"
QUIZ_TITLE = "Bài kiểm tra cuối khoá IU01"
QUIZ_DESCRIPTION = (
    "Năm câu hỏi về những điều đã học trong khoá IU01. Cần đạt 60% số điểm; được làm tối đa 3 lần, "
    "tính lần có điểm cao nhất. Sau khi nộp bài, bạn xem được đáp án đúng của từng câu."
)
PASS_MARK = Decimal("60")
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class DemoQuestion:
    name: str
    qtype: str
    stem: str
    payload: dict
    # What a learner who knows the answer does on the page: the option texts to tick, True/False, or
    # the words to type.
    answer: tuple[str, ...] | bool | str
    general_feedback: str = ""


QUESTIONS: tuple[DemoQuestion, ...] = (
    DemoQuestion(
        name="IU01 – Ý nghĩa của https",
        qtype="single_choice",
        stem="<p>Địa chỉ trang web bắt đầu bằng <code>https://</code> cho biết điều gì?</p>",
        payload={
            "options": [
                {"id": "ma-hoa", "text": "Kết nối giữa trình duyệt và máy chủ được mã hoá", "fraction": 1,
                 "feedback": "Đúng: https bảo vệ dữ liệu trên đường truyền."},
                {"id": "co-quan", "text": "Trang web chắc chắn là của một cơ quan nhà nước", "fraction": 0,
                 "feedback": "Trang giả mạo cũng có thể dùng https."},
                {"id": "ma-doc", "text": "Trang web không thể chứa mã độc", "fraction": 0,
                 "feedback": "https không kiểm tra nội dung trang."},
                {"id": "nhanh", "text": "Trang web tải nhanh hơn", "fraction": 0, "feedback": ""},
            ],
            "shuffle": True,
        },
        answer=("Kết nối giữa trình duyệt và máy chủ được mã hoá",),
        general_feedback="<p>Hãy xem lại bài “Mạng máy tính và Internet”.</p>",
    ),
    DemoQuestion(
        name="IU01 – Dùng chung mật khẩu",
        qtype="true_false",
        stem=(
            "<p>Được phép dùng chung một mật khẩu cho hộp thư công vụ và tài khoản mạng xã hội, "
            "miễn là mật khẩu đó đủ dài.</p>"
        ),
        payload={
            "correct": False,
            "feedback_true": "Chưa đúng: lộ một tài khoản sẽ lộ luôn tài khoản kia.",
            "feedback_false": "Đúng: mỗi tài khoản cần một mật khẩu riêng.",
        },
        answer=False,
        general_feedback="<p>Hãy xem lại bài “An toàn khi dùng máy tính”.</p>",
    ),
    DemoQuestion(
        name="IU01 – Dấu hiệu thư giả mạo",
        qtype="multiple_response",
        stem="<p>Những dấu hiệu nào thường gặp ở thư điện tử giả mạo? Chọn tất cả các đáp án đúng.</p>",
        payload={
            "options": [
                {"id": "nguoi-gui", "text": "Địa chỉ người gửi gần giống địa chỉ của một cơ quan quen thuộc",
                 "fraction": 0.3333333, "feedback": ""},
                {"id": "thuc-giuc", "text": "Thúc giục làm ngay, ví dụ “tài khoản sẽ bị khoá trong 24 giờ”",
                 "fraction": 0.3333333, "feedback": ""},
                {"id": "lien-ket", "text": "Yêu cầu bấm vào liên kết để nhập mật khẩu", "fraction": 0.3333334,
                 "feedback": ""},
                {"id": "chu-ky", "text": "Thư có chữ ký số hợp lệ của cơ quan gửi", "fraction": -1,
                 "feedback": "Chữ ký số hợp lệ là dấu hiệu của thư thật."},
            ],
            "shuffle": True,
        },
        answer=(
            "Địa chỉ người gửi gần giống địa chỉ của một cơ quan quen thuộc",
            "Thúc giục làm ngay, ví dụ “tài khoản sẽ bị khoá trong 24 giờ”",
            "Yêu cầu bấm vào liên kết để nhập mật khẩu",
        ),
        general_feedback="<p>Hãy xem lại bài “An toàn khi dùng máy tính”.</p>",
    ),
    DemoQuestion(
        name="IU01 – Bộ nhớ tạm thời",
        qtype="short_answer",
        stem=(
            "<p>Bộ nhớ nào của máy tính giữ dữ liệu đang làm việc và bị xoá khi tắt máy? "
            "Viết tên viết tắt tiếng Anh (3 chữ cái).</p>"
        ),
        payload={
            "answers": [{"id": "ram", "text": "RAM", "fraction": 1, "feedback": "Đúng: bộ nhớ trong (RAM)."}],
            "ignore_case": True,
            "ignore_diacritics": False,
        },
        answer="RAM",
        general_feedback="<p>Hãy xem lại bài “Máy tính và thiết bị”.</p>",
    ),
    DemoQuestion(
        name="IU01 – Luật Bảo vệ dữ liệu cá nhân",
        qtype="single_choice",
        stem="<p>Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 có hiệu lực từ ngày nào?</p>",
        payload={
            "options": [
                {"id": "2026-01", "text": "1/1/2026", "fraction": 1, "feedback": ""},
                {"id": "2025-07", "text": "1/7/2025", "fraction": 0, "feedback": ""},
                {"id": "2025-01", "text": "1/1/2025", "fraction": 0, "feedback": ""},
                {"id": "2026-07", "text": "1/7/2026", "fraction": 0, "feedback": ""},
            ],
            "shuffle": True,
        },
        answer=("1/1/2026",),
        general_feedback="<p>Hãy xem lại bài “Bản quyền và dữ liệu cá nhân”.</p>",
    ),
)


def demo_quiz_ensure():
    """The demo quiz (created the first time), or None when the demo trainer does not exist yet
    (seed_demo has not run): the demo course is then published without it."""
    # Imported here so QUESTIONS stays importable without Django set up (the stack smoke test).
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from assessments.models import QuestionCategory, Quiz, QuizQuestion
    from assessments.quizzes.choices import GradingMethod, ReviewOption
    from assessments.services import category_save, question_save

    trainer = get_user_model().objects.filter(username=DEMO_TRAINER, is_active=True).first()
    if trainer is None:
        return None
    with transaction.atomic():
        category = QuestionCategory.objects.filter(owner=trainer, parent=None, name=CATEGORY_NAME).first()
        if category is None:
            category = category_save(
                actor=trainer, name=CATEGORY_NAME, description="Câu hỏi của bài kiểm tra cuối khoá IU01 (dữ liệu mẫu)."
            )
        questions = []
        for item in QUESTIONS:
            existing = category.questions.filter(name=item.name).first()
            questions.append(
                question_save(
                    actor=trainer, category=category, name=item.name, qtype=item.qtype, stem=item.stem,
                    payload=item.payload, general_feedback=item.general_feedback, competency_codes=["IU01"],
                    question=existing,
                )
            )
        quiz = Quiz.objects.filter(owner=trainer, title=QUIZ_TITLE).first()
        if quiz is None:
            quiz = Quiz(
                owner=trainer, title=QUIZ_TITLE, description=QUIZ_DESCRIPTION, pass_mark=PASS_MARK,
                max_attempts=MAX_ATTEMPTS, grading_method=GradingMethod.HIGHEST,
                review_option=ReviewOption.CORRECT_ANSWERS, shuffle_questions=True, shuffle_options=True,
            )
            quiz.full_clean()
            quiz.save()
        for position, question in enumerate(questions):
            QuizQuestion.objects.get_or_create(quiz=quiz, question=question, defaults={"sort_order": position})
    return quiz
