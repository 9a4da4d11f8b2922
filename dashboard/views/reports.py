"""The report views' data and their chart catalogue.

:class:`ReportContext` is the one helper that turns a query string into the
filter, the vocabulary and the data; each distinct aggregate is computed
once per filter change (and kept per worker by database version and filter).
:data:`REPORTS` lists the charts of the reports view; the overview, the
phenomenon view, the slides, the deck and the chart-data download take
theirs from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from queries import access, codes, columnar
from queries import analysis as qa
from queries import reports as q

from ..charts import reports as figures
from ..charts.style import SCREEN, Typography, share_decimals, share_note, share_text
from ..core.filters import Problem, ReportFilter, reports_phrase
from ..core.formatting import fmt_date_range, fmt_number
from ..core.i18n import t, tn
from ..core.periods import (
    Preset,
    half_year_code,
    half_year_name,
    half_year_tick,
    overlapping_half_years,
    period_name,
    preset_key,
    presets,
)
from ..core.vocabulary import Vocabulary
from .catalogue import KEY_FIGURES, OWN_SLIDE, Catalogue, Chart, Column, Drawing, Native, Rendered, Table, chart_rows

TYPES = ("negative", "positive", "neutral")


@dataclass
class ReportContext:
    """One filter and everything drawn from it, computed lazily and once."""

    flt: ReportFilter
    vocab: Vocabulary
    raw_query: str = ""  # the query string as the link gave it

    @classmethod
    def from_query(cls, query: str | None) -> ReportContext:
        vocab = access.vocabulary()
        raw = query if isinstance(query, str) else ""
        return cls(flt=ReportFilter.from_query(raw, vocab), vocab=vocab, raw_query=raw)

    @property
    def lang(self) -> str:
        return self.flt.lang

    @property
    def problems(self) -> tuple:
        """What of the query string could not be used (an ``evidence`` that names no published phenomenon too)."""
        if self.flt.evidence and self.evidence is None:
            return (
                *self.flt.problems,
                Problem("warning.unknown_value", (("param", "evidence"), ("value", self.flt.evidence))),
            )
        return self.flt.problems

    # ---- the published half-year analysis -----------------------------------------------
    @property
    def analysis_key(self) -> tuple[str, dt.date, dt.date] | None:
        """(county, from, to) when the filter is one county and a whole period (else no analysis applies)."""
        flt = self.flt
        if len(flt.county) != 1 or flt.date_from is None or flt.date_to is None:
            return None
        return flt.county[0], flt.date_from, flt.date_to

    @cached_property
    def analysed_periods(self) -> pd.DataFrame:
        return access.cached("analysed-periods", qa.analysed_periods)

    @cached_property
    def analysis(self) -> qa.PublishedAnalysis | None:
        """The coordinator's published analysis of exactly this county and period, or None.
        A filter that only partly matches an analysed period (another period, several counties)
        shows none: its bullets and counts are about that period's reports (see ``analysis_offers``)."""
        key = self.analysis_key
        if key is None:
            return None
        # Looked up once per database version and key (the analysed periods' frame was filtered with
        # pandas on every change of a county and whole period).
        return access.memo("analysis-of", key, lambda _: self._published(key))

    def _published(self, key: tuple[str, dt.date, dt.date]) -> qa.PublishedAnalysis | None:
        periods = self.analysed_periods
        found = periods[
            (periods["county_code"] == key[0])
            & (pd.to_datetime(periods["period_from"]).dt.date == key[1])
            & (pd.to_datetime(periods["period_to"]).dt.date == key[2])
        ]
        if found.empty:
            return None
        return access.memo("analysis", key, lambda cur: qa.published(cur, *key))

    @cached_property
    def analysis_offers(self) -> list[tuple[str, dt.date, dt.date]]:
        """Analysed periods of the filter's counties that overlap its period, when it has no analysis of its own."""
        if self.analysis is not None or not self.flt.county:
            return []
        start, end = self.flt.date_from or dt.date.min, self.flt.date_to or dt.date.max
        out = []
        for row in self.analysed_periods.itertuples():
            first, last = pd.Timestamp(row.period_from).date(), pd.Timestamp(row.period_to).date()
            if row.county_code in self.flt.county and first <= end and last >= start:
                out.append((row.county_code, first, last))
        return out

    @cached_property
    def evidence(self) -> dict | None:
        """The published phenomenon whose reports the filter shows (``evidence``), or None."""
        if not self.flt.evidence:
            return None
        return access.memo("phenomenon", self.flt.evidence, lambda cur: qa.published_phenomenon(cur, self.flt.evidence))

    @property
    def in_memory(self) -> bool:
        """Whether the counts come from the reports' columns in memory (``queries.columnar``):
        every filter but the free text and a phenomenon's reports, which are counted in SQL.
        Both give the same numbers (``tests/test_columnar.py``)."""
        return columnar.supports(self.flt)

    @cached_property
    def summary(self) -> q.Summary:
        if self.in_memory:
            return access.memo("summary", self.flt.key, lambda _: columnar.summary(access.columns(), self.flt))
        return access.memo("summary", self.flt.key, lambda cur: q.summary(cur, self.flt))

    @cached_property
    def _trend_counts(self) -> pd.DataFrame:
        whole = self.flt.whole_time
        if self.in_memory:
            return access.memo("trend", whole.key, lambda _: columnar.trend(access.columns(), whole))
        return access.memo("trend", whole.key, lambda cur: q.trend(cur, whole))

    @cached_property
    def trend(self) -> pd.DataFrame:
        return label_trend(self._trend_counts, self.vocab, self.lang)

    @property
    def total(self) -> int:
        return self.summary.total

    def counts(self, dimension: str) -> pd.DataFrame:
        """code, label, count, share of one dimension, largest first (labelled once per context)."""
        if dimension not in self._labelled:
            self._labelled[dimension] = counts_frame(self.count_rows(dimension))
        return self._labelled[dimension]

    def count_rows(self, dimension: str) -> list[figures.CountRow]:
        """:meth:`counts` as plain (code, label, count, share) rows (what the charts read)."""
        if dimension not in self._rows:
            self._rows[dimension] = labelled_rows(
                self.summary.counts.rows(dimension), dimension, self.total, self.vocab, self.lang
            )
        return self._rows[dimension]

    @cached_property
    def _labelled(self) -> dict[str, pd.DataFrame]:
        return {}

    @cached_property
    def _rows(self) -> dict[str, list[figures.CountRow]]:
        return {}

    @cached_property
    def demo(self) -> bool:
        return access.is_demo()

    @cached_property
    def presets(self) -> list[Preset]:
        return access.cached("presets", lambda cur: presets(*codes.report_date_range(cur)))

    @cached_property
    def counties(self) -> list[str]:
        """Counties that have reports."""
        return access.cached("counties", codes.counties_with_reports)

    @property
    def preset_value(self) -> str:
        return preset_key(self.flt.date_from, self.flt.date_to, self.presets)

    @property
    def county_options(self) -> list[dict]:
        """Counties with reports, plus any the link asks for (a dropdown drops
        values it has no option for, which would silently widen the view)."""
        codes_ = self.counties + [code for code in self.flt.county if code not in self.counties]
        return self.vocab.options("county", self.lang, codes_)

    def caption(self, whole_time: bool = False) -> str:
        if whole_time:  # every report of the whole time is in one of the trend's half-years
            return self.flt.whole_time.caption(self.vocab, int(self._trend_counts["count"].sum()))
        return self.flt.caption(self.vocab, self.total)

    def title_parts(self) -> list[str]:
        """What the document title names besides the view: the caption's filters and the
        period by its short name ('Päijät-Häme', 'syksy 2024')."""
        flt, lang = self.flt, self.lang
        period = period_name(flt.date_from, flt.date_to, lang) or fmt_date_range(flt.date_from, flt.date_to, lang)
        return [*flt.caption_parts(self.vocab, lang)[:-1], period or t("caption.all_time", lang)]

    @property
    def source(self) -> str:
        return t("source.reports_demo" if self.demo else "source.reports", self.lang)

    def type_labels(self) -> dict[str, str]:
        return {
            code: self.vocab.label("observation_type", code, self.lang) for code in self.vocab.codes("observation_type")
        }

    def reading(self, limit: int, highlights_first: bool = False) -> tuple[pd.DataFrame, int]:
        """Publishable reports with their texts, newest (or the coordinator's highlights) first."""
        publishable = self.total - self.summary.unpublished
        if self.in_memory:

            def from_columns(cur) -> tuple[pd.DataFrame, int]:
                # The page's keys and links from memory, the texts of those reports only from DuckDB.
                keys, links, total = columnar.page(access.columns(), self.flt, limit, 0, highlights_first)
                return q.reading_rows(cur, keys, links, highlights_first), total

            return access.memo("reading", (self.flt.key, limit, highlights_first), from_columns)
        return access.memo(
            "reading",
            (self.flt.key, limit, highlights_first),
            lambda cur: q.reading_pane(
                cur, self.flt, limit=limit, highlights_first=highlights_first, total=publishable
            ),
        )

    def reading_records(self, limit: int) -> tuple[list[dict], int]:
        """:meth:`reading` as records (a dict per report), what the reading pane's cards read:
        from the columns in memory and the page's texts, no frame built."""
        if not self.in_memory:
            frame, total = self.reading(limit)
            return frame.to_dict("records"), total

        def compute(cur) -> tuple[list[dict], int]:
            keys, links, total = columnar.page(access.columns(), self.flt, limit)
            return q.reading_records(cur, keys, links), total

        return access.memo("reading", (self.flt.key, limit, "records"), compute)

    def dimension_counts(self, dimension: str) -> tuple[int, pd.DataFrame]:
        """(reports, labelled counts of one dimension): the summary's when it is at
        hand, else one light statement (the period comparison)."""
        if "summary" in self.__dict__ or access.memo_has("summary", self.flt.key):
            return self.total, self.counts(dimension)
        if self.in_memory:
            total, counts = access.memo(
                "dimension",
                (self.flt.key, dimension),
                lambda _: columnar.dimension_counts(access.columns(), self.flt, dimension),
            )
        else:
            total, counts = access.memo(
                "dimension", (self.flt.key, dimension), lambda cur: q.dimension_counts(cur, self.flt, dimension)
            )
        return total, labelled(counts, dimension, total, self.vocab, self.lang)

    def table_page(self, offset: int, limit: int, sort: str | None = None, descending: bool = False) -> pd.DataFrame:
        """One page of the report table (the grid asks for the rows it shows), labelled.
        The page's rows depend on the language only when sorted by a label."""
        order: tuple[str, ...] = ()
        if sort in q.LABEL_SORTS:
            dimension = sort
            order = tuple(
                sorted(self.vocab.codes(dimension), key=lambda c: (self.vocab.label(dimension, c, self.lang), c))
            )
        page = access.memo(
            "table-page",
            (self.flt.key, offset, limit, sort, descending, order),
            lambda cur: q.report_page(cur, self.flt, offset, limit, sort, descending, order),
        )
        return label_rows(page, self.vocab, self.lang)

    def prefetch(self, periods: tuple[tuple[dt.date, dt.date], ...] = (), dimension: str = "theme") -> None:
        """Count what a filter change shows in one statement (``queries.reports.view_counts``):
        the summary, the trend and, for the period comparison, each period's reports and
        ``dimension``; kept as the memos that :attr:`summary`, :attr:`trend` and
        :meth:`dimension_counts` read, so each of them then answers from memory. Nothing
        when the summary is known already (each is then one memo away)."""
        flt = self.flt
        if "summary" in self.__dict__ or access.memo_has("summary", flt.key):
            return
        dated = [flt.with_values(date_from=start, date_to=end) for start, end in periods]

        def compute(cur) -> dict[tuple[str, object], object]:
            if self.in_memory:
                counts = columnar.view_counts(access.columns(), flt, tuple(periods), dimension)
            else:
                counts = q.view_counts(cur, flt, tuple(periods), dimension)
            out: dict[tuple[str, object], object] = {
                ("summary", flt.key): counts.summary,
                ("trend", flt.whole_time.key): counts.trend,
            }
            for period, value in zip(dated, counts.periods):
                if period.key != flt.key:
                    out[("dimension", (period.key, dimension))] = value
            return out

        access.prime(compute)

    def with_filter(self, flt: ReportFilter) -> ReportContext:
        return ReportContext(flt=flt, vocab=self.vocab, raw_query=flt.to_query())


