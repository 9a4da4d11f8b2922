"""Presentation mode: ``/present`` (the reports view's half-year deck) and
``/present/<view>`` for every view the registry gives slides take their view's
query string (plus ``slide=N``) and show full-viewport 16:9 slides with no
interface chrome. The slides are the same :class:`~dashboard.views.slides.Deck`
that the PPTX download writes. Keys: → ← PageDown PageUp (clickers), Home,
End, f (full screen), Esc (back to the view with the same filters). Printing
gives one slide per page. One Jinja template (``templates/present.html``,
autoescaped) and one small script: nothing to wait for but the charts."""

from __future__ import annotations

import json

from flask import Response, render_template, request
from markupsafe import Markup

from queries.access import DatabaseMissing, database

from ...charts.style import FONT
from ...core.filters import lang_of
from ...core.formatting import fmt_number
from ...core.i18n import t
from ...views.registry import PRESENT_ROOT, VIEWS
from ...views.slides import Deck, split_query
from ..components import cell_text
from ..delivery import BOOTSTRAP_CSS, PLOTLY_PATH
from . import auth


def figures_of(deck: Deck) -> dict[str, dict]:
    """Every chart's figure under the id its slide's element names (``f<slide>-<chart>``)."""
    return {
        f"f{number}-{k}": rendered.figure
        for number, slide in enumerate(deck.slides, start=1)
        if slide.kind in ("kpis", "chart", "charts")
        for k, rendered in enumerate(slide.charts)
    }


def script_json(value) -> Markup:
    """JSON that is safe inside a <script> element (no '</', no '<!--')."""
    text = json.dumps(value, ensure_ascii=False, default=_json_default)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render(deck: Deck, view: str, query: str, current: int, problems) -> str:
    lang = deck.lang
    suffix = ("?" + query) if query else ""
    back = VIEWS[view].path + suffix
    deck_path = VIEWS.deck_path(view)
    assert deck_path is not None  # a view that presents has a deck (Registry.problems checks it)
    data = {
        "figures": figures_of(deck),
        "font": FONT,
        "back": back,
        "total": len(deck.slides),
        "locale": lang if lang in ("fi", "sv") else "en",
    }
    return render_template(
        "present.html",
        deck=deck,
        lang=lang,
        current=current,
        total=len(deck.slides),
        problems=problems,
        back=back,
        deck_href=deck_path + suffix,
        data=script_json(data),
        bootstrap_css=BOOTSTRAP_CSS,
        plotly_path=PLOTLY_PATH,
        t=lambda key, **values: t(key, lang, **values),
        fmt_number=lambda value: fmt_number(value, lang),
        cell=lambda value, kind, decimals: cell_text(value, kind, lang, decimals),
    )


def _json_default(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def register(server) -> None:
    @server.route("/present", defaults={"view": PRESENT_ROOT})
    @server.route("/present/<view>")
    def present(view: str):
        raw = request.query_string.decode("utf-8", "replace")
        lang = lang_of(raw)
        shown = VIEWS.presentation(view)
        if shown is None:
            return Response(t("page.not_found", lang), status=404, mimetype="text/plain")
        if (VIEWS[view].login or shown.login) and not auth.current_user():
            return Response(t("security.login_needed", lang), status=401, mimetype="text/plain")
        query, current = split_query(raw)
        try:
            context = shown.context_for(query)
            deck = shown.deck_for(context)
        except DatabaseMissing:
            return Response(t("error.no_database", lang, path=str(database().path)), status=503, mimetype="text/plain")
        current = min(current, len(deck.slides))
        return Response(render(deck, view, query, current, context.problems), mimetype="text/html")
