"""The five training tracks of the programme: the three mandated audiences, open source, farmers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Track(models.TextChoices):
    LEADERS_CIO = "leaders_cio", _("Leaders and CIOs")
    IT_STAFF = "it_staff", _("Dedicated IT staff")
    GENERAL = "general", _("Civil servants and public employees")
    OPEN_SOURCE = "open_source", _("Open-source software")
    FARMERS = "farmers", _("Farmers and residents")
