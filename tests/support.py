"""Helpers for tests without a browser: a Flask test client of a freshly built
app, and waiting on a condition (never a fixed sleep). The fixtures in
``conftest.py`` use these; call them directly only where a fixture cannot
(a module-scoped client, a second user within one test)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from flask.testing import FlaskClient

T = TypeVar("T")

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
