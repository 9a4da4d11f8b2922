"""The look every chart shares: colours, typography for the screen and for
slides, the frame (title, filter caption and source inside the image) and the
chart toolbar. Builders return plain plotly figure dicts: no validation
cost on the hot path (``go.Figure(fig)`` where an object is wanted)."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from dataclasses import dataclass

from ..core.config import Settings
from ..core.formatting import fmt_share
from ..core.i18n import t

Figure = dict  # a plotly figure spec: {"data": [...], "layout": {...}}

FONT = "Segoe UI, system-ui, -apple-system, Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif"
INK = "#1d2733"
MUTED = "#4b5563"
GRID = "#e5e7eb"
BAR = "#1f5f8b"
BAR_SELECTED = "#0b3954"
NO_DATA = "#e5e7eb"
# Observation types: colour plus pattern, so colour is never the only carrier.
TYPE_STYLE = {
    "negative": ("#b5472a", "/"),
    "positive": ("#2e7d5b", ""),
    "neutral": ("#7a8594", "."),
}
SERIES_COLOURS = ["#1f5f8b", "#b5472a", "#4b5563", "#2e7d5b"]
SERIES_DASH = ["solid", "dash", "dot", "dashdot"]
SERIES_SYMBOL = ["circle", "square", "diamond", "triangle-up"]
SEX_STYLE = {"female": ("#8a3ffc", ""), "male": ("#1f5f8b", "/")}


def series_colour(kind: str, code: str, index: int) -> str:
    """A series' colour by its code, as every figure here draws it: an observation
    type or a sex in its own colour, lines by their position, other bars in BAR."""
    if code in TYPE_STYLE:
        return TYPE_STYLE[code][0]
    if code in SEX_STYLE:
        return SEX_STYLE[code][0]
    return SERIES_COLOURS[index % len(SERIES_COLOURS)] if kind == "lines" else BAR


# The camera button's PNG: laid out at 800x450 and scaled 2x, so text keeps its
# proportions on a 1600x900 slide image.
EXPORT = {"width": 960, "height": 540, "scale": 2}


@dataclass(frozen=True)
class Typography:
    """Font sizes in px for one medium. ``framed``: the figure carries its own
    title, caption and source (the screen and the PNG); on slides the page does."""

    title: int
    caption: int
    body: int
    tick: int
    value: int
    source: int
    framed: bool = True
    char: float = 0.56  # average character width as a share of the font size
    medium: str = "tables"  # whose rounding rule shares follow: "slides" (slides, decks) or "tables" (the screen)


SCREEN = Typography(title=17, caption=13, body=14, tick=13, value=13, source=11)
SLIDE = Typography(title=30, caption=20, body=20, tick=19, value=19, source=16, framed=False, medium="slides")


def share_decimals(style: Typography = SCREEN) -> int:
    """The county's rounding rule for the medium (``Settings``: by default whole percent on
    slides and in decks, one decimal in tables and on the screen)."""
    return Settings.share_decimals(style.medium)


def share_text(share: float | None, lang: str = "fi", style: Typography = SCREEN, decimals: int | None = None) -> str:
    """A share as the medium shows it: '78 %' on a slide, '77,5 %' in a table (31 of 40).
    Pass ``decimals`` (from :func:`share_decimals`) when formatting many."""
    return fmt_share(share, lang, share_decimals(style) if decimals is None else decimals)


def share_note(style: Typography = SCREEN, lang: str = "fi") -> str:
    """The rounding rule in words, for the caption of whatever shows shares:
    'osuudet kokonaisina prosentteina'."""
    return t(f"share.rounding.{share_decimals(style)}", lang)


@dataclass(frozen=True)
class ChartText:
    """What a chart says about itself."""

    title: str
    caption: str
    source: str
    note: str | None = None


def wrap(label: str, width: int = 38) -> str:
    return "<br>".join(textwrap.wrap(str(label), width)) or str(label)


def text_width(text: str, size: int, style: Typography = SCREEN) -> float:
    """Estimated width in px of the longest line of ``text``."""
    lines = str(text).split("<br>")
    return max(len(line) for line in lines) * size * style.char if lines else 0.0


TITLE_WRAP = 32
CAPTION_WRAP = 58
SOURCE_WRAP = 70


def _source_lines(source: str, width: int = SOURCE_WRAP) -> str:
    # A licence's name stays on one line ("CC BY 4.0", not "CC BY" and "4.0").
    source = re.sub(r"CC BY(?:-SA)? \d\.\d", lambda m: m.group(0).replace(" ", "\u00a0"), source)
    return "<br>".join(textwrap.wrap(source, width)) or source


def frame(
    text: ChartText, height: int, style: Typography = SCREEN, left: int = 16, top_extra: int = 0, bottom_extra: int = 0
) -> dict:
    """The layout of a chart: title and caption at the top left, the source at
    the bottom left, fixed margins (``left`` px for the axis labels) so the
    source can sit at the image's left edge."""
    source = text.source + (f" · {text.note}" if text.note else "")
    source_lines = _source_lines(source).count("<br>") + 1
    # Titles and captions wrap to stay inside a half-width chart at 1280x720.
    title = wrap(text.title, TITLE_WRAP)
    caption = wrap(text.caption, CAPTION_WRAP)
    extra = 19 * title.count("<br>") + 15 * caption.count("<br>")
    top = (56 + extra if style.framed else 12) + top_extra
    bottom = (26 + 15 * source_lines if style.framed else 30) + bottom_extra
    layout: dict = {
        "font": {"family": FONT, "size": style.body, "color": INK},
        "margin": {"l": left, "r": 24, "t": top, "b": bottom, "autoexpand": False},
        "height": height,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "separators": ", ",
        "showlegend": False,
        "annotations": [],
    }
    if style.framed:
        layout["title"] = {
            "text": f"<b>{title}</b>",
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            "pad": {"l": 16},
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": style.title, "color": INK},
            "subtitle": {"text": caption, "font": {"size": style.caption, "color": MUTED}},
        }
        # plotly sets a wrapped title's first line above its anchor: push it down by the extra lines.
        layout["title"]["pad"]["t"] = 10 + 9 * title.count("<br>")
        layout["annotations"].append(
            {
                "text": _source_lines(source),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "xanchor": "left",
                "yanchor": "top",
                "xshift": -left + 16,
                "yshift": -(bottom - 8 - 15 * source_lines),
                "align": "left",
                "showarrow": False,
                "font": {"size": style.source, "color": MUTED},
            }
        )
    return layout


