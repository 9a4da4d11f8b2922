"""Pure figure builders: DataFrame in, ``go.Figure`` out. No data access, no
Dash. Every figure carries its title, the filter caption and the source inside
the image, so a PNG taken from it stands on its own on a slide."""

from __future__ import annotations

import re
import textwrap
import unicodedata

import pandas as pd
import plotly.graph_objects as go

from .formatting import fmt_number, fmt_share
from .i18n import t

FONT = "Segoe UI, system-ui, -apple-system, Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif"
INK = "#1d2733"
MUTED = "#4b5563"
BAR = "#1f5f8b"
BAR_SELECTED = "#0b3954"
# Observation types: colour plus pattern, so colour is never the only carrier.
TYPE_STYLE = {
    "negative": ("#b5472a", "/"),
    "positive": ("#2e7d5b", ""),
    "neutral": ("#7a8594", "."),
}
EXPORT_SIZE = {"width": 1600, "height": 900}
LEGEND_TOP = {"legend": {"orientation": "h", "y": 1.0, "x": 0, "xanchor": "left", "yanchor": "bottom", "traceorder": "normal"}}


def _wrap(label: str, width: int = 38) -> str:
    return "<br>".join(textwrap.wrap(label, width)) or label


def _base_layout(fig: go.Figure, title: str, caption: str, source: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": f"<b>{title}</b>", "subtitle": {"text": caption, "font": {"size": 13, "color": MUTED}},
               "x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top", "font": {"size": 18, "color": INK}},
        font={"family": FONT, "size": 14, "color": INK},
        margin={"l": 10, "r": 30, "t": 78, "b": 58 + 14 * (len(source) // 150)},
        height=height,
        paper_bgcolor="white",
        plot_bgcolor="white",
        separators=", ",
    )
    # A long source (a local collection's description) wraps instead of running off the image.
    source = "<br>".join(textwrap.wrap(source, 150)) or source
    fig.add_annotation(text=source, xref="paper", yref="paper", x=0, y=0, yshift=-50, xanchor="left", align="left",
                       yanchor="bottom", showarrow=False, font={"size": 11, "color": MUTED})
    return fig


def empty_figure(title: str, caption: str, source: str, lang: str = "fi") -> go.Figure:
    fig = _base_layout(go.Figure(), title, caption, source, 260)
    fig.add_annotation(text=t("chart.empty", lang), x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font={"size": 16, "color": MUTED})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def bar_counts(df: pd.DataFrame, title: str, caption: str, source: str, lang: str = "fi",
               selected: tuple[str, ...] = (), max_bars: int | None = None, note: str | None = None) -> go.Figure:
    """Horizontal bars of report counts per value (``code, label, count, share``),
    largest on top, each labelled '13 (32,5 %)'. Clicking a bar gives its code
    as ``customdata``."""
    if df.empty:
        return empty_figure(title, caption, source, lang)
    data = df.head(max_bars) if max_bars else df
    data = data.iloc[::-1]  # plotly draws the first category at the bottom
    labels = [_wrap(label) for label in data["label"]]
    texts = [f"{fmt_number(c, lang)} ({fmt_share(s, lang)})" for c, s in zip(data["count"], data["share"])]
    colours = [BAR_SELECTED if code in selected else BAR for code in data["code"]]
    fig = go.Figure(go.Bar(
        x=data["count"].tolist(), y=labels, orientation="h", customdata=data["code"].tolist(),
        text=texts, textposition="outside", cliponaxis=False, marker={"color": colours},
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    lines = sum(label.count("<br>") + 1 for label in labels)
    height = max(260, 120 + 26 * lines + 8 * len(labels))
    _base_layout(fig, title, caption, source + (f" · {note}" if note else ""), height)
    fig.update_xaxes(showgrid=True, gridcolor="#e5e7eb", range=[0, max(data["count"]) * 1.45],
                     tickformat="d", rangemode="tozero")
    fig.update_yaxes(automargin=True, ticks="", tickfont={"size": 13})
    return fig


def trend(df: pd.DataFrame, title: str, caption: str, source: str, lang: str = "fi",
          type_labels: dict[str, str] | None = None, highlight: tuple[str, ...] = ()) -> go.Figure:
    """Stacked bars of reports per half-year split by observation type
    (``period, year, half, observation_type, label, count``); the periods in
    ``highlight`` get a dark outline."""
    if df.empty:
        return empty_figure(title, caption, source, lang)
    periods = df.drop_duplicates(["year", "half"]).sort_values(["year", "half"])["period"].tolist()
    totals = df.groupby("period")["count"].sum()
    fig = go.Figure()
    for code, (colour, pattern) in TYPE_STYLE.items():
        part = df[df["observation_type"] == code].set_index("period")["count"]
        if part.empty:
            continue
        label = (type_labels or {}).get(code, code)
        values = [int(part.get(p, 0)) for p in periods]
        fig.add_trace(go.Bar(
            x=[p.replace("/", "<br>") for p in periods], y=values, name=label, customdata=[[code, p] for p in periods],
            marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": "rgba(255,255,255,0.55)"},
                    "line": {"color": INK, "width": [2.5 if p in highlight else 0 for p in periods]}},
            hovertemplate=f"{label} %{{x}}: %{{y}}<extra></extra>",
        ))
    fig.add_trace(go.Scatter(
        x=[p.replace("/", "<br>") for p in periods], y=[int(totals[p]) for p in periods], mode="text", showlegend=False, hoverinfo="skip",
        text=[fmt_number(int(totals[p]), lang) for p in periods], textposition="top center",
        textfont={"size": 13, "color": INK},
    ))
    _base_layout(fig, title, caption, source, 400)
    fig.update_layout(barmode="stack", bargap=0.25, margin={"t": 108, "b": 78}, **LEGEND_TOP)
    fig.layout.annotations[0].yshift = -72
    fig.update_yaxes(title={"text": t("chart.count", lang)}, gridcolor="#e5e7eb", rangemode="tozero",
                     range=[0, max(totals) * 1.18])
    fig.update_xaxes(type="category")
    return fig


def export_filename(title: str, caption: str) -> str:
    """'Teemat Päijät-Häme · 1.9.–31.12.2024' -> 'teemat-paijat-hame-1-9-31-12-2024'."""
    text = unicodedata.normalize("NFKD", f"{title} {caption}")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:120] or "kaavio"


def graph_config(filename: str) -> dict:
    """dcc.Graph config: no plotly logo, camera button saves a slide-sized PNG."""
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 1, **EXPORT_SIZE},
    }
