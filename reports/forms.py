"""The statistics filter form: a period and the breakdowns of the issue, read from the query string."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Course, course_label
from courses.tracks import Track
from lms.widgets import LongSelect
from organisations.models import Audience, Gender, StaffCategory

from .choices import AgeBand, PeriodKind, TrainingForm
from .periods import Period, current_period, custom_period, period_of
from .selectors import StatisticsFilter

ANY = [("", _("All"))]


class _CourseChoices(ModelChoiceIterator):
    """The courses as (id, label) rows of one query, without building a `Course` for each: the filter lists every
    course (5,000 at national scale), and building them was half of its cost (issue 8, S2)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, code, title in self.queryset.values_list("pk", "code", "title"):
            yield (pk, course_label(code, title))


class CourseChoiceField(forms.ModelChoiceField):
    """A course, chosen from a long list: validated as Django's ModelChoiceField does, listed by `_CourseChoices`."""

    iterator = _CourseChoices


class StatisticsForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, initial=PeriodKind.QUARTER)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    number = forms.IntegerField(
        label=_("Quarter or half"), min_value=1, max_value=4, required=False,
        help_text=_("1–4 for a quarter, 1–2 for a half-year."),
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    audience = forms.ChoiceField(label=_("Audience"), choices=ANY + Audience.choices, required=False)
    staff_category = forms.ChoiceField(label=_("Staff category"), choices=ANY + StaffCategory.choices, required=False)
    leader = forms.ChoiceField(
        label=_("Leaders"), required=False, choices=ANY + [("yes", _("Leaders only")), ("no", _("Not leaders"))]
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=ANY + Gender.choices, required=False)
    age_band = forms.ChoiceField(label=_("Age"), choices=ANY + AgeBand.choices, required=False)
    track = forms.ChoiceField(label=_("Track"), choices=ANY + Track.choices, required=False)
    course = CourseChoiceField(label=_("Course"), queryset=Course.objects.none(), required=False, empty_label=_("All"),
                               widget=LongSelect)
    form = forms.ChoiceField(label=_("Form of training"), choices=ANY + TrainingForm.choices, required=False)

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["course"].queryset = Course.objects.order_by("title", "id")

    def clean(self):
        data = super().clean()
        kind = data.get("period") or PeriodKind.QUARTER
        try:
            if kind == PeriodKind.CUSTOM:
                if not data.get("start") or not data.get("end"):
                    raise ValidationError(_("Give both dates of a custom period."))
                data["period_value"] = custom_period(data["start"], data["end"])
            elif data.get("year") is None:
                data["period_value"] = current_period(kind, self.today)
            else:
                data["period_value"] = period_of(kind, data["year"], data.get("number") or 1)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return data

    def filters(self) -> StatisticsFilter:
        """The filters chosen, or the current quarter with no breakdown when the form is invalid."""
        if not self.is_valid():
            return StatisticsFilter(period=current_period(PeriodKind.QUARTER, self.today))
        data = self.cleaned_data
        period: Period = data["period_value"]
        return StatisticsFilter(
            period=period,
            audience=data.get("audience") or "",
            staff_category=data.get("staff_category") or "",
            is_leader={"yes": True, "no": False}.get(data.get("leader") or ""),
            gender=data.get("gender") or "",
            age_band=data.get("age_band") or "",
            track=data.get("track") or "",
            course_id=data["course"].pk if data.get("course") else None,
            form=data.get("form") or "",
        )
