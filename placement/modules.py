"""The six basic modules of the IT skill standard (Circular 03/2014/TT-BTTTT) that the survey places
people in, the self-assessment scale and the levels. The codes are those of certification's framework."""

from django.db import models
from django.utils.translation import gettext_lazy as _

BASIC_MODULES: tuple[tuple[str, object], ...] = (
    ("IU01", _("Basic IT knowledge")),
    ("IU02", _("Basic computer use")),
    ("IU03", _("Basic word processing")),
    ("IU04", _("Basic spreadsheets")),
    ("IU05", _("Basic presentations")),
    ("IU06", _("Basic Internet use")),
)
MODULE_CODES = tuple(code for code, _name in BASIC_MODULES)
MODULE_NAMES = dict(BASIC_MODULES)


class ModuleCode(models.TextChoices):
    IU01 = "IU01", _("IU01 Basic IT knowledge")
    IU02 = "IU02", _("IU02 Basic computer use")
    IU03 = "IU03", _("IU03 Basic word processing")
    IU04 = "IU04", _("IU04 Basic spreadsheets")
    IU05 = "IU05", _("IU05 Basic presentations")
    IU06 = "IU06", _("IU06 Basic Internet use")


class SelfRating(models.IntegerChoices):
    """How well a person says they can do what an item describes."""

    CANNOT = 0, _("I cannot do this yet")
    WITH_HELP = 1, _("I can do this with help")
    ON_MY_OWN = 2, _("I can do this on my own")
    CONFIDENT = 3, _("I do this confidently and could show others")


class Level(models.IntegerChoices):
    NOT_YET = 0, _("Not yet")
    BASIC = 1, _("Basic")
    PROFICIENT = 2, _("Proficient")
    ADVANCED = 3, _("Advanced")
