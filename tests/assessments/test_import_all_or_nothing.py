"""A partly bad file imports nothing, and says where and why; "skip the bad items" imports the rest."""

import pytest

from assessments.importers import ImportRejected
from assessments.models import Question, QuestionCategory

from .importing import import_file

pytestmark = pytest.mark.django_db

PARTLY_BAD_GIFT = """// Tệp có hai câu hỏi lỗi
$CATEGORY: Tin học văn phòng

::Phím tắt sao chép::Phím tắt để sao chép là?{=Ctrl+C ~Ctrl+V}

::Hai đáp án đúng::Câu này có hai đáp án đúng?{=Có =%100%Vâng ~Không}

::Thiếu ngoặc::Câu này thiếu ngoặc đóng {=a ~b

::Đúng sai::Excel là phần mềm bảng tính.{T}
"""


def test_a_partly_bad_file_imports_nothing_and_lists_each_problem_with_its_line(trainer, category):
    with pytest.raises(ImportRejected) as error:
        import_file(actor=trainer, category=category, data=PARTLY_BAD_GIFT.encode(), file_format="gift")

    problems = [str(problem) for problem in error.value.problems]
    assert problems == [
        "Line 8: The answer block is not closed with }.",
        "Line 6: A single-choice question needs exactly one option worth 100%.",
    ]
    assert "2 problem(s)" in error.value.message
    assert not Question.objects.exists()
    assert list(QuestionCategory.objects.all()) == [category]


def test_skipping_the_bad_items_imports_the_good_ones_and_lists_the_bad(trainer, category):
    report = import_file(
        actor=trainer, category=category, data=PARTLY_BAD_GIFT.encode(), file_format="gift", skip_bad=True
    )

    assert sorted(question.name for question in report.imported) == ["Phím tắt sao chép", "Đúng sai"]
    assert {problem.where for problem in report.skipped} == {"Line 6", "Line 8"}
    assert Question.objects.count() == 2
    assert Question.objects.get(name="Đúng sai").category.path_names() == ["An toàn thông tin", "Tin học văn phòng"]


def test_a_moodle_file_names_the_bad_question_by_index_and_name(trainer, category):
    data = """<?xml version="1.0" encoding="UTF-8"?><quiz>
      <question type="essay"><name><text>Tự luận</text></name>
        <questiontext format="html"><text>&lt;p&gt;Viết đoạn văn.&lt;/p&gt;</text></questiontext></question>
      <question type="calculated"><name><text>Công thức</text></name>
        <questiontext format="html"><text>x</text></questiontext></question>
      <question type="numerical"><name><text>Dung sai âm</text></name>
        <questiontext format="html"><text>Số?</text></questiontext>
        <answer fraction="100"><text>2</text><tolerance>-1</tolerance></answer></question>
    </quiz>""".encode()
    with pytest.raises(ImportRejected) as error:
        import_file(actor=trainer, category=category, data=data, file_format="moodle_xml")
    assert [str(problem) for problem in error.value.problems] == [
        "Question 2 “Công thức”: The question type “calculated” is not supported.",
        "Question 3 “Dung sai âm”: Answer 1: the tolerance must be a number, zero or more.",
    ]
    assert not Question.objects.exists()


def test_nothing_good_in_skip_mode_is_still_a_refusal(trainer, category):
    with pytest.raises(ImportRejected):
        import_file(actor=trainer, category=category, data=b"Sai {=a", file_format="gift", skip_bad=True)


def test_too_big_files_and_too_many_items_are_refused(trainer, category, settings):
    settings.QUESTION_IMPORT_MAX_BYTES = 100
    with pytest.raises(ImportRejected) as error:
        import_file(actor=trainer, category=category, data=b"x" * 101, file_format="gift")
    assert "the limit is 100" in error.value.message
    settings.QUESTION_IMPORT_MAX_BYTES = 10_000
    settings.QUESTION_IMPORT_MAX_ITEMS = 2
    with pytest.raises(ImportRejected) as error:
        import_file(actor=trainer, category=category, data=b"a{T}\n\nb{T}\n\nc{T}\n", file_format="gift")
    assert "more than 2 questions" in error.value.message


def test_a_trainer_cannot_import_into_another_trainers_category(other_trainer, category):
    from assessments.services import BankOutOfScope

    with pytest.raises(BankOutOfScope):
        import_file(actor=other_trainer, category=category, data=b"a{T}", file_format="gift")
