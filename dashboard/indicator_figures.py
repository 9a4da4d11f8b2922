"""Pure figure builders for indicators. Suppressed values never reach a
figure as numbers: the builders get NULLs and label them '< 5'."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from .figures import INK, LEGEND_TOP, MUTED, _base_layout, _wrap, empty_figure
from .formatting import fmt_number

SERIES_COLOURS = ["#1f5f8b", "#b5472a", "#4b5563", "#2e7d5b"]
SERIES_DASH = ["solid", "dash", "dot", "dashdot"]
SERIES_SYMBOL = ["circle", "square", "diamond", "triangle-up"]
SEX_STYLE = {"female": ("#8a3ffc", ""), "male": ("#1f5f8b", "/")}


def _fmt(value, decimals: int, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return fmt_number(value, lang, decimals)


def line_series(lines: list[tuple[str, pd.DataFrame]], title: str, caption: str, source: str, unit: str,
                decimals: int, lang: str, suppressed_label: str) -> go.Figure:
    """One line per region (``year, value, suppressed``); a suppressed year is a gap."""
    lines = [(label, df) for label, df in lines if not df.empty]
    if not lines:
        return empty_figure(title, caption, source, lang)
    fig = go.Figure()
    few = max(len(df) for _, df in lines) <= 3  # a local collection's single figure: print the values
    top = 0.0
    for i, (label, df) in enumerate(lines):
        texts = [suppressed_label if s else _fmt(v, decimals, lang) for v, s in zip(df["value"], df["suppressed"])]
        top = max([top] + [float(v) for v in df["value"] if pd.notna(v)])
        fig.add_trace(go.Scatter(
            x=df["year"].tolist(), y=[None if pd.isna(v) else float(v) for v in df["value"]], name=label,
            mode="lines+markers+text" if few else "lines+markers", textposition="top center",
            text=texts, hovertemplate=f"{label} %{{x}}: %{{text}}<extra></extra>", showlegend=True,
            line={"color": SERIES_COLOURS[i % 4], "dash": SERIES_DASH[i % 4], "width": 3},
            marker={"symbol": SERIES_SYMBOL[i % 4], "size": 8},
        ))
    _base_layout(fig, title, caption, source, 420)
    fig.update_layout(margin={"t": 108}, **LEGEND_TOP)
    fig.update_yaxes(title={"text": unit}, gridcolor="#e5e7eb", range=[0, top * 1.2 if top else 1])
    fig.update_xaxes(dtick=1, tickformat="d")
    return fig


def ranking(df: pd.DataFrame, title: str, caption: str, source: str, unit: str, decimals: int, lang: str,
            suppressed_label: str, highlight: str | None = None) -> go.Figure:
    """Municipalities as bars (largest on top), the county and the country as
    labelled vertical lines (``region_code, name, level, value, suppressed``)."""
    municipalities = df[df["level"] == "municipality"]
    if municipalities.empty:
        return empty_figure(title, caption, source, lang)
    data = municipalities.iloc[::-1]
    values = [0 if pd.isna(v) else float(v) for v in data["value"]]
    texts = [suppressed_label if s else ("–" if pd.isna(v) else _fmt(v, decimals, lang))
             for v, s in zip(data["value"], data["suppressed"])]
    colours = ["#0b3954" if code == highlight else ("#c3cad3" if pd.isna(v) else "#1f5f8b")
               for code, v in zip(data["region_code"], data["value"])]
    fig = go.Figure(go.Bar(
        x=values, y=[_wrap(n, 24) for n in data["name"]], orientation="h", text=texts, textposition="outside",
        cliponaxis=False, marker={"color": colours}, customdata=data["region_code"].tolist(),
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    top = max([v for v in values if v] + [0])
    for _, row in df[df["level"] != "municipality"].iterrows():
        if pd.isna(row["value"]):
            continue
        dash = "dash" if row["level"] == "county" else "dot"
        fig.add_vline(x=float(row["value"]), line={"color": INK, "dash": dash, "width": 2})
        fig.add_annotation(x=float(row["value"]), y=1, yref="paper", yanchor="bottom", showarrow=False,
                           text=f"{row['name']} {_fmt(row['value'], decimals, lang)}",
                           font={"size": 12, "color": INK}, bgcolor="rgba(255,255,255,0.85)",
                           xanchor="left" if row["level"] == "county" else "right")
        top = max(top, float(row["value"]))
    _base_layout(fig, title, caption, source, max(300, 130 + 30 * len(data)))
    fig.update_layout(margin={"t": 100})
    fig.update_xaxes(title={"text": unit}, gridcolor="#e5e7eb", range=[0, top * 1.3 if top else 1])
    fig.update_yaxes(automargin=True)
    return fig


def tile_map(df: pd.DataFrame, tiles: pd.DataFrame, title: str, caption: str, source: str, unit: str,
             decimals: int, lang: str, suppressed_label: str, no_data: str, highlight: str | None = None) -> go.Figure:
    """Wellbeing counties as a grid of squares (no internet map), coloured by
    value and labelled with the value, so colour is not the only carrier."""
    data = tiles.merge(df, left_on="code", right_on="region_code", how="left")
    data["label"] = [f"<b>{s}</b><br>{suppressed_label if sup is True else (_fmt(v, decimals, lang) or no_data)}"
                     for s, v, sup in zip(data["short"], data["value"], data["suppressed"])]
    data["name"] = data["name"].fillna(data["short"])
    have, missing = data[data["value"].notna()], data[data["value"].isna()]
    fig = go.Figure()

    def outline(frame, default: str) -> dict:
        return {"width": [4 if c == highlight else 1 for c in frame["code"]],
                "color": ["#f59e0b" if c == highlight else default for c in frame["code"]]}

    if not missing.empty:  # no data or suppressed: grey, labelled, outside the colour scale
        fig.add_trace(go.Scatter(
            x=missing["col"].tolist(), y=missing["row"].tolist(), mode="markers+text", text=missing["label"].tolist(),
            textfont={"size": 11, "color": INK}, hovertext=missing["name"].tolist(),
            hovertemplate="%{hovertext}<extra></extra>", customdata=missing["code"].tolist(),
            marker={"symbol": "square", "size": 78, "color": "#e5e7eb", "line": outline(missing, "white")},
        ))
    if not have.empty:
        fig.add_trace(go.Scatter(
            x=have["col"].tolist(), y=have["row"].tolist(), mode="markers+text", text=have["label"].tolist(),
            textfont={"size": 11, "color": "white"}, hovertext=have["name"].tolist(),
            hovertemplate="%{hovertext}<extra></extra>", customdata=have["code"].tolist(),
            marker={"symbol": "square", "size": 78, "line": outline(have, "white"),
                    "color": have["value"].astype(float).tolist(), "colorscale": [[0, "#6b9bc3"], [1, "#0b2f4a"]],
                    "cmin": float(have["value"].min()), "cmax": float(have["value"].max()), "showscale": len(have) > 1,
                    "colorbar": {"title": {"text": unit}, "thickness": 14}},
        ))
    _base_layout(fig, title, caption, source, 620)
    fig.update_layout(showlegend=False)
    fig.update_xaxes(visible=False, range=[0.4, 5.6])
    fig.update_yaxes(visible=False, range=[6.6, 0.4], scaleanchor="x", scaleratio=1)
    return fig


def sex_split(df: pd.DataFrame, title: str, caption: str, source: str, unit: str, decimals: int, lang: str,
              labels: dict[str, str], suppressed_label: str) -> go.Figure:
    if df.empty:
        return empty_figure(title, caption, source, lang)
    fig = go.Figure()
    for sex, (colour, pattern) in SEX_STYLE.items():
        part = df[df["sex"] == sex]
        texts = [suppressed_label if s else _fmt(v, decimals, lang) for v, s in zip(part["value"], part["suppressed"])]
        fig.add_trace(go.Bar(x=part["year"].tolist(), y=[0 if pd.isna(v) else float(v) for v in part["value"]],
                             name=labels[sex], text=texts, textposition="outside", cliponaxis=False,
                             marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": "rgba(255,255,255,0.5)"}},
                             hovertemplate=f"{labels[sex]} %{{x}}: %{{text}}<extra></extra>"))
    _base_layout(fig, title, caption, source, 400)
    fig.update_layout(barmode="group", margin={"t": 108}, **LEGEND_TOP)
    fig.update_yaxes(title={"text": unit}, gridcolor="#e5e7eb", rangemode="tozero")
    fig.update_xaxes(dtick=1, tickformat="d")
    return fig


__all__ = ["line_series", "ranking", "tile_map", "sex_split", "MUTED"]
