"""Choices a course page carries: level and the IT skill modules it develops (access modes are courses')."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseLevel(models.TextChoices):
    BASIC = "basic", _("Basic")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


# The modules of the IT skill standard (Circular 03/2014/TT-BTTTT): IU01–IU06 basic, IU07–IU15
# advanced. A plain reference until the certification app owns the competency framework.
IT_SKILL_MODULES = [
    ("IU01", _("IU01 Basic IT knowledge")),
    ("IU02", _("IU02 Basic computer use")),
    ("IU03", _("IU03 Basic word processing")),
    ("IU04", _("IU04 Basic spreadsheets")),
    ("IU05", _("IU05 Basic presentations")),
    ("IU06", _("IU06 Basic Internet use")),
    ("IU07", _("IU07 Advanced word processing")),
    ("IU08", _("IU08 Advanced spreadsheets")),
    ("IU09", _("IU09 Advanced presentations")),
    ("IU10", _("IU10 Using a database system")),
    ("IU11", _("IU11 2-D graphic design")),
    ("IU12", _("IU12 Image editing")),
    ("IU13", _("IU13 Website editing")),
    ("IU14", _("IU14 Information security")),
    ("IU15", _("IU15 Project-planning software")),
]
IT_SKILL_MODULE_CODES = frozenset(code for code, _label in IT_SKILL_MODULES)
