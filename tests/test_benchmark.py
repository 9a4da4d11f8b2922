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


def test_the_million_database_multiplies_the_reports(bench, demo_db, tmp_path):
    """--scales million: every report ten times with new keys and ids, its links and screening with
    it, the indicators as they were (built here from the demo database: 617 reports x 10)."""
    import duckdb

    path, seconds = bench.million_database(demo_db, tmp_path / "million.duckdb", rebuild=False)
    assert seconds is not None and path.stat().st_mode & 0o777 == 0o600
    with duckdb.connect(str(demo_db), read_only=True) as con:
        before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("reports", "report_themes")}
        values = con.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
        by_county = dict(con.execute("SELECT county_code, count(*) FROM reports GROUP BY 1").fetchall())
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT report_key) FROM reports").fetchone() == (
            before["reports"] * bench.MILLION,
            before["reports"] * bench.MILLION,
        )
        assert (
            con.execute("SELECT count(*) FROM report_themes").fetchone()[0] == before["report_themes"] * bench.MILLION
        )
        assert con.execute("SELECT count(*) FROM indicator_values").fetchone()[0] == values
        assert dict(con.execute("SELECT county_code, count(*) FROM reports GROUP BY 1").fetchall()) == {
            code: n * bench.MILLION for code, n in by_county.items()
        }
        assert (
            con.execute("SELECT count(*) FROM reports WHERE report_id LIKE '%-10'").fetchone()[0] == before["reports"]
        )


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
