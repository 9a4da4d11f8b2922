"""What the answer to a filter change carries (issue 17): only what changed. The controls the
user set are left alone (a late answer cannot undo a quicker next choice, and React does not
redraw every control), the areas' options follow only the county, and each chart's table
travels as one HTML string (a real <table> with its caption), not a component per cell."""

from __future__ import annotations

import copy
import json
import re

import pytest
from dash._utils import stringify_id

from .support import app_client
from .test_fuzz import build_request, components, route_request

SEARCH = "?county=09"


@pytest.fixture(scope="module")
def client(demo_db):
    with app_client(demo_db) as client:
        client.application.config["PROPAGATE_EXCEPTIONS"] = True
        yield client


@pytest.fixture(scope="module")
def update(client):
    """The reports view's filter-change request, as the browser builds it on /reports?county=09."""
    deps = client.get("/_dash-dependencies").get_json()
    page = client.post("/_dash-update-component", json=route_request(deps, "/reports", SEARCH)).get_json()
    found = {**components(client.get("/_dash-layout").get_json()), **components(page["response"])}
    spec = next(d for d in deps if d["output"].startswith('..{"name":["ALL"],"type":"view-url"}.search'))
    request = build_request(spec, found)
    assert request is not None
    return request


def choose(client, request: dict, name: str, value) -> dict:
    """Set control ``name`` to ``value`` as the browser would, and return the answer's response."""
    body = copy.deepcopy(request)
    for item in body["inputs"][1]:
        if item["id"]["name"] == name:
            item["value"] = value
            body["changedPropIds"] = [f"{stringify_id(item['id'])}.value"]
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    return answer.get_json()["response"]


def control(response: dict, name: str, prop: str = "value"):
    return response.get(stringify_id({"name": name, "type": "filter"}), {}).get(prop)


def test_choosing_a_period_sends_no_control_back(client, update):
    response = choose(client, update, "period", "autumn-2024")
    assert response[stringify_id({"name": "reports", "type": "view-url"})]["search"] == (
        "?county=09&from=2024-09-01&to=2024-12-31"
    )
    for name in ("county", "period", "municipality", "theme"):
        assert control(response, name) is None, name  # left as the user set them
    assert control(response, "municipality", "options") is None  # the county did not change


def test_choosing_a_county_sends_the_areas_but_not_the_period(client, update):
    response = choose(client, update, "county", ["09", "20"])
    assert control(response, "period") is None and control(response, "county") is None
    areas = [o["value"] for o in control(response, "municipality", "options")]
    assert "398" in areas and "20" in areas  # Lahti (Päijät-Häme) and the whole of the second county


def test_a_chart_table_is_one_html_string_with_every_row(client, update):
    from dashboard.views.reports import REPORTS, ReportContext

    response = choose(client, update, "period", "autumn-2024")
    # Every ready HTML block of the view in one prop of one element: {DOM id: markup}.
    blocks = json.loads(response[stringify_id({"name": "reports", "type": "html-parts"})]["data-parts"])
    assert stringify_id({"name": "kpis", "type": "html-part"}) in blocks
    summary = blocks[stringify_id({"name": "theme", "type": "chart-summary"})]
    assert summary.startswith('<p class="small mb-1">Yleisin: ')  # the sentence, then the table to open
    markup = summary[summary.index("<table") :]
    assert '<details class="small"><summary>Näytä taulukkona</summary>' in summary
    assert markup.startswith('<table class="table table-sm mb-0"><caption>Teemat · Päijät-Häme · ')
    assert "1.9.–31.12.2024" in markup and "40 raporttia" in markup
    expected = REPORTS["theme"].render(ReportContext.from_query("county=09&from=2024-09-01&to=2024-12-31")).table
    rows = re.findall(r"<tr><td>(.*?)</td><td class=\"text-end\">(.*?)</td>", markup)
    assert [(label, int(n)) for label, n in rows] == [(r[0], r[1]) for r in expected.rows]
    assert ("Mielenterveys", 8) in [(label, int(n)) for label, n in rows]  # the published count


def test_text_in_the_html_is_escaped():
    from dashboard.web.components import escaped

    assert escaped('<script>alert("x")</script> {a} & b\n\nc') == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#123;a&#125; &amp; b&#10;&#10;c"
    )


def test_a_repeated_change_is_answered_from_the_workers_cache(client, update, monkeypatch):
    """Users share the common views: the same change asked again gets the same answer without
    being computed again, until the database (or the settings) change."""
    import json

    from dashboard.web.answers import Answers
    from queries import access

    kept = client.application.extensions["tilannekuva.answers"]
    kept.clear()
    body = copy.deepcopy(update)
    for item in body["inputs"][1]:
        if item["id"]["name"] == "period":
            item["value"] = "autumn-2024"
            body["changedPropIds"] = [f"{stringify_id(item['id'])}.value"]
    first = client.post("/_dash-update-component", json=body)
    hits = kept.hits
    second = client.post("/_dash-update-component", json=body)
    assert kept.hits == hits + 1 and second.status_code == 200
    assert json.loads(second.get_data()) == json.loads(first.get_data())
    # Another language is another answer.
    other = copy.deepcopy(body)
    other["inputs"][0][0]["value"] = (other["inputs"][0][0]["value"] or "?county=09") + "&lang=sv"
    client.post("/_dash-update-component", json=other)
    assert kept.hits == hits + 1
    # A new database version: computed again.
    database = access.database()
    version = database.version()
    monkeypatch.setattr(type(database), "version", lambda self: (*version, "new"))
    third = client.post("/_dash-update-component", json=body)
    assert kept.hits == hits + 1 and json.loads(third.get_data()) == json.loads(first.get_data())
    # The cache is bounded by bytes: the oldest answers go first.
    small = Answers(max_bytes=10)
    small.put(b"a", b"12345", "application/json")
    small.put(b"b", b"67890", "application/json")
    small.put(b"c", b"x", "application/json")
    assert small.get(b"a") is None and small.get(b"c") == (b"x", "application/json") and len(small) == 2
