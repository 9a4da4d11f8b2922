"""The benchmark (benchmarks/bench.py) keeps working: its replay really swaps the
county, late grid requests are counted with the change that caused them, its SQL
floor runs, and a --quick run on the demo prints a table without replay errors
(marked ``bench``: `make bench` runs it, the default run leaves it out).
Nothing here is timed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("bench", None)


def update_body(query: str, county: list[str]) -> dict:
    """The shape of the reports view's filter-change request."""
    return {
        "output": "..view-url.search..",
        "inputs": [
            {"id": {"name": "reports", "type": "view-url"}, "property": "search", "value": query},
            [
                {"id": {"name": "county", "type": "filter"}, "property": "value", "value": county},
                {"id": {"name": "theme", "type": "filter"}, "property": "value", "value": ["09"]},
            ],
        ],
        "state": [{"id": {"key": "reports", "type": "report-grid"}, "property": "filterModel", "value": query}],
    }


def test_a_replayed_request_asks_about_the_other_county(bench):
    body = update_body("?county=09&from=2024-09-01", ["09"])
    swapped = bench.for_county(body, "20")
    assert swapped["inputs"][0]["value"] == "?county=20&from=2024-09-01"
    assert swapped["inputs"][1][0]["value"] == ["20"]
    assert swapped["inputs"][1][1]["value"] == ["09"]  # only the county control changes
    assert swapped["state"][0]["value"] == "?county=20&from=2024-09-01"
    assert body["inputs"][1][0]["value"] == ["09"]  # the captured request stays as it was
    naive = {"inputs": [{"id": "naive-county", "property": "value", "value": ["09"]}]}
    assert bench.for_county(naive, "12")["inputs"][0]["value"] == ["12"]


def test_late_grid_requests_belong_to_the_change_that_made_their_view(bench):
    def grid(key):
        request = {"startRow": 0, "filterModel": {"view": {"filterType": "text", "type": "equals", "filter": key}}}
        inputs = [{"id": {"key": "reports", "type": "report-grid"}, "property": "getRowsRequest", "value": request}]
        return {"body": {"output": "grid.getRowsResponse", "inputs": inputs}}

    def first_grid(search):  # the grid of the page as first drawn: no filter model, the URL as its state
        inputs = [{"id": {"key": "reports", "type": "report-grid"}, "value": {"startRow": 0}}]
        state = [{"id": {"name": "reports", "type": "view-url"}, "property": "search", "value": search}]
        return {"body": {"output": "grid.getRowsResponse", "inputs": inputs, "state": state}}

    load, county = bench.Step("load", search=""), bench.Step("county", search="county=09")
    load.requests = [{"body": update_body("", [])}]
    county.requests = [first_grid(""), {"body": update_body("?county=09", ["09"])}]
    steps = bench.regroup([load, county], late=[grid("?county=09")])
    assert [r["body"]["output"] for r in steps[0].requests] == ["..view-url.search..", "grid.getRowsResponse"]
    assert [bench.keyed_to(r["body"]) for r in steps[1].requests] == [None, "county=09"]


def test_the_sql_floor_runs_on_the_demo(bench, demo_db):
    timings = bench.floor(demo_db, ["09", "20"], rounds=1)
    assert set(timings) == set(bench.CHANGES)
    assert all(len(v) == 2 and all(t > 0 for t in v) for v in timings.values())


@pytest.mark.bench
@pytest.mark.browser
def test_quick_run_prints_the_table(tmp_path):
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is missing")
    out = tmp_path / "table.md"
    run = subprocess.run(
        [sys.executable, "benchmarks/bench.py", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    table = out.read_text(encoding="utf-8")
    assert "| demo | three changes summed, new filters" in table
    assert "DuckDB floor" in table and "worker RSS" in table and "report rows" in table
    assert "| demo | Chromium click-to-chart, every change" in table  # ours against the naive app
    assert "replay errors" not in table
