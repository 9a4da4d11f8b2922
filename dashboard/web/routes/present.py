"""Presentation mode: ``/present`` (the reports view's half-year deck),
``/present/phenomena`` and ``/present/indicators`` take their view's query
string (plus ``slide=N``) and show full-viewport 16:9 slides with no
interface chrome. The slides are the same :class:`~dashboard.views.slides.Deck`
that the PPTX download writes. Keys: → ← PageDown PageUp (clickers), Home,
End, f (full screen), Esc (back to the view with the same filters). Printing
gives one slide per page. Plain HTML and one small script: nothing to wait
for but the charts."""

from __future__ import annotations

import json

from flask import Response, request
from markupsafe import Markup, escape

from queries.access import DatabaseMissing, database

from ...charts.style import FONT
from ...core.filters import lang_of
from ...core.formatting import fmt_number
from ...core.i18n import t
from ...views.slides import VIEWS, Deck, Slide, deck_for, split_query
from ..components import cell_text, deck_path
from ..delivery import BOOTSTRAP_CSS, PLOTLY_PATH

BACK = {"reports": "/reports", "overview": "/", "phenomena": "/phenomena", "indicators": "/indicators"}


def _table(rendered, lang: str) -> Markup:
    head = "".join(f'<th scope="col">{escape(c.header)}</th>' for c in rendered.table.columns)
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(cell_text(v, c.kind, lang, c.decimals))}</td>" for v, c in zip(row, rendered.table.columns)
        )
        + "</tr>"
        for row in rendered.table.rows
    )
    return Markup(
        f'<table class="visually-hidden"><caption>{escape(rendered.title)} · {escape(rendered.caption)}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _chart(rendered, figure_id: str, lang: str, wide: bool) -> Markup:
    return Markup(
        '<figure class="slide-chart">'
        + (f'<figcaption class="chart-title">{escape(rendered.title)}</figcaption>' if not wide else "")
        + f'<div class="chart" data-figure="{escape(figure_id)}" role="img" aria-label="{escape(rendered.alt_text)}">'
        f"</div>{_table(rendered, lang)}</figure>"
    )


def _slide_body(slide: Slide, index: int, deck: Deck, figures: dict, lang: str) -> Markup:
    if slide.kind == "title":
        notice = f'<p class="slide-demo">{escape(t("present.demo", lang))}</p>' if deck.demo else ""
        return Markup(
            f'<div class="slide-cover"><p class="slide-kicker">{escape(t("slides.kicker", lang))}</p>'
            f'<h1>{escape(slide.title)}</h1><p class="slide-lead">{escape(slide.subtitle)}</p>{notice}</div>'
        )
    if slide.kind == "kpis":
        charts = ""
        for k, rendered in enumerate(slide.charts):
            figures[f"f{index}-{k}"] = rendered.figure
            charts += _chart(rendered, f"f{index}-{k}", lang, wide=False)
        cells = "".join(
            f'<div class="slide-kpi kpi-{escape(key)}"><div class="kpi-value">{escape(fmt_number(value, lang))}</div>'
            f'<div class="kpi-label">{escape(label)}</div>'
            + (f'<div class="kpi-share">{escape(share)}</div>' if share else "")
            + "</div>"
            for key, label, value, share in slide.figures
        )
        return Markup(f'<div class="slide-kpis">{cells}</div><div class="slide-kpi-chart">{charts}</div>')
    if slide.kind in ("chart", "charts"):
        parts = []
        for k, rendered in enumerate(slide.charts):
            figure_id = f"f{index}-{k}"
            figures[figure_id] = rendered.figure
            # A chart slide's title is its chart's; a slide of several charts names each.
            parts.append(_chart(rendered, figure_id, lang, wide=slide.kind == "chart"))
        return Markup(f'<div class="slide-charts n{len(slide.charts)}">{"".join(parts)}</div>')
    if not slide.items:
        return Markup(f'<p class="slide-empty">{escape(slide.empty_text)}</p>')
    if slide.kind == "quotes":
        quotes = "".join(
            f'<blockquote class="slide-quote"><p>”{escape(item.text)}”</p>'
            f"<footer>{escape(item.meta)}</footer></blockquote>"
            for item in slide.items
        )
        return Markup(f'<div class="slide-quotes n{len(slide.items)}">{quotes}</div>')
    items = []
    for item in slide.items:
        star = (
            f'<span class="slide-star" title="{escape(t("reading.highlight", lang))}">★</span> '
            if item.highlight
            else ""
        )
        proposal = (
            (
                f'<p class="slide-proposal"><strong>{escape(t("reading.proposal", lang))}:</strong> '
                f"{escape(item.proposal)}</p>"
            )
            if item.proposal
            else ""
        )
        items.append(
            f'<li class="slide-item"><p class="slide-observation">{star}{escape(item.text)}</p>{proposal}'
            f'<p class="slide-meta">{escape(item.meta)}</p></li>'
        )
    return Markup(f'<ul class="slide-items n{len(slide.items)}">{"".join(items)}</ul>')


def render(deck: Deck, view: str, query: str, current: int, problems) -> str:
    lang = deck.lang
    figures: dict[str, dict] = {}
    sections = []
    total = len(deck.slides)
    for i, slide in enumerate(deck.slides, start=1):
        heading = (
            ""
            if slide.kind == "title"
            else (
                f'<header class="slide-header"><h2>{escape(slide.title)}</h2>'
                + (f'<p class="slide-subtitle">{escape(slide.subtitle)}</p>' if slide.subtitle else "")
                + "</header>"
            )
        )
        warn = ""
        if i == 1 and problems:
            warn = (
                '<div class="slide-warnings" role="note"><strong>'
                + escape(t("warning.heading", lang))
                + "</strong> "
                + " ".join(escape(p.message(lang)) for p in problems)
                + "</div>"
            )
        sections.append(
            f'<section class="slide kind-{slide.kind}" id="slide-{i}" data-slide="{i}" aria-roledescription="'
            f'{escape(t("present.slide", lang))}" aria-label="{i} / {total}: {escape(slide.title)}"'
            f"{'' if i == current else ' hidden'}>"
            f'{heading}<div class="slide-body">{_slide_body(slide, i, deck, figures, lang)}</div>{warn}'
            f'<footer class="slide-footer"><span class="slide-source">{escape(slide.footer)}</span>'
            f'<span class="slide-number">{i} / {total}</span></footer>'
            f'<aside class="visually-hidden slide-notes">{escape(slide.notes)}</aside></section>'
        )
    back = BACK.get(view, "/reports") + (("?" + query) if query else "")
    data = json.dumps(
        {
            "figures": figures,
            "font": FONT,
            "back": back,
            "total": total,
            "locale": lang if lang in ("fi", "sv") else "en",
        },
        ensure_ascii=False,
        default=_json_default,
    ).replace("</", "<\\/")
    help_text = t("present.keys", lang)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(deck.title)} · {escape(t("app.title", lang))}</title>
