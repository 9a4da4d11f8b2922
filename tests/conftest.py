"""Shared fixtures. Ask for what a test needs by name; everything heavy is built
once per session (per xdist worker) and shared.

Data (built by the same generator and import code the app uses)
    demo_db          the demo database. Read-only: never write to it.
    con, vocab       a read-only connection to it and its vocabulary (labels of codes).
    sotkanet_db      the demo plus the recorded Sotkanet fixture (indicators 3225 and 181). Read-only.
    db_copy          a private, writable copy of the demo for one test; DASHBOARD_DB points at it.
    app_env          DASHBOARD_DB points at demo_db (for code that reads the settings itself).
    reference_dir    Statistics Finland's classification, vendored in tests/fixtures/reference.

Flask's test client (no server, no browser)
    client           the app on ``app_db`` with ``app_settings`` (by default: demo_db, nothing set).
                     A module that needs another database or settings overrides those two::

                         @pytest.fixture()
                         def app_db(db_copy):
                             return db_copy

                         @pytest.fixture()
                         def app_settings():
                             return {"DASHBOARD_COORDINATOR_PASSWORD": "salasana"}

    make_client      ``make_client(db, **env)``: one more client in a test (other settings, a
                     second user). Login settings from the developer's shell are cleared first.
    Wider than one test (a module-scoped client): ``with tests.support.app_client(db) as client``.

Browser tests (mark the module ``pytestmark = pytest.mark.browser``; ``make test-fast`` skips them)
    browser          one headless Debian Chromium for the session, for a test that opens contexts of its
                     own (``page`` runs in another one, with a profile on disk).
    page             a new 1280x720 page per test in a context the worker's tests share (a profile on disk:
                     its HTTP cache and compiled scripts are kept); cookies, other pages and every visited
                     origin's storage are cleared after each test. A page error or a 5xx fails the
                     test. A test about a first visit opens a context of its own (``PAGE_OPTIONS``).
                     Waits and ``expect`` give up after ``tests.browser.TIMEOUT_MS`` (60 s).
    demo_server      gunicorn on demo_db, no login configured (as ``make run`` serves it).
    sotkanet_server  gunicorn on sotkanet_db, no login configured.
    login_server     gunicorn with a login configured (password ``tests.browser.LOGIN_PASSWORD``, any user)
                     on a writable copy of the demo, ``login_server.db``. Tests upload into it:
                     assert on what your own test added, not on totals.
    The three servers live for the whole session, each one gunicorn worker (4 threads; a browser's
    requests need no second process, and each worker loads the app: ~2.5 s of CPU; what holds across
    workers is test_sessions' and the load tests'): use them read-only unless noted. Under xdist
    (``make test``) a module's browser tests run on one worker, in order; each worker that runs
    browser tests starts its own Chromium and the servers it uses. A test that
    needs other settings starts its own ``tests.browser.Server(db, env)`` in a module-scoped
    fixture (``with Server(...) as srv: yield srv``), and only such a test.

Waiting: never a fixed sleep. Playwright's ``expect(...)`` and ``locator.wait_for()``;
``tests.browser.settled(page)`` before measuring charts; ``tests.support.wait_until`` elsewhere.
"""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import jinja2
import jinja2.bccache
import pytest

from dashboard.demo import build_demo

from .support import new_client

REFERENCE = Path(__file__).parent / "fixtures" / "reference"


def pytest_configure(config):
    os.environ.setdefault("DASHBOARD_LANG", "fi")
    # Most tests build an app of their own, and each app's Jinja environment would compile the same
    # templates again (~7 % of the tests' CPU). Within a test process they share the compiled code:
    # Jinja's bytecode cache, kept in memory and keyed by the template's file and source checksum
    # (a changed template is compiled afresh). What a page renders is the same; only compiling is saved.
    import flask

    flask.Flask.jinja_options = {**flask.Flask.jinja_options, "bytecode_cache": _TemplatesCompiledOnce()}


class _TemplatesCompiledOnce(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # Under `pytest -n 2 --dist loadgroup` (make test) a browser module's tests run together on one
    # worker, in order (its own server, if it starts one, is started once); the two workers share out
    # the browser modules and the tests without a browser, so both finish at about the same time. A
    # worker that runs browser tests starts its own Chromium and the session's servers it needs.
    #
    # A module whose tests share a module-scoped fixture (a database built for it, a client, a
    # rendered deck) runs on one worker too: shared out test by test, each worker would build the
    # fixture again (test_small_numbers' world ~6 s, test_columnar's columns, test_fuzz's apps).
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group(f"browser:{item.module.__name__}"))
        elif _uses_module_fixture(item):
            item.add_marker(pytest.mark.xdist_group(f"module:{item.module.__name__}"))


