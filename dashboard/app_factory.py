"""Builds the Dash app. Importing this opens nothing; the database is opened
lazily on the first request of each worker."""

from __future__ import annotations

from pathlib import Path

import dash
from dash import Input, Output, dcc, html
from flask import abort, send_from_directory

from . import callbacks, ids
from .config import PROJECT_ROOT
from .i18n import t

INDEX = """<!DOCTYPE html>
<html lang="fi">
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


def bootstrap_dir() -> Path:
    import xstatic.pkg.bootstrap as xs

    return Path(xs.BASE_DIR)


def shell() -> html.Div:
    return html.Div([
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.LANG_STORE),
        dcc.Store(id=ids.FILTER_STORE),
        dcc.Store(id=ids.IND_STORE),
        html.Div(id=ids.NAV),
        html.Div(id=ids.PAGE, className="page-container"),
        html.Footer(className="app-footer border-top mt-4", id=ids.FOOTER),
    ])


def create_app() -> dash.Dash:
    app = dash.Dash(
        __name__,
        title=t("app.title", "fi"),
        assets_folder=str(PROJECT_ROOT / "assets"),
        external_stylesheets=["/vendor/bootstrap/css/bootstrap.min.css"],
        suppress_callback_exceptions=True,
        serve_locally=True,
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = INDEX
    app.layout = shell

    @app.server.route("/vendor/bootstrap/<path:filename>")
    def bootstrap_asset(filename: str):
        if not filename.endswith((".css", ".css.map", ".js", ".js.map")):
            abort(404)
        return send_from_directory(bootstrap_dir(), filename, max_age=86400)

    callbacks.register(app)
    app.clientside_callback(
        "function(lang) { document.documentElement.lang = lang || 'fi'; return ''; }",
        Output(ids.FOOTER, "data-lang"),
        Input(ids.LANG_STORE, "data"),
    )
    from . import coordinator, downloads

    downloads.register(app.server)
    coordinator.register(app.server)
    return app


__all__ = ["create_app"]
