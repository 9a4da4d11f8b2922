"""The phenomenon view: a pure layout of a :class:`PhenomenonContext`."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html
from dash.development.base_component import ComponentType

from ...core.config import default_language
from ...core.i18n import t, tn
from ...views.catalogue import PAGE
from ...views.indicators import KIND_KEYS
from ...views.phenomena import MAX_PANELS, PHENOMENA, PhenomenonContext
from ...views.reports import ReportContext
from .. import components as c
from .. import ids
from ..attributes import aria
from .reports import actions, doc_title, header, view_url


def _choose_theme(ctx: PhenomenonContext) -> list:
    flt, vocab, lang = ctx.flt, ctx.reports.vocab, ctx.flt.lang
    links = [
        html.Li(
            dcc.Link(vocab.label("theme", code, lang), href="/phenomena" + flt.with_values(theme=(code,)).to_query())
        )
        for code in vocab.codes("theme")
    ]
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
        items.append(
            html.Li(
                [
                    row["proposal"],
                    html.Span(
                        f" ({c.date_text(row['submitted_on'], lang)}, {where})", className="text-body-secondary small"
                    ),
                ]
            )
        )
    return html.Section(
        [
            html.H2(t("phen.proposals", lang), className="h4"),
            html.P(tn("phen.proposals_note", len(items), lang), className="small text-body-secondary"),
            html.Ul(items[:25], className="proposal-list") if items else html.P(t("reading.none", lang)),
        ],
        className="mb-4",
        id=ids.PHEN_PROPOSALS,
    )


def indicator_link(ctx: PhenomenonContext, indicator: str) -> str:
    """The indicator view of a linked indicator, for the phenomenon's county."""
    pairs = [("indicator", indicator), ("region", ctx.region)] + (
        [("lang", ctx.lang)] if ctx.lang != default_language() else []
    )
    return "/indicators?" + urlencode(pairs)


def missing_note(indicator: str, lang: str) -> html.Li:
    """A linked indicator the data lacks, and how the coordinator loads it."""
    number = indicator.removeprefix("sotkanet-")
    if indicator.startswith("sotkanet-") and number.isdigit():
        return html.Li(
            [t("phen.missing_sotkanet", lang, id=indicator), " ", html.Code(t("phen.how_to_load", lang, id=number))]
        )
    return html.Li(t("phen.missing_other", lang, id=indicator))


def linked_indicators(ctx: PhenomenonContext) -> html.Div:
    """The linked indicators with links to the indicator view, and those not loaded."""
    lang = ctx.lang
    loaded, missing = ctx.linked
    items = []
    if ctx.indicators is not None:
        for k, indicator in enumerate(loaded):
            meta = ctx.indicators.meta(indicator)
            drawn = k < MAX_PANELS
            items.append(
                html.Li(
                    [
                        dcc.Link(str(meta["name"]), href=indicator_link(ctx, indicator)),
                        html.Span(
                            f" ({t(KIND_KEYS[meta['kind']], lang)})"
                            + ("" if drawn else f" · {t('phen.not_drawn', lang)}"),
                            className="text-body-secondary",
                        ),
                    ]
                )
            )
    parts: list = [html.H2(t("phen.indicators", lang), className="h6 mb-1")]
    if items:
        parts.append(html.Ul(items, className="small mb-1 linked-list"))
    elif not missing:
        parts.append(html.P(t("phen.no_links", lang), className="small mb-1"))
    if missing:
        parts.append(
            dbc.Alert(
                [
                    html.P(t("phen.missing_heading", lang), className="mb-1"),
                    html.Ul([missing_note(i, lang) for i in missing], className="mb-0 ps-3"),
                ],
                color="info",
                className="py-2 small mb-1",
            )
        )
    parts.append(html.P(t("phen.indicators_note", lang), className="small text-body-secondary mb-0"))
    return html.Div(parts, className="linked-indicators")


def _figure(rendered, lang: str, class_name: str = "mb-0") -> html.Figure:
    return html.Figure(
        [
            c.graph(ids.phen_chart(rendered.name), rendered, lang),
            c.summary_caption(rendered, lang),
        ],
        className=class_name,
    )


