"""Thin callbacks: read the filter, call the query, call the figure builder."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, html, no_update

from . import components as c
from . import figures, ids, services
from .db import DatabaseMissing
from .filters import LANGS, ReportFilter
from .i18n import t
from .pages import indicators, overview, phenomena, reading, reports
from .pages.common import PageContext
from .periods import ALL, overlapping_half_years, preset_by_key, preset_key, presets

ROUTES = {
    "/": lambda search: overview.layout(page_context(search)),
    "/reports": lambda search: reports.layout(page_context(search)),
    "/indicators": lambda search: indicators.layout(search),
    "/phenomena": lambda search: phenomena.layout(page_context(search)),
}
DROPDOWN_FIELDS = ("county", "municipality", "target_group", "theme", "observation_type", "service_unit")
CHART_TITLES = {
    "theme": "chart.themes", "target_group": "chart.target_groups", "area": "chart.areas",
    "observation_type": "chart.types", "service_unit": "chart.units", "trend": "chart.trend",
    "followup_status": "chart.followup",
}
MAX_BARS = {"theme": 12, "area": 15}


def lang_of(search: str | None) -> str:
    values = parse_qs((search or "").lstrip("?")).get("lang", ["fi"])
    return values[-1] if values[-1] in LANGS else "fi"


def _presets():
    from queries.codes import report_date_range

    return services.cached("presets", lambda cur: presets(*report_date_range(cur)))


def _counties() -> list[str]:
    from queries.codes import counties_with_reports

    return services.cached("counties", counties_with_reports)


def page_context(search: str | None) -> PageContext:
    vocab = services.vocabulary()
    flt = ReportFilter.from_query(search, vocab)
    return PageContext(flt=flt, vocab=vocab, presets=_presets(), counties=_counties(), lang=flt.lang,
                       demo=services.is_demo())


def _missing_database(lang: str):
    return html.Main(c.error_box(t("error.no_database", lang, path=str(services.database().path))),
                     id="main", className="container py-4")


def register(app) -> None:
    @app.callback(Output(ids.LANG_STORE, "data"), Input(ids.URL, "search"), State(ids.LANG_STORE, "data"))
    def language_from_url(search, current):
        lang = lang_of(search)
        return lang if lang != current else no_update

    @app.callback(Output(ids.NAV, "children"), Output(ids.PAGE, "children"), Output(ids.FOOTER, "children"),
                  Input(ids.URL, "pathname"), Input(ids.LANG_STORE, "data"), State(ids.URL, "search"))
    def route(pathname, lang, search):
        lang = lang or lang_of(search)
        pathname = pathname or "/"
        return (*_route(pathname, lang, search), html.Div(t("footer.licence", lang), className="container-fluid small py-3"))

    def _route(pathname, lang, search):
        nav = c.navbar(pathname, search or "", lang)
        builder = ROUTES.get(pathname.rstrip("/") or "/")
        if builder is None:
            return nav, html.Main(dbc.Alert(t("page.not_found", lang), color="info"), id="main", className="container py-4")
        try:
            return nav, builder(search)
        except DatabaseMissing:
            return nav, _missing_database(lang)

    @app.callback(Output(ids.LANG_LINK_ALL, "href"), Input(ids.URL, "search"), State(ids.URL, "pathname"),
                  State(ids.LANG_LINK_ALL, "id"))
    def language_links(search, pathname, link_ids):
        return [c.with_lang(pathname or "/", search or "", link["name"]) for link in link_ids]

    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.FILTER_ALL, "value"),
        Output(ids.FILTER_ALL, "options"),
        Output(ids.FILTER_INPUT_ALL, "value"),
        Output(ids.FILTER_STORE, "data"),
        Input(ids.URL, "search"),
        Input(ids.FILTER_ALL, "value"),
        Input(ids.FILTER_INPUT_ALL, "value"),
        Input(ids.CHART_ALL, "clickData"),
        Input(ids.ACTION_ALL, "n_clicks"),
        State(ids.FILTER_ALL, "id"),
        State(ids.FILTER_INPUT_ALL, "id"),
        State(ids.CHART_ALL, "id"),
        State(ids.FILTER_ALL, "options"),
    )
    def sync_filter(search, values, input_values, clicks, _actions, control_ids, input_ids, chart_ids, options):
        """The URL is the state. Controls and chart clicks change the URL; the
        URL (a shared link, the back button) sets the controls."""
        try:
            ctx_page = page_context(search)
        except DatabaseMissing:
            return no_update, [no_update] * len(control_ids), [no_update] * len(control_ids), \
                [no_update] * len(input_ids), None
        flt, vocab, available = ctx_page.flt, ctx_page.vocab, ctx_page.presets
        trigger = ctx.triggered_id
        from_url = trigger is None or trigger == ids.URL
        if not from_url:
            controls = {cid["name"]: v for cid, v in zip(control_ids, values)}
            inputs = {iid["name"]: v for iid, v in zip(input_ids, input_values)}
            name = trigger.get("name") if isinstance(trigger, dict) else None
            kind = trigger.get("type") if isinstance(trigger, dict) else None
            if kind == "filter-action" and name == "clear":
                flt = ReportFilter(lang=flt.lang)
            elif kind == "chart":
                click = next((cl for cid, cl in zip(chart_ids, clicks) if cid["name"] == name), None)
                flt = _apply_click(flt, name, click)
            else:
                changes: dict = {}
                for field in DROPDOWN_FIELDS:
                    if field in controls:
                        changes[field] = tuple(v for v in (controls[field] or []) if vocab.knows(
                            "area" if field == "municipality" else field, v))
                if name == "county" and "municipality" in controls and changes.get("county") != flt.county:
                    # Keep only areas that belong to the chosen counties.
                    allowed = {o["value"] for o in c.area_options(vocab, changes.get("county", ()), flt.lang)}
                    changes["municipality"] = tuple(v for v in changes.get("municipality", ()) if v in allowed)
                if kind == "filter" and name == "period":
                    preset = preset_by_key(controls.get("period"), available)
                    if controls.get("period") == ALL:
                        changes.update(date_from=None, date_to=None)
                    elif preset:
                        changes.update(date_from=preset.start, date_to=preset.end)
                elif kind == "filter-input" and name in ("from", "to"):
                    start = _iso(inputs.get("from")) if "from" in inputs else flt.date_from
                    end = _iso(inputs.get("to")) if "to" in inputs else flt.date_to
                    if start and end and start > end:
                        start, end = end, start
                    changes.update(date_from=start, date_to=end)
                if "q" in inputs:
                    changes["text"] = (inputs.get("q") or "").strip()[:200]
                changed = flt.with_values(**changes)
                # Dash also fires this when a page's controls first appear; if they
                # say what the URL says, the URL stays as it is (with its warnings).
                if changed == flt:
                    from_url = True
                else:
                    flt = changed
        query = flt.to_query()
        new_values, new_options = [], []
        for cid in control_ids:
            field = cid["name"]
            if field == "period":
                new_values.append(preset_key(flt.date_from, flt.date_to, available))
                new_options.append(no_update)
            else:
                new_values.append(list(getattr(flt, field)))
                new_options.append(c.area_options(vocab, flt.county, flt.lang, keep=flt.municipality)
                                   if field == "municipality" else no_update)
        new_inputs = []
        for iid in input_ids:
            field = iid["name"]
            if field == "from":
                new_inputs.append(flt.date_from.isoformat() if flt.date_from else None)
            elif field == "to":
                new_inputs.append(flt.date_to.isoformat() if flt.date_to else None)
            else:
                new_inputs.append(flt.text)
        url_out = no_update if from_url else query
        store = search if from_url else query  # keep problems of the original link visible
        return url_out, new_values, new_options, new_inputs, store or ""

    @app.callback(Output(ids.CAPTION, "children"), Output(ids.WARNINGS, "children"), Output(ids.KPIS, "children"),
                  Input(ids.FILTER_STORE, "data"))
    def summary(query):
        from queries import reports as q

        if query is None:
            return no_update, no_update, no_update
        try:
            db, vocab = services.database(), services.vocabulary()
            flt = ReportFilter.from_query(query, vocab)
            cur = db.cursor()
            total = q.count_reports(cur, flt)
            by_type = q.counts_by(cur, flt, "observation_type", vocab, flt.lang)
        except DatabaseMissing:
            return "", c.error_box(t("error.no_database", "fi", path=str(services.database().path))), None
        caption = flt.caption(vocab, total)
        return caption, c.warnings_box(flt, flt.lang), c.kpi_cards(total, by_type, flt.lang)

    @app.callback(Output(ids.CHART_ALL, "figure"), Output(ids.CHART_ALL, "config"), Output(ids.CHART_SUMMARY_ALL, "children"),
                  Input(ids.FILTER_STORE, "data"), State(ids.CHART_ALL, "id"))
    def charts(query, chart_ids):
        from queries import reports as q

        if query is None:
            return [no_update] * len(chart_ids), [no_update] * len(chart_ids), [no_update] * len(chart_ids)
        db, vocab = services.database(), services.vocabulary()
        flt = ReportFilter.from_query(query, vocab)
        lang = flt.lang
        cur = db.cursor()
        caption = flt.caption(vocab, q.count_reports(cur, flt))
        source = t("source.reports_demo" if services.is_demo() else "source.reports", lang)
        type_labels = {code: vocab.label("observation_type", code, lang) for code in vocab.codes("observation_type")}
        figs, configs, summaries = [], [], []
        for cid in chart_ids:
            name = cid["name"]
            title = t(CHART_TITLES[name], lang)
            if name == "trend":
                # The trend shows every half-year for context; the chosen period is outlined.
                whole = flt.with_values(date_from=None, date_to=None)
                df = q.trend_by_half_year(cur, whole, vocab, lang)
                trend_caption = whole.caption(vocab, q.count_reports(cur, whole))
                figs.append(figures.trend(df, title, trend_caption, source, lang, type_labels,
                                          highlight=overlapping_half_years(df, flt.date_from, flt.date_to)))
                summaries.append(c.trend_summary(df, f"{title} · {trend_caption}", lang, type_labels))
            else:
                df = q.counts_by(cur, flt, name, vocab, lang)
                attr = "municipality" if name == "area" else name
                multi = name in ("theme", "target_group", "area")
                note = t("chart.multi_note", lang) if multi else None
                figs.append(figures.bar_counts(df, title, caption, source, lang, selected=getattr(flt, attr, ()),
                                               max_bars=MAX_BARS.get(name)))
                summaries.append(c.chart_summary(df, f"{title} · {caption}", lang, note=note))
            configs.append(figures.graph_config(figures.export_filename(title, caption)))
        return figs, configs, summaries

    reading.register(app)
    indicators.register(app)
    phenomena.register(app)


def _iso(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _apply_click(flt: ReportFilter, chart: str, click: dict | None) -> ReportFilter:
    if not click or not click.get("points"):
        return flt
    custom = click["points"][0].get("customdata")
    if chart == "trend":
        if not isinstance(custom, list) or len(custom) != 2:
            return flt
        half, year = str(custom[1]).split("/")
        year = int(year)
        start, end = (dt.date(year, 1, 1), dt.date(year, 6, 30)) if half.startswith("1") else (dt.date(year, 7, 1), dt.date(year, 12, 31))
        return flt.with_values(date_from=start, date_to=end)
    attr = "municipality" if chart == "area" else chart
    if isinstance(custom, str) and hasattr(flt, attr):
        return flt.toggled(attr, custom)
    return flt
