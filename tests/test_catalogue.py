"""A view's charts are entries in one catalogue: the page, the text
alternative, /present, the deck and the chart-data download all walk it, so
a new entry shows up everywhere without another line of code, and an entry
says where it does not appear. The deck's native charts hold the same rows
as the download, coloured as on the screen."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re

import pytest
from pptx import Presentation
from pptx.presentation import Presentation as PresentationFile

from dashboard.charts.style import SLIDE, TYPE_STYLE
from dashboard.views.catalogue import DOWNLOAD, PAGE, ROW_COLUMNS, SLIDES, Chart
from dashboard.views.registry import VIEWS
from dashboard.views.reports import REPORTS, ReportContext, counts_chart
from dashboard.web import ids
from dashboard.web.components import graph_figure

from .support import app_client
from .test_registry import QUERIES

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
        assert page[str(ids.chart(chart.name))] == graph_figure(rendered)  # with its PNG's name
        assert rendered.title in titles, chart.name
        assert rendered.alt_text and rendered.table.rows


def test_the_download_has_the_trend_and_the_follow_up(client):
    rows = summary_rows(client)
    trend = [r for r in rows if r["Luokittelu"] == "Raportit puolivuosittain"]
    # Every half-year of Päijät-Häme, by observation type, named as counties name them;
    # autumn 2024's half-year holds 46 (6 in 7–8/2024).
    assert {r["Arvo"] for r in trend} >= {"tammi–kesäkuu 2021", "heinä–joulukuu 2024", "heinä–joulukuu 2025"}
    assert sum(int(r["Raportteja"]) for r in trend if r["Arvo"] == "heinä–joulukuu 2024") == 46
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


# ---- every output walks the catalogue ------------------------------------------------------------


@pytest.fixture(scope="module")
def app(demo_db):
    """One app for the module's tests that only read."""
    with app_client(demo_db) as client:
        yield client


def normal(figure: dict):
    """A figure as the browser gets it (JSON)."""
    from dashboard.web.routes.present import _json_default

    return json.loads(json.dumps(figure, default=_json_default))


def present_figures(app, view: str, query: str) -> list:
    page = app.get(f"{VIEWS.present_path(view)}?{query}").get_data(as_text=True)
    data = re.search(r'<script type="application/json" id="deck-data">(.*?)</script>', page, re.S)
    assert data, view
    return list(json.loads(data.group(1))["figures"].values())


def deck_of(app, view: str, query: str) -> PresentationFile:
    response = app.get(f"{VIEWS.deck_path(view)}?{query}")
    assert response.status_code == 200, response.data[:300]
    return Presentation(io.BytesIO(response.data))


def native_charts(prs) -> dict:
    """title -> the chart's shape, for every native chart of a deck."""
    return {
        shape._element.nvGraphicFramePr.cNvPr.get("title"): shape
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_chart
    }


@pytest.mark.parametrize("name", [view.name for view in VIEWS if view.catalogues])
def test_every_entry_is_on_its_page_in_present_and_in_the_deck_or_marked_absent(app, name):
    from dashboard.web.callbacks.shell import layout_of

    view, query = VIEWS[name], QUERIES[name]
    context = view.context(query)
    page = [normal(figure) for figure in graphs(layout_of(view)(context)).values()]
    slides = present_figures(app, name, query)
    deck = native_charts(deck_of(app, name, query))
    for catalogue in view.catalogues:
        for chart in catalogue:
            instances = chart.instances(context)
            assert instances, f"{name}: the query shows no {chart.name}"
            for instance in instances:
                where = (name, chart.name, instance)
                on_page = normal(graph_figure(chart.render(context, instance)))  # the figure with its PNG's name
                assert (on_page in page) == chart.appears_in(PAGE), where
                slide = chart.render(context, instance, SLIDE)
                assert (normal(slide.figure) in slides) == chart.appears_in(SLIDES), where
                assert (slide.title in deck) == chart.appears_in(SLIDES), where
                if chart.appears_in(SLIDES):
                    drawn = list(deck[slide.title].chart.plots[0].categories)
                    assert drawn == list(slide.series.categories[: slide.series.shown]), where


