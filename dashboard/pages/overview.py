"""The overview: one county and period at a glance."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from .. import components as c
from .. import ids
from ..i18n import t
from .common import PageContext


def layout(ctx: PageContext) -> html.Main:
    lang, flt = ctx.lang, ctx.flt
    return html.Main([
        c.demo_notice(lang) if ctx.demo else None,
        html.H1(t("page.overview.heading", lang), className="h2 mb-1"),
        html.P(t("page.overview.lead", lang), className="lead-text"),
        dbc.Row([
            dbc.Col(c.multi_dropdown("county", t("filter.county", lang), ctx.county_options, flt.county, lang), md=5),
            dbc.Col(c.period_controls(flt, ctx.presets, ctx.preset_value, lang)[0], md=4),
        ], className="filter-row"),
        html.P(id=ids.CAPTION, className="view-caption", **{"aria-live": "polite"}),
        html.Div(id=ids.WARNINGS),
        html.Div(id=ids.KPIS),
        dbc.Row([
            dbc.Col(c.chart_card("theme", lang), lg=7),
            dbc.Col(c.chart_card("target_group", lang), lg=5),
        ]),
        c.chart_card("trend", lang),
    ], id="main", className="container-fluid py-3 page-overview", tabIndex="-1")
