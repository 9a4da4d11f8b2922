"""Helpers for tests without a browser: a Flask test client of a freshly built
app, and waiting on a condition (never a fixed sleep). The fixtures in
``conftest.py`` use these; call them directly only where a fixture cannot
(a module-scoped client, a second user within one test)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from flask.testing import FlaskClient

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]

# What the developer's shell may have set that changes how the app lets people in:
# cleared before each client is built, so a test sees only the settings it asks for.
LOGIN_SETTINGS = (
    "DASHBOARD_COORDINATOR_PASSWORD",
    "DASHBOARD_HTPASSWD",
    "DASHBOARD_SECRET_KEY",
    "DASHBOARD_HTTPS",
    "DASHBOARD_REPORT_ACCESS",  # the reporting form's: who may report
    "DASHBOARD_REPORTER_PASSWORD",
    "DASHBOARD_REPORTER_HTPASSWD",
)


def new_client(mp: pytest.MonkeyPatch, db: Path, **env: str) -> FlaskClient:
    """A Flask test client of a new app serving ``db``, with ``env`` set through ``mp``
    (undone when ``mp`` is). The app reads its settings on each request, so a test may
    change them later with the same monkeypatch."""
    from dashboard.web.app_factory import create_app
    from queries import access

    for name in LOGIN_SETTINGS:
        mp.delenv(name, raising=False)
    mp.setenv("DASHBOARD_DB", str(db))
    for name, value in env.items():
        mp.setenv(name, value)
    access.reset()
    return create_app().server.test_client()


@contextmanager
def app_client(db: Path, **env: str) -> Iterator[FlaskClient]:
    """``new_client`` for a scope wider than one test (``with app_client(db) as client: ...``)."""
    from queries import access

    with pytest.MonkeyPatch.context() as mp:
        try:
            yield new_client(mp, db, **env)
        finally:
            access.reset()


def run_cli(*args: str, env: dict[str, str] | None = None, child: bool = False) -> subprocess.CompletedProcess:
    """``python -m dashboard ARGS`` with ``env`` added to the environment: its exit code, stdout and
    stderr (``.returncode``, ``.stdout``, ``.stderr`` as ``subprocess.run`` gives them).

    By default in this process: the same ``main`` (argument parsing, settings read from the
    environment, output, exit code) without starting an interpreter and importing the app again
    (~2 s of CPU each). ``child=True`` runs the real command line in a child process: keep one
    such call for each command a test module covers."""
    argv = [str(a) for a in args]
    if child:
        return subprocess.run(
            [sys.executable, "-m", "dashboard", *argv],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
        )
    from dashboard.__main__ import main
    from queries import access

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        for name, value in (env or {}).items():
            mp.setenv(name, value)
        access.reset()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(argv)
                except SystemExit as exit:  # argparse: --help (0) or bad arguments (2)
                    code = exit.code if isinstance(exit.code, int) else 1
        finally:
            access.reset()
    return subprocess.CompletedProcess(["python", "-m", "dashboard", *argv], code, out.getvalue(), err.getvalue())


def wait_until(condition: Callable[[], T], timeout: float = 60.0, what: str = "") -> T:
    """Return the first truthy value of ``condition()``, asked every 50 ms; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout:.0f} s: {what or condition}")
        time.sleep(0.05)  # the interval between two looks, not a wait for something to happen
