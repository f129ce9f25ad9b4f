"""Forms of the data-request workflow."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.fields import ConsentField
from lms.validators import visible_text_validator

from .models import DataRequestKind, DataRequestStatus


class ConsentForm(forms.Form):
    consent = ConsentField(required_message=_("Tick the box to give your consent."))


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you ask for?"), choices=DataRequestKind.choices,
                             widget=forms.RadioSelect)
    field_names = forms.CharField(
        label=_("Which details are wrong"), max_length=200, required=False,
        help_text=_("For a correction: for example “full name”, “year of birth”, “unit”."),
    )
    details = forms.CharField(
        label=_("What is wrong, or why you ask for deletion"), max_length=2000, validators=[visible_text_validator],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    correct_value = forms.CharField(label=_("The correct value"), max_length=2000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("kind") == DataRequestKind.CORRECTION:
            if not data.get("field_names"):
                self.add_error("field_names", _("Say which details are wrong."))
            if not data.get("correct_value"):
                self.add_error("correct_value", _("Give the correct value."))
        return data


class ResponseForm(forms.Form):
    response = forms.CharField(label=_("Answer to the person"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name, employee code, e-mail or request number"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("open", _("Open or in progress")), ("", _("All")), *DataRequestStatus.choices],
    )
