"""The one registry of views: every view it names is whole (a layout that
exists, a context, slides with a deck, downloads that answer), every page,
menu item and route of the app is in it, and a view only half registered
fails. It can say what the coming views need: behind the coordinator's
login, outside the leadership menu, without slides."""

from __future__ import annotations

import inspect
import re

import pytest
from dash._utils import split_callback_id

from dashboard.views.registry import DASH, FLASK, VIEWS, Registry, View
from dashboard.views.reports import ReportContext
from dashboard.views.slides import Deck

from .support import app_client, run_cli

AUTUMN = "county=09&from=2024-09-01&to=2024-12-31"
# A query that shows every chart of each view.
QUERIES = {
    "overview": AUTUMN,
    "reports": AUTUMN,
    "phenomena": f"theme=livelihood&{AUTUMN}",
    "indicators": "indicator=demo-pitkaaikaistyottomat&indicator=demo-toimeentulotuki&region=398",
}
# Routes that are no view's page: the login, Dash's and Flask's own, and the routes that read the
# registry (presentations, downloads and decks).
INFRASTRUCTURE = (
    "/login",
    "/logout",
    "/present",
    "/download/",
    "/vendor/",
    "/assets/",
    "/static/",
    "/_",
    "/<path:path>",
)


@pytest.fixture(scope="module")
def client(demo_db):
    with app_client(demo_db) as client:
        yield client


