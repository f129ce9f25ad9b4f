"""Text that shows nothing (zero-width spaces, joiners, marks) is refused where a person reads it later; and
model forms state the model's own bounds (lms/formfields.py)."""

import pytest
from django.core.exceptions import ValidationError

from lms.validators import has_visible_text, visible_text_validator
from privacy.forms import DataRequestForm
from reports.views_plans import PlanLineForm
from reports.views_tokens import ApiTokenForm

INVISIBLE = ["\u200b", "\u200b\u200c\u200d", "\ufeff\u2060", "\u200b \u00ad"]


@pytest.mark.parametrize("value", INVISIBLE)
def test_invisible_text_is_refused(value):
    assert not has_visible_text(value)
    with pytest.raises(ValidationError):
        visible_text_validator(value)


@pytest.mark.parametrize("value", ["Lê Văn Nông", "Đ", "7", "ا", "Nguyễn\u200bAn"])
def test_visible_text_passes(value):
    visible_text_validator(value)


def test_the_forms_people_type_into_use_it():
    assert "name" in ApiTokenForm({"name": "\u200b\u200b"}).errors
    assert "details" in DataRequestForm({"kind": "deletion", "details": "\u200b"}).errors
    assert DataRequestForm({"kind": "deletion", "details": "Xin xóa dữ liệu."}).is_valid()


def test_model_bounds_reach_the_form_field():
    people = PlanLineForm().fields["people"]
    assert (people.min_value, people.max_value) == (1, 1_000_000)
