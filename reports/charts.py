"""Server-side SVG bar charts: no JavaScript, the numbers are always in a table beside them."""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 14
GAP = 10
LABEL_WIDTH = 180
PLOT_WIDTH = 320


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    value: object
    css_class: str


@dataclass(frozen=True)
class BarGroup:
    label: str
    y: int
    bars: list[Bar]


@dataclass(frozen=True)
class BarChart:
    groups: list[BarGroup]
    series: list[tuple[str, str]]  # (label, css class)
    width: int
    height: int
    label_width: int = LABEL_WIDTH


# A bar chart of more rows is unreadable, on a phone above all (145 units drew 5,500 px of 6 px labels): a page
# charts the largest rows and its table has every one.
CHART_ROWS = 25


def bar_chart(rows: list[tuple[str, list[float]]], series: list[tuple[str, str]]) -> BarChart:
    """Horizontal grouped bars: one group per row label, one bar per series, scaled to the largest value."""
    largest = max((value for _, values in rows for value in values), default=0) or 1
    groups, y = [], GAP
    for label, values in rows:
        bars = []
        for index, value in enumerate(values):
            bars.append(Bar(y=y + index * BAR_HEIGHT, width=round(PLOT_WIDTH * float(value) / float(largest)),
                            value=value, css_class=series[index][1]))
        groups.append(BarGroup(label=label[:32], y=y, bars=bars))
        y += len(values) * BAR_HEIGHT + GAP
    return BarChart(groups=groups, series=series, width=LABEL_WIDTH + PLOT_WIDTH + 60, height=y)


TREND_WIDTH = 200
TREND_HEIGHT = 60
TREND_BAR = 22


@dataclass(frozen=True)
class TrendBar:
    x: int
    y: int
    height: int
    value: object
    label: str


@dataclass(frozen=True)
class TrendChart:
    bars: list[TrendBar]
    target_y: int | None  # where the target's line crosses, None when off the scale
    width: int
    height: int


def trend_chart(points: list[tuple[str, float]], target: float | None) -> TrendChart:
    """Vertical bars of an indicator's recorded values over periods, with the target as a line; the
    scale runs from 0 to the larger of the target and the largest value."""
    top = max([value for _, value in points] + [target or 0]) or 1
    plot = TREND_HEIGHT - 14  # room for the value labels above the bars
    bars = []
    for index, (label, value) in enumerate(points):
        height = round(plot * float(value) / float(top))
        bars.append(TrendBar(x=4 + index * (TREND_BAR + 8), y=TREND_HEIGHT - height, height=height, value=value,
                             label=label))
    target_y = None if target is None else TREND_HEIGHT - round(plot * float(target) / float(top))
    width = max(TREND_WIDTH, 8 + len(points) * (TREND_BAR + 8))
    return TrendChart(bars=bars, target_y=target_y, width=width, height=TREND_HEIGHT)
