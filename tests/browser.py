"""Helpers for the browser tests: a real server process and Debian's Chromium."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db: Path, extra_env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DASHBOARD_DB": str(db), **(extra_env or {})}
        self.log = tempfile.NamedTemporaryFile(prefix="server-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "serve", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(Path(self.log.name).read_text()) from None
                time.sleep(0.3)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


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

    expect(page.locator("#caption")).to_have_text(expected, timeout=15_000)
