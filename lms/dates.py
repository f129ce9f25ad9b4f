"""The years a reporting period may fall in, shared by the statistics (reports) and the skills survey's results
(placement): wide enough for any real record, and far enough inside the range of Python's dates that the day after
a period, or the period before it, always exists (9999-12-31 gave a 500)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIRST_YEAR, LAST_YEAR = 1900, 2200


def period_dates_check(*days: datetime.date | None) -> None:
    """Refuse a date outside the reporting years (a missing date, of an open-ended period, is no concern)."""
    if any(day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR for day in days):
        raise ValidationError(
            _("Choose dates between the years %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
