"""Question-bank fixtures: trainers, a curriculum manager, and a helper that files a question."""

import pytest
from django.utils import translation

from accounts.roles import Role
from assessments.choices import QuestionType
from assessments.services import category_save, question_save


@pytest.fixture(autouse=True)
def english(client):
    """Messages are asserted in English (the msgids), whatever the Vietnamese catalogue holds."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def trainer(make_person, unit_a):
    return make_person(unit=unit_a, roles=[Role.TRAINER], full_name="Lê Văn Giảng").user


@pytest.fixture
def other_trainer(make_person, unit_b):
    return make_person(unit=unit_b, roles=[Role.TRAINER], full_name="Phạm Thị Dạy").user


@pytest.fixture
def curriculum_manager(make_person, province):
    return make_person(unit=province, roles=[Role.CURRICULUM_MANAGER], full_name="Hoàng Văn Duyệt").user


@pytest.fixture
def category(trainer):
    return category_save(actor=trainer, name="An toàn thông tin")


SINGLE_PAYLOAD = {
    "options": [
        {"text": "Mật khẩu dài, có chữ hoa, chữ thường, số và ký tự đặc biệt", "fraction": 1, "feedback": "Đúng."},
        {"text": "Ngày sinh của mình", "fraction": 0, "feedback": "Dễ đoán."},
        {"text": "123456", "fraction": 0},
    ]
}


@pytest.fixture
def make_question(trainer, category):
    def _make(*, actor=None, category=category, name="Mật khẩu mạnh", qtype=QuestionType.SINGLE_CHOICE,
              stem="<p>Mật khẩu nào mạnh nhất?</p>", payload=None, **fields):
        return question_save(
            actor=actor or trainer,
            category=category,
            name=name,
            qtype=qtype,
            stem=stem,
            payload=payload if payload is not None else SINGLE_PAYLOAD,
            **fields,
        )

    return _make
