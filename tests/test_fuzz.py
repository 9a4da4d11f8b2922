"""Hostile values into every callback and every URL route: no 500.

The callback requests are built as the browser builds them, from the
callbacks in ``/_dash-dependencies`` and the components each view really
renders; Hypothesis then swaps values for ones the UI never sends (wrong
types, "abc" years, 10 000-item lists, a trend click with customdata
"abc/def", nested junk) and adds components with names that do not exist.
Bounded: a fixed number of examples per callback, derandomised, so it runs
the same in a few seconds everywhere."""

from __future__ import annotations

import copy
import json
import traceback
from urllib.parse import quote

import pytest
from dash._utils import split_callback_id, stringify_id
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .support import app_client

VIEWS = [
    ("/", "?county=09&from=2024-09-01&to=2024-12-31"),
    ("/reports", "?county=09&from=2024-09-01&to=2024-12-31"),
    ("/reports", "?lang=sv&theme=housing"),
    ("/indicators", "?indicator=sotkanet-3225&region=398&year=2023"),
    ("/phenomena", "?theme=livelihood&county=09"),
]
TRICKY = [
    "abc",
    "²",
    "2024²",
    "١٢٣٤",
    "abc/def",
    "1–6/abc",
    "7–12/99999",
    "1–6/2024",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "",
    "null",
    "0",
    "-1",
    "9" * 400,
    "\x00",
    "𝟚𝟘𝟚𝟜",
    "2024-02-30",
    "31.2.2024",
    "all",
    "custom",
    "county",
    "housing",
    "09",
    "FI",
    "sotkanet-3225",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(TRICKY),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["points", "customdata", "x", "y", "startRow", "sortModel", "colId", "sort", "label", "value"]
            )
            | st.text(max_size=8),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)
HOSTILE = st.one_of(
    VALUES,
    st.just(["x"] * 10_000),
    st.just(list(range(10_000))),
    st.just([{"a": [1]}] * 10_000),
    st.just({"points": [{"customdata": "abc/def"}]}),
    st.just({"points": [{"customdata": ["negative", "abc/def"]}]}),
    st.just({"points": [{"customdata": ["negative", "1–6/²⁰²⁴"]}]}),
    st.just({"points": "abc"}),
    st.just({"startRow": 10**12, "sortModel": [{"colId": "x; DROP TABLE reports", "sort": "desc"}]}),
    st.just({"startRow": "0", "endRow": None}),
    st.just({"startRow": -5}),
    st.builds(lambda v: {"points": [{"customdata": v, "x": v, "y": v, "label": v}]}, VALUES),
)
EXAMPLES = 12  # per callback and view; the whole file runs in well under a minute on 2 cores


@pytest.fixture(scope="module")
def client(sotkanet_db):
    with app_client(sotkanet_db) as client:
        client.application.config["PROPAGATE_EXCEPTIONS"] = (
            True  # an error reaches the test with its traceback (else: a 500)
        )
        yield client


def components(tree) -> dict[str, tuple[object, dict]]:
    """Every component with an id in a Dash layout (JSON): stringified id -> (id, props)."""
    found: dict[str, tuple[object, dict]] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and "type" in node:
                if "id" in props:
                    found[stringify_id(props["id"])] = (props["id"], props)
                stack.extend(props.values())
            else:
                stack.extend(node.values())
    return found


def _pattern(text: str):
    return json.loads(text) if text.startswith("{") else text


def _fits(pattern, component_id) -> bool:
    if isinstance(pattern, str) or not isinstance(component_id, dict):
        return pattern == component_id
    return set(pattern) == set(component_id) and all(
        isinstance(v, list) or component_id[k] == v for k, v in pattern.items()
    )


def _is_many(pattern) -> bool:
    return isinstance(pattern, dict) and any(v in (["ALL"], ["ALLSMALLER"]) for v in pattern.values())


