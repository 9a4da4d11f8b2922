"""The app shell's callbacks: the router draws the page for the URL with its
data already in it (one round trip), and the document's language follows."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html

from queries.access import DatabaseMissing, database

from ...core.filters import lang_of
from ...core.i18n import t
from ...views.indicators import IndicatorContext
from ...views.phenomena import PhenomenonContext
from ...views.reports import ReportContext
from .. import components as c
from .. import ids
from ..layouts import indicators, phenomena, reports

ROUTES = {
    "/": lambda search: reports.overview(ReportContext.from_query(search)),
    "/reports": lambda search: reports.layout(ReportContext.from_query(search)),
    "/indicators": lambda search: indicators.layout(IndicatorContext.from_query(search)),
    "/phenomena": lambda search: phenomena.layout(PhenomenonContext.from_query(search)),
}


def page(pathname: str, search: str, lang: str):
    builder = ROUTES.get(pathname.rstrip("/") or "/")
    if builder is None:
        return html.Main(dbc.Alert(t("page.not_found", lang), color="info"), id="main", className="container py-4")
    try:
        return builder(search)
    except DatabaseMissing:
        return html.Main(
            c.error_box(t("error.no_database", lang, path=str(database().path))), id="main", className="container py-4"
        )


def register(app) -> None:
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