<link rel="stylesheet" href="{BOOTSTRAP_CSS}"><link rel="stylesheet" href="/assets/present.css">
</head><body class="present">
<main id="deck" aria-label="{escape(deck.title)}">{"".join(sections)}</main>
<p class="present-help" id="present-help">{escape(help_text)}</p>
<nav class="present-nav" aria-label="{escape(t("present.nav", lang))}">
<a class="present-back" href="{escape(back)}">{escape(t("present.back", lang))}</a>
<button type="button" class="present-prev" aria-label="{escape(t("present.prev", lang))}">‹</button>
<button type="button" class="present-next" aria-label="{escape(t("present.next", lang))}">›</button>
<a class="present-deck" href="{escape(deck_path(view) + (("?" + query) if query else ""))}">{escape(t("download.deck", lang))}</a>
</nav>
<script type="application/json" id="deck-data">{data}</script>
<script src="{PLOTLY_PATH}"></script><script src="/assets/fit-labels.js"></script>
<script src="/assets/present.js"></script>
</body></html>"""


def _json_default(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def register(server) -> None:
    @server.route("/present", defaults={"view": "reports"})
    @server.route("/present/<view>")
    def present(view: str):
        raw = request.query_string.decode("utf-8", "replace")
        if view not in VIEWS:
            return Response(t("page.not_found", lang_of(raw)), status=404, mimetype="text/plain")
        query, current, _ = split_query(raw)
        try:
            deck, problems = deck_for(view, query)
        except DatabaseMissing:
            lang = lang_of(raw)
            return Response(t("error.no_database", lang, path=str(database().path)), status=503, mimetype="text/plain")
        current = min(current, len(deck.slides))
        return Response(render(deck, view, query, current, problems), mimetype="text/html")