def build_request(spec: dict, found: dict) -> dict | None:
    """The request the browser would send for ``spec`` on a page of ``found``
    components, or None when the callback cannot fire there."""
    outputs = split_callback_id(spec["output"])
    multi = isinstance(outputs, list)
    chosen: dict[str, object] = {}

    def resolve(dep: dict, with_value: bool):
        pattern = _pattern(dep["id"])
        matches = [(cid, props) for cid, props in found.values() if _fits(pattern, cid)]
        if isinstance(pattern, dict):
            for key, value in pattern.items():
                if value == ["MATCH"]:
                    matches = [m for m in matches if chosen.setdefault(key, m[0][key]) == m[0][key]]

        def entry(cid, props):
            item = {"id": cid, "property": dep["property"]}
            if with_value:
                prop = dep["property"].split("@")[0]
                item["value"] = cid if prop == "id" else props.get(prop)
            return item

        if _is_many(pattern):
            return [entry(*m) for m in matches]
        return entry(*matches[0]) if matches else None

    inputs = [resolve(d, True) for d in spec["inputs"]]
    state = [resolve(d, True) for d in spec["state"]]
    outs = [resolve(d, False) for d in (outputs if multi else [outputs])]
    if any(x is None for x in inputs + state + outs):
        return None
    return {
        "output": spec["output"],
        "outputs": outs if multi else outs[0],
        "inputs": inputs,
        "state": state,
        "changedPropIds": [],
    }


def route_request(deps, pathname, search) -> dict:
    spec = next(d for d in deps if d["inputs"] == [{"id": "url", "property": "pathname"}])
    return {
        "output": spec["output"],
        "outputs": split_callback_id(spec["output"]),
        "inputs": [{"id": "url", "property": "pathname", "value": pathname}],
        "state": [{"id": "url", "property": "search", "value": search}],
        "changedPropIds": ["url.pathname"],
    }


@pytest.fixture(scope="module")
def cases(client):
    """(name, request) for every server callback on every view where it can fire."""
    deps = client.get("/_dash-dependencies").get_json()
    shell = components(client.get("/_dash-layout").get_json())
    out = []
    for pathname, search in VIEWS:
        response = client.post("/_dash-update-component", json=route_request(deps, pathname, search))
        assert response.status_code == 200
        found = {**shell, **components(response.get_json()["response"])}
        for spec in deps:
            if spec["clientside_function"]:
                continue  # runs in the browser only
            request = build_request(spec, found)
            if request is not None:
                out.append((f"{spec['output'][:60]} on {pathname}{search}", request))
    assert len({name.split(" on ")[0] for name, _ in out}) >= len([d for d in deps if not d["clientside_function"]])
    return out


def test_the_built_requests_are_the_ones_the_browser_sends(client, cases):
    """Unchanged, every built request is answered (200, or 204 when nothing changes)."""
    for name, request in cases:
        for index, item in enumerate(request["inputs"]):
            body = copy.deepcopy(request)
            first = item[0] if isinstance(item, list) and item else item
            if isinstance(first, dict):
                body["changedPropIds"] = [f"{stringify_id(first['id'])}.{first['property']}"]
            response = client.post("/_dash-update-component", json=body)
            assert response.status_code in (200, 204), (name, index, response.get_data(as_text=True)[:500])


def _mutate(request: dict, data) -> dict:
    body = copy.deepcopy(request)
    entries = [(group, i) for group in ("inputs", "state") for i in range(len(body[group]))]
    for group, i in data.draw(st.lists(st.sampled_from(entries), min_size=1, max_size=len(entries), unique=True)):
        item = body[group][i]
        targets = item if isinstance(item, list) else [item]
        for target in targets:
            if target["property"] != "id":  # an id's value is its id (checked before any callback runs)
                target["value"] = data.draw(HOSTILE)
    # Sometimes a component the view never drew: a pattern's list gets an extra id with a hostile name.
    if data.draw(st.booleans()):
        patterns: dict[str, list[list[dict]]] = {}
        for group in ("inputs", "state", "outputs"):
            items = body[group] if isinstance(body[group], list) else [body[group]]
            for item in items:
                if isinstance(item, list) and item:
                    patterns.setdefault(stringify_id(item[0]["id"]), []).append(item)
        if patterns:
            key = data.draw(st.sampled_from(sorted(patterns)))
            name = data.draw(st.sampled_from(TRICKY) | st.integers(-5, 10**6))
            for item in patterns[key]:
                extra = dict(item[0], id={**item[0]["id"], "name": name} if "name" in item[0]["id"] else item[0]["id"])
                if "value" in extra:
                    extra["value"] = extra["id"] if extra["property"] == "id" else data.draw(HOSTILE)
                item.append(extra)
    triggers = [
        f"{stringify_id(x['id'])}.{x['property']}"
        for item in body["inputs"]
        for x in (item if isinstance(item, list) else [item])
    ]
    if triggers:
        body["changedPropIds"] = [data.draw(st.sampled_from(triggers))]
    return body


