"""The phenomenon view's timeline: a theme's reports per half-year and the
theme's indicators on one shared time axis (years), stacked panels, with the
chosen report period shaded across all of them. Pure: DataFrames in, a plotly
figure dict out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..core.formatting import fmt_number
from .indicators import hidden_labels, localised
from .style import (
    GRID,
    INK,
    MUTED,
    SCREEN,
    SERIES_COLOURS,
    SERIES_DASH,
    SERIES_SYMBOL,
    TYPE_STYLE,
    ChartText,
    Figure,
    Typography,
    frame,
    legend_top,
    text_width,
)

PERIOD_FILL = "rgba(245,158,11,0.18)"
PERIOD_LINE = "#b45309"


@dataclass(frozen=True)
class Panel:
    """One indicator's panel: its title (with its unit), unit and one line per
    region (``year, value, suppressed``)."""

    title: str
    unit: str
    decimals: int
    lines: tuple[tuple[str, pd.DataFrame], ...]


def year_position(day: dt.date, end: bool = False) -> float:
    """A date on the year axis, where year Y spans [Y - 0.5, Y + 0.5]."""
    start = dt.date(day.year, 1, 1)
    days = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year - 0.5 + ((day - start).days + (1 if end else 0)) / days


def half_position(year: int, half: int) -> float:
    """The middle of a calendar half-year on the year axis."""
    return year - 0.25 if half == 1 else year + 0.25


def year_span(trend: pd.DataFrame, panels: list[Panel], before: int = 3) -> tuple[int, int] | None:
    """The years the axis shows: every year with reports, every year with an
    indicator value from ``before`` years before the first report on."""
    report_years = {int(y) for y in trend["year"]} if not trend.empty else set()
    indicator_years = {int(y) for p in panels for _, df in p.lines for y in df["year"]}
    if report_years:
        indicator_years = {y for y in indicator_years if y >= min(report_years) - before}
    years = report_years | indicator_years
    return (min(years), max(years)) if years else None


def _short(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _panel_title(panel: Panel, style: Typography) -> str:
    """A panel's title on one line of the plot: 110 characters at the screen's 12 px, fewer at
    the slides' 18 px (a 1280 px wide slide clipped a longer one). A long name is shortened, never
    its unit in brackets at the end."""
    room = int(110 * 12 / (style.tick - 1))
    unit = f" ({panel.unit})"
    if panel.unit and panel.title.endswith(unit):
        return _short(panel.title[: -len(unit)], room - len(unit)) + unit
    return _short(panel.title, room)


def timeline(
    trend: pd.DataFrame,
    panels: list[Panel],
    text: ChartText,
    lang: str,
    type_labels: dict[str, str],
    reports_title: str,
    period_label: str,
    suppressed_label: str,
    empty_message: str,
    mark: tuple[dt.date, dt.date] | None = None,
    height: int = 460,
    style: Typography = SCREEN,
) -> Figure:
    """Reports per half-year (stacked by observation type, the total above each
    bar) in the top panel and one panel per indicator below it, every panel on
    the same year axis; ``mark`` (the chosen report period) is shaded across
    all panels and named above them."""
    span = year_span(trend, panels)
    layout = frame(text, height, style, left=16, top_extra=62, bottom_extra=24)
    if span is None:
        layout["annotations"].append(
            {
                "text": empty_message,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": style.body + 2, "color": MUTED},
            }
        )
        layout["xaxis"] = {"visible": False}
        layout["yaxis"] = {"visible": False}
        return {"data": [], "layout": layout}
    first, last = span
    n = len(panels)
    gap = 0.08  # of the plot height, between panels (room for a panel's title)
    report_share = 0.36 if n else 1.0
    share = (1 - report_share - gap * n) / n if n else 0
    domains = [(1 - report_share, 1.0)]
    top = 1 - report_share - gap
    for _ in range(n):
        domains.append((max(0.0, top - share), top))
        top -= share + gap
    traces: list[dict] = []
    # Reports: stacked bars per half-year.
    totals = trend.groupby(["year", "half"])["count"].sum() if not trend.empty else pd.Series(dtype=int)
    for code, (colour, pattern) in TYPE_STYLE.items():
        part = trend[trend["observation_type"] == code]
        if part.empty:
            continue
        label = type_labels.get(code, code)
        traces.append(
            {
                "type": "bar",
                "x": [half_position(int(y), int(h)) for y, h in zip(part["year"], part["half"])],
                "y": [int(c) for c in part["count"]],
                "name": label,
                "width": 0.42,
                "xaxis": "x",
                "yaxis": "y",
                "marker": {
                    "color": colour,
                    "pattern": {"shape": pattern, "fgcolor": "rgba(255,255,255,0.55)", "fillmode": "overlay"},
                },
                "customdata": list(part["period"]),
                "hovertemplate": f"{label} %{{customdata}}: %{{y}}<extra></extra>",
                "legendgroup": "reports",
            }
        )
    if not totals.empty:
        traces.append(
            {
                "type": "scatter",
                "mode": "text",
                "x": [half_position(int(y), int(h)) for y, h in totals.index],
                "y": [int(v) for v in totals],
                "text": [fmt_number(int(v), lang) for v in totals],
                "textposition": "top center",
                "textfont": {"size": style.value - 2, "color": INK},
                "hoverinfo": "skip",
                "showlegend": False,
                "cliponaxis": False,
                "xaxis": "x",
                "yaxis": "y",
            }
        )
    report_top = float(totals.max()) if not totals.empty else 1.0
    layout["barmode"] = "stack"
    axis_font = {"size": style.tick - 1}
    layout["yaxis"] = {
        "domain": list(domains[0]),
        "anchor": "x",
        "gridcolor": GRID,
        "rangemode": "tozero",
        "range": [0, report_top * 1.3],
        "nticks": 4,
        "tickfont": axis_font,
        "fixedrange": True,
        "automargin": False,
    }
    titles = [(reports_title, domains[0][1])]
    if trend.empty:  # indicators only: the reports' panel says it has none
        layout["annotations"].append(
            {
                "text": empty_message,
                "x": 0.5,
                "xref": "paper",
                "y": sum(domains[0]) / 2,
                "yref": "paper",
                "showarrow": False,
                "font": {"size": style.body, "color": MUTED},
            }
        )
    # Indicators: one panel each, region and country as lines.
    names_in_legend: set[str] = set()
    latest: list[tuple[int, float, int]] = []
    plot_height = height - layout["margin"]["t"] - layout["margin"]["b"]
    widest_tick = text_width(fmt_number(report_top * 1.3, lang), style.tick - 1, style)
    for k, panel in enumerate(panels, start=2):
        axis = f"y{k}"
        values = [float(v) for _, df in panel.lines for v in df["value"] if pd.notna(v)]
        peak = max(values) if values else 1.0
        for i, (label, df) in enumerate(panel.lines):
            df = df[(df["year"] >= first) & (df["year"] <= last)]
            if df.empty:
                continue
            texts = [
                h or ("" if pd.isna(v) else fmt_number(float(v), lang, panel.decimals))
                for v, h in zip(df["value"], hidden_labels(df, suppressed_label))
            ]
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": [int(y) for y in df["year"]],
                    "y": [None if pd.isna(v) else float(v) for v in df["value"]],
                    "name": label,
                    "legendgroup": label,
                    "legend": "legend2",
                    "showlegend": label not in names_in_legend,
                    "xaxis": "x",
                    "yaxis": axis,
                    "text": texts,
                    "line": {"color": SERIES_COLOURS[i % 4], "dash": SERIES_DASH[i % 4], "width": 2.5},
                    "marker": {"symbol": SERIES_SYMBOL[i % 4], "size": 6, "color": SERIES_COLOURS[i % 4]},
                    "hovertemplate": f"{panel.title}<br>{label} %{{x}}: %{{text}} {panel.unit}<extra></extra>",
                }
            )
            names_in_legend.add(label)
            last_row = df.dropna(subset=["value"]).tail(1)
            if not last_row.empty:
                latest.append((int(last_row["year"].iloc[0]), float(last_row["value"].iloc[0]), i))
        # The latest value at each line's end, so the panel reads without hovering;
        # labels closer than a line of text are pushed apart.
        panel_px = (domains[k - 1][1] - domains[k - 1][0]) * plot_height
        row = style.value + 4  # a label's height with its padding
        placed: list[float] = []
        for year, value, i in sorted(latest, key=lambda item: -item[1]):
            shift = 0.0
            y_px = value / (peak * 1.25) * panel_px
            if placed and placed[-1] - y_px < row:
                shift = -(row - (placed[-1] - y_px))
            placed.append(y_px + shift)
            layout["annotations"].append(
                {
                    "x": year,
                    "xref": "x",
                    "y": value,
                    "yref": axis,
                    "xanchor": "left",
                    "xshift": 6,
                    "yshift": shift,
                    "text": fmt_number(value, lang, panel.decimals),
                    "showarrow": False,
                    "bgcolor": "rgba(255,255,255,0.85)",
                    "font": {"size": style.value - 2, "color": SERIES_COLOURS[i % 4]},
                    "borderpad": 1,
                }
            )
        latest.clear()
        layout[f"yaxis{k}"] = {
            "domain": list(domains[k - 1]),
            "anchor": "x",
            "gridcolor": GRID,
            "range": [0, peak * 1.25],
            "nticks": 3,
            "tickfont": axis_font,
            "fixedrange": True,
            "automargin": False,
        }
        widest_tick = max(widest_tick, text_width(fmt_number(peak * 1.25, lang, panel.decimals), style.tick - 1, style))
        titles.append((_panel_title(panel, style), domains[k - 1][1]))
    left = int(widest_tick) + 24
    layout["margin"]["l"] = left
    layout["margin"]["r"] = 56  # room for the latest values at the lines' ends
    # The source line is anchored to the left margin: keep it at the image's left edge.
    layout["annotations"][0]["xshift"] = -left + 16
    bottom_axis = f"y{n + 1}" if n else "y"
    boundaries = [y + 0.5 for y in range(first, last)]
    layout["xaxis"] = {
        "anchor": bottom_axis,
        "range": [first - 0.5, last + 0.5],
        "tickvals": list(range(first, last + 1)),
        "ticktext": [str(y) for y in range(first, last + 1)],
        "tickfont": {"size": style.tick},
        "showgrid": False,
        "fixedrange": True,
        "automargin": False,
        "ticks": "",
        "minor": {"tickvals": boundaries, "showgrid": True, "gridcolor": GRID, "ticks": ""},
    }
    for title, top_edge in titles:
        layout["annotations"].append(
            {
                "text": f"<b>{title}</b>",
                "x": 0,
                "xref": "paper",
                "y": top_edge,
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "yshift": 2,
                "showarrow": False,
                "font": {"size": style.tick - 1, "color": INK},
                "align": "left",
            }
        )
    if mark:
        x0, x1 = max(year_position(mark[0]), first - 0.5), min(year_position(mark[1], end=True), last + 0.5)
        if x1 > x0:  # the period shaded across every panel, named in the legend
            layout["shapes"] = [
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "paper",
                    "x0": x0,
                    "x1": x1,
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": PERIOD_FILL,
                    "line": {"color": PERIOD_LINE, "width": 1, "dash": "dot"},
                    "layer": "below",
                    "name": period_label,
                    "showlegend": True,
                    "legend": "legend2",
                }
            ]
    # Two legends on one row above the panels: the observation types at the left,
    # the regions' lines and the shaded period at the right.
    layout.update(legend_top(style))
    layout["legend"]["y"] = 1 + 24 / plot_height
    layout["legend2"] = {**layout["legend"], "x": 1, "xanchor": "right"}
    return localised({"data": traces, "layout": layout}, lang)