# ---- labels, applied here from the vocabulary (the queries return codes) -------------------


def labelled_rows(
    counts: pd.DataFrame | list[tuple[str, int]], dimension: str, total: int, vocab: Vocabulary, lang: str
) -> list[figures.CountRow]:
    """(code, label, count, share of all filtered reports) rows, largest first, ties in
    the code list's order. A report counts once for each of its values, so
    the counts of a multi-valued dimension can sum to more than ``total``."""
    order = {code: i for i, code in enumerate(vocab.codes(dimension))}
    pairs = zip(counts["code"].tolist(), counts["count"].tolist()) if isinstance(counts, pd.DataFrame) else counts
    rows = sorted(pairs, key=lambda r: (-r[1], order.get(r[0], len(order))))
    return [(r[0], vocab.label(dimension, r[0], lang), int(r[1]), (r[1] / total) if total else 0.0) for r in rows]


def counts_frame(rows: list[figures.CountRow]) -> pd.DataFrame:
    """The rows of :func:`labelled_rows` as a frame: code, label, count, share."""
    return pd.DataFrame(
        {
            "code": [r[0] for r in rows],
            "label": [r[1] for r in rows],
            "count": pd.Series([r[2] for r in rows], dtype="int64"),
            "share": [r[3] for r in rows],
        }
    )