def fuzz(client, name: str, request: dict, failures: list):
    """Hypothesis run of hostile versions of one callback request."""
    sent: set[str] = set()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data):
        body = _mutate(request, data)
        key = json.dumps(body, sort_keys=True)
        if key in sent:
            return  # this very request was answered already (about one in twelve repeats)
        sent.add(key)
        try:
            status = client.post("/_dash-update-component", json=body).status_code
        except Exception as exc:  # what would have been a 500
            frames = [
                f"{f.filename.split('/wt-')[-1]}:{f.lineno} {f.line}"
                for f in traceback.extract_tb(exc.__traceback__)
                if "site-packages" not in f.filename
            ]
            failures.append((name, json.dumps(body)[:400], *frames[-3:], repr(exc)[:200] + " … " + repr(exc)[-300:]))
            raise AssertionError(name) from None
        assert status < 500, name

    return run


@pytest.mark.fuzz
def test_every_callback_survives_hostile_values(client, cases):
    failures: list = []
    for name, request in cases:
        try:
            fuzz(client, name, request, failures)()
        except AssertionError:
            continue  # kept in failures; every callback gets its turn
    assert not failures, "\n\n".join("\n".join(f) for f in failures[:6])


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "abc",
        {"output": "nope"},
        {"output": 5},
        {"output": "..nav.children...page.children...app-footer.children...lang-store.data..", "inputs": "x"},
        {
            "output": "..nav.children...page.children...app-footer.children...lang-store.data..",
            "outputs": [{"id": "nav", "property": "children"}],
            "inputs": [{"id": "url", "property": "pathname"}],
            "state": [{"id": "url", "property": "search"}],
        },
    ],
)
def test_malformed_callback_requests_get_400(client, body):
    response = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400


def test_a_deeply_nested_body_is_refused_not_a_recursion_error(client):
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post("/_dash-update-component", data=deep, content_type="application/json")
    assert response.status_code == 400


