"""The officer's assignment form: a live course, who (an audience of a unit, or employee codes), a due date."""

import re

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Audience, Person
from organisations.selectors import people_managed_by, units_managed_by

from .selectors import live_courses


class AssignmentForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=live_courses())
    audience = forms.ChoiceField(
        label=_("Audience"), choices=[("", "---------")] + Audience.choices, required=False,
        help_text=_("Assign everyone of this audience in the unit below and its sub-units."),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    employee_codes = forms.CharField(
        label=_("Or these people"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Employee codes, separated by commas, spaces or new lines."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = units_managed_by(user).order_by("path")

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_date

    def clean_employee_codes(self) -> list[str]:
        return [code for code in re.split(r"[\s,;]+", self.cleaned_data["employee_codes"]) if code]

    def clean(self):
        cleaned = super().clean()
        codes, audience, unit = cleaned.get("employee_codes"), cleaned.get("audience"), cleaned.get("unit")
        if codes and (audience or unit):
            raise forms.ValidationError(_("Either choose an audience and a unit, or list employee codes, not both."))
        if not codes and not (audience and unit):
            raise forms.ValidationError(_("Choose an audience and a unit, or list employee codes."))
        if codes:
            found = set(
                people_managed_by(self.user).filter(employee_code__in=codes).values_list("employee_code", flat=True)
            )
            unknown = [code for code in codes if code not in found]
            if unknown:
                self.add_error(
                    "employee_codes",
                    _("These employee codes are not among the people of your units: %(codes)s")
                    % {"codes": ", ".join(unknown)},
                )
        return cleaned

    @property
    def uses_audience(self) -> bool:
        return not self.cleaned_data["employee_codes"]

    def people(self) -> QuerySet[Person]:
        """The people this assignment covers, within the user's scope."""
        people = people_managed_by(self.user)
        if self.uses_audience:
            unit = self.cleaned_data["unit"]
            return people.filter(unit__path__startswith=unit.path, audience=self.cleaned_data["audience"])
        return people.filter(employee_code__in=self.cleaned_data["employee_codes"])
