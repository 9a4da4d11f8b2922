"""Pure figure builders for the report charts: DataFrame in, plotly figure
dict out. No data access, no Dash."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..core.formatting import fmt_number
from ..core.i18n import t
from .style import (
    BAR,
    BAR_SELECTED,
    GRID,
    INK,
    SCREEN,
    TYPE_STYLE,
    ChartText,
    Figure,
    Typography,
    empty,
    frame,
    legend_top,
    share_decimals,
    share_text,
    text_width,
    wrap,
)


def two_lines(labels: list[str], width: int) -> list[str]:
    """Labels wrapped at the narrowest width (from ``width``) that keeps each to two lines."""
    for w in range(width, 61, 2):
        wrapped = [wrap(label, w) for label in labels]
        if all(x.count("<br>") <= 1 for x in wrapped):
            return wrapped
    return wrapped


def count_label(count: float, share: float, lang: str = "fi", style: Typography = SCREEN) -> str:
    """A bar's value label: '16 (40 %)' (the screen, the slides and the deck say the same), the
    share rounded by the county's rule for the medium."""
    return f"{fmt_number(int(count), lang)} ({share_text(share, lang, style)})"


CountRow = tuple[str, str, int, float]  # code, label, count, share


def count_rows(df: pd.DataFrame | Sequence[CountRow]) -> list[CountRow]:
    """(code, label, count, share) rows of a counts frame (a list of such rows as it is)."""
    if isinstance(df, pd.DataFrame):
        return list(zip(df["code"].tolist(), df["label"].tolist(), df["count"].tolist(), df["share"].tolist()))
    return list(df)


