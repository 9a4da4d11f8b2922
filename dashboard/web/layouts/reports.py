"""The report views (the overview and the reports view): pure layouts of a
:class:`ReportContext`. What a filter change redraws is a named part
(:data:`PARTS`) or a chart of the view's catalogue; the page's first render
and its update callback draw them with the same functions."""

from __future__ import annotations

from collections.abc import Callable

import dash_bootstrap_components as dbc
from dash import dcc, html
from dash.development.base_component import ComponentType

from ...core.i18n import t
from ...views.catalogue import PAGE, Catalogue
from ...views.registry import VIEWS
from ...views.reports import OVERVIEW, REPORTS, ReportContext, kpis
from .. import components as c
from .. import ids
from ..attributes import aria
from .analysis import analysis_part, analysis_section
from .reading import (
    compare_controls,
    compare_periods,
    compare_table_part,
    grid_detail_part,
    grid_part,
    grid_section,
    reading_part,
    reading_section,
)


def actions(ctx: ReportContext, view: str = "reports") -> list:
    """The Present button and the downloads menu (with the view's own deck), as the registry says."""
    query = ctx.flt.to_query()
    return [c.present_link(view, query, ctx.lang), c.download_menu(view, query, ctx.lang)]


# What the overview's controls (county, period) do not show: a clicked bar, a shared link's filters.
OVERVIEW_CHIPS = ("municipality", "target_group", "theme", "observation_type", "service_unit", "followup_status")

# The parts that hold only a view's Present link and download menu (``actions``), by the view whose
# links they show: a filter change moves their links' hrefs (components.action_hrefs through the
# view's carrier), it does not draw them again.
ACTION_PARTS = {"actions": "reports"}

PARTS: dict[str, Callable[[ReportContext], ComponentType]] = {
    "chips-overview": lambda ctx: c.filter_chips(ctx.flt, ctx.vocab, OVERVIEW_CHIPS, ctx.lang),
    "actions": actions,
    "compare": compare_controls,
    "grid-detail": grid_detail_part,
}

# The parts that are ready HTML (components.html_block): a filter change sets each one's markup,
# one prop of one element, instead of a tree of Dash components for React to rebuild.
HTML_PARTS: dict[str, Callable[[ReportContext], str]] = {
    "caption": lambda ctx: f'<p id="{ids.CAPTION}" class="view-caption mb-0">{c.escaped(ctx.caption())}</p>',
    "warnings": lambda ctx: f'<div id="{ids.WARNINGS}">{c.warnings_html(ctx.problems, ctx.lang)}</div>',
    "kpis": lambda ctx: f'<div id="{ids.KPIS}">{c.kpi_html(kpis(ctx), ctx.lang)}</div>',
    "reading": reading_part,
    "grid": grid_part,
    "analysis": analysis_part,
    "compare-table": compare_table_part,
}


def part(name: str, ctx: ReportContext, class_name: str | None = None, **attributes) -> html.Div:
    if name in HTML_PARTS:
        return c.html_block(HTML_PARTS[name](ctx), class_name, id=ids.html_part(name), **attributes)
    return html.Div(PARTS[name](ctx), id=ids.part(name), className=class_name, **attributes)


def view_url(view: str, pathname: str, ctx: ReportContext) -> dcc.Location:
    """The view's own location, created with the URL it shows (so mounting it fires nothing)."""
    return dcc.Location(id=ids.view_url(view), refresh=False, pathname=pathname, search=ctx.raw_query, hash="")


def filter_panel(ctx: ReportContext) -> html.Section:
    lang, flt, vocab = ctx.lang, ctx.flt, ctx.vocab

    def dropdown(name: str, label: str, dimension: str | None = None):
        return c.multi_dropdown(name, t(label, lang), vocab.options(dimension or name, lang), getattr(flt, name), lang)

    return html.Section(
        [
            html.H2(t("filter.heading", lang), className="h5"),
            c.search_box(flt, lang),
            c.multi_dropdown("county", t("filter.county", lang), ctx.county_options, flt.county, lang),
            c.multi_dropdown(
                "municipality",
                t("filter.municipality", lang),
                c.area_options(vocab, flt.county, lang, keep=flt.municipality),
                flt.municipality,
                lang,
            ),
            c.period_dropdown(flt, ctx.presets, ctx.preset_value, lang),
            dropdown("target_group", "filter.target_group"),
            dropdown("theme", "filter.theme"),
            dropdown("observation_type", "filter.type"),
            dropdown("service_unit", "filter.unit"),
            dropdown("followup_status", "filter.status"),
            c.voice_switch(flt, lang),
            c.date_range(flt, lang),
            dbc.Button(
                t("filter.clear", lang), id=ids.action("clear"), color="secondary", outline=True, className="w-100"
            ),
        ],
        className="filter-panel",
        **aria(label=t("filter.heading", lang)),
    )


