"""Moodle XML import: every supported type, categories, tags, and the safety of the XML parser."""

import pytest

from assessments.choices import QuestionType as T
from assessments.grading import grade
from assessments.importers import ImportRejected
from assessments.models import Question

from .importing import FIXTURES, import_file

pytestmark = pytest.mark.django_db


def test_a_moodle_bank_with_every_supported_type_is_imported(trainer, category):
    report = import_file(
        actor=trainer, category=category, data=(FIXTURES / "moodle_bank.xml").read_bytes(), file_format="moodle_xml"
    )

    assert len(report.imported) == 8 and report.skipped == []
    questions = {q.name: q for q in Question.objects.select_related("current_version", "category")}
    types = {name: q.current_version.qtype for name, q in questions.items()}
    assert types == {
        "Mật khẩu mạnh": T.SINGLE_CHOICE, "Bảo vệ dữ liệu": T.MULTIPLE_RESPONSE, "Thư lừa đảo": T.TRUE_FALSE,
        "Thuật ngữ bảo mật": T.SHORT_ANSWER, "Hàm SUM": T.NUMERIC, "Phím tắt": T.MATCHING,
        "Gửi văn bản điện tử": T.ORDERING, "Xử lý mã độc": T.ESSAY,
    }
    strong = questions["Mật khẩu mạnh"]
    assert strong.category.path_names() == ["An toàn thông tin", "An toàn thông tin", "Mật khẩu"]
    assert strong.owner == trainer and strong.competency_codes == ["IU14"]
    # The script is gone, the emphasis stays; option HTML became plain text.
    assert "<script" not in strong.current_version.stem and "<b>an toàn nhất</b>" in strong.current_version.stem
    assert [o["text"] for o in strong.current_version.payload["options"]][2] == "Ngày sinh & tên"
    assert grade(T.SINGLE_CHOICE, strong.current_version.payload, {"choice": "o2"}).fraction == 1

    multi = questions["Bảo vệ dữ liệu"].current_version
    assert multi.default_mark == 2 and multi.payload["shuffle"] is False
    assert [o["fraction"] for o in multi.payload["options"]] == [0.5, 0.5, -1]
    assert questions["Thư lừa đảo"].current_version.payload["correct"] is False
    short = questions["Thuật ngữ bảo mật"].current_version.payload
    assert short["ignore_case"] is True and grade(T.SHORT_ANSWER, short, {"text": "điều bí mật"}).fraction == 0.5
    numeric = questions["Hàm SUM"].current_version.payload
    assert grade(T.NUMERIC, numeric, {"value": "5,5"}).fraction == 1
    assert grade(T.NUMERIC, numeric, {"value": "4.6"}).fraction == 0.5
    matching = questions["Phím tắt"].current_version.payload
    assert len(matching["pairs"]) == 3 and matching["extra_answers"] == ["In tài liệu"]
    ordering = questions["Gửi văn bản điện tử"].current_version.payload
    assert [item["text"] for item in ordering["items"]][0] == "Soạn thảo văn bản"
    essay = questions["Xử lý mã độc"].current_version
    assert essay.default_mark == 5 and essay.payload["grader_info"] == "Ngắt mạng, báo cán bộ chuyên trách."


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<quiz><question type="essay"><name><text>&lol3;</text></name></question></quiz>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><name><text>&secret;</text></name>
<questiontext format="html"><text>&secret;</text></questiontext></question></quiz>"""


@pytest.mark.parametrize("attack", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entity_attacks_are_refused_and_nothing_is_written(trainer, category, attack):
    with pytest.raises(ImportRejected) as error:
        import_file(actor=trainer, category=category, data=attack, file_format="moodle_xml")
    assert "entities" in error.value.message
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"PK\x03\x04 not xml", "not an XML file"),
        (b"<quiz><question type='essay'>", "not well-formed XML"),
        (b"<html><body>hi</body></html>", "root element is not <quiz>"),
        (b"<quiz></quiz>", "holds no questions"),
    ],
)
def test_files_that_are_not_moodle_xml_are_refused_with_a_reason(trainer, category, data, message):
    with pytest.raises(ImportRejected) as error:
        import_file(actor=trainer, category=category, data=data, file_format="moodle_xml")
    assert message in error.value.message
