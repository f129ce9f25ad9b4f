"""The catalogue's search and filter form (GET parameters)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cms.choices import CourseLevel
from courses.tracks import Track
from organisations.models import Audience


def _with_any(choices, label):
    return [("", label), *choices]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    track = forms.ChoiceField(label=_("Track"), choices=_with_any(Track.choices, _("All tracks")), required=False)
    audience = forms.ChoiceField(
        label=_("Audience"), choices=_with_any(Audience.choices, _("All audiences")), required=False
    )
    level = forms.ChoiceField(
        label=pgettext_lazy("course level", "Level"), choices=_with_any(CourseLevel.choices, _("All levels")),
        required=False,
    )
    max_hours = forms.DecimalField(
        label=_("At most (hours)"), min_value=0, max_digits=5, decimal_places=1, required=False
    )

    def filters(self) -> dict:
        """The valid filters as keyword arguments for cms.selectors.catalogue_courses; invalid ones are dropped."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "query": cleaned.get("q", ""),
            "track": cleaned.get("track", ""),
            "audience": cleaned.get("audience", ""),
            "level": cleaned.get("level", ""),
            "max_hours": cleaned.get("max_hours"),
        }
