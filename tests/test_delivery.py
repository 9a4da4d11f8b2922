"""What a page loads: no Babel polyfill (modern browsers have what it fills in), and the one
global Dash's bundles still need from it set by a bundle every page loads. That the views run
without it (no page error as their lazily loaded charts and menus arrive) is every browser test's
(the ``page`` fixture fails a test on a page error)."""

from __future__ import annotations

import re
from pathlib import Path

import dash_bootstrap_components
import xstatic.pkg.bootstrap as xstatic_bootstrap

from dashboard.web import delivery


def test_no_page_loads_the_polyfill_and_every_page_loads_the_bundle_that_sets_its_one_global(client):
    for path in ("/", "/reports", "/indicators", "/phenomena"):
        html = client.get(path).get_data(as_text=True)
        scripts = re.findall(r'<script src="([^"]+)"', html)
        assert scripts, path
        assert not [s for s in scripts if "polyfill" in s], path
        assert [s for s in scripts if "dash_bootstrap_components" in s], path
    bundle = Path(dash_bootstrap_components.__file__).parent / "_components" / "dash_bootstrap_components.min.js"
    # regenerator-runtime, bundled by dash-bootstrap-components, makes itself the global that Dash's
    # lazy component loader calls (dash_renderer and dash_core_components: regeneratorRuntime.mark).
    assert "regeneratorRuntime=" in bundle.read_text(encoding="utf-8")


def test_gunicorns_master_imports_the_code_but_opens_nothing_and_starts_no_thread(tmp_path):
    """``python -m dashboard serve`` has the master import the app's modules before it forks the
    workers (dashboard.web.gunicorn_preload): importing them must open no database and start no
    thread, or every worker would inherit them."""
    import subprocess
    import sys

    from .browser import ROOT

    probe = (
        "import duckdb, threading\n"
        "opened = []\n"
        "real = duckdb.connect\n"
        "duckdb.connect = lambda *a, **k: opened.append(a) or real(*a, **k)\n"
        "import dashboard.web.gunicorn_preload\n"
        "assert not opened, opened\n"
        "assert threading.active_count() == 1, threading.enumerate()\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
    serve = (ROOT / "dashboard" / "__main__.py").read_text(encoding="utf-8")
    assert '"python:dashboard.web.gunicorn_preload"' in serve


def test_bootstrap_is_served_with_no_sibling_rule_that_ends_in_any_element(client):
    """Bootstrap's ``legend+*`` made Chromium restyle the whole page whenever a dropdown's menu
    closed; it is served as the same rule for the elements that follow a legend here, and every
    other byte is Bootstrap's own."""
    response = client.get(delivery.BOOTSTRAP_CSS)
    css = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert response.cache_control.max_age == delivery.ONE_YEAR  # a new address (-1) for the new bytes
    assert re.search(r"[+~]\s*\*\s*[{,]", css) is None
    assert "legend+div," in css and "legend+p," in css and "legend+label," in css
    original = (Path(xstatic_bootstrap.BASE_DIR) / "css" / "bootstrap.min.css").read_text(encoding="utf-8")
    assert css.replace(delivery.LEGEND_NAMED, delivery.LEGEND_ANY) == delivery.SOURCE_MAP.sub("", original)
    assert "sourceMappingURL" not in css