def bar_counts(
    df: pd.DataFrame | Sequence[CountRow],
    text: ChartText,
    lang: str = "fi",
    selected: tuple[str, ...] = (),
    max_bars: int | None = None,
    style: Typography = SCREEN,
) -> Figure:
    """Horizontal bars of report counts per value (``code, label, count, share``),
    largest on top, each labelled '13 (32,5 %)' (on a slide '13 (33 %)': ``share_decimals``). Clicking a bar gives its code
    as ``customdata``. Plain Python over the few rows (``count_rows``)."""
    rows = count_rows(df)
    if not rows:
        return empty(text, t("chart.empty", lang), style)
    data = rows[:max_bars] if max_bars else rows
    data = data[::-1]  # plotly draws the first category at the bottom
    codes = [r[0] for r in data]
    # A slide is wide: its labels stay on one line where they can, so a dozen bars never crowd
    # two-line labels into each other at 1280x720.
    labels = two_lines([r[1] for r in data], 30 if style.framed else 60)
    values = [int(r[2]) for r in data]
    decimals = share_decimals(style)  # the county's rule: whole percent on a slide, one decimal on the screen
    texts = [f"{fmt_number(c, lang)} ({share_text(r[3], lang, decimals=decimals)})" for c, r in zip(values, data)]
    # Every bar gets the same slot, as tall as the longest label needs.
    lines = len(labels) * max(label.count("<br>") + 1 for label in labels)
    left = int(max(text_width(label, style.tick, style) for label in labels)) + 28
    # The value labels sit right of the bars; assets/fit-labels.js widens the value axis
    # after each draw so that they stay inside the plot, whatever the chart's width.
    layout = frame(text, 0, style, left=left, top_extra=8)
    m = layout["margin"]
    m["r"] = 24
    row = style.tick * 1.3
    layout["height"] = max(220, int(m["t"] + m["b"] + row * lines + 8 * len(labels) + 16))
    # The bars carry their values, so the value axis shows none (it only crowded narrow charts).
    layout["xaxis"] = {"visible": False, "fixedrange": True, "autorange": True, "rangemode": "tozero"}
    layout["yaxis"] = {"ticks": "", "tickfont": {"size": style.tick}, "fixedrange": True, "automargin": False}
    # On a slide the chart fills the slide: a few bars stay bars, not blocks.
    layout["bargap"] = 0.3 if style.framed else max(0.3, 1 - 0.1 * len(labels))
    trace = {
        "type": "bar",
        "orientation": "h",
        "x": values,
        "y": labels,
        "customdata": codes,
        "text": texts,
        "textposition": "outside",
        "cliponaxis": False,
        "textfont": {"size": style.value, "color": INK},
        "marker": {
            "color": [BAR_SELECTED if code in selected else BAR for code in codes],
            "line": {"color": INK, "width": [2 if code in selected else 0 for code in codes]},
        },
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    return {"data": [trace], "layout": layout}


# The width the trend's bars get, in px, for deciding whether the half-years' names fit under
# them: a slide's plot (1280 px wide), and a narrow screen's (the reports view at 1280 px).
PLOT_WIDTH = {True: 820, False: 1080}  # by Typography.framed: the screen, a slide


def half_year_ticks(names: list[str], codes: list[str], style: Typography) -> tuple[list[str], bool]:
    """The trend's axis labels: the half-years' names ('tammi–kesä<br>2024') when they fit
    upright under their bars, else their codes ('1–6<br>2024', short in every language; the
    hover and the table keep the names); and whether they fit upright at all."""
    slot = PLOT_WIDTH[style.framed] / max(len(names), 1)
    if max((text_width(n, style.tick, style) for n in names), default=0) <= 0.9 * slot:
        return names, True
    short = [c.replace("/", "<br>") for c in codes]
    return short, max((text_width(c, style.tick, style) for c in short), default=0) <= 0.9 * slot


def trend(
    df: pd.DataFrame,
    text: ChartText,
    lang: str = "fi",
    type_labels: dict[str, str] | None = None,
    highlight: tuple[str, ...] = (),
    style: Typography = SCREEN,
) -> Figure:
    """Stacked bars of reports per half-year split by observation type
    (``period, period_code, tick, year, half, observation_type, label, count``); the
    periods in ``highlight`` get a dark outline. A bar's ``customdata`` is its type and
    its half-year's code ('1–6/2024')."""
    if df.empty:
        return empty(text, t("chart.empty", lang), style)
    # Plain Python over the few dozen rows (one per half-year and type).
    columns = {
        c: df[c].tolist() for c in ("year", "half", "period", "period_code", "tick", "observation_type", "count")
    }
    first: dict[tuple, tuple[str, str, str]] = {}  # (year, half) -> its period, code and tick, first row's
    totals: dict[str, int] = {}
    by_type: dict[str, dict[str, int]] = {}
    for year, half, period, period_code, tick, kind, count in zip(*columns.values()):
        first.setdefault((year, half), (period, period_code, tick))
        totals[period] = totals.get(period, 0) + count
        by_type.setdefault(kind, {})[period] = count
    order = [first[k] for k in sorted(first)]
    periods = [p for p, _, _ in order]
    codes = {p: c for p, c, _ in order}
    x, upright = half_year_ticks([tick for _, _, tick in order], [c for _, c, _ in order], style)
    traces: list[dict[str, Any]] = []
    for code, (colour, pattern) in TYPE_STYLE.items():
        part = by_type.get(code, {})
        if not part:
            continue
        label = (type_labels or {}).get(code, code)
        traces.append(
            {
                "type": "bar",
                "x": x,
                "y": [int(part.get(p, 0)) for p in periods],
                "name": label,
                "customdata": [[code, codes[p]] for p in periods],
                "marker": {
                    "color": colour,
                    "pattern": {"shape": pattern, "fgcolor": "rgba(255,255,255,0.55)", "fillmode": "overlay"},
                    "line": {"color": INK, "width": [2.5 if p in highlight else 0 for p in periods]},
                },
                "hovertext": periods,
                "hovertemplate": f"{label} %{{hovertext}}: %{{y}}<extra></extra>",
            }
        )
    traces.append(
        {
            "type": "scatter",
            "x": x,
            "y": [int(totals[p]) for p in periods],
            "mode": "text",
            "showlegend": False,
            "hoverinfo": "skip",
            "text": [fmt_number(int(totals[p]), lang) for p in periods],
            "textposition": "top center",
            "textfont": {"size": style.value, "color": INK},
        }
    )
    layout = frame(
        text, 400 if style.framed else 480, style, left=64 if style.framed else 80, top_extra=44, bottom_extra=24
    )
    layout.update(legend_top(style))
    layout.update(barmode="stack", bargap=0.25)
    layout["yaxis"] = {
        "title": {"text": t("chart.count", lang), "font": {"size": style.tick}},
        "gridcolor": GRID,
        "rangemode": "tozero",
        "range": [0, max(totals.values()) * 1.18],
        "tickfont": {"size": style.tick},
        "fixedrange": True,
        "automargin": False,
    }
    layout["xaxis"] = {"type": "category", "tickfont": {"size": style.tick}, "fixedrange": True}
    if upright:
        # Upright on two lines: turned, the names run off a slide's bottom edge.
        layout["xaxis"]["tickangle"] = 0
    return {"data": traces, "layout": layout}
