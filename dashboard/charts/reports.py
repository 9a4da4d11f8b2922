"""Pure figure builders for the report charts: DataFrame in, plotly figure
dict out. No data access, no Dash."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..core.formatting import fmt_number, fmt_share
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


def bar_counts(
    df: pd.DataFrame,
    text: ChartText,
    lang: str = "fi",
    selected: tuple[str, ...] = (),
    max_bars: int | None = None,
    style: Typography = SCREEN,
) -> Figure:
    """Horizontal bars of report counts per value (``code, label, count, share``),
    largest on top, each labelled '13 (32,5 %)'. Clicking a bar gives its code
    as ``customdata``."""
    if df.empty:
        return empty(text, t("chart.empty", lang), style)
    data = df.head(max_bars) if max_bars else df
    data = data.iloc[::-1]  # plotly draws the first category at the bottom
    labels = two_lines(list(data["label"]), 30 if style.framed else 40)
    values = [int(v) for v in data["count"]]
    texts = [f"{fmt_number(c, lang)} ({fmt_share(s, lang)})" for c, s in zip(values, data["share"])]
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
        "customdata": data["code"].tolist(),
        "text": texts,
        "textposition": "outside",
        "cliponaxis": False,
        "textfont": {"size": style.value, "color": INK},
        "marker": {
            "color": [BAR_SELECTED if code in selected else BAR for code in data["code"]],
            "line": {"color": INK, "width": [2 if code in selected else 0 for code in data["code"]]},
        },
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    return {"data": [trace], "layout": layout}


def trend(
    df: pd.DataFrame,
    text: ChartText,
    lang: str = "fi",
    type_labels: dict[str, str] | None = None,
    highlight: tuple[str, ...] = (),
    style: Typography = SCREEN,
) -> Figure:
    """Stacked bars of reports per half-year split by observation type
    (``period, year, half, observation_type, label, count``); the periods in
    ``highlight`` get a dark outline."""
    if df.empty:
        return empty(text, t("chart.empty", lang), style)
    order = df.drop_duplicates(["year", "half"]).sort_values(["year", "half"])
    periods = order["period"].tolist()
    totals = df.groupby("period")["count"].sum()
    x = [p.replace("/", "<br>") for p in periods]
    traces: list[dict[str, Any]] = []
    for code, (colour, pattern) in TYPE_STYLE.items():
        part = df[df["observation_type"] == code].set_index("period")["count"]
        if part.empty:
            continue
        label = (type_labels or {}).get(code, code)
        traces.append(
            {
                "type": "bar",
                "x": x,
                "y": [int(part.get(p, 0)) for p in periods],
                "name": label,
                "customdata": [[code, p] for p in periods],
                "marker": {
                    "color": colour,
                    "pattern": {"shape": pattern, "fgcolor": "rgba(255,255,255,0.55)", "fillmode": "overlay"},
                    "line": {"color": INK, "width": [2.5 if p in highlight else 0 for p in periods]},
                },
                "hovertemplate": f"{label} %{{x}}: %{{y}}<extra></extra>",
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
        "range": [0, max(totals) * 1.18],
        "tickfont": {"size": style.tick},
        "fixedrange": True,
        "automargin": False,
    }
    layout["xaxis"] = {"type": "category", "tickfont": {"size": style.tick}, "fixedrange": True}
    return {"data": traces, "layout": layout}
