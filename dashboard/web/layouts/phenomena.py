"""The phenomenon view: a pure layout of a :class:`PhenomenonContext`."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from ...core.i18n import t
from ...views.phenomena import LINKED, PHENOMENA, PhenomenonContext
from .. import components as c
from .. import ids
from .reports import actions, header, view_url


def _choose_theme(ctx: PhenomenonContext) -> list:
    flt, vocab, lang = ctx.flt, ctx.reports.vocab, ctx.flt.lang
    links = [html.Li(dcc.Link(vocab.label("theme", code, lang), href="/phenomena" + flt.with_values(theme=(code,)).to_query()))
             for code in vocab.codes("theme")]
    return [html.P(t("phen.choose", lang)), html.Ul(links, className="theme-list")]


def proposals(ctx: PhenomenonContext) -> html.Section:
    lang, vocab = ctx.flt.lang, ctx.reports.vocab
    frame, _ = ctx.reports.reading(200)
    seen: set[str] = set()
    items = []
    for row in frame[frame["proposal"].notna() & (frame["proposal"] != "")].to_dict("records"):
        if row["proposal"] in seen:
            continue
        seen.add(row["proposal"])
        where = ", ".join(vocab.label("area", a, lang) for a in row["areas"])
        items.append(html.Li([row["proposal"], html.Span(f" ({c.date_text(row['submitted_on'], lang)}, {where})",
                                                         className="text-body-secondary small")]))
    return html.Section([
        html.H2(t("phen.proposals", lang), className="h4"),
        html.P(t("phen.proposals_note", lang, n=len(items)), className="small text-body-secondary"),
        html.Ul(items[:25], className="proposal-list") if items else html.P(t("reading.none", lang)),
    ], className="mb-4", id=ids.PHEN_PROPOSALS)


def linked_indicators(ctx: PhenomenonContext) -> html.Section:
    lang = ctx.flt.lang
    loaded, missing = ctx.linked
    graphs = []
    if ctx.indicators is not None:
        for name in LINKED.instances(ctx.indicators):
            rendered = LINKED.render(ctx.indicators, name)
            indicator = ctx.indicators.flt.indicator[int(name.split("-")[1])]
            link = "/indicators?" + "&".join([f"indicator={indicator}", f"region={ctx.region}"]
                                             + ([f"lang={lang}"] if lang != "fi" else []))
            graphs.append(dbc.Col(dbc.Card(dbc.CardBody([
                c.graph({"type": "phen-indicator", "name": name}, rendered, lang),
                html.P(rendered.alt_text, className="small mb-1"),
                dcc.Link(t("phen.open_indicator", lang), href=link, className="small"),
            ]), className="mb-3 chart-card"), xl=6))
    notes = [dbc.Alert([t("phen.not_loaded", lang, ids=", ".join(missing)), " ",
                        html.Code(t("phen.how_to_load", lang, id=missing[0].removeprefix("sotkanet-")))],
                       color="info", className="py-2 small")] if missing else []
    return html.Section([
        html.H2(t("phen.indicators", lang), className="h4"),
        html.P(t("phen.indicators_note", lang), className="small text-body-secondary"),
        *notes,
        dbc.Row(graphs) if graphs else html.P(t("phen.no_links", lang)) if not missing else None,
    ], id=ids.PHEN_INDICATORS)


def content(ctx: PhenomenonContext) -> list:
    reports = ctx.reports
    lang = reports.lang
    if not ctx.flt.theme:
        return [c.warnings_box(ctx.flt.problems, lang), *_choose_theme(ctx)]
    trend = PHENOMENA["trend"].render(reports)
    areas = PHENOMENA["area"].render(reports)
    return [
        c.warnings_box(ctx.flt.problems, lang),
        dbc.Row([
            dbc.Col(dbc.Card(dbc.CardBody(html.Figure([
                c.graph(ids.PHEN_TREND, trend, lang),
                html.Figcaption(c.chart_summary(trend, lang), className="chart-summary")], className="mb-0")),
                className="mb-3 chart-card"), xl=7),
            dbc.Col(dbc.Card(dbc.CardBody(html.Figure([
                c.graph(ids.PHEN_AREAS, areas, lang),
                html.Figcaption(c.chart_summary(areas, lang), className="chart-summary")], className="mb-0")),
                className="mb-3 chart-card"), xl=5),
        ]),
        linked_indicators(ctx),
        proposals(ctx),
    ]


# The parts a filter change redraws (beside the report views' own).
PARTS = {
    "phen-caption": lambda ctx: html.P(ctx.caption(), id=ids.PHEN_CAPTION, className="view-caption mb-0"),
    "phenomena": lambda ctx: html.Div(content(PhenomenonContext(reports=ctx)), id=ids.PHEN_CONTENT),
    "phen-actions": lambda ctx: actions(ctx, "/present/phenomena"),
}


def layout(ctx: PhenomenonContext) -> html.Main:
    reports = ctx.reports
    lang, flt, vocab = reports.lang, reports.flt, reports.vocab
    return html.Main([
        view_url("phenomena", "/phenomena", reports),
        header(reports, t("nav.phenomena", lang),
               html.Div(PARTS["phen-caption"](reports), id=ids.part("phen-caption"), **{"aria-live": "polite"}),
               html.Div(PARTS["phen-actions"](reports), id=ids.part("phen-actions"),
                        className="d-flex gap-2 align-items-start view-actions")),
        c.demo_notice(lang) if reports.demo else None,
        html.P(t("phen.lead", lang), className="lead-text"),
        dbc.Row([
            dbc.Col(c.multi_dropdown("theme", t("filter.theme", lang), vocab.options("theme", lang), flt.theme, lang), md=5),
            dbc.Col(c.multi_dropdown("county", t("filter.county", lang), reports.county_options, flt.county, lang), md=4),
            dbc.Col(c.period_dropdown(flt, reports.presets, reports.preset_value, lang), md=3),
        ], className="filter-row"),
        html.Div(PARTS["phenomena"](reports), id=ids.part("phenomena")),
    ], id="main", className="container-fluid py-3 page-phenomena", tabIndex="-1")
