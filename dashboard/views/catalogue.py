"""The chart catalogue's shape: a view's charts are named entries, and every
output (the page with its text alternative and PNG, the slides of
``/present``, the PowerPoint deck, the chart-data download, and the coming
wellbeing-report document) draws a chart by walking the catalogue
(:meth:`Catalogue.walk`). An entry says where it does *not* appear
(``absent_from``); no output lists what it shows. A chart defined twice would
be a defect; a new chart is one entry plus a figure builder.

A chart's numbers are one record: its rows in the one schema
(:data:`ROW_COLUMNS`), codes beside labels. The chart-data download writes
them and the deck's native chart holds them (:class:`Native` says how the
rows are drawn), so the two cannot disagree."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..charts.style import SCREEN, ChartText, Figure, Typography, export_filename

# Where a chart can appear. "slides" is both /present and the PowerPoint deck (the same slides);
# "page" includes the chart's PNG (its toolbar button); "document" is the wellbeing-report
# chapter (DOCX: each chart as an image with its caption, source and data as a native table).
PAGE, SLIDES, DOWNLOAD, DOCUMENT = "page", "slides", "download", "document"
OUTPUTS = (PAGE, SLIDES, DOWNLOAD, DOCUMENT)
# Where a chart goes in a slide sequence: a slide of its own, or beside the key figures.
OWN_SLIDE, KEY_FIGURES = "own", "key_figures"

# The one schema of a chart's rows: column -> dtype.
ROW_COLUMNS: dict[str, str] = {
    "category": "object",  # what a bar or point stands for, as shown ('Lahti', '7–12/2024', '2023')
    "category_code": "object",  # its code ('398', '7–12/2024', '2023')
    "series": "object",  # the series as shown ('Kielteinen'); '' when the chart has one
    "series_code": "object",  # its code ('negative', 'FI'); '' when the chart has one
    "value": "float64",  # the number drawn (a count, an indicator value); NaN where suppressed or missing
    "share": "float64",  # a count's share of the filtered reports (NaN where it means nothing)
    "suppressed": "bool",  # a value hidden: a small one ('alle 5 henkilöä'), or one hidden to protect a small one
    "secondary": "bool",  # hidden to protect a small value (shown as '..'); suppressed too
    "n": "Int64",  # persons behind an indicator value
    "indicator_id": "object",  # an indicator value's key: indicator, region, year, sex (None on report charts)
    "region_code": "object",
    "year": "Int64",
    "sex": "object",
}
_DEFAULTS = {
    "category": "",
    "category_code": "",
    "series": "",
    "series_code": "",
    "value": math.nan,
    "share": math.nan,
    "suppressed": False,
    "secondary": False,
    "n": None,
    "indicator_id": None,
    "region_code": None,
    "year": None,
    "sex": None,
}


def chart_rows(**columns) -> pd.DataFrame:
    """A chart's rows in the one schema: the columns given (sequences of one
    length, or a scalar for every row), the others empty."""
    unknown = set(columns) - set(ROW_COLUMNS)
    if unknown:
        raise TypeError(f"not columns of a chart's rows: {sorted(unknown)}")
    lengths = {len(v) for v in columns.values() if not _scalar(v)}
    if len(lengths) > 1:
        raise ValueError(f"columns of different lengths: {sorted(lengths)}")
    n = lengths.pop() if lengths else 0
    data = {}
    for name in ROW_COLUMNS:
        value = columns.get(name, _DEFAULTS[name])
        data[name] = [value] * n if _scalar(value) else list(value)
    for flag in ("suppressed", "secondary"):
        data[flag] = [False if _missing(x) else bool(x) for x in data[flag]]
    return pd.DataFrame(data).astype(ROW_COLUMNS)


def _scalar(value) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, np.generic))


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


@dataclass(frozen=True)
class Column:
    """A column of a chart's data table: header and how to show its values
    (``text``, ``int``, ``share`` (a fraction), ``number`` with ``decimals``, or ``figure``: a
    number already written with its unit, aligned as a number)."""

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
class Line:
    """One series of a native chart: its code beside its label, a value per category."""

    code: str
    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Series:
    """A chart's numbers as a native (PowerPoint) chart holds them: every
    category (codes beside labels) and a line per series. Only the first
    ``drawn`` categories are drawn; the chart's data keeps them all."""

    kind: str  # bars | stacked | lines | bars_grouped
    categories: tuple[str, ...]
    category_codes: tuple[str, ...]
    lines: tuple[Line, ...]
    number_format: str = "0"
    drawn: int | None = None  # None: every category
    selected: tuple[str, ...] = ()  # category codes the filter chose (drawn darker, as on the screen)
    colours: tuple[tuple[str, str], ...] = ()  # (category code, colour) of bars drawn in their own colour
    labels: tuple[str, ...] = ()  # each category's value label as the screen shows it ('16 (40 %)'), if given

    @property
    def shown(self) -> int:
        return len(self.categories) if self.drawn is None else min(self.drawn, len(self.categories))


