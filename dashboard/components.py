"""Layout pieces shared by the pages. Pure functions of their arguments."""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from . import ids
from .filters import ReportFilter, Vocabulary
from .formatting import fmt_date, fmt_number, fmt_share
from .i18n import dropdown_labels, t
from .periods import ALL, CUSTOM, Preset

PAGES = [("/", "nav.overview"), ("/reports", "nav.reports"), ("/indicators", "nav.indicators"),
         ("/phenomena", "nav.phenomena")]


def with_lang(path: str, query: str, lang: str) -> str:
    """``path`` with the current query string and ``lang`` replaced."""
    from urllib.parse import parse_qsl, urlencode

    pairs = [(k, v) for k, v in parse_qsl(query.lstrip("?")) if k != "lang"]
    if lang != "fi":
        pairs.append(("lang", lang))
    encoded = urlencode(pairs)
    return path + ("?" + encoded if encoded else "")


def navbar(path: str, query: str, lang: str) -> html.Header:
    links = [
        dbc.NavItem(dbc.NavLink(t(key, lang), href=with_lang(href, "", lang), active=(path == href),
                                className="px-3"))
        for href, key in PAGES
    ] + [dbc.NavItem(dbc.NavLink(t("coord.title", lang), href=with_lang("/coordinator", "", lang), external_link=True,
                                 className="px-3"))]
    languages = html.Ul(
        [html.Li(html.A(code.upper(), href=with_lang(path, query, code), lang=code, id=ids.lang_link(code),
                          className="lang-link" + (" active" if code == lang else ""),
                          **({"aria-current": "true"} if code == lang else {})))
         for code in ("fi", "sv", "en")],
        className="lang-switch list-unstyled d-flex gap-2 mb-0", **{"aria-label": t("nav.language", lang)},
    )
    return html.Header(
        dbc.Navbar(
            dbc.Container([
                html.A(t("nav.skip", lang), href="#main", className="visually-hidden-focusable skip-link"),
                html.Div([
                    html.Span(t("app.title", lang), className="brand-name"),
                    html.Span(t("app.tagline", lang), className="brand-tagline d-none d-lg-inline"),
                ], className="navbar-brand d-flex flex-column"),
                html.Nav(dbc.Nav(links, navbar=True), **{"aria-label": t("nav.main", lang)}),
                languages,
            ], fluid=True, className="gap-3"),
            color="white", className="border-bottom app-navbar",
        )
    )


def demo_notice(lang: str) -> dbc.Alert:
    return dbc.Alert([html.Strong("DEMO · "), t("demo.notice", lang)], color="warning",
                     className="demo-notice py-2 mb-3", id="demo-notice")


def error_box(message: str) -> dbc.Alert:
    return dbc.Alert(message, color="danger", className="mt-3")


def warnings_box(flt: ReportFilter, lang: str):
    if not flt.problems:
        return None
    return dbc.Alert([
        html.Strong(t("warning.heading", lang)),
        html.Ul([html.Li(p.message(lang)) for p in flt.problems], className="mb-0"),
    ], color="warning", className="py-2")


def _options(vocab: Vocabulary, dimension: str, lang: str, codes: list[str] | None = None) -> list[dict]:
    codes = codes if codes is not None else vocab.codes(dimension)
    return [{"label": vocab.label(dimension, c, lang), "value": c} for c in codes]


def period_options(presets: list[Preset], lang: str) -> list[dict]:
    return [{"label": t("period.all", lang), "value": ALL}] + [
        {"label": p.label(lang), "value": p.key} for p in presets
    ] + [{"label": t("period.custom", lang), "value": CUSTOM}]


def labelled(control_id: dict, label: str, control) -> html.Div:
    return html.Div([
        html.Label(label, htmlFor=dom_id(control_id), className="form-label fw-semibold mb-1"),
        control,
    ], className="mb-3")


def labelled_plain(component_id: str, label: str, control) -> html.Div:
    return html.Div([html.Label(label, htmlFor=component_id, className="form-label fw-semibold mb-1"), control],
                    className="mb-3")


def dom_id(component_id: dict) -> str:
    """The DOM id Dash gives a pattern-matching id (for <label for=...>)."""
    import json

    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


def multi_dropdown(name: str, label: str, options: list[dict], value: tuple[str, ...], lang: str) -> html.Div:
    return labelled(ids.filter_control(name), label, dcc.Dropdown(
        id=ids.filter_control(name), options=options, value=list(value), multi=True,
        placeholder=t("filter.all", lang), clearable=True, searchable=True, labels=dropdown_labels(lang),
    ))


def area_options(vocab: Vocabulary, counties: tuple[str, ...], lang: str, keep: tuple[str, ...] = ()) -> list[dict]:
    """'Whole county' and the municipalities of the chosen counties (all when
    none), then 'national'; plus the areas in ``keep`` (already chosen), so the
    dropdown never drops a chosen value."""
    parent = vocab.labels.get("municipality_county", {})
    municipalities = [c for c in vocab.codes("area") if c in parent and (not counties or parent[c][0] in counties)]
    wholes = [c for c in vocab.codes("county") if not counties or c in counties]
    codes = wholes + municipalities + ["national"]
    return _options(vocab, "area", lang, [c for c in keep if c not in codes] + codes)