HOSTILE_QUERIES = [
    "year=²",
    "year=2024²",
    "year=abc",
    "year=١٩٩٩",
    "year=" + "9" * 300,
    "indicator=%00",
    "region=../../x",
    "county=09&county=09&county=" + "x" * 500,
    "from=2024-02-30",
    "from=9999-12-31&to=0001-01-01",
    "lang=xx",
    "lang=sv&lang=en",
    "q=%ff%fe",
    "q=" + "a" * 5000,
    "%zz=%zz",
    "sex=abc",
    "theme=" + "&theme=".join(["housing"] * 600),
    "voice=2",
    "type=<b>",
    "indicator=sotkanet-3225&year=2023&region=FI&sex=female",
    "status=new&status=%C0%AF",
]
RANDOM_QUERIES = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "county",
                "municipality",
                "target_group",
                "theme",
                "type",
                "unit",
                "status",
                "from",
                "to",
                "q",
                "voice",
                "lang",
                "indicator",
                "region",
                "year",
                "sex",
                "next",
                "x",
            ]
        ),
        st.text(max_size=20) | st.sampled_from(TRICKY),
    ),
    max_size=6,
).map(lambda pairs: "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in pairs))
QUERIES = st.one_of(st.sampled_from(HOSTILE_QUERIES), RANDOM_QUERIES)


def url_routes(client) -> list[str]:
    paths = []
    for rule in client.application.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        path = rule.rule
        path = path.replace("<name>.<fmt>", "{name}.{fmt}").replace("template.<fmt>", "template.{fmt}")
        path = path.replace("<path:filename>", "css/bootstrap.min.css").replace("<name>", "a" * 24 + ".csv")
        path = path.replace("<string:package_name>/<path:fingerprinted_path>", "dash/dash-renderer/build/x.js")
        path = path.replace("<path:path>", "reports").replace("<view>", "{view}")
        path = path.replace("<token>", "A" * 43)  # a receipt or unit link token (a forged one)
        if "{view}" in path:
            paths += [path.format(view=v) for v in ("phenomena", "indicators", "overview", "nope")]
        elif "{name}" in path:
            paths += [
                path.format(name=n, fmt=f)
                for n in ("reports", "summary", "indicators", "nope")
                for f in ("csv", "xlsx", "pdf")
            ]
            paths += [path.format(name=n, fmt="pptx") for n in ("deck", "deck-phenomena", "deck-indicators")]
        elif "{fmt}" in path:
            paths += [path.format(fmt=f) for f in ("csv", "xlsx", "zip")]
        else:
            paths.append(path)
    return sorted(set(paths))


def slides_drawn(path: str, query: str) -> tuple | None:
    """What a slide route (``/present/...``, ``/download/<deck>.pptx``) draws for ``query``: its
    view's filter as the app parses it, every problem with its value included, and the slide
    number; None for any other route. Two queries that parse alike draw the same slides, so the
    fuzz below draws them once per route (each takes ~0.2 s); every other route gets every query."""
    from dashboard.views.registry import PRESENT_ROOT, VIEWS
    from dashboard.views.slides import split_query

    if path == "/present" or path.startswith("/present/"):
        view = VIEWS.presentation(path.removeprefix("/present").strip("/") or PRESENT_ROOT)
    elif path.startswith("/download/") and path.endswith(".pptx"):
        view = VIEWS.with_deck(path.removeprefix("/download/").removesuffix(".pptx"))
    else:
        return None
    if view is None or view.context is None:
        return None
    rest, slide = split_query(query)
    return repr(view.context(rest).flt), slide


@pytest.mark.fuzz
def test_every_url_route_survives_hostile_query_strings(client):
    routes = url_routes(client)
    assert {
        "/download/indicators.csv",
        "/download/indicators.xlsx",
        "/download/reports.csv",
        "/login",
        "/coordinator",
    } <= set(routes)
    deps = client.get("/_dash-dependencies").get_json()
    failures = []
    drawn_before: set[tuple[str, tuple | None]] = set()

    views = ["/", "/reports", "/indicators", "/phenomena", "/nothing", ""]

    def check(query: str, view: str) -> None:
        for path in routes:
            drawn = slides_drawn(path, query)
            if drawn is not None and (path, drawn) in drawn_before:
                continue  # these very slides were drawn for an earlier query
            drawn_before.add((path, drawn))
            response = client.get(f"{path}?{query}")
            if response.status_code >= 500:
                failures.append((path, query))
        # The views themselves are drawn by the router callback from the URL.
        response = client.post("/_dash-update-component", json=route_request(deps, view, "?" + query))
        if response.status_code >= 500:
            failures.append((view, query))
        assert not failures, failures[:5]

    # Every hand-written hostile query on every route (each view's router in turn), then queries
    # drawn at random (fixed seed): the hand-written ones no longer depend on what is drawn.
    for i, query in enumerate(HOSTILE_QUERIES):
        check(query, views[i % len(views)])

    @settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(query=RANDOM_QUERIES, view=st.sampled_from(views))
    def run(query, view):
        check(query, view)

    run()
    for path in ("/indicators", "/download/indicators.csv", "/download/indicators.xlsx"):
        assert client.get(f"{path}?year=²").status_code < 500
    response = client.post("/_dash-update-component", json=route_request(deps, "/indicators", "?year=²"))
    # The view says what it ignored ("year" alone is in every indicator page's links).
    assert response.status_code == 200 and "Tuntematon arvo year=² ohitettiin." in response.get_data(as_text=True)


# ---- the coordinator's workbench: hostile forms and query strings, logged in ----------------------

WORKBENCH = "/coordinator/analysis"
WORKBENCH_FIELDS = [
    "report", "phenomenon", "dimension", "code", "decision", "field", "value", "base_version", "present", "quoted",
    "override_reason", "kind", "title", "body", "target_group", "theme", "support_need", "service_unit", "action",
    "hit", "back", "source", "reason", "phenomenon_id", "reviewed", "publishable", "note",
]  # fmt: skip
PLAUSIBLE = [
    "PH-2024-038", "PH-2024-051", "PH-2021-001", "demo-2024-autumn-kt_families", "theme", "support_need",
    "target_group", "accepted", "rejected", "none", "title", "body", "kind", "position", "deleted", "service_unit",
    "up", "down", "1", "0", "7", "observation", "key_theme", "housing", "working_age", "outreach", "dismiss", "allow",
    "restore", "intro", "//evil.example/", "/coordinator/analysis/../../x", "a" * 7000,
]  # fmt: skip
PERIODS = ["county=09&from=2024-09-01&to=2024-12-31", "county=09&from=2024-01-01&to=2024-06-30"]
WORKBENCH_QUERIES = st.one_of(
    st.sampled_from(PERIODS),
    st.builds(lambda p, extra: p + "&" + extra, st.sampled_from(PERIODS), QUERIES),
    QUERIES,
)
# A form each route accepts, that the fuzz then spoils field by field (so the hostile values get
# past the first check and reach the route's every branch).
KEY_THEME = "demo-2024-autumn-kt_families"
VALID_FORMS = {
    "/reviewed": {"report": "PH-2024-038", "reviewed": "1", "base_version": "1"},
    "/note": {"report": "PH-2024-038", "note": "x", "base_version": "1"},
    "/publishable": {"report": "PH-2024-051", "publishable": "1", "base_version": "1", "override_reason": "x"},
    "/label": {"report": "PH-2024-038", "dimension": "theme", "code": "housing", "decision": "accepted"},
    "/hit": {"report": "PH-2024-051", "hit": "", "action": "dismiss"},  # the hit id is read from the page
    "/support": {"report": "PH-2024-038", "phenomenon": KEY_THEME, "present": "1"},
    "/phenomenon/new": {"kind": "observation", "title": "x", "target_group": "working_age", "report": "PH-2024-038"},
    "/phenomenon/edit": {"phenomenon": KEY_THEME, "field": "title", "value": "x", "base_version": "1"},
    "/phenomenon/label": {"phenomenon": KEY_THEME, "dimension": "theme", "code": "housing", "present": "1"},
    "/text": {"field": "title", "value": "x", "base_version": "1"},
    "/county-intro": {"value": "x", "base_version": "0"},
    "/publish": {},
}
FORM_VALUES = st.one_of(
    st.sampled_from(PLAUSIBLE + TRICKY),
    st.text(max_size=40),
    st.lists(st.sampled_from(PLAUSIBLE + TRICKY), max_size=5),
)


@pytest.fixture(scope="module")
def coordinator_client(demo_db, tmp_path_factory):
    """A logged-in coordinator on a private copy of the demo (the workbench writes its drafts beside it)."""
    import os
    import re
    import shutil

    from dashboard.web.app_factory import create_app
    from queries import access

    path = tmp_path_factory.mktemp("fuzz-workbench") / "db.duckdb"
    shutil.copyfile(demo_db, path)
    saved = {k: os.environ.get(k) for k in ("DASHBOARD_DB", "DASHBOARD_COORDINATOR_PASSWORD")}
    os.environ.update(DASHBOARD_DB=str(path), DASHBOARD_COORDINATOR_PASSWORD="fuzz")
    access.reset()
    server = create_app().server
    server.config["PROPAGATE_EXCEPTIONS"] = True
    c = server.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").get_data(as_text=True))[1]
    assert c.post("/login", data={"password": "fuzz", "next": "/coordinator", "csrf_token": token}).status_code == 302
    page = c.get(f"{WORKBENCH}?{PERIODS[0]}&report=PH-2024-051").get_data(as_text=True)
    c.csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    c.hit = re.search(r'name="hit" value="([0-9a-f]+)"', page)[1]  # the demo's planted name
    yield c
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    access.reset()


def test_the_workbench_survives_hostile_forms_and_query_strings(coordinator_client):
    c = coordinator_client
    rules = [r for r in c.application.url_map.iter_rules() if r.rule.startswith(WORKBENCH)]
    posts = sorted(r.rule for r in rules if "POST" in r.methods)
    pages = sorted(r.rule for r in rules if "GET" in r.methods)
    assert len(posts) >= 12 and len(pages) == 3, (posts, pages)
    failures: list = []

    @settings(
        max_examples=8,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        form=st.dictionaries(st.sampled_from(WORKBENCH_FIELDS), FORM_VALUES, max_size=3),
        query=WORKBENCH_QUERIES,
        page_query=st.lists(
            st.tuples(
                st.sampled_from(["report", "edit", "reports", "published", "lang"]), st.sampled_from(PLAUSIBLE + TRICKY)
            ),
            max_size=3,
        ),
        json=st.booleans(),
    )
    def run(form, query, page_query, json):
        headers = {"Accept": "application/json"} if json else {}
        for route in posts:
            # Publishing the demo's whole draft copies the database: fuzz it on the period without phenomena.
            q = PERIODS[1] if route.endswith("/publish") and query.startswith(PERIODS[0]) else query
            valid = {k: v or c.hit for k, v in VALID_FORMS[route.removeprefix(WORKBENCH)].items()}
            data = {**valid, **form, "csrf_token": c.csrf}
            try:
                status = c.post(f"{route}?{q}", data=data, headers=headers).status_code
            except Exception as exc:  # what would have been a 500
                failures.append((route, q, data, repr(exc)[:300]))
                continue
            if status >= 500:
                failures.append((route, q, data, status))
        extra = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in page_query)
        for route in pages:
            try:
                status = c.get(f"{route}?{query}&{extra}").status_code
            except Exception as exc:
                failures.append((route, query, extra, repr(exc)[:300]))
                continue
            if status >= 500:
                failures.append((route, query, extra, status))
        assert not failures, failures[:3]

    run()