@dataclass(frozen=True)
class Native:
    """How a native chart draws a chart's rows: its kind, the series it draws
    (codes, in order; None: every series, as the rows give them), how many
    categories it draws, and what an empty cell holds (0 for counts)."""

    kind: str
    number_format: str = "0"
    drawn: int | None = None
    lines: tuple[str, ...] | None = None
    fill: float | None = None
    name: str = ""  # the name of a chart's one unnamed series ('Raportteja')
    selected: tuple[str, ...] = ()  # category codes the filter chose
    colours: tuple[tuple[str, str], ...] = ()  # (category code, colour): the references of a ranking in grey
    label: Callable[[float, float], str] | None = field(default=None, compare=False)  # (value, share) -> '16 (40 %)'

    def series(self, rows: pd.DataFrame) -> Series:
        if self.lines is not None:
            rows = rows[rows["series_code"].isin(self.lines)]
        categories = dict(zip(rows["category_code"], rows["category"]))
        labels = dict(zip(rows["series_code"], rows["series"]))
        codes = [c for c in self.lines if c in labels] if self.lines is not None else list(labels)
        cells = {(s, c): v for s, c, v in zip(rows["series_code"], rows["category_code"], rows["value"])}
        lines = tuple(
            Line(
                code=code,
                label=labels[code] or self.name,
                values=tuple(_cell(cells.get((code, category), self.fill)) for category in categories),
            )
            for code in codes
        )
        return Series(
            kind=self.kind,
            categories=tuple(str(label) for label in categories.values()),
            category_codes=tuple(str(code) for code in categories),
            lines=lines,
            number_format=self.number_format,
            drawn=self.drawn,
            selected=tuple(code for code in categories if code in self.selected),
            colours=tuple((code, colour) for code, colour in self.colours if code in categories),
            labels=self._labels(rows, categories, self.label) if self.label is not None and len(lines) == 1 else (),
        )

    @staticmethod
    def _labels(rows: pd.DataFrame, categories: dict, label: Callable[[float, float], str]) -> tuple[str, ...]:
        shares = dict(zip(rows["category_code"], zip(rows["value"], rows["share"])))
        return tuple(label(*shares[code]) if code in shares else "" for code in categories)


def _cell(value) -> float | None:
    return None if _missing(value) else float(value)


def number_format(decimals: int) -> str:
    return "0" if decimals == 0 else "0." + "0" * decimals


@dataclass(frozen=True)
class Rendered:
    """One chart, drawn for one filter: what each output needs. Its rows (and
    the native chart made of them) are built only when an output asks: a
    filter change on the page never pays for them."""

    name: str
    title: str
    caption: str
    source: str
    figure: Figure
    table: Table  # the text alternative
    alt_text: str  # one sentence for screen readers and slides
    native: Native | None  # how a native chart draws the rows; None: the deck shows the table instead
    rows_of: Callable[[], pd.DataFrame] = field(repr=False, compare=False)
    note: str | None = None
    empty: bool = False

    @cached_property
    def long(self) -> pd.DataFrame:
        """The chart's rows (the chart-data download's and the deck's), in the one schema."""
        rows = self.rows_of()
        if list(rows.columns) != list(ROW_COLUMNS):
            raise TypeError(f"{self.name}: rows not in the chart schema: {list(rows.columns)}")
        return rows

    @cached_property
    def series(self) -> Series | None:
        return self.native.series(self.long) if self.native is not None else None

    @property
    def filename(self) -> str:
        return export_filename(self.title, self.caption)


@dataclass(frozen=True)
class Drawing:
    """What every render function starts from (the chart's name and words)
    and ends with (:meth:`done`)."""

    name: str
    title: str
    caption: str
    source: str
    note: str | None = None

    @property
    def text(self) -> ChartText:
        """The words drawn into the figure (the note goes beside it)."""
        return ChartText(title=self.title, caption=self.caption, source=self.source)

    def done(
        self,
        figure: Figure,
        table: Table,
        alt_text: str,
        rows: Callable[[], pd.DataFrame],
        native: Native | None,
        empty: bool = False,
    ) -> Rendered:
        return Rendered(
            name=self.name,
            title=self.title,
            caption=self.caption,
            source=self.source,
            figure=figure,
            table=table,
            alt_text=alt_text,
            native=native,
            rows_of=rows,
            note=self.note,
            empty=empty,
        )


