"""Choices of the reports app: the bands and forms statistics are broken down by."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeBand(models.TextChoices):
    UNDER_30 = "u30", _("Under 30")
    FROM_30 = "30_39", _("30–39")
    FROM_40 = "40_49", _("40–49")
    FROM_50 = "50_59", _("50–59")
    FROM_60 = "60p", _("60 and over")
    UNKNOWN = "unknown", _("Age not stated")


# (band, lowest age, highest age); ages are reckoned in whole years: event year − year of birth.
AGE_BANDS = [
    (AgeBand.UNDER_30, 0, 29),
    (AgeBand.FROM_30, 30, 39),
    (AgeBand.FROM_40, 40, 49),
    (AgeBand.FROM_50, 50, 59),
    (AgeBand.FROM_60, 60, 200),
]


class TrainingForm(models.TextChoices):
    ONLINE = "online", _("Online")
    CLASS = "class", _("In a class (in person or blended)")


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    HALF = "half", _("Half-year")
    YEAR = "year", _("Year")
    CUSTOM = "custom", _("Custom dates")
