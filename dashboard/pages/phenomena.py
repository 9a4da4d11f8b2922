"""The phenomenon view: for a theme, side by side, how many reports carried it
per period and where, their proposals, and the trends of the indicators
linked to that theme (data/theme_indicators.csv, edited by the coordinator)."""

from __future__ import annotations

import csv

import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html, no_update

from .. import components as c
from .. import figures, ids, indicator_figures, services
from ..config import DATA_DIR, Settings
from ..filters import ReportFilter
from ..i18n import t
from ..periods import overlapping_half_years
from .common import PageContext

LINKS_FILE = DATA_DIR / "theme_indicators.csv"


def theme_links(path=LINKS_FILE) -> dict[str, list[str]]:
    """theme -> indicator ids, read from the coordinator's file on every call
    (it is small), so an edit shows at once."""
    links: dict[str, list[str]] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                theme, indicator = (row.get("theme") or "").strip(), (row.get("indicator_id") or "").strip()
                if theme and indicator and indicator not in links.setdefault(theme, []):
                    links[theme].append(indicator)
    except FileNotFoundError:
        pass
    return links


def layout(ctx: PageContext) -> html.Main:
    lang, flt, vocab = ctx.lang, ctx.flt, ctx.vocab
    theme_options = [{"label": vocab.label("theme", code, lang), "value": code} for code in vocab.codes("theme")]
    return html.Main([
        c.demo_notice(lang) if ctx.demo else None,
        html.H1(t("nav.phenomena", lang), className="h2 mb-1"),
        html.P(t("phen.lead", lang), className="lead-text"),
        dbc.Row([
            dbc.Col(c.multi_dropdown("theme", t("filter.theme", lang), theme_options, flt.theme, lang), md=5),
            dbc.Col(c.multi_dropdown("county", t("filter.county", lang), ctx.county_options, flt.county, lang), md=4),
            dbc.Col(c.period_controls(flt, ctx.presets, ctx.preset_value, lang)[0], md=3),
        ], className="filter-row"),
        html.P(id=ids.PHEN_CAPTION, className="view-caption", **{"aria-live": "polite"}),
        html.Div(id=ids.PHEN_CONTENT),
    ], id="main", className="container-fluid py-3 page-phenomena", tabIndex="-1")


def _choose_theme(flt: ReportFilter, vocab, lang: str) -> list:
    links = []
    for code in vocab.codes("theme"):
        href = "/phenomena" + flt.with_values(theme=(code,)).to_query()
        links.append(html.Li(dcc.Link(vocab.label("theme", code, lang), href=href)))
    return [html.P(t("phen.choose", lang)), html.Ul(links, className="theme-list")]


