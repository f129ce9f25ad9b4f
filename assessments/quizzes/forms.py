"""Reading answers from a submitted page (the form that works without JavaScript) and the quiz admin form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from assessments.choices import QuestionType
from assessments.errors import MalformedResponse
from assessments.models import AttemptSlot, QuestionCategory
from assessments.selectors import categories_visible_to, questions_visible_to

from .choices import QuestionSelection


def response_from_post(slot: AttemptSlot, data) -> Any:
    """The response shape grading expects, read from the fields named `q<number>…` of the page."""
    name, qtype = f"q{slot.number}", slot.version.qtype
    if qtype == QuestionType.SINGLE_CHOICE:
        return {"choice": data.get(name) or None}
    if qtype == QuestionType.MULTIPLE_RESPONSE:
        return {"choices": data.getlist(name)}
    if qtype == QuestionType.TRUE_FALSE:
        value = data.get(name)
        if value not in (None, "", "true", "false"):
            raise MalformedResponse()
        return {"value": None if not value else value == "true"}
    if qtype in (QuestionType.SHORT_ANSWER, QuestionType.ESSAY):
        return {"text": data.get(name, "")}
    if qtype == QuestionType.NUMERIC:
        return {"value": data.get(name, "")}
    if qtype == QuestionType.MATCHING:
        pairs = [pair["id"] for pair in slot.version.payload["pairs"]]
        return {"matches": {pair: data.get(f"{name}-{pair}") or None for pair in pairs}}
    if qtype == QuestionType.ORDERING:
        items = [item["id"] for item in slot.version.payload["items"]]
        positions = {item: data.get(f"{name}-{item}", "") for item in items}
        if not all(value.isdecimal() for value in positions.values()):
            raise MalformedResponse()
        if len(set(positions.values())) != len(items):
            raise MalformedResponse(_("Give each item a different position."))
        return {"order": sorted(items, key=lambda item: int(positions[item]))}
    raise MalformedResponse()


def _codes(value: str) -> list[str]:
    return sorted({code.strip().upper() for code in value.replace(";", ",").split(",") if code.strip()})


class CompetencyCodesField(forms.CharField):
    """Codes typed as "IU01, IU02"; the model validates each one."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        return _codes(super().to_python(value) or "")


class QuizForm(WagtailAdminModelForm):
    draw_competency_codes = CompetencyCodesField(label=_("Draw questions tagged"), required=False)
    competency_codes = CompetencyCodesField(label=_("Competencies a pass gives evidence of"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if "draw_categories" in self.fields:
            self.fields["draw_categories"].queryset = (
                categories_visible_to(user) if user is not None else QuestionCategory.objects.none()
            )
        formset = self.formsets.get("fixed_questions")
        if formset is not None and user is not None:
            for form in [*formset.forms, formset.empty_form]:
                form.fields["question"].queryset = questions_visible_to(user)

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("fixed_questions")
        live = [form for form in (formset.forms if formset else []) if form.is_valid() and form.cleaned_data
                and not form.cleaned_data.get("DELETE")]
        if cleaned.get("selection") == QuestionSelection.FIXED and formset is not None and not live:
            self.add_error(None, _("Add at least one question, or choose a random draw."))
        if cleaned.get("selection") == QuestionSelection.RANDOM and not (
            cleaned.get("draw_categories") or cleaned.get("draw_competency_codes")
        ):
            self.add_error("draw_categories", _("Choose categories or competency tags to draw from."))
        questions = [form.cleaned_data["question"].pk for form in live if form.cleaned_data.get("question")]
        if self.for_user is not None and questions and (
            questions_visible_to(self.for_user).filter(pk__in=questions).count() != len(set(questions))
        ):
            self.add_error(None, _("A chosen question is not in your bank."))
        return cleaned


# Results (trainer admin): a hand mark, a regrade --------------------------------------------------------


class ManualGradeForm(forms.Form):
    """A mark between 0 and the slot's mark (a comma or a point as the decimal separator) and a comment."""

    mark = forms.CharField(label=_("Mark"), max_length=20)
    comment = forms.CharField(
        label=_("Comment for the learner"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, max_mark, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_mark = max_mark
        self.fields["mark"].help_text = _("From 0 to %(max)s.") % {"max": formats.localize(max_mark)}

    def clean_mark(self):
        raw = (self.cleaned_data.get("mark") or "").strip().replace(",", ".")
        try:
            value = Decimal(raw)
        except ArithmeticError:
            raise forms.ValidationError(_("The mark must be a number, e.g. 7.5."), code="invalid") from None
        if not value.is_finite():
            raise forms.ValidationError(_("The mark must be a number, e.g. 7.5."), code="invalid")
        if value < 0 or value > self.max_mark:
            raise forms.ValidationError(
                _("Give a mark between 0 and %(max)s.") % {"max": formats.localize(self.max_mark)}, code="range"
            )
        if value != value.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Give the mark with at most two decimals."), code="decimals")
        return value


class RegradeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in each attempt's history, e.g. “Question 3: the answer key was wrong”."),
    )
    question = forms.TypedChoiceField(label=_("Questions to regrade"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [("", _("Every question"))] + [(q.pk, q.name) for q in questions]
