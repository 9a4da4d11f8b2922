"""The phenomenon view: for a theme, its reports per half-year and the trends
of the indicators linked to the theme in ``data/theme_indicators.csv`` (a
file the coordinator edits; read on every request, so an edit shows at once)
on one time axis, the chosen report period shaded on every panel; then the
reports by area and the proposals. The report charts are the report
catalogue's own entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cached_property

import pandas as pd

from queries import access, codes
from queries import indicators as q

from ..charts import phenomena as figures
from ..charts.style import Typography
from ..core.filters import IndicatorFilter
from ..core.formatting import fmt_number
from ..core.i18n import t, tn
from ..core.periods import period_text
from .catalogue import PAGE, Catalogue, Chart, Column, Drawing, Native, Rendered, Table, chart_rows
from .indicators import INDICATORS, IndicatorContext, with_unit
from .links import LINKS_FILE, theme_links
from .reports import REPORTS, ReportContext
from .reports import TYPES as REPORT_TYPES

__all__ = [
    "LINKS_FILE",
    "MAX_LINKED",
    "MAX_PANELS",
    "PHENOMENA",
    "TIMELINE",
    "PhenomenonContext",
    "theme_links",
]

MAX_LINKED = 6  # linked indicators listed
MAX_PANELS = 3  # of them drawn on the timeline (it must fit a 1280x720 screen)


@dataclass
class PhenomenonContext:
    reports: ReportContext

    @classmethod
    def from_query(cls, query: str | None) -> PhenomenonContext:
        return cls(reports=ReportContext.from_query(query))

    @property
    def flt(self):
        return self.reports.flt

    @property
    def lang(self) -> str:
        return self.reports.lang

    @property
    def problems(self) -> tuple:
        """What of the query string could not be used."""
        return self.reports.problems

    @cached_property
    def linked(self) -> tuple[list[str], list[str]]:
        """(linked indicators that are loaded, linked ids that are not)."""
        links = theme_links()
        loaded: list[str] = []
        missing: list[str] = []
        for theme in self.flt.theme:
            for indicator in links.get(theme, []):
                target = loaded if self.reports.vocab.knows("indicator", indicator) else missing
                if indicator not in target:
                    target.append(indicator)
        return loaded[:MAX_LINKED], missing

    @property
    def region(self) -> str:
        return self.flt.county[0] if len(self.flt.county) == 1 else "FI"

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        """The chosen report period (a side left open runs to the data's first or last report)."""
        flt = self.flt
        if not (flt.date_from or flt.date_to):
            return None
        first, last = access.cached("report-dates", codes.report_date_range)
        start, end = flt.date_from or first, flt.date_to or last
        return (start, end) if start and end and start <= end else None

    @cached_property
    def indicators(self) -> IndicatorContext | None:
        loaded, _ = self.linked
        if not loaded:
            return None
        flt = IndicatorFilter(indicator=tuple(loaded), region=(self.region,), sex=("total",), lang=self.flt.lang)
        span = (self.period[0].year, self.period[1].year) if self.period else None
        return IndicatorContext(given=flt, flt=flt, vocab=self.reports.vocab, mark=span)

    def panels(self) -> list[tuple[str, figures.Panel, pd.DataFrame]]:
        """(indicator id, its panel, its rows) for the indicators the timeline draws."""
        ctx = self.indicators
        if ctx is None:
            return []
        out = []
        for indicator in ctx.flt.indicator[:MAX_PANELS]:
            meta = ctx.meta(indicator)
            compare = ctx.compare
            data = ctx.query(
                "series",
                (indicator, tuple(compare), "total", ctx.threshold),
                lambda cur, i=indicator, c=tuple(compare): q.series(cur, i, list(c), "total", ctx.threshold),
            )
            lines = tuple((ctx.name(code), data[data["region_code"] == code]) for code in compare)
            title = with_unit(str(meta["name"]), ctx.unit(meta))
            out.append((indicator, figures.Panel(title, ctx.unit(meta), int(meta["decimals"]), lines), data))
        return out


def _timeline(ctx: PhenomenonContext, name: str, style: Typography) -> Rendered:
    """The theme's reports and its indicators on one time axis."""
    reports, lang = ctx.reports, ctx.lang
    trend = reports.trend
    indicators = ctx.indicators  # None when no linked indicator is loaded: then there are no panels
    panels = ctx.panels()
    caption = reports.caption(whole_time=True)
    if ctx.period:
        caption += " · " + t("phen.period_caption", lang, period=period_text(*ctx.period, lang))
    sources = [reports.source] + ([indicators.source(indicators.meta(i)) for i, _, _ in panels] if indicators else [])
    prefix = t("meta.source", lang) + ": "
    source = prefix + "; ".join(dict.fromkeys(s.removeprefix(prefix) for s in sources))
    drawing = Drawing(name, t("phen.timeline", lang), caption, source)
    figure = figures.timeline(
        trend,
        [p for _, p, _ in panels],
        drawing.text,
        lang,
        reports.type_labels(),
        t("phen.reports_panel", lang),
        t("phen.period_short", lang),
        indicators.hidden if indicators else "",  # no indicator panels: nothing is hidden
        t("chart.empty", lang),
        mark=ctx.period,
        style=style,
    )
    span = figures.year_span(trend, [p for _, p, _ in panels])
    years = list(range(span[0], span[1] + 1)) if span else []
    per_year = trend.groupby("year")["count"].sum() if not trend.empty else pd.Series(dtype=int)
    columns = [Column(t("ind.year", lang)), Column(t("kpi.reports", lang), "int")]
    cells: list[dict[int, str]] = []
    for _, panel, _ in panels:
        assert indicators is not None  # a panel is a loaded indicator's
        for label, df in panel.lines:
            columns.append(Column(f"{panel.title}: {label}"))
            texts = {
                int(r.year): indicators.value_text(
                    r.value, r.suppressed, panel.decimals, getattr(r, "secondary", False)
                )
                for r in df.itertuples()
            }
            cells.append(texts)
    rows = tuple(tuple([str(y), int(per_year.get(y, 0))] + [c.get(y, "–") for c in cells]) for y in years)
    parts = []
    if not trend.empty:
        parts.append(
            tn(
                "phen.timeline_reports_alt",
                int(trend["count"].sum()),
                lang,
                first=int(trend["year"].min()),
                last=int(trend["year"].max()),
            )
        )
    for _, panel, _ in panels:
        latest = [(label, df.dropna(subset=["value"]).tail(1)) for label, df in panel.lines]
        values = [
            f"{label} {fmt_number(float(row['value'].iloc[0]), lang, panel.decimals)} ({int(row['year'].iloc[0])})"
            for label, row in latest
            if not row.empty
        ]
        if values:
            parts.append(f"{panel.title}: {', '.join(values)}")
    alt = ". ".join(parts) + "." if parts else t("chart.empty", lang)

    def long() -> pd.DataFrame:
        # The reports per half-year by type, from the first half-year with reports (what the native
        # chart draws, as the screen's report panel does), then each indicator line of the panels.
        totals = trend.groupby("period")["count"].transform("sum") if not trend.empty else []
        frames = [
            chart_rows(
                category=trend["period"],
                category_code=trend["period"],
                series=trend["label"],
                series_code=trend["observation_type"],
                value=trend["count"],
                share=(trend["count"] / totals) if not trend.empty else [],
            )
        ]
        for indicator, panel, data in panels:
            assert indicators is not None  # a panel is a loaded indicator's
            for code in dict.fromkeys(data["region_code"]):
                part = data[data["region_code"] == code]
                frames.append(
                    chart_rows(
                        category=[str(int(y)) for y in part["year"]],
                        category_code=[str(int(y)) for y in part["year"]],
                        series=f"{panel.title}: {indicators.name(code)}",
                        series_code=f"{indicator}:{code}",
                        value=part["value"],
                        suppressed=part["suppressed"],
                        n=part["n"],
                        indicator_id=indicator,
                        region_code=code,
                        year=[int(y) for y in part["year"]],
                        sex="total",
                    )
                )
        return pd.concat(frames, ignore_index=True)

    return drawing.done(
        figure,
        Table(tuple(columns), rows),
        alt,
        rows=long,
        native=Native("stacked", lines=REPORT_TYPES, fill=0.0),
        empty=trend.empty and not panels,
    )


TIMELINE = Chart("timeline", _timeline)
PHENOMENA = Catalogue(
    "phenomena",
    [
        TIMELINE,
        REPORTS["area"].but(max_bars=12).within(lambda ctx: ctx.reports),
        # Each linked indicator on a slide of its own; the page draws them in the timeline.
        replace(INDICATORS["series"], name="linked").within(lambda ctx: ctx.indicators).without(PAGE),
    ],
    context=PhenomenonContext,
)
