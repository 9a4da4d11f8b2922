"""Shared fixtures: one demo database per test session, built by the same
generator and import code the app uses."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from dashboard.demo import build_demo

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "dashboard.duckdb"
    build_demo(path, folder / "files")
    return path


@pytest.fixture(scope="session")
def con(demo_db):
    connection = duckdb.connect(str(demo_db), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def vocab(con):
    from queries.codes import vocabulary

    return vocabulary(con)


@pytest.fixture()
def db_copy(demo_db, tmp_path, monkeypatch) -> Path:
    """A private copy of the demo database, served to the code under test."""
    import shutil

    from queries import access

    path = tmp_path / "db.duckdb"
    shutil.copyfile(demo_db, path)
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    access.reset()
    yield path
    access.reset()


@pytest.fixture()
def app_env(demo_db, monkeypatch):
    """The app pointed at the session's demo database."""
    monkeypatch.setenv("DASHBOARD_DB", str(demo_db))
    yield demo_db


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip("../shared/reference is not present")
    return REFERENCE


def pytest_configure(config):
    os.environ.setdefault("DASHBOARD_LANG", "fi")


@pytest.fixture(scope="session")
def sotkanet_db(demo_db, tmp_path_factory) -> Path:
    """The demo database plus the recorded Sotkanet fixture (indicators 3225 and 181)."""
    import shutil

    from dashboard.imports import sotkanet
    from queries.db import write_new_version

    path = tmp_path_factory.mktemp("sotkanet") / "dashboard.duckdb"
    shutil.copyfile(demo_db, path)
    source = sotkanet.DirectorySource(Path(__file__).parent / "fixtures" / "sotkanet")
    regions, imports = sotkanet.fetch(source, [3225, 181], list(range(2020, 2024)))
    write_new_version(path, lambda con: sotkanet.store(con, regions, imports, source.origin))
    return path


@pytest.fixture(scope="module")
def browser():
    from .browser import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} missing (make test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    # The tests inject scripts (axe-core, wait_for_function with a string) that the app's CSP would
    # block; the CSP itself is tested in test_browser_coordinator.py without this bypass.
    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True, bypass_csp=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    yield pg
    context.close()
    assert not errors, errors