def labelled(counts: pd.DataFrame, dimension: str, total: int, vocab: Vocabulary, lang: str) -> pd.DataFrame:
    """:func:`labelled_rows` as a frame (code, label, count, share)."""
    return counts_frame(labelled_rows(counts, dimension, total, vocab, lang))


def label_trend(frame: pd.DataFrame, vocab: Vocabulary, lang: str) -> pd.DataFrame:
    """The trend's counts with each half-year's name ('tammi–kesäkuu 2024'), its code
    ('1–6/2024', the same in every language), its axis label and the type's label."""
    halves = list(zip(frame["year"], frame["half"]))
    return frame.assign(
        period=[half_year_name(y, h, lang) for y, h in halves],
        period_code=[half_year_code(y, h) for y, h in halves],
        tick=[half_year_tick(y, h, lang) for y, h in halves],
        label=[vocab.label("observation_type", c, lang) for c in frame["observation_type"]],
    )


def _codes(value) -> tuple[str, ...]:
    """A list cell of a query's frame (a list or an array; missing when a report has none)."""
    return tuple(value) if isinstance(value, (list, tuple, np.ndarray)) else ()


def label_rows(frame: pd.DataFrame, vocab: Vocabulary, lang: str) -> pd.DataFrame:
    """Rows of the report table (``queries.reports.report_page``/``report_chunks``,
    by code) with the labels a reader sees: the county, service unit, observation
    type and follow-up status by name; the areas, target groups and themes as
    names joined by '; ' in the code lists' order (``area_codes`` keeps the codes)."""
    joined: dict[tuple, str | None] = {}
    order = {d: {code: i for i, code in enumerate(vocab.codes(d))} for d in ("area", "target_group", "theme")}

    def names(dimension: str, codes) -> str | None:
        key = (dimension, *_codes(codes))
        if key not in joined:
            ranked = sorted(key[1:], key=lambda c: order[dimension].get(c, len(order[dimension])))
            joined[key] = "; ".join(vocab.label(dimension, c, lang) for c in ranked) if ranked else None
        return joined[key]

    def single(dimension: str, column: str) -> list[str]:
        return [vocab.label(dimension, code, lang) for code in frame[column]]

    areas = [names("area", codes) or "" for codes in frame["areas"]]
    area_codes = ["; ".join(sorted(_codes(codes), key=lambda c: order["area"].get(c, 0))) for codes in frame["areas"]]
    return pd.DataFrame(
        {
            "report_id": frame["report_id"],
            "submitted_on": frame["submitted_on"],
            "county": single("county", "county_code"),
            "service_unit": single("service_unit", "service_unit"),
            "areas": areas,
            "area_codes": area_codes,
            "target_groups": [names("target_group", codes) for codes in frame["target_groups"]],
            "themes": [names("theme", codes) for codes in frame["themes"]],
            "observation_type": single("observation_type", "observation_type"),
            "observation_type_code": frame["observation_type"],
            "publishable": frame["publishable"],
            "observation": frame["observation"],
            "client_voice": frame["client_voice"],
            "proposal": frame["proposal"],
            "followup_status": single("followup_status", "followup_status"),
            "handled_in": frame["handled_in"],
            "forwarded_to": frame["forwarded_to"],
            "followup_action": frame["followup_action"],
        },
        index=frame.index,
    )