def legend_top(style: Typography = SCREEN) -> dict:
    return {
        "showlegend": True,
        "legend": {
            "orientation": "h",
            "y": 1.02,
            "x": 0,
            "xanchor": "left",
            "yanchor": "bottom",
            "traceorder": "normal",
            "font": {"size": style.tick},
        },
    }


def empty(text: ChartText, message: str, style: Typography = SCREEN) -> Figure:
    layout = frame(text, 240 if style.framed else 400, style)
    layout["annotations"].append(
        {
            "text": message,
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


def export_filename(title: str, caption: str) -> str:
    """'Teemat Päijät-Häme · 1.9.–31.12.2024' -> 'teemat-paijat-hame-1-9-31-12-2024'."""
    text = unicodedata.normalize("NFKD", f"{title} {caption}")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:120] or "kaavio"


def plotly_locale(lang: str) -> dict:
    """plotly.js's own words in the UI language (its toolbar and number format)."""
    return {
        "dictionary": {
            "Download plot as a png": t("plotly.png", lang),
            "Download plot as a PNG": t("plotly.png", lang),
            "Reset axes": t("plotly.reset", lang),
            "Autoscale": t("plotly.reset", lang),
            "Double-click to zoom back out": "",
        },
        "format": {"decimal": ",", "thousands": "\u00a0"} if lang in ("fi", "sv") else {},
    }


def graph_config(filename: str, lang: str = "fi") -> dict:
    """dcc.Graph config: the toolbar in the UI language with only the PNG
    download (the axes are fixed, so there is nothing to reset; no cloud,
    editor or selection tools), no logo; the PNG is slide-sized and named
    after the chart's own title and caption."""
    return {
        "displaylogo": False,
        "locale": lang,
        "locales": {lang: plotly_locale(lang)},
        "modeBarButtons": [["toImage"]],
        "showEditInChartStudio": False,
        "showSendToCloud": False,
        "showTips": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, **EXPORT},
    }
