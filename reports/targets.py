"""Programme targets: the dashboard's reads (current value, target, red / amber / green, trend) and
the service recording each indicator's province-wide value at the end of a period (the trend)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.selectors import province_root

from .charts import TrendChart, trend_chart
from .indicators import IndicatorScope, Measure, measure
from .models import Indicator, IndicatorMeasurement, ProgrammeTarget
from .selectors import statistics_scope

COUNT_INDICATORS = {Indicator.FARMERS_REACHED}
TREND_LENGTH = 4


class TargetStatus(models.TextChoices):
    GREEN = "green", _("On target")
    AMBER = "amber", _("Close to the target")
    RED = "red", _("Behind the target")
    UNKNOWN = "unknown", _("Nothing to measure yet")


def target_status(value: Decimal | None, target: ProgrammeTarget) -> str:
    if value is None:
        return TargetStatus.UNKNOWN
    if value >= target.target_value:
        return TargetStatus.GREEN
    if target.indicator in COUNT_INDICATORS:
        floor = target.target_value * (Decimal(100) - target.amber_margin) / Decimal(100)
    else:
        floor = target.target_value - target.amber_margin
    return TargetStatus.AMBER if value >= floor else TargetStatus.RED


@dataclass
class TargetRow:
    target: ProgrammeTarget
    measure: Measure
    status: str
    trend: list[IndicatorMeasurement] = field(default_factory=list)

    @property
    def is_percent(self) -> bool:
        return self.target.indicator not in COUNT_INDICATORS

    @property
    def chart(self) -> TrendChart | None:
        if not self.trend:
            return None
        return trend_chart([(f"{point.measured_on:%m/%Y}", float(point.value)) for point in self.trend],
                           float(self.target.target_value))


def trend_dates(rows: list[TargetRow]) -> list[datetime.date]:
    """The dates any target's trend was recorded on: the columns of the trend table."""
    return sorted({point.measured_on for row in rows for point in row.trend})


def target_years() -> list[int]:
    return list(ProgrammeTarget.objects.filter(is_active=True).values_list("year", flat=True).distinct().order_by("year"))


def targets_dashboard(user, *, year: int, today: datetime.date | None = None) -> list[TargetRow]:
    """The year's active targets with their current value over the user's scope (404 without one).
    The trend (recorded province-wide at the end of each period) is shown for the province only."""
    scope = statistics_scope(user)
    if scope is None:
        raise Http404
    today = today or timezone.localdate()
    indicator_scope = IndicatorScope(root=scope.root, audiences=scope.audiences, today=today)
    targets = list(ProgrammeTarget.objects.filter(is_active=True, year=year).order_by("indicator"))
    trends: dict[str, list[IndicatorMeasurement]] = {}
    if scope.root.depth == 1 and scope.audiences is None:
        for measurement in IndicatorMeasurement.objects.filter(
            indicator__in=[target.indicator for target in targets]
        ).order_by("indicator", "-measured_on"):
            trends.setdefault(measurement.indicator, [])
            if len(trends[measurement.indicator]) < TREND_LENGTH:
                trends[measurement.indicator].append(measurement)
    rows = []
    for target in targets:
        current = measure(target.indicator, indicator_scope)
        rows.append(TargetRow(target, current, target_status(current.value, target),
                              list(reversed(trends.get(target.indicator, [])))))
    return rows


@transaction.atomic
def indicators_measure(*, on: datetime.date | None = None) -> int:
    """Record every indicator's province-wide value as of `on` (today by default); repeating it for the
    same day overwrites that day's values. Returns how many were recorded."""
    on = on or timezone.localdate()
    root = province_root()
    if root is None:
        return 0
    scope = IndicatorScope(root=root, audiences=None, today=on)
    for indicator in Indicator.values:
        result = measure(indicator, scope)
        IndicatorMeasurement.objects.update_or_create(
            indicator=indicator, measured_on=on,
            defaults={"numerator": result.numerator, "denominator": result.denominator,
                      "value": result.value if result.value is not None else Decimal(0)},
        )
    return len(Indicator.values)