def test_the_service_units_are_on_the_slides_and_in_the_deck(app):
    """README says /present and the deck show the same charts as the page: the service units too."""
    text = app.get(f"/present?{AUTUMN}").get_data(as_text=True)
    assert "Raportoijan palvelutehtävä" in text
    chart = native_charts(deck_of(app, "reports", AUTUMN))["Raportoijan palvelutehtävä"]
    context = ReportContext.from_query(AUTUMN)
    expected = context.counts("service_unit")
    plot = chart.chart.plots[0]
    assert dict(zip(plot.categories, plot.series[0].values)) == dict(zip(expected["label"], expected["count"]))
    assert sum(plot.series[0].values) == 40


TYPES = ("negative", "positive", "neutral")


@pytest.mark.parametrize("types", [c for n in range(4) for c in itertools.combinations(TYPES, n)])
def test_the_decks_colours_are_the_screens_by_code_for_every_type_subset(app, types):
    query = "county=09" + "".join(f"&type={code}" for code in types)
    context = ReportContext.from_query(query)
    labels = context.type_labels()
    shown = [code for code in TYPES if code in (types or TYPES)]
    charts = native_charts(deck_of(app, "reports", query))
    # The trend: one series per type, each in its type's colour (the screen's, by code).
    trend = REPORTS["trend"].render(context)
    assert [line.code for line in trend.series.lines] == shown
    screen = {t["name"]: t["marker"]["color"].upper() for t in trend.figure["data"] if t["type"] == "bar"}
    drawn = {s.name: f"#{s.format.fill.fore_color.rgb}" for s in charts[trend.title].chart.plots[0].series}
    assert drawn == screen == {labels[code]: TYPE_STYLE[code][0].upper() for code in shown}
    # The types' bars: a type the filter chose is drawn darker on the screen and in the deck.
    types_chart = REPORTS["observation_type"].render(context)
    (trace,) = types_chart.figure["data"]
    screen = {labels[code]: colour.upper() for code, colour in zip(trace["customdata"], trace["marker"]["color"])}
    series = charts[types_chart.title].chart.plots[0].series[0]
    categories = list(charts[types_chart.title].chart.plots[0].categories)
    colours = {}
    for k, label in enumerate(categories):
        point = series.points[k].format.fill
        colours[label] = (
            f"#{point.fore_color.rgb}" if point.type is not None else f"#{series.format.fill.fore_color.rgb}"
        )
    assert colours == screen


def test_the_decks_embedded_data_is_the_chart_data_download(app):
    """Every row of every chart (not only the drawn bars: 15 of 33 areas), as summary.csv has them."""
    from openpyxl import load_workbook

    data = app.get("/download/summary.csv").data.decode("utf-8-sig")
    download: dict[str, set] = {}
    for row in csv.DictReader(io.StringIO(data), delimiter=";"):
        download.setdefault(row["Luokittelu"], set()).add((row["Arvo"], row["Sarja"], int(row["Raportteja"])))
    prs = deck_of(app, "reports", "")
    charts = native_charts(prs)
    assert set(download) <= set(charts)
    for title, rows in download.items():
        sheet = load_workbook(io.BytesIO(charts[title].chart.part.chart_workbook.xlsx_part.blob)).worksheets[0]
        header = [cell.value for cell in sheet[1]]
        single = len(header) == 2
        embedded = {
            (row[0], "" if single else header[j], int(value))
            for row in sheet.iter_rows(min_row=2, values_only=True)
            for j, value in enumerate(row[1:], start=1)
            if value  # a stacked chart's empty cells hold 0; the download has no such rows
        }
        assert embedded == rows, title
    areas = charts["Kunta tai alue, jota raportti koskee"]
    assert len(download["Kunta tai alue, jota raportti koskee"]) == 33
    assert len(list(areas.chart.plots[0].categories)) == 15  # the slide draws the fifteen largest
    notes = next(s for s in prs.slides if areas in list(s.shapes)).notes_slide.notes_text_frame.text
    assert "Kaaviossa 15 yleisintä 33:sta" in notes


@pytest.mark.parametrize("name", [view.name for view in VIEWS if view.catalogues])
def test_every_charts_rows_are_in_the_one_schema(name, app_env):
    view = VIEWS[name]
    context = view.context(QUERIES[name])
    for catalogue in view.catalogues:
        for output in (PAGE, SLIDES, DOWNLOAD):
            for rendered in catalogue.rendered(context, output):
                assert dict(rendered.long.dtypes.astype(str)) == ROW_COLUMNS, (name, rendered.name)
                assert not rendered.long.empty, (name, rendered.name)