def route(client, pathname: str, search: str = "") -> str:
    """What the router draws for a URL (the page's layout as JSON text)."""
    deps = client.get("/_dash-dependencies").get_json()
    spec = next(d for d in deps if d["inputs"] == [{"id": "url", "property": "pathname"}])
    body = {
        "output": spec["output"],
        "outputs": split_callback_id(spec["output"]),
        "inputs": [{"id": "url", "property": "pathname", "value": pathname}],
        "state": [{"id": "url", "property": "search", "value": search}],
        "changedPropIds": ["url.pathname"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def menu_links(component) -> set[str]:
    """The paths of the menu's links in a Dash layout tree."""
    import dash_bootstrap_components as dbc
    from dash import html

    found = set()

    def walk(node):
        # The Dash views' links are plain links opened within the page (assets/links.js), the others dbc's.
        plain = isinstance(node, html.A) and "nav-link" in str(getattr(node, "className", "")).split()
        if isinstance(node, dbc.NavLink) or plain:
            found.add(node.href.split("?")[0])
        children = getattr(node, "children", None)
        for child in children if isinstance(children, (list, tuple)) else [children]:
            if child is not None and not isinstance(child, (str, int, float)):
                walk(child)

    walk(component)
    return found


def test_every_view_is_whole(client):
    from dashboard.web.callbacks.shell import layout_of

    assert [view.name for view in VIEWS.menu()] == ["overview", "reports", "indicators", "phenomena", "coordinator"]
    for view in VIEWS:
        if view.served_by == DASH:
            layout = layout_of(view)
            assert callable(layout) and inspect.getmodule(layout).__name__.startswith("dashboard.web.layouts."), view
            page = route(client, view.path, "?" + QUERIES.get(view.name, ""))
            assert "Sivua ei löytynyt" not in page and '"id":"main"' in page, view.name
        else:
            assert view.served_by == FLASK and client.get(view.path).status_code < 500, view.name
        for catalogue in view.catalogues:
            assert catalogue.names(), (view.name, catalogue.view)
        present, deck = VIEWS.present_path(view.name), VIEWS.deck_path(view.name)
        if present is None:
            assert deck is None
            continue
        query = QUERIES[view.name]
        assert client.get(f"{present}?{query}").status_code == 200, present
        response = client.get(f"{deck}?{query}")
        assert response.status_code == 200 and response.data[:2] == b"PK", deck
        for download in view.downloads:
            assert client.get(f"{download.path}?{query}").status_code == 200, download


def test_every_menu_item_and_route_is_in_the_registry(client):
    from dashboard.web import components

    paths = {view.path for view in VIEWS}
    # The Dash menu and the Flask pages' menu.
    dash_links = menu_links(components.navbar("/reports", f"?{AUTUMN}", "fi"))
    flask_page = client.get("/login").get_data(as_text=True)
    flask_links = {href for href in re.findall(r'class="nav-link[^"]*" href="([^"?]*)', flask_page)}
    assert dash_links == flask_links == {view.path for view in VIEWS.menu()}
    assert {"/reports", "/coordinator"} <= dash_links
    # Every page the server answers is a view's, or under a view behind the login or a Flask view's own
    # (the reporting form's receipt, login and unit links), or infrastructure.
    login_prefixes = tuple(view.path + "/" for view in VIEWS if view.login or view.served_by == FLASK)
    strays = [
        rule.rule
        for rule in client.application.url_map.iter_rules()
        if "GET" in rule.methods
        and rule.rule not in paths
        and not rule.rule.startswith(login_prefixes)
        and not rule.rule.startswith(INFRASTRUCTURE)
    ]
    assert not strays, f"pages that are in no view of the registry: {strays}"
    # The router draws only the registry's views; a presentation or a deck only of a view with slides.
    assert "Sivua ei löytynyt" in route(client, "/no-such-view")
    assert client.get("/present/no-such-view").status_code == 404
    assert client.get("/present/coordinator").status_code == 404
    assert client.get("/download/deck-no-such-view.pptx").status_code == 404


def no_slides(context) -> Deck:
    raise AssertionError("never called: the registry is checked before any slide is made")


@pytest.mark.parametrize(
    "entries, problem",
    [
        ([View("x", "/x", "nav.reports", context=ReportContext.from_query)], "without a layout"),
        ([View("x", "/x", "nav.reports", layout="dashboard.web.layouts.reports:layout")], "without a context"),
        (
            [View("x", "/x", "nav.reports", context=ReportContext.from_query, layout="m:f", slides=no_slides)],
            "slides without a deck",
        ),
        (
            [View("x", "/x", "nav.reports", context=ReportContext.from_query, layout="m:f", deck="deck-x")],
            "a deck without slides",
        ),
        (
            [View("x", "/x", "nav.reports", context=ReportContext.from_query, layout="m:f", slides_of="nobody")],
            "which has no slides",
        ),
        (
            [
                View("x", "/x", "nav.reports", context=ReportContext.from_query, layout="m:f"),
                View("y", "/x", "nav.reports", context=ReportContext.from_query, layout="m:f"),
            ],
            "two views on one path",
        ),
        ([View("x", "/x", "", served_by=FLASK)], "no menu label"),
    ],
)
def test_a_view_only_half_registered_fails(entries, problem):
    with pytest.raises(ValueError, match=problem):
        Registry([*VIEWS, *entries])


def test_a_layout_the_registry_names_but_nobody_wrote_fails_at_start(monkeypatch, app_env):
    from dashboard.web.app_factory import create_app

    ghost = View(
        "ghost", "/ghost", "nav.reports", context=ReportContext.from_query, layout="dashboard.web.layouts.reports:ghost"
    )
    monkeypatch.setitem(VIEWS.views, "ghost", ghost)
    with pytest.raises(AttributeError, match="ghost"):
        create_app()


def test_the_registry_says_behind_the_login_outside_the_menu_and_without_slides(client, monkeypatch):
    """The coordinator's analysis workbench (behind the login, not in the leadership menu, drawn by
    Flask) and the reporting form (a Flask view of its own: not in the menu, no login, no slides or deck)."""
    from dashboard.web import components

    workbench = VIEWS["analysis"]
    assert (workbench.path, workbench.login, workbench.menu, workbench.served_by) == (
        "/coordinator/analysis",
        True,
        False,
        FLASK,
    )
    form = VIEWS["report"]
    assert form.served_by == FLASK and not form.menu and not form.login
    assert not {"/report", "/coordinator/analysis"} & menu_links(components.navbar("/", "", "fi"))
    for name in ("report", "analysis"):
        assert VIEWS.present_path(name) is None and VIEWS.deck_path(name) is None
        assert components.present_link(name, f"?{AUTUMN}", "fi") is None
    assert form.link(f"{AUTUMN}&lang=sv") == "/report?lang=sv&county=09"
    # The pages themselves: the form has access modes of its own (the demo's is open); the login's
    # guard answers first for the workbench (closed here: no login is configured).
    assert client.get("/report").status_code == 200
    assert client.get(f"/coordinator/analysis?{AUTUMN}").status_code == 403
    assert client.get("/coordinator/analysis/publish").status_code == 403
    monkeypatch.setitem(VIEWS.views, "hidden", View("hidden", "/hidden", "coord.title", served_by=FLASK, login=True))
    assert client.get("/hidden").status_code == 403 and client.get("/hidden/x.csv").status_code == 403


def test_the_command_line_offers_every_deck_of_the_registry(db_copy, tmp_path):
    from pptx import Presentation

    out = tmp_path / "indikaattorit.pptx"
    # In this process (test_deck.py runs the deck command as a child process).
    done = run_cli(
        "deck", "--view", "indicators", "--query", "indicator=demo-toimeentulotuki&region=398", "-o", out,
        env={"DASHBOARD_DB": str(db_copy)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    titles = [
        shape._element.nvGraphicFramePr.cNvPr.get("title")
        for slide in Presentation(str(out)).slides
        for shape in slide.shapes
        if shape.has_chart
    ]
    assert titles[0] == "Toimeentulotukea saaneet henkilöt, % asukkaista" and len(titles) == 3
    usage = run_cli("deck", "--help")
    assert "{overview,reports,indicators,phenomena}" in usage.stdout
