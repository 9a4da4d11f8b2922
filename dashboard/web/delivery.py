"""How the pages travel: compressed, cached for a year where the address
carries a fingerprint, and only the script a page uses.

- Responses are compressed (Brotli or gzip, Flask-Compress); the static files'
  compressed bytes are kept per worker, so each is compressed once.
- plotly.js is plotly's *basic* bundle (scatter, bar, pie: all the app draws),
  1.2 MB instead of 4.8 MB, vendored in ``dashboard/web/static`` (MIT). Dash
  loads plotly.js only when a chart is drawn; ``assets/delivery.js`` points
  that load at the basic bundle.
- The report grid's script (dash-ag-grid, 1.3 MB) is not in the page; it loads
  when a grid first comes near the screen (``assets/delivery.js``).
- Bootstrap's CSS is served without its one sibling rule that ends in ``*``
  (:func:`bootstrap_css`).
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from pathlib import Path

import dash._dash_renderer as dash_renderer
import dash_ag_grid
import xstatic.pkg.bootstrap as xstatic_bootstrap
from dash.fingerprint import build_fingerprint
from flask import Flask, Response, abort, request, send_from_directory
from flask_compress import Compress

STATIC = Path(__file__).parent / "static"
PLOTLY_VERSION = "4.1.1"  # of static/plotly-basic.min.js (plotly.js-basic-dist-min on npm)
PLOTLY_PATH = f"/vendor/plotly/plotly-basic-{PLOTLY_VERSION}.min.js"
BOOTSTRAP_VERSION = xstatic_bootstrap.VERSION
BOOTSTRAP_CSS = f"/vendor/bootstrap/css/bootstrap.min.css?v={BOOTSTRAP_VERSION}-1"  # -1: bootstrap_css()
ONE_YEAR = 31_536_000
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "image/x-icon",
    "image/vnd.microsoft.icon",
]
# Addresses whose bytes never change: Dash's fingerprinted scripts, assets and
# vendored files with their version or modification time in the address.
STATIC_PATH = re.compile(r"^/(_dash-component-suites/|assets/|vendor/|_favicon)")


# Bootstrap's reboot floats a legend and clears the float for whatever follows it. A sibling rule
# whose last part is ``*`` makes Chromium recompute the style of every element of the page each time
# a child of <body> comes or goes (a dropdown's menu closing, Dash's loading marker): in Chromium's
# trace, one style recalculation of ~1 900 elements, 11-17 ms, in about half of the filter changes
# (none with this rule changed). The same rule names the elements that follow a legend in this app's
# pages instead.
LEGEND_ANY = "legend+*{clear:left}"
LEGEND_NAMED = (
    ",".join(
        f"legend+{tag}"
        for tag in ("div", "p", "span", "label", "input", "select", "textarea", "ul", "ol", "table", "a", "button")
    )
    + "{clear:left}"
)
SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/\s*$")
_bootstrap_css: str | None = None


def bootstrap_css() -> str:
    """Bootstrap's ``bootstrap.min.css`` with ``legend+*`` as :data:`LEGEND_NAMED` (read once per
    worker). Its source map would no longer match, so the text does not point at it."""
    global _bootstrap_css
    if _bootstrap_css is None:
        text = (Path(xstatic_bootstrap.BASE_DIR) / "css" / "bootstrap.min.css").read_text(encoding="utf-8")
        if LEGEND_ANY not in text:
            raise RuntimeError(f"Bootstrap {BOOTSTRAP_VERSION} has no {LEGEND_ANY!r}: check bootstrap_css()")
        _bootstrap_css = SOURCE_MAP.sub("", text.replace(LEGEND_ANY, LEGEND_NAMED))
    return _bootstrap_css


def bootstrap_response() -> Response:
    return Response(bootstrap_css(), mimetype="text/css")


class StaticCache:
    """Compressed static files, per worker (a few MB in all); other responses
    are compressed afresh and never kept."""

    LIMIT = 64

    def __init__(self) -> None:
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            return self._items.get(key)

    def set(self, key: str, value: bytes) -> None:
        if key.endswith(";"):  # not a static file
            return
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.LIMIT:
                self._items.popitem(last=False)


def _cache_key(req) -> str:
    return req.full_path if STATIC_PATH.match(req.path) else ""


def grid_script_url() -> str:
    """Dash's fingerprinted address of the grid's script (cached for a year)."""
    path = "dash_ag_grid.min.js"
    mtime = int(os.stat(Path(dash_ag_grid.__file__).parent / path).st_mtime)
    return f"/_dash-component-suites/dash_ag_grid/{build_fingerprint(path, dash_ag_grid.__version__, mtime)}"


def meta_tags() -> list[dict]:
    """What ``assets/delivery.js`` needs to know: where the scripts it loads live."""
    return [
        {"name": "tilannekuva-plotly", "content": PLOTLY_PATH},
        {"name": "tilannekuva-grid", "content": grid_script_url()},
    ]


def defer_grid_script() -> None:
    """Keep dash-ag-grid's main script out of every page (Dash still serves it)."""
    for resource in dash_ag_grid._js_dist:
        if resource.get("relative_package_path") == "dash_ag_grid.min.js":
            resource["dynamic"] = True


POLYFILL = "polyfill@7.12.1"


def drop_polyfill() -> None:
    """Keep Babel's polyfill (core-js for browsers before 2017, 99 kB and ~0.2 s of a page's
    start) out of every page: the browsers a county uses have what it fills in. The one global
    Dash's bundles still ask for, ``regeneratorRuntime`` (when a lazily loaded component such as a
    chart arrives), is set by dash-bootstrap-components' bundle, which every page loads
    (``tests/test_delivery.py`` checks both)."""
    for resource in dash_renderer._js_dist_dependencies:
        for key in ("relative_package_path", "external_url"):
            paths = resource.get(key)
            if isinstance(paths, dict):
                for mode, listed in paths.items():
                    paths[mode] = [p for p in listed if POLYFILL not in p]


def install(server: Flask) -> None:
    server.config.update(
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_ALGORITHM_STREAMING=["br", "deflate"],
        COMPRESS_MIMETYPES=COMPRESSED_TYPES,
        COMPRESS_BR_LEVEL=5,
        COMPRESS_MIN_SIZE=500,
        COMPRESS_CACHE_KEY=_cache_key,
        COMPRESS_CACHE_BACKEND=StaticCache,
    )
    Compress(server)

    @server.route(PLOTLY_PATH)
    def plotly_basic():
        return send_from_directory(STATIC, "plotly-basic.min.js", max_age=ONE_YEAR)

    @server.route("/vendor/plotly/<path:_other>")
    def plotly_other(_other: str):
        abort(404)

    @server.after_request
    def cache_for_a_year(response):
        # Assets and vendored files carry their modification time or version in the address.
        versioned = request.path.startswith(("/assets/", "/vendor/bootstrap/")) and (
            "m" in request.args or "v" in request.args
        )
        if response.status_code == 200 and (versioned or request.path == PLOTLY_PATH):
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.public = True
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response


__all__ = [
    "install",
    "meta_tags",
    "defer_grid_script",
    "drop_polyfill",
    "PLOTLY_PATH",
    "BOOTSTRAP_CSS",
    "BOOTSTRAP_VERSION",
    "bootstrap_css",
    "bootstrap_response",
]