def period_controls(flt: ReportFilter, presets: list[Preset], preset_value: str, lang: str) -> list:
    return [
        labelled(ids.filter_control("period"), t("filter.period", lang), dcc.Dropdown(
            id=ids.filter_control("period"), options=period_options(presets, lang), value=preset_value,
            clearable=False, searchable=False, labels=dropdown_labels(lang),
        )),
        html.Fieldset([
            html.Legend(t("filter.dates", lang), className="form-label fw-semibold fs-6 mb-1"),
            html.Div([
                html.Div([
                    html.Label(t("filter.from", lang), htmlFor=dom_id(ids.filter_input("from")), className="small"),
                    dcc.Input(id=ids.filter_input("from"), type="date", debounce=True, className="form-control",
                              value=flt.date_from.isoformat() if flt.date_from else None),
                ], className="flex-fill"),
                html.Div([
                    html.Label(t("filter.to", lang), htmlFor=dom_id(ids.filter_input("to")), className="small"),
                    dcc.Input(id=ids.filter_input("to"), type="date", debounce=True, className="form-control",
                              value=flt.date_to.isoformat() if flt.date_to else None),
                ], className="flex-fill"),
            ], className="d-flex gap-2"),
        ], className="mb-3"),
    ]


def kpi_cards(total: int, by_type: pd.DataFrame, lang: str) -> dbc.Row:
    counts = dict(zip(by_type["code"], by_type["count"])) if not by_type.empty else {}
    cards = [(t("kpi.reports", lang), total, None, "kpi-total")]
    for code, key in (("negative", "kpi.negative"), ("positive", "kpi.positive"), ("neutral", "kpi.neutral")):
        n = int(counts.get(code, 0))
        cards.append((t(key, lang), n, t("kpi.share_of", lang, share=fmt_share(n / total, lang)) if total else "", f"kpi-{code}"))
    return dbc.Row([
        dbc.Col(html.Div([
            html.Div(label, className="kpi-label"),
            html.Div(fmt_number(value, lang), className="kpi-value"),
            html.Div(sub or "\u00a0", className="kpi-sub"),
        ], className=f"kpi-card {css}", role="group", **{"aria-label": f"{label}: {fmt_number(value, lang)}"}),
            xs=6, lg=3)
        for label, value, sub, css in cards
    ], className="g-3 mb-3")


def chart_card(name: str, lang: str, height: int = 380) -> dbc.Card:
    return dbc.Card(dbc.CardBody([
        dcc.Graph(id=ids.chart(name), style={"minHeight": f"{height}px"}, config={"displaylogo": False},
                  className="chart"),
        html.Div(id=ids.chart_summary(name), className="chart-summary"),
    ]), className="mb-3 chart-card")


def chart_summary(df: pd.DataFrame, heading: str, lang: str, note: str | None = None, value_header: str | None = None):
    """The text alternative of a bar chart: one sentence and the full table."""
    if df.empty:
        return html.P(t("chart.empty", lang), className="mb-0")
    top = df.iloc[0]
    sentence = t("chart.summary_top", lang, label=top["label"], n=fmt_number(int(top["count"]), lang),
                  share=fmt_share(float(top["share"]), lang))
    table = html.Table([
        html.Caption(heading),
        html.Thead(html.Tr([html.Th(value_header or t("table.value", lang), scope="col"),
                            html.Th(t("table.count", lang), scope="col", className="text-end"),
                            html.Th(t("table.share", lang), scope="col", className="text-end")])),
        html.Tbody([html.Tr([html.Td(r["label"]), html.Td(fmt_number(int(r["count"]), lang), className="text-end"),
                             html.Td(fmt_share(float(r["share"]), lang), className="text-end")])
                    for _, r in df.iterrows()]),
    ], className="table table-sm mb-0")
    return html.Div([
        html.P([sentence, " ", note or ""], className="small mb-1"),
        html.Details([html.Summary(t("chart.as_table", lang)), table], className="small"),
    ])


def trend_summary(df: pd.DataFrame, heading: str, lang: str, type_labels: dict[str, str]):
    if df.empty:
        return html.P(t("chart.empty", lang), className="mb-0")
    wide = df.pivot_table(index=["year", "half", "period"], columns="observation_type", values="count",
                          aggfunc="sum", fill_value=0).reset_index().sort_values(["year", "half"])
    types = [c for c in ("negative", "positive", "neutral") if c in wide.columns]
    header = [t("chart.half_year", lang), *[type_labels[c] for c in types], t("kpi.reports", lang)]
    rows = []
    for _, r in wide.iterrows():
        values = [int(r[c]) for c in types]
        rows.append(html.Tr([html.Td(r["period"]), *[html.Td(fmt_number(v, lang), className="text-end") for v in values],
                             html.Td(fmt_number(sum(values), lang), className="text-end")]))
    return html.Details([
        html.Summary(t("chart.as_table", lang)),
        html.Table([html.Caption(heading), html.Thead(html.Tr([html.Th(h, scope="col") for h in header])),
                    html.Tbody(rows)], className="table table-sm mb-0"),
    ], className="small")


def date_text(value: dt.date | pd.Timestamp | None, lang: str) -> str:
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return fmt_date(value, lang)