def header(
    ctx: ReportContext, heading: str, caption: html.Div | None = None, buttons: html.Div | None = None
) -> html.Div:
    caption = caption if caption is not None else part("caption", ctx, **{"aria-live": "polite"})
    buttons = buttons if buttons is not None else part("actions", ctx, "d-flex gap-2 align-items-start view-actions")
    return html.Div(
        [
            html.Div([html.H1(heading, className="h3 mb-0"), caption], className="me-auto"),
            buttons,
        ],
        className="d-flex flex-wrap gap-2 align-items-start view-header",
    )


def doc_title(ctx: ReportContext, view: str) -> html.Div:
    """The view's document title: its name in the menu, the filter, the period."""
    return c.doc_title(view, [t(VIEWS[view].label, ctx.lang), *ctx.title_parts()], ctx.lang)


def layout(ctx: ReportContext) -> html.Main:
    lang = ctx.lang
    ctx.prefetch(compare_periods(ctx))  # the view's counts in one statement
    return html.Main(
        [
            view_url("reports", "/reports", ctx),
            c.html_parts("reports"),
            doc_title(ctx, "reports"),
            dbc.Row(
                [
                    dbc.Col(filter_panel(ctx), lg=3, className="mb-3 filter-column"),
                    dbc.Col(
                        [
                            header(ctx, t("nav.reports", lang)),
                            c.demo_notice(lang) if ctx.demo else None,
                            part("warnings", ctx),
                            part("kpis", ctx),
                            chart_grid(ctx, REPORTS),
                            analysis_section(ctx),
                            html.Section(
                                part("compare", ctx),
                                id=ids.COMPARE_SECTION,
                                className="mt-4",
                                **aria(labelledby=ids.COMPARE_HEADING),
                            ),
                            reading_section(ctx),
                            grid_section(ctx),
                        ],
                        lg=9,
                    ),
                ]
            ),
        ],
        id="main",
        className="container-fluid py-3 page-reports",
        tabIndex="-1",
    )


def click_note(catalogue: Catalogue) -> str:
    """What a clickable chart's summary says about the click: the overview has no menu for what a
    bar sets, so its filter shows as a chip that removes it; the reports view has the menus."""
    return "chart.click_note_chips" if catalogue.view == OVERVIEW.view else "chart.click_note"


def chart_grid(ctx: ReportContext, catalogue: Catalogue) -> dbc.Row:
    """Every chart of the view's catalogue on the page, in its order, each as wide as its entry says."""
    note = click_note(catalogue)
    return dbc.Row(
        [
            dbc.Col(c.chart_card(rendered.name, rendered, ctx.lang, bool(chart.click), note), xl=chart.width)
            for chart, rendered in catalogue.walk(ctx, PAGE)
        ],
        className="g-3 chart-grid",
    )


def overview(ctx: ReportContext) -> html.Main:
    lang, flt = ctx.lang, ctx.flt
    ctx.prefetch()  # the view's counts in one statement
    return html.Main(
        [
            view_url("overview", "/", ctx),
            c.html_parts("overview"),
            doc_title(ctx, "overview"),
            header(ctx, t("page.overview.heading", lang)),
            c.demo_notice(lang) if ctx.demo else None,
            html.P(t("page.overview.lead", lang), className="lead-text"),
            dbc.Row(
                [
                    dbc.Col(
                        c.multi_dropdown("county", t("filter.county", lang), ctx.county_options, flt.county, lang), md=5
                    ),
                    dbc.Col(c.period_dropdown(flt, ctx.presets, ctx.preset_value, lang), md=4),
                ],
                className="filter-row",
            ),
            part("chips-overview", ctx, **{"aria-live": "polite"}),
            part("warnings", ctx),
            part("kpis", ctx),
            chart_grid(ctx, OVERVIEW),
            analysis_section(ctx),
        ],
        id="main",
        className="container-fluid py-3 page-overview",
        tabIndex="-1",
    )
