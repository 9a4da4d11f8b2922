"""A view's charts are entries in one catalogue: the page, the text
alternative and the chart-data download all draw them from it, so a new
entry shows up everywhere without another line of code."""

from __future__ import annotations

import csv
import io

from dashboard.views.catalogue import Chart
from dashboard.views.reports import REPORTS, ReportContext, counts_chart
from dashboard.web import ids

AUTUMN = "county=09&from=2024-09-01&to=2024-12-31"


def graphs(component) -> dict:
    """Graph id -> figure of every dcc.Graph in a layout tree."""
    found = {}

    def walk(node):
        if getattr(node, "figure", None) is not None:
            found[str(node.id)] = node.figure
        children = getattr(node, "children", None)
        for child in children if isinstance(children, (list, tuple)) else [children]:
            if child is not None and not isinstance(child, (str, int, float)):
                walk(child)

    walk(component)
    return found


def summary_rows(client) -> list[dict]:
    data = client.get(f"/download/summary.csv?{AUTUMN}").data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(data), delimiter=";"))


def test_every_chart_of_the_catalogue_is_on_the_page_and_in_the_download(client):
    from dashboard.web.layouts.reports import layout

    context = ReportContext.from_query(AUTUMN)
    page = graphs(layout(context))
    titles = {r["Luokittelu"] for r in summary_rows(client)}
    for chart in REPORTS:
        rendered = chart.render(context)
        assert str(ids.chart(chart.name)) in page, chart.name
        assert page[str(ids.chart(chart.name))] == rendered.figure
        assert rendered.title in titles, chart.name
        assert rendered.alt_text and rendered.table.rows


def test_the_download_has_the_trend_and_the_follow_up(client):
    rows = summary_rows(client)
    trend = [r for r in rows if r["Luokittelu"] == "Raportit puolivuosittain"]
    # Every half-year of Päijät-Häme, by observation type; autumn 2024's half-year holds 46 (6 in 7–8/2024).
    assert {r["Arvo"] for r in trend} >= {"1–6/2021", "7–12/2024", "7–12/2025"}
    assert sum(int(r["Raportteja"]) for r in trend if r["Arvo"] == "7–12/2024") == 46
    followup = [r for r in rows if r["Luokittelu"] == "Mitä raporteista seurasi"]
    assert sum(int(r["Raportteja"]) for r in followup) == 40


def test_a_new_entry_appears_in_the_page_and_the_download(client, monkeypatch):
    from dashboard.web.layouts.reports import layout

    extra: Chart = counts_chart("extra", "chart.units", dimension="service_unit")
    extra = extra.but(title="filter.voice")  # any title of its own
    monkeypatch.setitem(REPORTS.charts, "extra", extra)
    context = ReportContext.from_query(AUTUMN)
    assert str(ids.chart("extra")) in graphs(layout(context))
    rows = [r for r in summary_rows(client) if r["Luokittelu"] == "Vain raportit, joissa asiakkaan ääni"]
    assert sum(int(r["Raportteja"]) for r in rows) == 40
