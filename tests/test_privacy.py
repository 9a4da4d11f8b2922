"""No route leaks a suppressed value: not the chart data, not the tables, not the downloads."""

from __future__ import annotations

import csv
import io

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard.core.filters import IndicatorFilter

# Asikkala 2023 in the fixture: women 0.1 % from 3 persons (primary suppression, "< 5"),
# men 4.9 % (secondary, "..": it would reveal the women from the total).
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
    assert "< 5" in texts
    assert not any(isinstance(v, float) and v in HIDDEN for v in numbers)
    assert not any(s in ("0,1", "4,9") for s in texts)
    rendered = str(cards)
    assert "'0,1'" not in rendered and "'4,9'" not in rendered


@pytest.fixture()
def app_db(sotkanet_db):
    return sotkanet_db


def test_downloads_suppress_too(client):
    response = client.get(f"/download/indicators.csv?{QUERY}")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    # The download holds what the view's charts show; Asikkala 2023 is among it.
    by_sex = {r["Sukupuoli"]: r["Arvo"] for r in rows if r["Aluekoodi"] == "016" and r["Vuosi"] == "2023"}
    assert by_sex == {"Yhteensä": "4,4", "Miehet": "..", "Naiset": "< 5"}
    assert not [r for r in rows if r["Aluekoodi"] == "016" and r["Arvo"] in ("0,1", "4,9")]
    book = load_workbook(io.BytesIO(client.get(f"/download/indicators.xlsx?{QUERY}").data))
    cells = [c.value for row in book.worksheets[0].iter_rows(min_row=2) for c in row]
    assert "< 5" in cells and ".." in cells and not HIDDEN & {c for c in cells if isinstance(c, float)}


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


def test_no_n_beside_a_hidden_value(client, env):
    """Sirkkulanpuisto 2021: upper secondary 2 of 27 respondents is hidden, and so is its n
    (the group size would say how small the hidden share is)."""
    from queries import indicators as q

    with duckdb.connect(str(env), read_only=True) as con:
        row = q.table(con, IndicatorFilter(indicator=("local-sirkkula-2021-upper-secondary",)), 5).iloc[0]
        assert row["suppressed"] and pd.isna(row["n"]) and pd.isna(row["value"])
        shown = q.table(con, IndicatorFilter(indicator=("local-sirkkula-2021-unemployed",)), 5).iloc[0]
        assert not shown["suppressed"] and shown["n"] == 27
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/download/indicators.csv?indicator=local-sirkkula-2021-upper-secondary").data.decode(
                    "utf-8-sig"
                )
            ),
            delimiter=";",
        )
    )
    assert [(r["Arvo"], r["n"]) for r in rows] == [("< 5", "")]


@pytest.mark.parametrize(
    "query",
    [
        "county=09&voice=1",
        "voice=1",
        "county=09&q=asunto",
        "q=palvelu&voice=1",
        "county=12&from=2021-09-01&to=2021-12-31&voice=1",
    ],
)
def test_filters_on_hidden_texts_say_nothing_about_unpublished_reports(db_copy, query):
    """Whatever the texts of the reports that are not publishable say (or whether they have
    a client voice at all), every filtered output is the same: the filters on hidden fields
    (client voice, text search) count only publishable texts."""
    from dashboard.web.app_factory import create_app
    from queries.db import write_new_version

    client = create_app().server.test_client()

    def outputs() -> list[bytes]:
        found = []
        for route in ("reports.csv", "summary.csv"):
            response = client.get(f"/download/{route}?{query}")
            assert response.status_code == 200
            found.append(response.data)
        return found

    before = outputs()
    assert len(before[0].splitlines()) > 1, "the filter finds publishable reports"

    def scramble(con):
        con.execute(
            """UPDATE reports SET
                 client_voice = CASE WHEN coalesce(client_voice, '') = '' THEN 'Asiakas: asunto palvelu' ELSE NULL END,
                 observation = 'asunto palvelu ' || observation, proposal = NULL,
                 search_text = CASE WHEN search_text LIKE '%asunto%' THEN '' ELSE search_text || ' asunto palvelu' END
               WHERE NOT publishable"""
        )

    write_new_version(db_copy, scramble)
    assert outputs() == before