def content(flt: ReportFilter) -> tuple[str, list]:
    from queries import indicators as qi
    from queries import reports as q

    vocab = services.vocabulary()
    lang = flt.lang
    cur = services.database().cursor()
    n = q.count_reports(cur, flt)
    caption = flt.caption(vocab, n)
    if not flt.theme:
        return caption, _choose_theme(flt, vocab, lang)
    source = t("source.reports_demo" if services.is_demo() else "source.reports", lang)
    type_labels = {code: vocab.label("observation_type", code, lang) for code in vocab.codes("observation_type")}
    whole = flt.with_values(date_from=None, date_to=None)
    trend_df = q.trend_by_half_year(cur, whole, vocab, lang)
    trend_title = t("phen.trend", lang)
    trend_caption = whole.caption(vocab, q.count_reports(cur, whole))
    trend_fig = figures.trend(trend_df, trend_title, trend_caption, source, lang, type_labels,
                              highlight=overlapping_half_years(trend_df, flt.date_from, flt.date_to))
    areas = q.counts_by(cur, flt, "area", vocab, lang)
    area_title = t("chart.areas", lang)
    area_fig = figures.bar_counts(areas, area_title, caption, source, lang, max_bars=12)
    cards = [dbc.Row([
        dbc.Col(dbc.Card(dbc.CardBody([
            dcc.Graph(figure=trend_fig, config=figures.graph_config(figures.export_filename(trend_title, trend_caption)),
                      id="phen-trend"),
            c.trend_summary(trend_df, trend_title, lang, type_labels)]), className="mb-3 chart-card"), xl=7),
        dbc.Col(dbc.Card(dbc.CardBody([
            dcc.Graph(figure=area_fig, config=figures.graph_config(figures.export_filename(area_title, caption)), id="phen-areas"),
            c.chart_summary(areas, area_title, lang, note=t("chart.multi_note", lang))]), className="mb-3 chart-card"), xl=5),
    ])]
    # Proposals from publishable reports.
    frame, total = q.reading_pane(cur, flt, vocab, lang, limit=200)
    proposals = frame[frame["proposal"].notna() & (frame["proposal"] != "")]
    seen: set[str] = set()
    items = []
    for row in proposals.to_dict("records"):
        if row["proposal"] in seen:
            continue
        seen.add(row["proposal"])
        where = ", ".join(vocab.label("area", a, lang) for a in row["areas"])
        items.append(html.Li([row["proposal"], html.Span(f" ({c.date_text(row['submitted_on'], lang)}, {where})",
                                                         className="text-body-secondary small")]))
    cards.append(html.Section([
        html.H2(t("phen.proposals", lang), className="h4"),
        html.P(t("phen.proposals_note", lang, n=len(items)), className="small text-body-secondary"),
        html.Ul(items[:25], className="proposal-list") if items else html.P(t("reading.none", lang)),
    ], className="mb-4", id="phen-proposals"))
    # Linked indicators for the chosen county (or the whole country) against the country.
    threshold = Settings.from_env().suppress_below
    links = theme_links()
    linked = []
    for theme in flt.theme:
        linked += [i for i in links.get(theme, []) if vocab.knows("indicator", i) and i not in linked]
    region = flt.county[0] if flt.county else "FI"
    regions = [region] + (["FI"] if region != "FI" else [])
    catalogue = qi.indicator_list(cur, lang).set_index("indicator_id")
    graphs = []
    for indicator in linked[:6]:
        meta = catalogue.loc[indicator]
        data = qi.series(cur, indicator, regions, "total", threshold)
        lines = [(vocab.label("region", code, lang), data[data["region_code"] == code]) for code in regions]
        src = f"{t('meta.source', lang)}: {meta['source']}" + (f" · {meta['licence']}" if isinstance(meta["licence"], str) and meta["licence"] else "")
        cap = " – ".join(label for label, _ in lines)
        fig = indicator_figures.line_series(lines, meta["name"], cap, src, meta["unit"], int(meta["decimals"]), lang,
                                            f"< {threshold}")
        link = "/indicators?" + "&".join([f"indicator={indicator}", f"region={region}"] + ([f"lang={lang}"] if lang != "fi" else []))
        graphs.append(dbc.Col(dbc.Card(dbc.CardBody([
            dcc.Graph(figure=fig, config=figures.graph_config(figures.export_filename(meta["name"], cap))),
            dcc.Link(t("phen.open_indicator", lang), href=link, className="small"),
        ]), className="mb-3 chart-card"), xl=6))
    cards.append(html.Section([
        html.H2(t("phen.indicators", lang), className="h4"),
        html.P(t("phen.indicators_note", lang), className="small text-body-secondary"),
        dbc.Row(graphs) if graphs else html.P(t("phen.no_links", lang)),
    ], id="phen-indicators"))
    return caption, cards


def register(app) -> None:
    @app.callback(Output(ids.PHEN_CAPTION, "children"), Output(ids.PHEN_CONTENT, "children"),
                  Input(ids.FILTER_STORE, "data"))
    def render(query):
        if query is None:
            return no_update, no_update
        flt = ReportFilter.from_query(query, services.vocabulary())
        caption, cards = content(flt)
        return caption, [c.warnings_box(flt, flt.lang), *cards]