REPORT_TEXT = st.one_of(
    st.text(max_size=200),
    st.sampled_from(TRICKY),
    st.just("x" * 25_000),
    st.just('=HYPERLINK("http://x")\x00\x1b[31m\u202e<img src=x onerror=alert(1)>'),
    st.just("Matti Virtanen 131052-308T 040 123 4567 maija@example.fi Hämeenkatu 5 A 15140 Lahti"),
)
REPORT_FIELDS = {
    "pvm": st.one_of(st.sampled_from(["2024-10-01", "1.10.2024", "", "31.2.2024", "9999-12-31"]), st.text(max_size=20)),
    "palvelutehtava": st.one_of(st.sampled_from(["family_services", "", "nope"]), st.text(max_size=20)),
    "alue": st.lists(st.one_of(st.sampled_from(["398", "09", "national", "205"]), st.text(max_size=10)), max_size=30),
    "kohderyhma": st.lists(st.sampled_from(["working_age", "x", ""]), max_size=5),
    "teema": st.lists(st.sampled_from(["housing", "<b>", ""]), max_size=5),
    "havainnon_tyyppi": st.sampled_from(["negative", "", "x", "neutral"]),
    "havainto": REPORT_TEXT,
    "asiakkaan_aani": REPORT_TEXT,
    "ratkaisuehdotus": REPORT_TEXT,
    "county": st.sampled_from(["09", "20", "", "xx", "../"]),
    "form_id": st.one_of(st.just(None), st.text(max_size=60), st.sampled_from(["A" * 43, "a" * 43])),
    "privacy_ack": st.one_of(st.just(None), st.text(max_size=30)),
    "lang": st.sampled_from(["fi", "sv", "en", "xx"]),
}