# ---- chart entries ---------------------------------------------------------------------


def _count_table(rows: list[figures.CountRow], heading: str, lang: str) -> Table:
    return Table(
        columns=(Column(heading), Column(t("table.count", lang), "int"), Column(t("table.share", lang), "share")),
        rows=tuple((label, int(count), float(share)) for _, label, count, share in rows),
    )


def _counts_chart(
    ctx: ReportContext,
    name: str,
    style: Typography,
    *,
    dimension: str,
    title: str,
    max_bars: int | None = None,
    slide_bars: int | None = None,
    multi: bool = False,
    click: str | None = None,
    heading: str = "table.value",
) -> Rendered:
    """``max_bars`` on screen (the first charts stay above the fold), ``slide_bars``
    on a slide and in the deck, which have the height for more; the table and the
    chart's data have all."""
    lang = ctx.lang
    max_bars = max_bars if style.framed else (slide_bars or max_bars)
    rows = ctx.count_rows(dimension)
    # The caption says how the shares are rounded (the county's rule for the medium).
    caption = f"{ctx.caption()} · {share_note(style, lang)}"
    drawing = Drawing(name, t(title, lang), caption, ctx.source, t("chart.multi_note", lang) if multi else None)
    selected = getattr(ctx.flt, click, ()) if click else ()
    figure = figures.bar_counts(rows, drawing.text, lang, selected=selected, max_bars=max_bars, style=style)
    if not rows:
        alt = t("chart.empty", lang)
    else:
        _, top_label, top_count, top_share = rows[0]
        alt = tn(
            "chart.summary_top",
            int(top_count),
            lang,
            label=top_label,
            share=share_text(float(top_share), lang, style),
        )
        if max_bars and len(rows) > max_bars:
            alt += " " + t("chart.top_n", lang, n=max_bars, total=len(rows))

    def chart_data():
        frame = ctx.counts(dimension)
        return chart_rows(
            category=frame["label"], category_code=frame["code"], value=frame["count"], share=frame["share"]
        )

    return drawing.done(
        figure,
        _count_table(rows, t(heading, lang), lang),
        alt,
        rows=chart_data,
        native=Native(
            "bars",
            drawn=max_bars,
            name=t("table.count", lang),
            selected=tuple(selected),
            label=lambda count, share: figures.count_label(count, share, lang, style),
        ),
        empty=not rows,
    )


