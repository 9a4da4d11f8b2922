"""A chart as a PNG image for documents (the wellbeing-report chapter), drawn offline
with matplotlib from the chart's own rows as the deck's native chart holds them
(:class:`~dashboard.views.catalogue.Series`): the same categories, values, colours
by code, highlights and value labels ('16 (40 %)'), so the image, the deck and the
chart-data download cannot disagree. No browser, no network: matplotlib's Agg
renderer and its bundled DejaVu fonts.

matplotlib is imported when the first image is drawn (never at import)."""

from __future__ import annotations

import io
import math
import threading

from ..charts.style import BAR_SELECTED, GRID, INK, MUTED, SERIES_DASH, TYPE_STYLE, series_colour
from ..core.formatting import fmt_number
from ..views.catalogue import Rendered, Series

WIDTH_IN = 6.3  # an A4 page's text width
DPI = 200
HATCH = {"/": "//", ".": "..", "": ""}
_lock = threading.Lock()  # pyplot's state is global; one figure at a time per process


def _decimals(number_format: str) -> int:
    return len(number_format.split(".")[1]) if "." in number_format else 0


def _value_text(value: float | None, series: Series, lang: str) -> str:
    return "–" if value is None else fmt_number(value, lang, _decimals(series.number_format))


def chart_png(rendered: Rendered, lang: str = "fi") -> bytes | None:
    """The chart as PNG bytes, or None when it has nothing to draw natively (its table stands alone)."""
    series = rendered.series if rendered.native is not None else None
    if rendered.empty or series is None or not series.shown:
        return None
    import matplotlib  # here, not at import: only a document pays for matplotlib (~0.5 s, ~40 MB)

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure  # the object API: no pyplot state shared between threads

    with _lock:
        n = series.shown
        categories = list(series.categories[:n])
        if series.kind == "bars":
            height = max(1.6, 0.34 * n + 0.6)
        else:
            height = 3.2
        fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
        ax = fig.add_subplot()
        ax.tick_params(colors=INK, labelsize=8)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        for spine in ("left", "bottom"):
            ax.spines[spine].set_color(GRID)
        draw = {"bars": _bars, "stacked": _stacked, "lines": _lines, "bars_grouped": _grouped}[series.kind]
        draw(ax, series, categories, lang)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
        return buffer.getvalue()


def _bars(ax, series: Series, categories: list[str], lang: str) -> None:
    """Horizontal bars, the first row on top, each labelled as on the screen."""
    values = [v or 0 for v in series.lines[0].values[: len(categories)]]
    own = dict(series.colours)
    colours = [
        BAR_SELECTED if code in series.selected else own.get(code, series_colour("bars", series.lines[0].code, 0))
        for code in series.category_codes[: len(categories)]
    ]
    edges = [INK if code in series.selected else "none" for code in series.category_codes[: len(categories)]]
    positions = list(range(len(categories)))[::-1]
    ax.barh(positions, values, color=colours, edgecolor=edges, linewidth=1.2, height=0.65)
    ax.set_yticks(positions, [_wrap(c, 34) for c in categories])
    labels = list(series.labels[: len(categories)]) if series.labels else []
    top = max(values + [0]) or 1
    for y, value, raw, k in zip(positions, values, series.lines[0].values, range(len(values))):
        text = labels[k] if labels and labels[k] else _value_text(raw, series, lang)
        ax.text(value + top * 0.01, y, text, va="center", ha="left", fontsize=8, color=INK)
    ax.set_xlim(0, top * 1.25)
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)


def _stacked(ax, series: Series, categories: list[str], lang: str) -> None:
    bottoms = [0.0] * len(categories)
    positions = range(len(categories))
    for i, line in enumerate(series.lines):
        values = [v or 0 for v in line.values[: len(categories)]]
        hatch = HATCH.get(TYPE_STYLE.get(line.code, ("", ""))[1], "")
        ax.bar(
            positions,
            values,
            bottom=bottoms,
            color=series_colour("stacked", line.code, i),
            hatch=hatch,
            edgecolor="white",
            linewidth=0.5,
            label=line.label,
        )
        bottoms = [b + v for b, v in zip(bottoms, values)]
    ax.set_xticks(list(positions), categories, rotation=45 if len(categories) > 6 else 0, ha="right")
    ax.set_ylim(0, max(bottoms + [1]) * 1.1)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(fontsize=8, frameon=False, ncols=len(series.lines), loc="upper left", bbox_to_anchor=(0, 1.12))


def _lines(ax, series: Series, categories: list[str], lang: str) -> None:
    values = []
    for i, line in enumerate(series.lines):
        ys = [math.nan if v is None else v for v in line.values[: len(categories)]]
        values += [v for v in ys if not math.isnan(v)]
        ax.plot(
            categories,
            ys,
            marker="o",
            markersize=3,
            linewidth=1.8,
            color=series_colour("lines", line.code, i),
            linestyle={"solid": "-", "dash": "--", "dot": ":", "dashdot": "-."}[SERIES_DASH[i % len(SERIES_DASH)]],
            label=line.label,
        )
    if values and min(values) >= 0:
        ax.set_ylim(bottom=0)  # as on the screen and in the deck
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.tick_params(axis="x", rotation=45 if len(categories) > 8 else 0)
    ax.legend(fontsize=8, frameon=False)


def _grouped(ax, series: Series, categories: list[str], lang: str) -> None:
    k = max(1, len(series.lines))
    width = 0.8 / k
    for i, line in enumerate(series.lines):
        values = [v or 0 for v in line.values[: len(categories)]]
        xs = [x - 0.4 + width * (i + 0.5) for x in range(len(categories))]
        ax.bar(xs, values, width=width, color=series_colour("bars_grouped", line.code, i), label=line.label)
    ax.set_xticks(list(range(len(categories))), categories)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.legend(fontsize=8, frameon=False)


def _wrap(label: str, width: int) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")


__all__ = ["chart_png", "MUTED"]