def test_the_reporting_form_survives_hostile_posts(client, monkeypatch):
    """Hostile values into every field of /report (and its live privacy check): never a 500, and
    whatever is stored holds no control character."""
    import re

    from dashboard.analysis.workspace import for_database
    from dashboard.core.config import Settings

    monkeypatch.setenv("DASHBOARD_REPORT_INTAKE_SECONDS", "0")  # nothing moved into the shared database
    monkeypatch.setenv("DASHBOARD_REPORT_RATE", "100000 per minute")
    page = client.get("/report?county=09").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    failures = []

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(values=st.fixed_dictionaries(REPORT_FIELDS), query=QUERIES)
    def run(values, query):
        data = {"csrf_token": csrf, **{k: v for k, v in values.items() if v is not None}}
        for path in (f"/report?{query}", "/report/screen"):
            response = client.post(path, data=data, headers={"X-CSRFToken": csrf})
            if response.status_code >= 500:
                failures.append((path, str(values)[:300]))
        assert not failures, failures[:3]

    run()
    # And one that passes every check, with hostile characters in it: stored, without them.
    page = client.get("/report?county=09").get_data(as_text=True)
    form_id = re.search(r'name="form_id" value="([^"]+)"', page)[1]
    valid = {"pvm": "2024-10-01", "palvelutehtava": "family_services", "alue": "398", "kohderyhma": "working_age",
             "havainnon_tyyppi": "negative", "havainto": "Jonot\x00 kasvavat\x1b[31m \u202e=1+1", "county": "09"}  # fmt: skip
    response = client.post("/report?county=09", data={"csrf_token": csrf, "form_id": form_id, **valid})
    assert "report-thanks" in response.get_data(as_text=True)
    store = for_database(Settings.from_env().db_path)
    stored = [s.payload["row"]["havainto"] for s in store.pending_submissions()]
    assert "Jonot kasvavat[31m =1+1" in stored
    for submission in store.pending_submissions():
        for value in submission.payload["row"].values():
            assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202e]", value), value


