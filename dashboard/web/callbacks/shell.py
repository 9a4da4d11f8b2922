"""The app shell's callbacks: the router draws the page of the registry's view
at the URL with its data already in it (one round trip), and the document's
language follows."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html

from queries.access import DatabaseMissing, database

from ...core.filters import lang_of
from ...core.i18n import t
from ...views.registry import DASH, VIEWS, View
from .. import components as c
from .. import ids
from ..routes import auth


def layout_of(view: View) -> Callable:
    """A Dash view's layout, from the module path the registry names."""
    module, _, name = (view.layout or "").partition(":")
    return getattr(importlib.import_module(module), name)


def _main(child, lang: str = "fi") -> html.Main:
    return html.Main([c.doc_title("page", [], lang), child], id="main", className="container py-4")


def page(pathname: str, search: str, lang: str):
    view = VIEWS.at(pathname)
    if view is None or view.served_by != DASH:
        return _main(dbc.Alert(t("page.not_found", lang), color="info"), lang)
    if view.login and not auth.current_user():
        # A view behind the coordinator's login: its page request was already sent to the login;
        # a callback that asks for it without one gets no data.
        return _main(dbc.Alert(t("security.login_needed", lang), color="warning"), lang)
    try:
        return layout_of(view)(view.context_for(search))
    except DatabaseMissing:
        return _main(c.error_box(t("error.no_database", lang, path=str(database().path))), lang)


def register(app) -> None:
    for view in VIEWS:  # a layout the registry names but nobody wrote fails here, at start
        if view.served_by == DASH:
            layout_of(view)

    @app.callback(
        Output(ids.NAV, "children"),
        Output(ids.PAGE, "children"),
        Output(ids.FOOTER, "children"),
        Output(ids.LANG_STORE, "data"),
        Input(ids.URL, "pathname"),
        State(ids.URL, "search"),
    )
    def route(pathname, search):
        search = search if isinstance(search, str) else ""
        pathname = pathname if isinstance(pathname, str) else "/"
        lang = lang_of(search)
        footer = html.Div(t("footer.licence", lang), className="container-fluid small py-3")
        return c.navbar(pathname, search, lang), page(pathname, search, lang), footer, lang

    app.clientside_callback(
        "function(lang) { document.documentElement.lang = lang || 'fi'; return ''; }",
        Output(ids.FOOTER, "data-lang"),
        Input(ids.LANG_STORE, "data"),
    )
    # Every view names itself and its filter in <title> (WCAG 2.4.2), in the page's language.
    app.clientside_callback(
        "function(titles) { if (titles && titles.length && titles[0]) document.title = titles[0]; return ''; }",
        Output(ids.FOOTER, "data-title"),
        Input(ids.DOC_TITLE_ALL, "children"),
    )
