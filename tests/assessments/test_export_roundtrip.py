"""Export to Moodle XML, then import: the questions come back equal."""

import pytest

from assessments.exporters.moodle_xml import export_moodle_xml
from assessments.models import Question
from assessments.selectors import questions_for_export
from assessments.services import category_save

from .importing import FIXTURES, described, import_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fixture, file_format", [("gift_bank.txt", "gift"), ("moodle_bank.xml", "moodle_xml")])
def test_export_then_import_gives_equal_questions(trainer, category, fixture, file_format):
    import_file(actor=trainer, category=category, data=(FIXTURES / fixture).read_bytes(), file_format=file_format)
    originals = list(questions_for_export(category=category))
    Question.objects.filter(pk=originals[0].pk).update(name="Mật khẩu & <ký tự> đặc biệt")
    originals = list(questions_for_export(category=category))

    exported = export_moodle_xml(originals, root=category)
    target = category_save(actor=trainer, name="Bản nhập lại")
    report = import_file(actor=trainer, category=target, data=exported, file_format="moodle_xml")

    copies = list(questions_for_export(category=target))
    assert len(report.imported) == len(originals) == len(copies)

    def comparable(question, depth):
        description = described(question)
        # The exported category comes back as a sub-category of the import target.
        return description | {"category": description["category"][depth:]}

    before = sorted((comparable(q, 0) for q in originals), key=lambda d: (d["name"], d["qtype"]))
    after = sorted((comparable(q, 1) for q in copies), key=lambda d: (d["name"], d["qtype"]))
    assert after == before
    assert b"<script" not in exported and "Mật khẩu &amp; &lt;ký tự&gt;".encode() in exported


def test_a_selection_exports_only_the_chosen_questions(trainer, category, make_question):
    chosen = make_question(name="Được chọn")
    make_question(name="Không chọn")
    exported = export_moodle_xml(questions_for_export(question_ids=[chosen.pk])).decode()
    assert "Được chọn" in exported and "Không chọn" not in exported