@dataclass(frozen=True)
class Chart:
    """A catalogue entry. ``render(context, instance, style)`` does the work;
    ``instances(context)`` names the copies a view shows (one per chosen
    indicator, say), each rendered under its own name. ``absent_from`` names
    the outputs it is not in; ``slide`` where it goes on slides; ``scope`` the
    part of the view's context it draws from (when not the whole)."""

    name: str
    render_with: Callable[..., Rendered]
    instances_of: Callable[[Any], list[str]] | None = None
    click: str | None = None  # the filter field a click on a bar toggles
    width: int = 6  # its share of a wide page's twelve columns
    options: dict = field(default_factory=dict)
    absent_from: frozenset[str] = frozenset()
    slide: str = OWN_SLIDE
    scope: Callable[[Any], Any] | None = None

    def __post_init__(self):
        bad = set(self.absent_from) - set(OUTPUTS)
        if bad or self.slide not in (OWN_SLIDE, KEY_FIGURES):
            raise ValueError(f"chart {self.name}: unknown output {sorted(bad)} or slide {self.slide!r}")

    def appears_in(self, output: str) -> bool:
        return output not in self.absent_from

    def _scoped(self, context):
        return self.scope(context) if self.scope is not None else context

    def instances(self, context) -> list[str]:
        scoped = self._scoped(context)
        if scoped is None:
            return []
        return self.instances_of(scoped) if self.instances_of else [self.name]

    def render(self, context, instance: str | None = None, style: Typography = SCREEN) -> Rendered:
        return self.render_with(self._scoped(context), instance or self.name, style, **self.options)

    def but(self, **options) -> Chart:
        """The same chart with other options (a title of its own, say)."""
        return replace(self, options={**self.options, **options})

    def without(self, *outputs: str) -> Chart:
        """The same chart, absent from ``outputs``."""
        return replace(self, absent_from=self.absent_from | frozenset(outputs))

    def within(self, scope: Callable[[Any], Any]) -> Chart:
        """The same chart drawn from a part of another view's context."""
        return replace(self, scope=scope)


class Catalogue:
    """A view's charts, in the order its page shows them, drawn from one kind
    of context. ``slide_order`` (the chart names on slides, each once) is the
    order of the slides when it differs from the page's."""

    def __init__(
        self, view: str, charts: Sequence[Chart], context: type | None = None, slide_order: Sequence[str] = ()
    ):
        self.view = view
        self.context = context
        self.charts = {chart.name: chart for chart in charts}
        on_slides = [c.name for c in charts if c.appears_in(SLIDES)]
        if slide_order and sorted(slide_order) != sorted(on_slides):
            raise ValueError(f"{view}: the slide order {list(slide_order)} is not the charts on slides {on_slides}")
        self.slide_order = tuple(slide_order) or tuple(on_slides)

    def __getitem__(self, name: str) -> Chart:
        return self.charts[name]

    def __iter__(self) -> Iterator[Chart]:
        return iter(self.charts.values())

    def __contains__(self, name: str) -> bool:
        return name in self.charts

    def names(self) -> list[str]:
        return list(self.charts)

    def entries(self, output: str) -> list[Chart]:
        """The charts ``output`` shows, in its order (the document follows the slides' order, then
        whatever else it shows in the page's order)."""
        if output == SLIDES:
            return [self.charts[name] for name in self.slide_order]
        if output == DOCUMENT:
            names = list(self.slide_order) + [n for n in self.charts if n not in self.slide_order]
            return [self.charts[n] for n in names if self.charts[n].appears_in(DOCUMENT)]
        return [chart for chart in self if chart.appears_in(output)]

    def walk(self, context, output: str, style: Typography = SCREEN) -> list[tuple[Chart, Rendered]]:
        """Every chart ``output`` shows, each instance rendered for ``context``, in the output's order."""
        if self.context is not None and not isinstance(context, self.context):
            raise TypeError(f"{self.view} draws from a {self.context.__name__}, not a {type(context).__name__}")
        return [
            (chart, chart.render(context, instance, style))
            for chart in self.entries(output)
            for instance in chart.instances(context)
        ]

    def rendered(self, context, output: str, style: Typography = SCREEN) -> list[Rendered]:
        return [rendered for _, rendered in self.walk(context, output, style)]

    def subset(self, view: str, names: Sequence[str], widths: dict[str, int] | None = None) -> Catalogue:
        """Some of the charts, for another view (laid out with other widths, if given)."""
        return Catalogue(
            view,
            [replace(self.charts[n], width=(widths or {}).get(n, self.charts[n].width)) for n in names],
            self.context,
            [n for n in self.slide_order if n in names],
        )
