"""Builds the Dash app from its parts. Importing this opens nothing; each
worker opens the database lazily on its first request."""

from __future__ import annotations

import logging
from pathlib import Path

import dash
import duckdb
import xstatic.pkg.bootstrap as xstatic_bootstrap
from dash import dcc, html
from dash.types import RendererHooks
from flask import abort, send_from_directory

from queries import access
from queries.db import remove_orphans

from ..analysis import screening
from ..core.config import PROJECT_ROOT, Settings, default_language
from ..core.i18n import t
from . import answers, delivery, ids, security
from .callbacks import indicators as indicator_callbacks
from .callbacks import reports as report_callbacks
from .callbacks import shell
from .routes import coordinator, downloads, present, report, workbench

log = logging.getLogger(__name__)
INDEX = """<!DOCTYPE html>
<html lang="{lang}">
<head>
{%metas%}
<title>{%title%}</title>
{%favicon%}
{%css%}
</head>
<body>
{%app_entry%}
<footer>{%config%}{%scripts%}{%renderer%}</footer>
</body>
</html>"""


# Dash calls these with each callback request as it leaves and with its answer before it applies it
# (assets/chart-answers.js; the renderer's script, hooks included, is in the page's CSP hashes).
CHART_ANSWER_HOOKS: RendererHooks = {
    "request_pre": "function (payload) { if (window.tilannekuvaCharts) window.tilannekuvaCharts.requested(payload); }",
    "request_post": (
        "function (payload, response) {"
        " if (window.tilannekuvaCharts) window.tilannekuvaCharts.answered(payload, response); }"
    ),
}


def bootstrap_dir() -> Path:
    return Path(xstatic_bootstrap.BASE_DIR)


def layout() -> html.Div:
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.LANG_STORE),
            html.Div(id=ids.NAV),
            html.Div(id=ids.PAGE, className="page-container"),
            html.Footer(className="app-footer border-top mt-4", id=ids.FOOTER),
        ]
    )


def _remove_orphans() -> None:
    """The copies of the database an import killed mid-write left (each is as big as the database
    and holds every hidden text): removed at start, unless a writer is at work (it removes them)."""
    path = Settings.from_env().db_path
    try:
        removed = remove_orphans(path)
    except OSError as exc:
        log.warning("could not look for copies of %s that a killed import left: %s", path, exc)
        return
    if removed:
        log.warning("removed %d copies of %s that a killed import left", removed, path)


def _screen_unscreened() -> None:
    """A database from before the import's privacy screen: its reports are screened once, now, so no
    leadership query reads a text the screen has not seen (``dashboard.analysis.screening``)."""
    path = Settings.from_env().db_path
    try:
        screened = screening.screen_unscreened(path)
    except (OSError, duckdb.Error) as exc:
        log.error("could not privacy-screen the reports of %s: %s", path, exc)
        return
    if screened:
        log.warning("privacy-screened %d reports of %s stored before the screen existed", screened, path)


def create_app() -> dash.Dash:
    _remove_orphans()
    _screen_unscreened()
    delivery.defer_grid_script()
    delivery.drop_polyfill()
    lang = default_language()
    app = dash.Dash(
        __name__,
        title=t("app.title", lang),
        assets_folder=str(PROJECT_ROOT / "assets"),
        external_stylesheets=[delivery.BOOTSTRAP_CSS],
        suppress_callback_exceptions=True,
        assets_ignore=r"(present|workbench|report)[.-].*",  # the presentation's, the workbench's and the reporting form's own files
        serve_locally=True,
        update_title=None,  # type: ignore[arg-type]  # Dash documents None (keep the title while updating), types it str
        # A callback's answer draws its charts before Dash applies the rest (assets/chart-answers.js).
        hooks=CHART_ANSWER_HOOKS,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}, *delivery.meta_tags()],
    )
    app.index_string = INDEX.replace("{lang}", lang)  # the router sets the page's own once drawn
    app.layout = layout

    @app.server.route("/vendor/bootstrap/<path:filename>")
    def bootstrap_asset(filename: str):
        if not filename.endswith((".css", ".css.map", ".js", ".js.map")):
            abort(404)
        if filename == "css/bootstrap.min.css":
            return delivery.bootstrap_response()  # one rule changed (delivery.bootstrap_css)
        return send_from_directory(bootstrap_dir(), filename, max_age=86400)

    # A worker loads the reports' columns in the background when it gets its first request (after
    # the fork), so its first filter change does not wait for them.
    app.server.before_request(access.warm)
    delivery.install(app.server)
    shell.register(app)
    report_callbacks.register(app)
    indicator_callbacks.register(app)
    throttle = security.install(app)
    # After the guards: a kept answer is served only to a request that passed them.
    answers.install(app.server, app.config.routes_pathname_prefix + "_dash-update-component")
    downloads.register(app.server)
    coordinator.register(app.server, throttle)
    present.register(app.server)
    report.register(app.server, throttle.limiter)
    workbench.register(app.server)
    # Dash learns which script files it may serve when it renders the index page;
    # under gunicorn a worker can get a script request before it ever rendered the
    # index, so render it once here (this touches no data).
    with app.server.test_request_context("/"):
        app._setup_server()
        app.index()
    return app


__all__ = ["create_app"]
