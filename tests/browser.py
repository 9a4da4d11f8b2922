"""Helpers for the browser tests: a real server process and Debian's Chromium."""

from __future__ import annotations

import ctypes
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from .support import wait_until

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
# The ``page`` fixture's context: a laptop's 1280x720, downloads kept, and the app's CSP bypassed
# (the tests inject axe-core and wait on scripts of their own; the CSP has tests of its own).
PAGE_OPTIONS = {"viewport": {"width": 1280, "height": 720}, "accept_downloads": True, "bypass_csp": True}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# How long a wait may last before the test fails (Playwright's waits and ``expect``): generous,
# because the shared 2-core machine can be slow under load; a passing test never waits this long.
TIMEOUT_MS = 60_000
# How `make run` serves the app, whatever the developer's shell says: no login configured.
OPEN = {"DASHBOARD_COORDINATOR_PASSWORD": "", "DASHBOARD_HTPASSWD": ""}
LOGIN_PASSWORD = "testisalasana"  # of the session's login_server


def _die_with_parent() -> None:
    """In the server's process before it starts: Linux sends it SIGTERM when the test run
    that started it dies (killed, Ctrl-C twice), so no gunicorn outlives its tests."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):  # not Linux: stop() is the only way
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python -m dashboard serve`` (gunicorn) on a free port, serving ``db``; ``env`` is added to
    this process's environment; ``workers`` gunicorn workers (2, as served by default; 1 where a
    test needs no second one: each worker loads the app). Use as a context manager, or call ``stop()``."""

    def __init__(self, db: Path, extra_env: dict | None = None, workers: int = 2):
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DASHBOARD_DB": str(db), **(extra_env or {})}
        self.log = tempfile.NamedTemporaryFile(prefix="server-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "serve", "--port", str(self.port), "--workers", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
            process_group=0,  # the master and its workers, killed together by stop()
        )
        try:
            wait_until(self._answers, timeout=120, what=f"the server on {self.url}")
        except BaseException:
            self.stop()  # never leave a gunicorn behind
            raise

    def _answers(self) -> bool:
        try:
            urllib.request.urlopen(self.url + "/", timeout=2)
            return True
        except OSError:
            if self.process.poll() is not None:
                raise RuntimeError(Path(self.log.name).read_text()) from None
            return False

    def stop(self) -> None:
        """Kill the server and its workers at once. gunicorn's graceful stop (SIGTERM) has each
        process tear its interpreter down, ~4 s of CPU for a worker that has served pages; a test's
        server has nothing to finish (its writes are committed when their requests answer), and
        what a graceful stop does is tested where it matters (test_report_load kills workers too)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the master leads its own process group
        except ProcessLookupError:
            pass
        self.process.wait(10)
        self.log.close()  # kept in the temp folder: a failed test's server traceback is there

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def control(page, name: str, kind: str = "filter"):
    return page.locator(f'[id=\'{{"name":"{name}","type":"{kind}"}}\']')


def choose(page, name: str, option: str, kind: str = "filter"):
    control(page, name, kind).click()
    # Long lists are virtualised (only the options in sight exist): type to find, as a user would.
    search = page.locator("input.dash-dropdown-search:visible")
    if search.count():
        search.first.fill(option)
    page.locator(".dash-dropdown-option", has_text=re.compile(f"^{re.escape(option)}$")).first.click()
    page.keyboard.press("Escape")


def click_largest_bar(page, name: str):
    """Click the top (largest) bar of a report chart, as a mouse user would."""
    chart = page.locator(f'[id=\'{{"name":"{name}","type":"chart"}}\']')
    bars = chart.locator("g.point path")
    bars.first.wait_for()
    chart.scroll_into_view_if_needed()
    top = min((bars.nth(i).bounding_box() for i in range(bars.count())), key=lambda box: box["y"])
    page.mouse.click(top["x"] + top["width"] / 2, top["y"] + top["height"] / 2)


def caption(page, expected: str):
    from playwright.sync_api import expect

    expect(page.locator("#caption")).to_have_text(expected)


# True once Dash has no callback in flight and every chart is drawn (no redraw pending), on three
# animation frames in a row: chained callbacks and the label fitting's relayout have had their turn.
SETTLED = """() => {
  const idle = (window.dash_stores || []).every(store => !store.getState().isLoading)
    && [...document.querySelectorAll('.js-plotly-plot')].every(
         gd => gd._fullLayout && !gd._transitioning && !(gd._promises || []).length);
  window.__calmFrames = idle ? (window.__calmFrames || 0) + 1 : 0;
  return window.__calmFrames >= 3;
}"""


def settled(page, timeout: float = TIMEOUT_MS) -> None:
    """Wait until the view is still: no Dash callback pending, every chart drawn."""
    page.evaluate("window.__calmFrames = 0")
    page.wait_for_function(SETTLED, polling="raf", timeout=timeout)


def next_frames(page, n: int = 2) -> None:
    """Wait until the page has drawn ``n`` more frames (what a click set off has been dispatched)."""
    page.evaluate(
        "n => new Promise(done => { const tick = k => k ? requestAnimationFrame(() => tick(k - 1)) : done(); tick(n); })",
        n,
    )