def _uses_module_fixture(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    return info is not None and any(d.scope == "module" for defs in info.name2fixturedefs.values() for d in defs)


# ---- data --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """Built once per run: under xdist the first worker builds it (the other waits on a lock), and
    each worker gets a copy in its own folder (so the files the app keeps beside a database stay
    per worker)."""
    built = _built_once(
        tmp_path_factory, "demo-built", lambda folder: build_demo(folder / "dashboard.duckdb", folder / "files")
    )
    folder = tmp_path_factory.mktemp("demo")
    shutil.copyfile(built / "dashboard.duckdb", folder / "dashboard.duckdb")
    shutil.copytree(built / "files", folder / "files")
    return folder / "dashboard.duckdb"


def _built_once(tmp_path_factory, name: str, build) -> Path:
    """``build(folder)`` once for the whole run, into a folder every xdist worker of it can read."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder = root / name
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker killed while building left
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder


@pytest.fixture(scope="session")
def con(demo_db):
    connection = duckdb.connect(str(demo_db), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def vocab(con):
    from queries.codes import vocabulary

    return vocabulary(con)


@pytest.fixture(scope="session")
def sotkanet_db(demo_db, tmp_path_factory) -> Path:
    """The demo database plus the recorded Sotkanet fixture (indicators 3225 and 181)."""
    from dashboard.imports import sotkanet
    from queries.db import write_new_version

    path = tmp_path_factory.mktemp("sotkanet") / "dashboard.duckdb"
    shutil.copyfile(demo_db, path)
    source = sotkanet.DirectorySource(Path(__file__).parent / "fixtures" / "sotkanet")
    regions, imports = sotkanet.fetch(source, [3225, 181], list(range(2020, 2024)))
    write_new_version(path, lambda con: sotkanet.store(con, regions, imports, source.origin))
    return path


@pytest.fixture()
def db_copy(demo_db, tmp_path, monkeypatch) -> Iterator[Path]:
    """A private copy of the demo database, served to the code under test."""
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
    return REFERENCE


# ---- Flask's test client -------------------------------------------------------------------------


@pytest.fixture()
def app_db(demo_db) -> Path:
    """The database ``client`` serves; override in a module to serve another."""
    return demo_db


@pytest.fixture()
def app_settings() -> dict[str, str]:
    """Settings (environment variables) ``client`` starts with; override in a module."""
    return {}


@pytest.fixture()
def make_client(monkeypatch):
    from queries import access

    yield functools.partial(new_client, monkeypatch)
    access.reset()


@pytest.fixture()
def client(make_client, app_db, app_settings):
    return make_client(app_db, **app_settings)


# ---- browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _playwright():
    from .browser import CHROMIUM, TIMEOUT_MS

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} missing (make test installs Debian's chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(_playwright):
    from .browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS

    b = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    # Every context a test opens waits as long as ``expect`` does (Playwright's own default is 30 s).
    new_context = b.new_context

    def patient_context(**options):
        context = new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        return context

    b.new_context = patient_context
    yield b
    b.close()


# What a test leaves in its origins' storage, cleared after it (the HTTP cache stays: see ``page``).
STORAGE = "cookies,local_storage,indexeddb,websql,service_workers,cache_storage,file_systems"


@pytest.fixture(scope="session")
def _browsing(_playwright, tmp_path_factory):
    """The one browser context the ``page`` tests share (per worker): a Chromium of its own with a
    profile on disk, which keeps what a user's browser keeps between pages: the HTTP cache and V8's
    cache of compiled scripts. ``browser.new_context`` makes an incognito context, which compiles
    plotly's and Dash's scripts again on every page (measured: ~1 s of CPU per page load of /reports
    more; the reports and indicator views' modules ~6 % more CPU in all)."""
    # The tests inject scripts (axe-core, wait_for_function with a string) that the app's CSP would
    # block; the CSP itself is tested in test_browser_coordinator.py without this bypass.
    from .browser import CHROMIUM, CHROMIUM_ARGS, PAGE_OPTIONS, TIMEOUT_MS

    context = _playwright.chromium.launch_persistent_context(
        tmp_path_factory.mktemp("chromium-profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, **PAGE_OPTIONS
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture()
def page(_browsing):
    """A new 1280x720 page for the test, in the browser context the worker's tests share (``_browsing``:
    the app's scripts come from its cache, compiled, and the servers do not send them again). What a
    test leaves behind goes with it: its other pages, the cookies, the permissions and every visited
    origin's storage (local storage, IndexedDB, ...; session storage is the page's own). A test about a first visit (what the network sends)
    opens a context of its own (``browser.new_context(**PAGE_OPTIONS)``)."""
    context = _browsing
    pg = context.new_page()
    errors: list[str] = []
    origins: set[str] = set()
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    pg.on("framenavigated", lambda frame: origins.add(_origin(frame.url)))
    yield pg
    cleaner = pg if not pg.is_closed() else context.new_page()
    session = context.new_cdp_session(cleaner)
    for origin in sorted(o for o in origins if o):
        session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": STORAGE})
    session.detach()
    for other in context.pages:
        other.close()
    context.clear_cookies()
    context.clear_permissions()
    assert not errors, errors


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else ""


@pytest.fixture(scope="session")
def demo_server(demo_db):
    from .browser import OPEN, Server

    with Server(demo_db, OPEN, workers=1) as server:
        yield server


@pytest.fixture(scope="session")
def sotkanet_server(sotkanet_db):
    from .browser import OPEN, Server

    with Server(sotkanet_db, OPEN, workers=1) as server:
        yield server


@pytest.fixture(scope="session")
def login_server(demo_db, tmp_path_factory):
    from .browser import LOGIN_PASSWORD, OPEN, Server

    path = tmp_path_factory.mktemp("login") / "db.duckdb"
    shutil.copyfile(demo_db, path)
    with Server(path, {**OPEN, "DASHBOARD_COORDINATOR_PASSWORD": LOGIN_PASSWORD}, workers=1) as server:
        yield server
