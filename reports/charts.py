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
