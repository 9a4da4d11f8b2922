"""The social reporting view: filter, explore, read, compare, download."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from .. import components as c
from .. import ids
from ..i18n import t
from . import reading
from .common import PageContext


def filter_panel(ctx: PageContext) -> html.Section:
    lang, flt, vocab = ctx.lang, ctx.flt, ctx.vocab

    def options(dimension: str) -> list[dict]:
        return [{"label": vocab.label(dimension, code, lang), "value": code} for code in vocab.codes(dimension)]

    return html.Section([
        html.H2(t("filter.heading", lang), className="h5"),
        c.multi_dropdown("county", t("filter.county", lang), ctx.county_options, flt.county, lang),
        c.multi_dropdown("municipality", t("filter.municipality", lang),
                         c.area_options(vocab, flt.county, lang, keep=flt.municipality), flt.municipality, lang),
        c.multi_dropdown("target_group", t("filter.target_group", lang), options("target_group"), flt.target_group, lang),
        c.multi_dropdown("theme", t("filter.theme", lang), options("theme"), flt.theme, lang),
        c.multi_dropdown("observation_type", t("filter.type", lang), options("observation_type"), flt.observation_type, lang),
        c.multi_dropdown("service_unit", t("filter.unit", lang), options("service_unit"), flt.service_unit, lang),
        *c.period_controls(flt, ctx.presets, ctx.preset_value, lang),
        dbc.Button(t("filter.clear", lang), id=ids.action("clear"), color="secondary", outline=True, className="w-100"),
    ], className="filter-panel", **{"aria-label": t("filter.heading", lang)})


def layout(ctx: PageContext) -> html.Main:
    lang = ctx.lang
    return html.Main(dbc.Row([
        dbc.Col(filter_panel(ctx), lg=3, className="mb-3"),
        dbc.Col([
            c.demo_notice(lang) if ctx.demo else None,
            html.H1(t("nav.reports", lang), className="h2 mb-1"),
            html.P(id=ids.CAPTION, className="view-caption", **{"aria-live": "polite"}),
            html.Div(id=ids.WARNINGS),
            html.Div(id=ids.KPIS),
            html.Div(id=ids.DOWNLOADS, className="mb-3"),
            html.P(t("chart.multi_note", lang), className="small text-body-secondary"),
            dbc.Row([
                dbc.Col(c.chart_card("theme", lang), xl=6),
                dbc.Col(c.chart_card("target_group", lang), xl=6),
                dbc.Col(c.chart_card("area", lang), xl=6),
                dbc.Col([c.chart_card("observation_type", lang), c.chart_card("service_unit", lang)], xl=6),
            ]),
            dbc.Row([
                dbc.Col(c.chart_card("trend", lang), xl=8),
                dbc.Col(c.chart_card("followup_status", lang), xl=4),
            ]),
            html.Section(id="compare-section", className="mt-4"),
            html.Section([
                html.H2(t("reading.heading", lang), className="h4", id="reading-heading"),
                html.Div([
                    html.Label(t("filter.search", lang), htmlFor=c.dom_id(ids.filter_input("q")),
                               className="form-label fw-semibold"),
                    dcc.Input(id=ids.filter_input("q"), type="search", debounce=True, value=ctx.flt.text,
                              className="form-control", placeholder=t("reading.placeholder", lang)),
                ], className="mb-2 reading-search"),
                html.P(id=ids.READING_COUNT, className="small", **{"aria-live": "polite"}),
                html.Div(id=ids.READING_LIST),
                dbc.Button(t("reading.more", lang), id=ids.READING_MORE, n_clicks=0, color="primary", outline=True),
            ], className="reading-pane mt-4", **{"aria-labelledby": "reading-heading"}),
            html.Section([
                html.H2(t("grid.heading", lang), className="h4", id="grid-heading"),
                html.P(id=ids.REPORT_GRID_NOTE, className="small text-body-secondary"),
                reading.report_grid(lang),
            ], className="mt-4", **{"aria-labelledby": "grid-heading"}),
        ], lg=9),
    ]), id="main", className="container-fluid py-3 page-reports", tabIndex="-1")
