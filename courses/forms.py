"""Officers' forms: assigning a course, opening a class, scheduling its sessions, adding members."""

import datetime
import re

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from organisations.models import Audience, Person
from organisations.selectors import people_managed_by, units_managed_by

from .models import Cohort
from .selectors import live_courses


class PeopleChoiceForm(forms.Form):
    """Who: everyone of an audience in one of the user's units, or people listed by employee code."""

    audience = forms.ChoiceField(
        label=_("Audience"), choices=[("", "---------")] + Audience.choices, required=False,
        help_text=_("Everyone of this audience in the unit below and its sub-units."),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    employee_codes = forms.CharField(
        label=_("Or these people"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Employee codes, separated by commas, spaces or new lines."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = units_managed_by(user).order_by("path")

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
        """The people chosen, within the user's scope."""
        people = people_managed_by(self.user)
        if self.uses_audience:
            unit = self.cleaned_data["unit"]
            return people.filter(unit__path__startswith=unit.path, audience=self.cleaned_data["audience"])
        return people.filter(employee_code__in=self.cleaned_data["employee_codes"])


class AssignmentForm(PeopleChoiceForm):
    course = forms.ModelChoiceField(label=_("Course"), queryset=live_courses())
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    field_order = ["course", "audience", "unit", "employee_codes", "due_date"]

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_date


# How far from today a class's dates (and so its sessions) may lie: back, for a class recorded after it began;
# ahead, for one planned early. Beyond that a date is a typing slip (0001-01-01, 9999-12-31).
CLASS_DATES_REACH_YEARS = 5


def _years_from(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


def _class_dates_window() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return _years_from(today, -CLASS_DATES_REACH_YEARS), _years_from(today, CLASS_DATES_REACH_YEARS)


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["course", "unit", "name", "starts_on", "ends_on", "min_attendance_percent"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = live_courses()
        self.fields["unit"].queryset = units_managed_by(user).order_by("path")

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        if ends_on and ends_on < timezone.localdate():
            self.add_error("ends_on", _("The last day cannot be in the past."))
        earliest, latest = _class_dates_window()
        if starts_on and starts_on < earliest:
            self.add_error("starts_on", _("The first day cannot be more than %(years)d years ago.")
                           % {"years": CLASS_DATES_REACH_YEARS})
        if ends_on and ends_on > latest:
            self.add_error("ends_on", _("The last day cannot be more than %(years)d years ahead.")
                           % {"years": CLASS_DATES_REACH_YEARS})
        return cleaned


def _trainer_label(user) -> str:
    person = getattr(user, "person", None)
    return f"{person.full_name} ({user.username})" if person is not None else user.username


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=255, help_text=_("Room and address."))
    topic = forms.CharField(label=_("Topic"), max_length=255, required=False)
    trainer = forms.ModelChoiceField(label=_("Trainer"), queryset=None, required=False)

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["trainer"].queryset = (
            get_user_model()
            .objects.filter(groups__name=Role.TRAINER.value, is_active=True)
            .select_related("person")
            .order_by("username")
        )
        self.fields["trainer"].label_from_instance = _trainer_label

    def clean(self):
        cleaned = super().clean()
        day, starts, ends = cleaned.get("day"), cleaned.get("starts"), cleaned.get("ends")
        earliest, latest = _class_dates_window()
        if day and not self.cohort.starts_on <= day <= self.cohort.ends_on:
            self.add_error("day", _("A session must take place between the class's first and last day."))
        elif day and not earliest <= day <= latest:  # a class opened before its dates were bounded
            self.add_error("day", _("A session must take place within %(years)d years of today.")
                           % {"years": CLASS_DATES_REACH_YEARS})
        if starts and ends and ends <= starts:
            self.add_error("ends", _("The session must end after it starts."))
        return cleaned

    def times(self) -> tuple[datetime.datetime, datetime.datetime]:
        day = self.cleaned_data["day"]
        return (
            timezone.make_aware(datetime.datetime.combine(day, self.cleaned_data["starts"])),
            timezone.make_aware(datetime.datetime.combine(day, self.cleaned_data["ends"])),
        )
