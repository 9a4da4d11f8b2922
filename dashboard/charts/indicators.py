"""Pure figure builders for indicators. Suppressed values never reach a
figure as numbers: the builders get NULLs and label them '< 5', or '..' when
the value was hidden to protect a small one (the ``secondary`` column)."""

from __future__ import annotations

import math

import pandas as pd
from babel.numbers import get_decimal_symbol, get_group_symbol

from ..core.formatting import fmt_number, locale_of
from ..core.i18n import t
from .style import (
    BAR,
    BAR_SELECTED,
    GRID,
    INK,
    MUTED,
    NO_DATA,
    SCREEN,
    SERIES_COLOURS,
    SERIES_DASH,
    SERIES_SYMBOL,
    SEX_STYLE,
    ChartText,
    Figure,
    Typography,
    empty,
    frame,
    legend_top,
    text_width,
    wrap,
)


def _fmt(value, decimals: int, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return fmt_number(value, lang, decimals)


PROTECTED = ".."


def hidden_labels(df: pd.DataFrame, suppressed_label: str) -> list[str | None]:
    """Per row: the label of a hidden value ('< 5', or '..' for a complement), None when shown."""
    secondary = df["secondary"] if "secondary" in df else [False] * len(df)
    return [
        (PROTECTED if is_set(sec) else suppressed_label) if is_set(s) else None
        for s, sec in zip(df["suppressed"], secondary)
    ]


def is_set(flag) -> bool:
    """A flag of a (possibly merged) frame: NaN and NA are false."""
    return flag is not None and flag is not pd.NA and not (isinstance(flag, float) and math.isnan(flag)) and bool(flag)


def _no_data(lang: str) -> str:
    return t("ind.no_data_chart", lang)


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators for ``lang`` (the axis ticks
    then read like the value labels: '0,5' in Finnish, '0.5' in English)."""
    locale = locale_of(lang)
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def localised(figure: Figure, lang: str) -> Figure:
    figure["layout"]["separators"] = separators(lang)
    return figure


def line_series(
    lines: list[tuple[str, pd.DataFrame]],
    text: ChartText,
    unit: str,
    decimals: int,
    lang: str,
    suppressed_label: str,
    style: Typography = SCREEN,
    mark: tuple[int, int] | None = None,
) -> Figure:
    """One line per region (``year, value, suppressed``); a suppressed year is a
    gap. ``mark`` shades a span of years (the reports' period)."""
    lines = [(label, df) for label, df in lines if not df.empty]
    if not lines:
        return empty(text, _no_data(lang), style)
    traces = []
    top = 0.0
    years: set[int] = set()
    for i, (label, df) in enumerate(lines):
        texts = [h or _fmt(v, decimals, lang) for v, h in zip(df["value"], hidden_labels(df, suppressed_label))]
        top = max([top] + [float(v) for v in df["value"] if pd.notna(v)])
        years |= {int(y) for y in df["year"]}
        traces.append(
            {
                "type": "scatter",
                "x": [int(y) for y in df["year"]],
                "y": [None if pd.isna(v) else float(v) for v in df["value"]],
                "name": label,
                "mode": "lines+markers",
                "text": texts,
                "hovertemplate": f"{label} %{{x}}: %{{text}}<extra></extra>",
                "line": {"color": SERIES_COLOURS[i % 4], "dash": SERIES_DASH[i % 4], "width": 3},
                "marker": {"symbol": SERIES_SYMBOL[i % 4], "size": 8},
            }
        )
    left = max(72, int(text_width(_fmt(top * 1.2, 0, lang), style.tick, style)) + 46)
    layout = frame(text, 400 if style.framed else 460, style, left=left, top_extra=44, bottom_extra=10)
    layout.update(legend_top(style))
    layout["yaxis"] = {
        "title": {"text": unit, "font": {"size": style.tick}},
        "gridcolor": GRID,
        "range": [0, top * 1.2 if top else 1],
        "tickfont": {"size": style.tick},
        "fixedrange": True,
        "automargin": False,
    }
    # Upright year labels; every other year when ten of them would not fit a half slide.
    layout["xaxis"] = {
        "dtick": 1 if len(years) <= 8 or style.framed else 2,
        "tickangle": 0,
        "tickformat": "d",
        "tickfont": {"size": style.tick},
        "fixedrange": True,
        "range": [min(years) - 0.5, max(years) + 0.5],
    }
    if mark:
        layout["shapes"] = [
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": mark[0] - 0.5,
                "x1": mark[1] + 0.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": "rgba(245,158,11,0.15)",
                "line": {"width": 0},
                "layer": "below",
            }
        ]
    return localised({"data": traces, "layout": layout}, lang)


def single_figure(value_text: str, label: str, text: ChartText, style: Typography = SCREEN) -> Figure:
    """A single published figure (one year, one region): the number itself,
    large, with what it is; not a time series of one point."""
    layout = frame(text, 260 if style.framed else 400, style)
    layout["xaxis"] = {"visible": False, "range": [0, 1]}
    layout["yaxis"] = {"visible": False, "range": [0, 1]}
    layout["annotations"] += [
        {
            "text": f"<b>{value_text}</b>",
            "x": 0.5,
            "y": 0.62,
            "xref": "paper",
            "yref": "paper",
            "showarrow": False,
            "font": {"size": style.title * 2 + 8, "color": BAR},
        },
        {
            "text": label,
            "x": 0.5,
            "y": 0.22,
            "xref": "paper",
            "yref": "paper",
            "showarrow": False,
            "font": {"size": style.body, "color": MUTED},
        },
    ]
    return {"data": [], "layout": layout}


REFERENCE_COLOURS = {"county": "#5b6470", "country": "#9aa3ae"}


def ranking_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The bars of a ranking, largest first: the municipalities, and the county and
    the country where they have a value (so they sit at their place in the order)."""
    municipalities = df[df["level"] == "municipality"]
    references = df[(df["level"] != "municipality") & df["value"].notna()]
    rows = pd.concat([municipalities, references]) if not references.empty else municipalities
    return (
        rows.assign(_missing=rows["value"].isna())
        .sort_values(["_missing", "value"], ascending=[True, False], kind="stable")
        .drop(columns="_missing")
    )


def ranking(
    df: pd.DataFrame,
    text: ChartText,
    unit: str,
    decimals: int,
    lang: str,
    suppressed_label: str,
    highlight: str | None = None,
    style: Typography = SCREEN,
) -> Figure:
    """Municipalities as bars, largest on top, with the county and the whole
    country as bars of their own at their place in the order (grey, their names
    in bold), so no reference line crosses a value label
    (``region_code, name, level, value, suppressed``)."""
    if df[df["level"] == "municipality"].empty:
        return empty(text, _no_data(lang), style)
    data = ranking_rows(df).iloc[::-1]  # plotly draws the first category at the bottom
    values = [0 if pd.isna(v) else float(v) for v in data["value"]]
    texts = [
        h or ("–" if pd.isna(v) else _fmt(v, decimals, lang))
        for v, h in zip(data["value"], hidden_labels(data, suppressed_label))
    ]
    colours = [
        REFERENCE_COLOURS.get(level) or (BAR_SELECTED if code == highlight else BAR)
        for code, level in zip(data["region_code"], data["level"])
    ]
    labels = [
        f"<b>{wrap(n, 24)}</b>" if level != "municipality" else wrap(n, 24)
        for n, level in zip(data["name"], data["level"])
    ]
    left = (
        int(max(text_width(label.replace("<b>", "").replace("</b>", ""), style.tick, style) * 1.08 for label in labels))
        + 28
    )
    layout = frame(text, 0, style, left=left, bottom_extra=30)
    m = layout["margin"]
    layout["height"] = max(300, int(m["t"] + m["b"] + 28 * len(data) + 20))
    top = max(values + [0])
    widest = max(text_width(x, style.value, style) for x in texts)
    layout["xaxis"] = {
        "title": {"text": unit, "font": {"size": style.tick}, "standoff": 6},
        "gridcolor": GRID,
        "range": [0, top * (1.3 + widest / 420) if top else 1],
        "tickfont": {"size": style.tick},
        "fixedrange": True,
        "automargin": False,
    }
    layout["yaxis"] = {"tickfont": {"size": style.tick}, "fixedrange": True, "automargin": False}
    layout["bargap"] = 0.25
    trace = {
        "type": "bar",
        "orientation": "h",
        "x": values,
        "y": labels,
        "text": texts,
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": data["region_code"].tolist(),
        "marker": {
            "color": colours,
            "line": {"color": INK, "width": [2 if c == highlight else 0 for c in data["region_code"]]},
        },
        "textfont": {"size": style.value, "color": INK},
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    return localised({"data": [trace], "layout": layout}, lang)


def tile_map(
    df: pd.DataFrame,
    tiles: pd.DataFrame,
    text: ChartText,
    unit: str,
    decimals: int,
    lang: str,
    suppressed_label: str,
    no_data: str,
    highlight: str | None = None,
    style: Typography = SCREEN,
) -> Figure:
    """Wellbeing counties as a grid of squares (no internet map), coloured by
    value and labelled with the value, so colour is not the only carrier."""
    data = tiles.merge(df, left_on="code", right_on="region_code", how="left")
    data["label"] = [
        f"<b>{s}</b><br>{h or _fmt(v, decimals, lang) or no_data}"
        for s, v, h in zip(data["short"], data["value"], hidden_labels(data, suppressed_label))
    ]
    data["name"] = data["name"].fillna(data["short"])
    have, missing = data[data["value"].notna()], data[data["value"].isna()]
    size = 12 if style.framed else 15
    traces = []

    def outline(part, default: str) -> dict:
        return {
            "width": [4 if c == highlight else 1 for c in part["code"]],
            "color": ["#f59e0b" if c == highlight else default for c in part["code"]],
        }

    if not missing.empty:  # no data or suppressed: grey, labelled, outside the colour scale
        traces.append(
            {
                "type": "scatter",
                "x": missing["col"].tolist(),
                "y": missing["row"].tolist(),
                "mode": "markers+text",
                "text": missing["label"].tolist(),
                "textfont": {"size": size, "color": INK},
                "hovertext": missing["name"].tolist(),
                "hovertemplate": "%{hovertext}<extra></extra>",
                "customdata": missing["code"].tolist(),
                "marker": {"symbol": "square", "size": 84, "color": NO_DATA, "line": outline(missing, "white")},
            }
        )
    if not have.empty:
        traces.append(
            {
                "type": "scatter",
                "x": have["col"].tolist(),
                "y": have["row"].tolist(),
                "mode": "markers+text",
                "text": have["label"].tolist(),
                "textfont": {"size": size, "color": "white"},
                "hovertext": have["name"].tolist(),
                "hovertemplate": "%{hovertext}<extra></extra>",
                "customdata": have["code"].tolist(),
                "marker": {
                    "symbol": "square",
                    "size": 84,
                    "line": outline(have, "white"),
                    "color": have["value"].astype(float).tolist(),
                    "colorscale": [[0, "#6b9bc3"], [1, "#0b2f4a"]],
                    "cmin": float(have["value"].min()),
                    "cmax": float(have["value"].max()),
                    "showscale": False,
                },  # the tiles carry the values; the caption says darker is higher
            }
        )
    layout = frame(text, 640, style, left=16)
    layout["xaxis"] = {"visible": False, "range": [0.4, 5.6], "fixedrange": True}
    layout["yaxis"] = {"visible": False, "range": [6.6, 0.4], "scaleanchor": "x", "scaleratio": 1, "fixedrange": True}
    return localised({"data": traces, "layout": layout}, lang)


def sex_split(
    df: pd.DataFrame,
    text: ChartText,
    unit: str,
    decimals: int,
    lang: str,
    labels: dict[str, str],
    suppressed_label: str,
    style: Typography = SCREEN,
) -> Figure:
    if df.empty:
        return empty(text, _no_data(lang), style)
    traces = []
    for sex, (colour, pattern) in SEX_STYLE.items():
        part = df[df["sex"] == sex]
        texts = [h or _fmt(v, decimals, lang) for v, h in zip(part["value"], hidden_labels(part, suppressed_label))]
        traces.append(
            {
                "type": "bar",
                "x": [int(y) for y in part["year"]],
                "y": [0 if pd.isna(v) else float(v) for v in part["value"]],
                "name": labels[sex],
                "text": texts,
                "textposition": "outside",
                "cliponaxis": False,
                "textfont": {"size": style.value - 1, "color": INK},
                "marker": {
                    "color": colour,
                    "pattern": {"shape": pattern, "fgcolor": "rgba(255,255,255,0.5)", "fillmode": "overlay"},
                },
                "hovertemplate": f"{labels[sex]} %{{x}}: %{{text}}<extra></extra>",
            }
        )
    top = max([float(v) for v in df["value"] if pd.notna(v)] + [0])
    layout = frame(text, 400 if style.framed else 460, style, left=72, top_extra=44, bottom_extra=10)
    layout.update(legend_top(style))
    layout["barmode"] = "group"
    layout["yaxis"] = {
        "title": {"text": unit, "font": {"size": style.tick}},
        "gridcolor": GRID,
        "rangemode": "tozero",
        "range": [0, top * 1.2 if top else 1],
        "tickfont": {"size": style.tick},
        "fixedrange": True,
    }
    layout["xaxis"] = {
        "dtick": 1,
        "tickangle": 0,
        "tickformat": "d",
        "tickfont": {"size": style.tick},
        "fixedrange": True,
    }
    return localised({"data": traces, "layout": layout}, lang)