def _trend_chart(ctx: ReportContext, name: str, style: Typography, *, title: str = "chart.trend") -> Rendered:
    """Every half-year for context (the caption says 'koko aika'); the chosen period outlined."""
    lang = ctx.lang
    df = ctx.trend
    drawing = Drawing(name, t(title, lang), ctx.caption(whole_time=True), ctx.source)
    labels = ctx.type_labels()
    figure = figures.trend(
        df,
        drawing.text,
        lang,
        labels,
        highlight=overlapping_half_years(df, ctx.flt.date_from, ctx.flt.date_to),
        style=style,
    )
    present = set(df["observation_type"].tolist())
    types = [c for c in TYPES if c in present]
    # Each half-year's counts by type (a few dozen rows: plain Python, not a pandas pivot).
    wide: dict[tuple, dict[str, int]] = {}
    for year, half, period, code, count in zip(
        df["year"].tolist(),
        df["half"].tolist(),
        df["period"].tolist(),
        df["observation_type"].tolist(),
        df["count"].tolist(),
    ):
        cells = wide.setdefault((int(year), int(half), period), {})
        cells[code] = cells.get(code, 0) + int(count)
    rows = tuple(
        (period, *[cells.get(c, 0) for c in types], sum(cells.get(c, 0) for c in types))
        for (_, _, period), cells in sorted(wide.items(), key=lambda item: item[0][:2])
    )
    table = Table(
        columns=(
            Column(t("chart.half_year", lang)),
            *[Column(labels[c], "int") for c in types],
            Column(t("kpi.reports", lang), "int"),
        ),
        rows=rows,
    )
    if rows:
        peak = max(rows, key=lambda r: r[-1])
        alt = t(
            "chart.trend_alt",
            lang,
            first=rows[0][0],
            last=rows[-1][0],
            n=fmt_number(rows[-1][-1], lang),
            peak=peak[0],
            peak_n=fmt_number(peak[-1], lang),
        )
    else:
        alt = t("chart.empty", lang)

    def long() -> pd.DataFrame:
        # Each half-year's reports by type (a share of the half-year's reports); half-years in order.
        totals = df.groupby("period")["count"].transform("sum") if not df.empty else []
        return chart_rows(
            category=df["period"],
            category_code=df["period_code"],
            series=df["label"],
            series_code=df["observation_type"],
            value=df["count"],
            share=(df["count"] / totals) if not df.empty else [],
        )

    return drawing.done(figure, table, alt, rows=long, native=Native("stacked", lines=TYPES, fill=0.0), empty=df.empty)