def content(ctx: PhenomenonContext) -> list:
    """Every chart of the phenomenon catalogue on the page, in its order: the timeline
    with the linked indicators beneath it and the proposals after it, then the others."""
    reports = ctx.reports
    lang = reports.lang
    if not ctx.flt.theme:
        return [c.warnings_box(ctx.flt.problems, lang), *_choose_theme(ctx)]
    out: list = [c.warnings_box(ctx.flt.problems, lang)]
    for chart, rendered in PHENOMENA.walk(ctx, PAGE):
        if chart.name == "timeline":
            card = dbc.Card(
                dbc.CardBody([_figure(rendered, lang, "mb-2"), linked_indicators(ctx)]), className="mb-3 chart-card"
            )
            out += [html.Section(card, id=ids.PHEN_INDICATORS, **aria(label=rendered.title)), proposals(ctx)]
        else:
            out.append(dbc.Card(dbc.CardBody(_figure(rendered, lang)), className="mb-3 chart-card"))
    return out


# What the phenomenon view's controls (theme, county, period) do not show.
CHIPS = ("municipality", "target_group", "observation_type", "service_unit", "followup_status")

# The parts a filter change redraws (beside the report views' own).
HTML_PARTS: dict[str, Callable[[ReportContext], str]] = {
    "phen-caption": lambda ctx: f'<p id="{ids.PHEN_CAPTION}" class="view-caption mb-0">{c.escaped(ctx.caption())}</p>',
}
ACTION_PARTS = {"phen-actions": "phenomena"}  # as reports.ACTION_PARTS
PARTS: dict[str, Callable[[ReportContext], ComponentType]] = {
    "chips-phenomena": lambda ctx: c.filter_chips(ctx.flt, ctx.vocab, CHIPS, ctx.lang),
    "phenomena": lambda ctx: html.Div(content(PhenomenonContext(reports=ctx)), id=ids.PHEN_CONTENT),
    "phen-actions": lambda ctx: actions(ctx, "phenomena"),
}


def filter_panel(ctx: PhenomenonContext) -> html.Section:
    reports = ctx.reports
    lang, flt, vocab = reports.lang, reports.flt, reports.vocab
    return html.Section(
        [
            html.H2(t("filter.heading", lang), className="h5"),
            c.multi_dropdown("theme", t("filter.theme", lang), vocab.options("theme", lang), flt.theme, lang),
            c.multi_dropdown("county", t("filter.county", lang), reports.county_options, flt.county, lang),
            c.period_dropdown(flt, reports.presets, reports.preset_value, lang),
            html.P(t("phen.lead", lang), className="small text-body-secondary mb-0"),
        ],
        className="filter-panel",
        **aria(label=t("filter.heading", lang)),
    )


def layout(ctx: PhenomenonContext) -> html.Main:
    reports = ctx.reports
    lang = reports.lang
    return html.Main(
        [
            view_url("phenomena", "/phenomena", reports),
            c.html_parts("phenomena"),
            doc_title(reports, "phenomena"),
            dbc.Row(
                [
                    dbc.Col(filter_panel(ctx), lg=3, className="mb-3 filter-column"),
                    dbc.Col(
                        [
                            header(
                                reports,
                                t("nav.phenomena", lang),
                                c.html_block(
                                    HTML_PARTS["phen-caption"](reports),
                                    "",
                                    id=ids.html_part("phen-caption"),
                                    **aria(live="polite"),
                                ),
                                html.Div(
                                    PARTS["phen-actions"](reports),
                                    id=ids.part("phen-actions"),
                                    className="d-flex gap-2 align-items-start view-actions",
                                ),
                            ),
                            html.Div(
                                PARTS["chips-phenomena"](reports),
                                id=ids.part("chips-phenomena"),
                                **aria(live="polite"),
                            ),
                            c.demo_notice(lang) if reports.demo else None,
                            html.Div(PARTS["phenomena"](reports), id=ids.part("phenomena")),
                        ],
                        lg=9,
                    ),
                ]
            ),
        ],
        id="main",
        className="container-fluid py-3 page-phenomena",
        tabIndex="-1",
    )
