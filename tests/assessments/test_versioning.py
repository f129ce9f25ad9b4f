"""Editing a question: in place while unused; a new version once an attempt has shown it."""

import pytest
from django.core.exceptions import ValidationError

from assessments.choices import QuestionType
from assessments.models import QuestionVersion
from assessments.services import BankOutOfScope, question_save, question_version_mark_used

from .conftest import SINGLE_PAYLOAD

pytestmark = pytest.mark.django_db


def edit(question, actor, **changes):
    version = question.current_version
    fields = dict(
        category=question.category, name=question.name, qtype=version.qtype, stem=version.stem,
        payload=version.payload, general_feedback=version.general_feedback, default_mark=version.default_mark,
        competency_codes=question.competency_codes,
    )
    fields.update(changes)
    return question_save(actor=actor, question=question, **fields)


def test_a_new_question_has_version_one_owned_by_its_categorys_owner(make_question, trainer):
    question = make_question(competency_codes=["iu14", "IU01"])
    version = question.current_version
    assert version.number == 1 and version.created_by == trainer and not version.is_used
    assert question.owner == trainer
    assert question.competency_codes == ["IU01", "IU14"]
    assert [option["id"] for option in version.payload["options"]] == ["o1", "o2", "o3"]


def test_editing_an_unused_question_changes_it_in_place(make_question, trainer):
    question = make_question()
    edit(question, trainer, stem="<p>Mật khẩu nào an toàn nhất?</p>")
    assert QuestionVersion.objects.filter(question=question).count() == 1
    question.refresh_from_db()
    assert question.current_version.stem == "<p>Mật khẩu nào an toàn nhất?</p>"


def test_editing_a_used_question_writes_a_new_version_and_the_old_keeps_its_text(make_question, trainer):
    question = make_question()
    shown = question.current_version
    question_version_mark_used(version=shown)
    question_version_mark_used(version=shown)  # idempotent

    edit(question, trainer, stem="<p>Mật khẩu nào an toàn nhất?</p>", default_mark=2)

    question.refresh_from_db()
    shown.refresh_from_db()
    assert question.current_version.number == 2 and question.current_version.pk != shown.pk
    assert question.current_version.stem == "<p>Mật khẩu nào an toàn nhất?</p>"
    assert shown.stem == "<p>Mật khẩu nào mạnh nhất?</p>" and shown.default_mark == 1 and shown.is_used
    assert not question.current_version.is_used


def test_an_edit_that_changes_nothing_writes_no_version(make_question, trainer):
    question = make_question()
    question_version_mark_used(version=question.current_version)
    edit(question, trainer, name="Mật khẩu mạnh (đổi tên)", competency_codes=["IU14"])
    question.refresh_from_db()
    assert question.versions.count() == 1
    assert question.name == "Mật khẩu mạnh (đổi tên)" and question.competency_codes == ["IU14"]


@pytest.mark.parametrize(
    "qtype, payload, message",
    [
        (QuestionType.SINGLE_CHOICE, {"options": [{"text": "a", "fraction": 1}, {"text": "b", "fraction": 1}]},
         "exactly one option worth 100%"),
        (QuestionType.SINGLE_CHOICE, {"options": [{"text": "a", "fraction": 1}]}, "at least two options"),
        (QuestionType.MULTIPLE_RESPONSE, {"options": [{"text": "a", "fraction": 0.5}, {"text": "b", "fraction": 0}]},
         "add up to 100%"),
        (QuestionType.SINGLE_CHOICE, {"options": [{"text": "a", "fraction": 2}, {"text": "b"}]}, "between -100%"),
        (QuestionType.MATCHING, {"pairs": [{"prompt": "a", "answer": ""}, {"prompt": "b", "answer": "c"}]},
         "give both the item and its match"),
        (QuestionType.NUMERIC, {"answers": [{"value": 3, "tolerance": -1}]}, "tolerance must be a number, zero or"),
        (QuestionType.NUMERIC, {"answers": [{"value": "ba"}]}, "value must be a number"),
        (QuestionType.SHORT_ANSWER, {"answers": [{"text": "x", "fraction": 0.5}]}, "at least one answer worth 100%"),
        (QuestionType.ORDERING, {"items": [{"text": "x"}]}, "at least two items"),
        (QuestionType.TRUE_FALSE, {"correct": "yes"}, "true or false"),
        (QuestionType.ESSAY, {"secret": 1}, "Unexpected fields"),
    ],
)
def test_content_is_validated_per_type_with_clear_errors(make_question, qtype, payload, message):
    with pytest.raises(ValidationError) as error:
        make_question(qtype=qtype, payload=payload)
    assert any(message in text for text in error.value.messages)


def test_competency_codes_are_validated(make_question):
    with pytest.raises(ValidationError) as error:
        make_question(competency_codes=["IU01", "bảo mật"])
    assert "is not a competency code" in error.value.messages[0]


def test_another_trainer_cannot_save_into_or_over_a_bank_that_is_not_theirs(make_question, other_trainer, category):
    with pytest.raises(BankOutOfScope):
        make_question(actor=other_trainer)
    question = make_question()
    with pytest.raises(BankOutOfScope):
        edit(question, other_trainer, stem="<p>Đã bị sửa</p>")
    question.refresh_from_db()
    assert question.current_version.stem == "<p>Mật khẩu nào mạnh nhất?</p>"


def test_a_curriculum_manager_edits_any_question_and_it_stays_in_the_trainers_bank(
    make_question, curriculum_manager, trainer
):
    question = make_question()
    edit(question, curriculum_manager, payload={**SINGLE_PAYLOAD, "shuffle": False})
    question.refresh_from_db()
    assert question.owner == trainer and question.current_version.payload["shuffle"] is False