def counts_chart(
    name: str,
    title: str,
    dimension: str | None = None,
    click: str | None = None,
    width: int = 6,
    slide: str = OWN_SLIDE,
    **options,
) -> Chart:
    return Chart(
        name=name,
        render_with=_counts_chart,
        click=click,
        width=width,
        slide=slide,
        options={"dimension": dimension or name, "title": title, "click": click, **options},
    )


REPORTS = Catalogue(
    "reports",
    [
        counts_chart(
            "theme", "chart.themes", click="theme", max_bars=8, slide_bars=12, multi=True, heading="filter.theme"
        ),
        counts_chart(
            "target_group", "chart.target_groups", click="target_group", multi=True, heading="filter.target_group"
        ),
        counts_chart("area", "chart.areas", click="municipality", max_bars=15, multi=True, heading="ind.region"),
        counts_chart("service_unit", "chart.units", click="service_unit", heading="filter.unit"),
        Chart("trend", _trend_chart, click="period", width=12),
        counts_chart(
            "observation_type", "chart.types", click="observation_type", heading="filter.type", slide=KEY_FIGURES
        ),
        counts_chart("followup_status", "chart.followup", click="followup_status", heading="filter.status"),
    ],
    context=ReportContext,
    # The half-year deck's order (seed 001): the types beside the key figures, then areas,
    # target groups, themes; the page puts the themes first.
    slide_order=("observation_type", "area", "target_group", "theme", "service_unit", "trend", "followup_status"),
)
OVERVIEW = REPORTS.subset("overview", ["theme", "target_group", "trend"], widths={"trend": 12})


def kpis(ctx: ReportContext, style: Typography = SCREEN) -> list[tuple[str, str, int, str | None]]:
    """(key, label, value, share text) of the key figures: reports and each observation type,
    the shares rounded by the medium's rule (``style=SLIDE`` on slides and in the deck)."""
    lang, total = ctx.lang, ctx.total
    decimals = share_decimals(style)
    by_type = dict(ctx.summary.counts.rows("observation_type"))
    out: list[tuple[str, str, int, str | None]] = [("total", t("kpi.reports", lang), total, None)]
    for code in TYPES:
        n = int(by_type.get(code, 0))
        out.append((code, t(f"kpi.{code}", lang), n, share_text(n / total, lang, decimals=decimals) if total else None))
    return out


__all__ = ["ReportContext", "REPORTS", "OVERVIEW", "kpis", "reports_phrase"]
