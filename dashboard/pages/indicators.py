"""The indicator view: time series against the county and the country, a
ranking of the county's municipalities, a tile map of the counties and the
split by sex. Every chart names the indicator, unit, source, licence and the
update date; small values are suppressed in the query layer."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, ctx, dcc, html, no_update

from .. import components as c
from .. import ids, services
from .. import indicator_figures as figs
from ..config import CODES_DIR, Settings
from ..db import DatabaseMissing
from ..figures import export_filename as figures_export_filename
from ..figures import graph_config
from ..filters import IndicatorFilter
from ..formatting import fmt_date, fmt_number
from ..i18n import dropdown_labels, t

URL, STORE, CONTENT, CAPTION, WARNINGS, SOURCE = (ids.URL, ids.IND_STORE, ids.IND_CONTENT, ids.IND_CAPTION,
                                                  ids.IND_WARNINGS, ids.IND_SOURCE)
control, chart_id = ids.ind_control, ids.ind_chart
MAX_SERIES = 4
KIND_KEYS = {"sotkanet": "ind.kind.sotkanet", "local": "ind.kind.local", "synthetic": "ind.kind.synthetic"}


def _indicators():
    from queries.indicators import indicator_list

    return {lang: services.cached(f"indicators-{lang}", lambda cur, lang=lang: indicator_list(cur, lang))
            for lang in ("fi", "sv", "en")}


def _regions():
    from queries.codes import regions

    return services.cached("regions", regions)


def resolve(flt: IndicatorFilter) -> dict:
    """The filter with defaults filled in: what the view shows."""
    from queries.indicators import years

    catalogue = _indicators()["fi"]
    indicators = list(flt.indicator) or ([catalogue.iloc[0]["indicator_id"]] if not catalogue.empty else [])
    regions = _regions()
    region = flt.region[0] if flt.region else ("09" if "09" in set(regions["code"]) else "FI")
    cur = services.database().cursor()
    available = years(cur, indicators[0]) if indicators else []
    year = flt.year[0] if flt.year else (available[-1] if available else None)
    return {"indicators": indicators[:MAX_SERIES], "region": region, "year": year,
            "sex": flt.sex[0] if flt.sex else "total", "years": available}


def indicator_options(lang: str, kind: str | None) -> list[dict]:
    frame = _indicators()[lang]
    if kind and kind != "all":
        frame = frame[frame["kind"] == kind]
    return [{"label": f"{r.name} ({r.unit}) · {t(KIND_KEYS[r.kind], lang)}", "value": r.indicator_id}
            for r in frame.itertuples()]


def region_options(lang: str) -> list[dict]:
    regions = _regions()
    names = dict(zip(regions["code"], regions[f"name_{lang}"]))
    out = []
    for level in ("country", "county", "municipality"):
        for r in regions[regions["level"] == level].sort_values(f"name_{lang}").itertuples():
            label = names[r.code]
            if level == "county":
                label = f"{label} ({t('ind.county', lang)})"
            elif level == "municipality" and r.parent_code in names:
                label = f"{label} ({names[r.parent_code]})"
            out.append({"label": label, "value": r.code})
    return out


def layout(search: str | None) -> html.Main:
    vocab = services.vocabulary()
    flt = IndicatorFilter.from_query(search, vocab)
    lang = flt.lang
    state = resolve(flt)

    def dropdown(name, label, options, value, multi=False, clearable=False):
        return c.labelled(control(name), label, dcc.Dropdown(
            id=control(name), options=options, value=value, multi=multi, clearable=clearable,
            searchable=True, labels=dropdown_labels(lang)))

    kinds = [{"label": t("ind.kind.all", lang), "value": "all"}] + [
        {"label": t(key, lang), "value": kind} for kind, key in KIND_KEYS.items()]
    panel = html.Section([
        html.H2(t("filter.heading", lang), className="h5"),
        c.labelled_plain(SOURCE, t("ind.source_filter", lang), dcc.Dropdown(
            id=SOURCE, options=kinds, value="all", clearable=False, searchable=False, labels=dropdown_labels(lang))),
        dropdown("indicator", t("ind.indicator", lang), indicator_options(lang, None), state["indicators"], multi=True),
        dropdown("region", t("ind.region", lang), region_options(lang), state["region"]),
        dropdown("year", t("ind.year", lang), [{"label": str(y), "value": y}
                                               for y in sorted(set(state["years"]) | set(flt.year), reverse=True)],
                 state["year"]),
        dropdown("sex", t("ind.sex", lang), [{"label": t(f"ind.sex.{s}", lang), "value": s}
                                             for s in ("total", "female", "male")], state["sex"]),
    ], className="filter-panel", **{"aria-label": t("filter.heading", lang)})
    return html.Main(dbc.Row([
        dbc.Col(panel, lg=3, className="mb-3"),
        dbc.Col([
            html.H1(t("nav.indicators", lang), className="h2 mb-1"),
            html.P(id=CAPTION, className="view-caption", **{"aria-live": "polite"}),
            html.Div(id=WARNINGS),
            html.Div(id=CONTENT),
        ], lg=9),
    ]), id="main", className="container-fluid py-3 page-indicators", tabIndex="-1")


def _source_line(meta: dict, lang: str, n: int | None = None) -> str:
    parts = [t("meta.source", lang) + ": " + str(meta["source"])]
    if isinstance(meta.get("licence"), str) and meta["licence"]:
        parts.append(meta["licence"])
    if meta.get("data_updated") is not None and not pd.isna(meta["data_updated"]):
        parts.append(t("ind.updated", lang, date=fmt_date(pd.Timestamp(meta["data_updated"]).date(), lang)))
    if n:
        parts.append(f"n = {fmt_number(n, lang)}")
    return " · ".join(parts)


def _table(frame: pd.DataFrame, heading: str, lang: str) -> html.Details:
    return html.Details([
        html.Summary(t("chart.as_table", lang)),
        html.Table([html.Caption(heading), html.Thead(html.Tr([html.Th(col, scope="col") for col in frame.columns])),
                    html.Tbody([html.Tr([html.Td(v) for v in row]) for row in frame.itertuples(index=False)])],
                   className="table table-sm mb-0"),
    ], className="small chart-summary")


def _card(name: str, figure, filename: str, details) -> dbc.Card:
    return dbc.Card(dbc.CardBody([
        dcc.Graph(id=chart_id(name), figure=figure, config=graph_config(filename), className="chart"),
        details,
    ]), className="mb-3 chart-card")


def _value_text(value, suppressed, decimals: int, lang: str, threshold: int) -> str:
    if suppressed:
        return f"< {threshold}"
    if value is None or pd.isna(value):
        return "–"
    return fmt_number(float(value), lang, decimals)


def content(flt: IndicatorFilter) -> tuple[str, list]:
    from queries import indicators as q

    lang = flt.lang
    threshold = Settings.from_env().suppress_below
    hidden = f"< {threshold}"
    state = resolve(flt)
    cur = services.database().cursor()
    regions = _regions().set_index("code")
    name_col = f"name_{lang}"
    region = state["region"]
    region_name = regions.loc[region, name_col] if region in regions.index else region
    level = regions.loc[region, "level"] if region in regions.index else "country"
    parent = regions.loc[region, "parent_code"] if level == "municipality" else None
    county = region if level == "county" else parent
    compare = [region] + ([parent] if parent else []) + (["FI"] if region != "FI" else [])
    sex_label = t(f"ind.sex.{state['sex']}", lang)
    catalogue = _indicators()[lang].set_index("indicator_id")
    cards: list = []
    caption = " · ".join(x for x in [region_name, str(state["year"] or ""), sex_label] if x)
    if not state["indicators"]:
        return caption, [html.P(t("ind.none", lang))]
    for i, ind in enumerate(state["indicators"]):
        meta = {"indicator_id": ind, **catalogue.loc[ind].to_dict()}
        data = q.series(cur, ind, compare, state["sex"], threshold)
        n = int(data["n"].dropna().max()) if data["n"].notna().any() else None
        source = _source_line(meta, lang, n)
        lines = [(regions.loc[code, name_col] if code in regions.index else code, data[data["region_code"] == code])
                 for code in compare]
        title = f"{meta['name']}"
        cap = f"{' – '.join(label for label, _ in lines)} · {sex_label}"
        fig = figs.line_series(lines, title, cap, source, meta["unit"], int(meta["decimals"]), lang, hidden)
        wide = data.assign(text=[_value_text(v, s, int(meta["decimals"]), lang, threshold)
                                 for v, s in zip(data["value"], data["suppressed"])])
        wide = wide.pivot_table(index="year", columns="region_code", values="text", aggfunc="first").reset_index()
        wide.columns = [t("ind.year", lang)] + [regions.loc[col, name_col] if col in regions.index else col
                                                for col in wide.columns[1:]]
        if meta.get("synthetic"):
            cards.append(dbc.Alert(t("ind.synthetic", lang), color="warning", className="py-2 small"))
        elif isinstance(meta.get("description"), str):
            cards.append(html.P(meta["description"], className="small text-body-secondary mb-1"))
        cards.append(_card(f"series-{i}", fig, figures_export_filename(title, cap), _table(wide, title, lang)))
    first = state["indicators"][0]
    meta = {"indicator_id": first, **catalogue.loc[first].to_dict()}
    decimals = int(meta["decimals"])
    source = _source_line(meta, lang)
    year = state["year"]
    if county and year is not None:
        rank = q.ranking(cur, first, county, year, state["sex"], threshold, lang)
        if rank[rank["level"] == "municipality"]["value"].notna().any() or rank["suppressed"].fillna(False).any():
            title = t("ind.ranking", lang, indicator=meta["name"])
            cap = f"{regions.loc[county, name_col]} · {year} · {sex_label}"
            fig = figs.ranking(rank, title, cap, source, meta["unit"], decimals, lang, hidden,
                               highlight=region if level == "municipality" else None)
            table = pd.DataFrame({t("ind.region", lang): rank["name"],
                                  t("table.value", lang): [_value_text(v, s, decimals, lang, threshold)
                                                           for v, s in zip(rank["value"], rank["suppressed"])]})
            cards.append(_card("ranking", fig, figures_export_filename(title, cap), _table(table, title, lang)))
    if year is not None:
        counties = q.county_values(cur, first, year, state["sex"], threshold, lang)
        if counties["value"].notna().any():
            tiles = pd.read_csv(CODES_DIR / "county_tiles.csv", dtype={"code": str})
            tiles["short"] = [counties.set_index("region_code")["name"].get(code, s) if lang != "fi" else s
                              for code, s in zip(tiles["code"], tiles["short_fi"])]
            title = t("ind.map", lang, indicator=meta["name"])
            cap = f"{t('ind.counties', lang)} · {year} · {sex_label}"
            fig = figs.tile_map(counties, tiles, title, cap, source, meta["unit"], decimals, lang, hidden,
                                t("ind.no_data", lang), highlight=county)
            table = pd.DataFrame({t("ind.region", lang): counties["name"],
                                  t("table.value", lang): [_value_text(v, s, decimals, lang, threshold)
                                                           for v, s in zip(counties["value"], counties["suppressed"])]})
            cards.append(_card("map", fig, figures_export_filename(title, cap), _table(table, title, lang)))
    split = q.by_sex(cur, first, region, threshold)
    if not split.empty:
        title = t("ind.by_sex", lang, indicator=meta["name"])
        cap = f"{region_name}"
        labels = {s: t(f"ind.sex.{s}", lang) for s in ("male", "female")}
        fig = figs.sex_split(split, title, cap, source, meta["unit"], decimals, lang, labels, hidden)
        wide = split.assign(text=[_value_text(v, s, decimals, lang, threshold)
                                  for v, s in zip(split["value"], split["suppressed"])])
        wide = wide.pivot_table(index="year", columns="sex", values="text", aggfunc="first").reset_index()
        wide.columns = [t("ind.year", lang)] + [labels[col] for col in wide.columns[1:]]
        cards.append(_card("sex", fig, figures_export_filename(title, cap), _table(wide, title, lang)))
    query = flt.with_values(indicator=tuple(state["indicators"]),
                            region=tuple(compare)).to_query()
    cards.insert(0, html.Div([
        html.Span(t("download.heading", lang) + ":", className="fw-semibold me-2"),
        html.A(t("download.indicators_csv", lang), href="/download/indicators.csv" + query,
               className="btn btn-outline-primary btn-sm me-2", download=""),
        html.A(t("download.indicators_xlsx", lang), href="/download/indicators.xlsx" + query,
               className="btn btn-outline-primary btn-sm", download=""),
        html.P(t("ind.privacy", lang, k=threshold), className="small text-body-secondary mt-2 mb-0"),
    ], className="download-links mb-3"))
    return caption, cards


def register(app) -> None:
    @app.callback(
        Output(URL, "search", allow_duplicate=True),
        Output(ids.IND_CONTROL_ALL, "value"),
        Output(STORE, "data"),
        Input(URL, "search"),
        Input(ids.IND_CONTROL_ALL, "value"),
        Input(ids.IND_CHART_ALL, "clickData"),
        State(ids.IND_CONTROL_ALL, "id"),
        State(ids.IND_CHART_ALL, "id"),
        prevent_initial_call="initial_duplicate",
    )
    def sync(search, values, clicks, control_ids, chart_ids):
        if not control_ids:
            return no_update, [], no_update
        try:
            vocab = services.vocabulary()
        except DatabaseMissing:
            return no_update, [no_update] * len(control_ids), no_update
        flt = IndicatorFilter.from_query(search, vocab)
        trigger = ctx.triggered_id
        url_out = no_update
        if isinstance(trigger, dict):
            chosen = {cid["name"]: v for cid, v in zip(control_ids, values)}
            if trigger.get("type") == "ind-chart":
                click = next((cl for cid, cl in zip(chart_ids, clicks) if cid["name"] == trigger["name"]), None)
                code = (click or {}).get("points", [{}])[0].get("customdata")
                if isinstance(code, str) and vocab.knows("region", code):
                    chosen["region"] = code
            indicators = tuple(v for v in (chosen.get("indicator") or []) if vocab.knows("indicator", v))
            region = chosen.get("region")
            year = chosen.get("year")
            sex = chosen.get("sex")
            changed = flt.with_values(
                indicator=indicators[:MAX_SERIES],
                region=(region,) if region and vocab.knows("region", region) else (),
                year=(int(year),) if year else (),
                sex=(sex,) if sex in ("total", "male", "female") else (),
            )
            state_now = resolve(flt)
            state_new = resolve(changed)
            if state_new != state_now:
                flt = changed
                url_out = flt.to_query()
        state = resolve(flt)
        out = []
        for cid in control_ids:
            name = cid["name"]
            out.append({"indicator": state["indicators"], "region": state["region"], "year": state["year"],
                        "sex": state["sex"]}[name])
        return url_out, out, (flt.to_query() if url_out is not no_update else (search or ""))

    @app.callback(Output(control("indicator"), "options"), Input(SOURCE, "value"), State(URL, "search"))
    def narrow(kind, search):
        vocab = services.vocabulary()
        return indicator_options(IndicatorFilter.from_query(search, vocab).lang, kind)

    @app.callback(Output(control("year"), "options"), Input(control("indicator"), "value"), State(URL, "search"))
    def year_options(indicators, search):
        from queries.indicators import years

        if not indicators:
            return []
        return [{"label": str(y), "value": y} for y in reversed(years(services.database().cursor(), indicators[0]))]

    @app.callback(Output(CAPTION, "children"), Output(WARNINGS, "children"), Output(CONTENT, "children"),
                  Input(STORE, "data"))
    def render(query):
        if query is None:
            return no_update, no_update, no_update
        vocab = services.vocabulary()
        flt = IndicatorFilter.from_query(query, vocab)
        caption, cards = content(flt)
        warnings = c.warnings_box(flt, flt.lang)
        if any(_indicators()["fi"].set_index("indicator_id").loc[i, "synthetic"] for i in resolve(flt)["indicators"]):
            cards.insert(0, c.demo_notice(flt.lang))
        return caption, warnings, cards
