"""The self-assessment form (one radio scale per statement, all modules on one page) and the results filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.dates import period_dates_check

from .models import Survey
from .modules import MODULE_NAMES, SelfRating


class SelfAssessmentForm(forms.Form):
    """A required 0–3 choice per statement of the survey, named `item_<id>`; a bad submit keeps every answer."""

    def __init__(self, *args, survey: Survey, initial_ratings: dict[int, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(survey.items.order_by("sort_order", "pk"))
        initial_ratings = initial_ratings or {}
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=item.text,
                choices=SelfRating.choices,
                coerce=int,
                widget=forms.RadioSelect,
                initial=initial_ratings.get(item.pk),
                error_messages={
                    "required": _("Choose how well you can do this."),
                    "invalid_choice": _("Choose one of the four answers on the scale."),
                },
            )

    def ratings(self) -> dict[int, int]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}

    def modules(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """(code, name, bound fields) per module, in the order of the statements."""
        grouped: dict[str, list] = {}
        for item in self.items:
            grouped.setdefault(item.module_code, []).append(self[f"item_{item.pk}"])
        return [(code, MODULE_NAMES.get(code, code), fields) for code, fields in grouped.items()]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        period_dates_check(start, end)  # the reporting years: 9999-12-31 overflowed the day after it
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the period must not be before its start."))
        return cleaned

    def period(self):
        if not self.is_bound or not self.is_valid():
            return None, None
        return self.cleaned_data.get("start"), self.cleaned_data.get("end")