TOKENS = st.one_of(
    st.text(min_size=1, max_size=60),
    st.sampled_from(TRICKY),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", min_size=43, max_size=43),
    st.just("A" * 5000),
    st.just("..%2F..%2Fetc%2Fpasswd"),
    st.just("=cmd|' /C calc'!A0"),
).filter(lambda token: token and "/" not in token)  # else another address: the app's page-not-found


def test_forged_and_hostile_tokens_in_the_reporting_forms_links(client, monkeypatch):
    """Receipt links and unit links with hostile or guessed tokens: never a 500, never a report
    shown; a wrong token is refused (404) and, repeated, throttled (429)."""
    import re

    monkeypatch.setenv("DASHBOARD_REPORT_ACCESS", "open,link")
    monkeypatch.setenv("DASHBOARD_REPORT_INTAKE_SECONDS", "0")
    page = client.get("/report?county=09").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    form_id = re.search(r'name="form_id" value="([^"]+)"', page)[1]
    secret = "Salaisen raportin teksti, jota väärä linkki ei näytä."
    sent = {"pvm": "2024-10-01", "palvelutehtava": "family_services", "alue": "398", "kohderyhma": "working_age",
            "havainnon_tyyppi": "negative", "havainto": secret, "county": "09"}  # fmt: skip
    answer = client.post("/report?county=09", data={"csrf_token": csrf, "form_id": form_id, **sent})
    real = re.search(r'id="receipt-open" href="/report/receipt/([A-Za-z0-9_-]{43})', answer.get_data(as_text=True))[1]
    statuses: set[int] = set()
    failures = []

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(token=TOKENS, route=st.sampled_from(["/report/receipt/{}", "/report/receipt/{}/kuitti.txt", "/report/u/{}"]))
    def run(token, route):
        if token == real:
            return
        response = client.get(route.format(quote(token, safe="")))
        body = response.get_data(as_text=True)
        statuses.add(response.status_code)
        if response.status_code not in (404, 429) or secret in body or real in body:
            failures.append((route, token[:60], response.status_code))
        assert not failures, failures[:3]

    run()
    assert statuses == {404, 429}  # refused, then throttled
