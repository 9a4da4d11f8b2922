"""The chart catalogue's shape: a view's charts are named entries, and every
output (the page, its text alternative, the slides, the PNG, the deck and the
chart-data download) draws a chart by rendering its entry. A chart defined
twice would be a defect; a new chart is one entry plus a figure builder."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from ..charts.style import SCREEN, ChartText, Figure, Typography, export_filename


@dataclass(frozen=True)
class Column:
    """A column of a chart's data table: header and how to show its values
    (``text``, ``int``, ``share`` (a fraction), ``number`` with ``decimals``)."""

    header: str
    kind: str = "text"
    decimals: int = 0


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows), columns=[c.header for c in self.columns])


@dataclass(frozen=True)
class Series:
    """A chart's numbers as a native (PowerPoint) chart sees them."""

    kind: str  # bars | stacked | lines
    categories: tuple[str, ...]
    values: tuple[tuple[str, tuple[float | None, ...]], ...]  # (series name, one value per category)
    number_format: str = "0"


@dataclass(frozen=True)
class Rendered:
    """One chart, drawn for one filter: what each output needs."""

    name: str
    title: str
    caption: str
    source: str
    figure: Figure
    table: Table  # the text alternative and the chart-data download
    alt_text: str  # one sentence for screen readers and slides
    series: Series | None  # for native charts; None where a chart has none (the tile map)
    long: pd.DataFrame  # the chart-data download's rows
    note: str | None = None
    empty: bool = False

    @property
    def filename(self) -> str:
        return export_filename(self.title, self.caption)


@dataclass(frozen=True)
class Chart:
    """A catalogue entry. ``render(context, instance, style)`` does the work;
    ``instances(context)`` names the copies a view shows (one per chosen
    indicator, say), each rendered under its own name."""

    name: str
    render_with: Callable[[Any, str, Typography], Rendered]
    instances_of: Callable[[Any], list[str]] | None = None
    click: str | None = None  # the filter field a click on a bar toggles
    width: int = 6  # its share of a wide page's twelve columns
    options: dict = field(default_factory=dict)

    def instances(self, context) -> list[str]:
        return self.instances_of(context) if self.instances_of else [self.name]

    def render(self, context, instance: str | None = None, style: Typography = SCREEN) -> Rendered:
        return self.render_with(context, instance or self.name, style, **self.options)

    def but(self, **options) -> Chart:
        """The same chart with other options (a title of its own, say)."""
        return replace(self, options={**self.options, **options})


class Catalogue:
    """A view's charts, in the order the view shows them."""

    def __init__(self, view: str, charts: Sequence[Chart]):
        self.view = view
        self.charts = {chart.name: chart for chart in charts}

    def __getitem__(self, name: str) -> Chart:
        return self.charts[name]

    def __iter__(self) -> Iterator[Chart]:
        return iter(self.charts.values())

    def __contains__(self, name: str) -> bool:
        return name in self.charts

    def names(self) -> list[str]:
        return list(self.charts)

    def subset(self, view: str, names: Sequence[str], widths: dict[str, int] | None = None) -> Catalogue:
        """Some of the charts, for another view (laid out with other widths, if given)."""
        return Catalogue(
            view, [replace(self.charts[n], width=(widths or {}).get(n, self.charts[n].width)) for n in names]
        )

    def render_all(self, context, style: Typography = SCREEN) -> list[Rendered]:
        return [chart.render(context, instance, style) for chart in self for instance in chart.instances(context)]


def chart_text(title: str, caption: str, source: str, note: str | None = None) -> ChartText:
    return ChartText(title=title, caption=caption, source=source, note=note)
