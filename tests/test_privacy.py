"""No route leaks a suppressed value: not the chart data, not the tables, not the downloads."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest
from openpyxl import load_workbook

from dashboard.core.filters import IndicatorFilter

# Asikkala 2023 in the fixture: women 0.1 % from 3 persons (primary suppression),
# men 4.9 % (secondary: it would reveal the women from the total).
HIDDEN = {0.1, 4.9}
QUERY = "indicator=sotkanet-3225&region=016&year=2023"


@pytest.fixture()
def env(sotkanet_db, monkeypatch):
    from queries import access

    monkeypatch.setenv("DASHBOARD_DB", str(sotkanet_db))
    access.reset()
    yield sotkanet_db
    access.reset()


def test_query_layer_suppresses_primary_and_secondary(env):
    from queries import indicators as q

    with duckdb.connect(str(env), read_only=True) as con:
        split = q.by_sex(con, "sotkanet-3225", "016", 5)
        row = split[split["year"] == 2023]
        assert row["suppressed"].all() and row["value"].isna().all()
        # The total (4 400 persons) stays visible.
        total = q.series(con, "sotkanet-3225", ["016"], "total", 5)
        assert total.set_index("year").loc[2023, "value"] == 4.4
        table = q.table(con, IndicatorFilter(indicator=("sotkanet-3225",), region=("016",), year=(2023,)), 5)
        assert not set(table["value"].dropna()) & HIDDEN
        sirkkula = q.table(con, IndicatorFilter(indicator=("local-sirkkula-2021-upper-secondary",)), 5)
        assert sirkkula["suppressed"].all() and sirkkula["value"].isna().all()


def _figure_numbers(component) -> list[float]:
    """Every y and x number and every text of every figure inside a layout tree."""
    found: list = []

    def walk(node):
        figure = getattr(node, "figure", None)
        if figure is not None:
            for trace in figure["data"]:
                for attr in ("x", "y", "text", "customdata"):
                    value = trace.get(attr)
                    if value is not None:
                        found.extend(list(value) if not isinstance(value, str) else [value])
        children = getattr(node, "children", None)
        if isinstance(children, (list, tuple)):
            for child in children:
                walk(child)
        elif children is not None and not isinstance(children, (str, int, float)):
            walk(children)

    for item in component:
        walk(item)
    return found


def test_indicator_view_charts_and_tables_show_only_the_placeholder(env):
    from dashboard.views.indicators import IndicatorContext
    from dashboard.web.layouts.indicators import content

    cards = content(IndicatorContext.from_query(QUERY + "&sex=female"))
    numbers = _figure_numbers(cards)
    texts = [str(v) for v in numbers]
    assert "alle 5 henkilöä" in texts  # what is hidden, not a number ('< 5 %' reads as under five percent)
    assert not any(isinstance(v, float) and v in HIDDEN for v in numbers)
    assert not any(s in ("0,1", "4,9") for s in texts)
    rendered = str(cards)
    assert "'0,1'" not in rendered and "'4,9'" not in rendered


@pytest.fixture()
def client(env):
    from dashboard.web.app_factory import create_app

    return create_app().server.test_client()


def test_downloads_suppress_too(client):
    response = client.get(f"/download/indicators.csv?{QUERY}")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    # The download holds what the view's charts show; Asikkala 2023 is among it.
    by_sex = {r["Sukupuoli"]: r["Arvo"] for r in rows if r["Aluekoodi"] == "016" and r["Vuosi"] == "2023"}
    assert by_sex == {"Yhteensä": "4,4", "Miehet": "alle 5 henkilöä", "Naiset": "alle 5 henkilöä"}
    assert not [r for r in rows if r["Aluekoodi"] == "016" and r["Arvo"] in ("0,1", "4,9")]
    book = load_workbook(io.BytesIO(client.get(f"/download/indicators.xlsx?{QUERY}").data))
    cells = [c.value for row in book.worksheets[0].iter_rows(min_row=2) for c in row]
    assert "alle 5 henkilöä" in cells and not HIDDEN & {c for c in cells if isinstance(c, float)}


def test_threshold_is_configurable(client, monkeypatch):
    monkeypatch.setenv("DASHBOARD_SUPPRESS_BELOW", "2")
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/download/indicators.csv?{QUERY}").data.decode("utf-8-sig")), delimiter=";"
        )
    )
    assert {r["Sukupuoli"]: r["Arvo"] for r in rows if r["Aluekoodi"] == "016" and r["Vuosi"] == "2023"}[
        "Naiset"
    ] == "0,1"
