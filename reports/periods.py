"""Reporting periods: a quarter, a half-year, a year, or custom dates (both ends included)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lms.dates import FIRST_YEAR, LAST_YEAR, period_dates_check

from .choices import PeriodKind


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date  # included

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return _("Quarter %(number)s/%(year)s") % {"number": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        if self.kind == PeriodKind.HALF:
            return _("Half-year %(number)s/%(year)s") % {"number": 1 if self.start.month == 1 else 2, "year": self.start.year}
        if self.kind == PeriodKind.YEAR:
            return _("Year %(year)s") % {"year": self.start.year}
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def previous(self) -> Period:
        """The period of the same kind just before this one (custom periods: same length)."""
        if self.kind == PeriodKind.CUSTOM:
            length = self.end - self.start
            end = self.start - datetime.timedelta(days=1)
            return Period(self.kind, end - length, end)
        months = {PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}[self.kind]
        month = self.start.month - months
        year = self.start.year
        while month < 1:
            month += 12
            year -= 1
        return period_of(self.kind, year, (month - 1) // months + 1)


def period_of(kind: str, year: int, number: int = 1) -> Period:
    """The `number`-th quarter or half of `year`, or the year itself."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            _("Enter a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    months = {PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}.get(kind)
    if months is None:
        raise ValidationError(_("Choose a quarter, a half-year or a year."))
    if not 1 <= number <= 12 // months:
        raise ValidationError(_("There is no such quarter or half-year."))
    first_month = (number - 1) * months + 1
    start = datetime.date(year, first_month, 1)
    next_start = datetime.date(year + 1, 1, 1) if first_month + months > 12 else datetime.date(year, first_month + months, 1)
    return Period(kind, start, next_start - datetime.timedelta(days=1))


def custom_period(start: datetime.date, end: datetime.date) -> Period:
    period_dates_check(start, end)
    if end < start:
        raise ValidationError(_("The end date is before the start date."))
    if (end - start).days > 366 * 10:
        raise ValidationError(_("A period cannot be longer than ten years."))
    return Period(PeriodKind.CUSTOM, start, end)


def current_period(kind: str, today: datetime.date) -> Period:
    months = {PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}[kind]
    return period_of(kind, today.year, (today.month - 1) // months + 1)
