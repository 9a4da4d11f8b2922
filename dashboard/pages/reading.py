"""The reports view's reading pane, period comparison and download links."""

from __future__ import annotations

import re

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, ctx, dcc, html, no_update

from .. import components as c
from .. import ids, services
from ..filters import ReportFilter
from ..formatting import fmt_number
from ..i18n import dropdown_labels, t
from ..periods import preset_by_key, preset_key

PAGE_SIZE = 20
COMPARE_DIMENSIONS = ("theme", "target_group", "area", "service_unit", "observation_type")


def highlight(text: str | None, term: str):
    """Text with the search term wrapped in <mark> (case-insensitive)."""
    if not text:
        return text
    if not term:
        return text
    parts = re.split(f"({re.escape(term)})", text, flags=re.IGNORECASE)
    return [html.Mark(p) if i % 2 else p for i, p in enumerate(parts) if p]


def report_card(row: dict, vocab, lang: str, term: str) -> html.Article:
    otype = row["observation_type"]
    areas = ", ".join(vocab.label("area", a, lang) for a in (row["areas"] if row["areas"] is not None else []))
    themes = ", ".join(vocab.label("theme", a, lang) for a in (row["themes"] if row["themes"] is not None else []))
    groups = ", ".join(vocab.label("target_group", a, lang) for a in (row["target_groups"] if row["target_groups"] is not None else []))
    followup = [x for x in (row.get("handled_in"), row.get("forwarded_to"), row.get("followup_action"))
                if isinstance(x, str) and x]
    status = vocab.label("followup_status", row["followup_status"], lang)
    body = [
        html.H3([html.Span(vocab.label("observation_type", otype, lang), className=f"type-badge type-{otype} me-2"),
                 row["report_id"]]),
        html.Div(f"{c.date_text(row['submitted_on'], lang)} · {vocab.label('service_unit', row['service_unit'], lang)}"
                 f" · {areas}", className="meta"),
        html.Div(f"{groups} · {themes}", className="meta mb-2"),
        html.P([html.Strong(t("reading.observation", lang) + ": "), *_as_list(highlight(row["observation"], term))]),
    ]
    if isinstance(row.get("client_voice"), str) and row["client_voice"]:
        body.append(html.Blockquote([html.Span(t("reading.voice", lang) + ": ", className="visually-hidden"),
                                     "”", *_as_list(highlight(row["client_voice"], term)), "”"]))
    if isinstance(row.get("proposal"), str) and row["proposal"]:
        body.append(html.P([html.Strong(t("reading.proposal", lang) + ": "), *_as_list(highlight(row["proposal"], term))]))
    body.append(html.P([html.Strong(t("reading.followup", lang) + ": "), status + (": " + " → ".join(followup) if followup else "")],
                       className="small mb-0"))
    return html.Article(body, className="report-card")


def _as_list(value):
    return value if isinstance(value, list) else [value]


def download_links(query: str, lang: str) -> html.Div:
    q = query or ""
    links = [
        ("/download/reports.csv", "download.reports_csv"), ("/download/reports.xlsx", "download.reports_xlsx"),
        ("/download/summary.csv", "download.summary_csv"), ("/download/summary.xlsx", "download.summary_xlsx"),
    ]
    return html.Div([
        html.Span(t("download.heading", lang) + ":", className="fw-semibold me-2"),
        *[html.A(t(key, lang), href=path + q, className="btn btn-outline-primary btn-sm", download="")
          for path, key in links],
    ], className="download-links")


GRID_ROWS = 2000
GRID_COLUMNS = [("report_id", "col.report_id", 130), ("date", "col.submitted_on", 110), ("county", "col.county", 130),
                ("service_unit", "col.service_unit", 200), ("areas", "col.areas", 180),
                ("target_groups", "col.target_groups", 200), ("themes", "col.themes", 260),
                ("observation_type", "col.observation_type", 130), ("followup_status", "col.followup_status", 170),
                ("observation", "col.observation", 420)]


def grid_locale(lang: str) -> dict:
    return {key: t(f"grid.{key}", lang) for key in (
        "page", "of", "to", "more", "firstPage", "lastPage", "nextPage", "previousPage", "noRowsToShow",
        "pageSizeSelectorLabel", "loadingOoo")}


def report_grid(lang: str):
    return dag.AgGrid(
        id=ids.REPORT_GRID,
        columnDefs=[{"field": field, "headerName": t(key, lang), "width": width, "sortable": field != "date",
                     **({"wrapText": True, "autoHeight": True, "cellClass": "grid-wrap"}
                        if field in ("observation", "areas", "target_groups", "themes", "service_unit") else {})}
                    for field, key, width in GRID_COLUMNS],
        defaultColDef={"resizable": True, "wrapHeaderText": True, "autoHeaderHeight": True},
        rowData=[],
        dashGridOptions={"pagination": True, "paginationPageSize": 20, "paginationPageSizeSelector": [20, 50, 100],
                         "localeText": grid_locale(lang), "ensureDomOrder": True,
                         "suppressColumnVirtualisation": True},
        style={"height": "620px"},
        className="ag-theme-alpine",
    )


def grid_rows(frame: pd.DataFrame, lang: str) -> list[dict]:
    rows = []
    for record in frame.to_dict("records"):
        rows.append({
            "report_id": record["report_id"], "date": c.date_text(record["submitted_on"], lang),
            "county": record["county"], "service_unit": record["service_unit"], "areas": record["areas"],
            "target_groups": record["target_groups"], "themes": record["themes"] or "",
            "observation_type": record["observation_type"], "followup_status": record["followup_status"],
            "observation": record["observation"] if isinstance(record["observation"], str) else t("grid.hidden", lang),
        })
    return rows


def compare_controls(flt: ReportFilter, available, lang: str) -> list:
    current = preset_key(flt.date_from, flt.date_to, available)
    keys = [p.key for p in available]
    b = current if current in keys else (keys[0] if keys else None)
    a = None
    if b:
        kind, year = b.split("-")
        a = f"{kind}-{int(year) - 1}" if f"{kind}-{int(year) - 1}" in keys else (keys[min(len(keys) - 1, keys.index(b) + 4)])
    options = [{"label": p.label(lang), "value": p.key} for p in available]
    dims = [{"label": t(f"compare.dim.{d}", lang), "value": d} for d in COMPARE_DIMENSIONS]
    return [
        html.H2(t("compare.heading", lang), className="h4", id="compare-heading"),
        html.P(t("compare.lead", lang), className="small text-body-secondary"),
        dbc.Row([
            dbc.Col(c.labelled_plain(ids.COMPARE_A, t("compare.a", lang), dcc.Dropdown(
                id=ids.COMPARE_A, options=options, value=a, clearable=False, labels=dropdown_labels(lang))), md=4),
            dbc.Col(c.labelled_plain(ids.COMPARE_B, t("compare.b", lang), dcc.Dropdown(
                id=ids.COMPARE_B, options=options, value=b, clearable=False, labels=dropdown_labels(lang))), md=4),
            dbc.Col(c.labelled_plain(ids.COMPARE_DIMENSION, t("compare.dimension", lang), dcc.Dropdown(
                id=ids.COMPARE_DIMENSION, options=dims, value="theme", clearable=False,
                labels=dropdown_labels(lang))), md=4),
        ]),
        html.Div(id=ids.COMPARE_OUT),
    ]


def comparison_table(a: pd.DataFrame, b: pd.DataFrame, label_a: str, label_b: str, n_a: int, n_b: int, lang: str):
    merged = pd.merge(a[["code", "label", "count"]], b[["code", "label", "count"]], on="code", how="outer",
                      suffixes=("_a", "_b"))
    merged["label"] = merged["label_b"].fillna(merged["label_a"])
    merged[["count_a", "count_b"]] = merged[["count_a", "count_b"]].fillna(0).astype(int)
    merged["change"] = merged["count_b"] - merged["count_a"]
    merged = merged.sort_values(["change", "count_b"], ascending=[False, False])
    rows = []
    for r in merged.itertuples():
        if r.count_a == 0 and r.count_b > 0:
            note = t("compare.new", lang)
        elif r.count_b == 0 and r.count_a > 0:
            note = t("compare.gone", lang)
        elif r.change > 0:
            note = t("compare.grew", lang)
        elif r.change < 0:
            note = t("compare.fell", lang)
        else:
            note = "–"
        sign = "+" if r.change > 0 else ("−" if r.change < 0 else "±")
        rows.append(html.Tr([html.Td(r.label), html.Td(fmt_number(r.count_a, lang), className="text-end"),
                             html.Td(fmt_number(r.count_b, lang), className="text-end"),
                             html.Td(f"{sign}{fmt_number(abs(r.change), lang)}", className="text-end"), html.Td(note)]))
    return html.Table([
        html.Caption(t("compare.caption", lang, a=label_a, b=label_b, n_a=fmt_number(n_a, lang), n_b=fmt_number(n_b, lang))),
        html.Thead(html.Tr([html.Th(t("table.value", lang), scope="col"),
                            html.Th(label_a, scope="col", className="text-end"),
                            html.Th(label_b, scope="col", className="text-end"),
                            html.Th(t("compare.change", lang), scope="col", className="text-end"),
                            html.Th(t("compare.note", lang), scope="col")])),
        html.Tbody(rows),
    ], className="table table-sm bg-white compare-table", id="compare-table")


def register(app) -> None:
    @app.callback(Output(ids.DOWNLOADS, "children"), Input(ids.FILTER_STORE, "data"))
    def downloads(query):
        if query is None:
            return no_update
        vocab = services.vocabulary()
        flt = ReportFilter.from_query(query, vocab)
        return download_links(flt.to_query(), flt.lang)

    @app.callback(Output(ids.READING_LIST, "children"), Output(ids.READING_COUNT, "children"),
                  Output(ids.READING_MORE, "n_clicks"), Output(ids.READING_MORE, "style"),
                  Input(ids.FILTER_STORE, "data"), Input(ids.READING_MORE, "n_clicks"))
    def reading_pane(query, more):
        from queries import reports as q

        if query is None:
            return no_update, no_update, no_update, no_update
        if ctx.triggered_id == ids.FILTER_STORE:
            more = 0
        limit = PAGE_SIZE * (1 + (more or 0))
        vocab = services.vocabulary()
        flt = ReportFilter.from_query(query, vocab)
        cur = services.database().cursor()
        frame, total = q.reading_pane(cur, flt, vocab, flt.lang, limit=limit)
        hidden = q.unpublished_count(cur, flt)
        lang = flt.lang
        count = [t("reading.count", lang, shown=fmt_number(len(frame), lang), total=fmt_number(total, lang))]
        if hidden:
            count += [" ", t("reading.unpublished", lang, n=fmt_number(hidden, lang))]
        cards = [report_card(row, vocab, lang, flt.text) for row in frame.to_dict("records")] or \
            [html.P(t("reading.none", lang))]
        style = {} if len(frame) < total else {"display": "none"}
        return cards, count, more or 0, style

    @app.callback(Output(ids.REPORT_GRID, "rowData"), Output(ids.REPORT_GRID_NOTE, "children"),
                  Input(ids.FILTER_STORE, "data"))
    def grid(query):
        from queries import reports as q

        if query is None:
            return no_update, no_update
        vocab = services.vocabulary()
        flt = ReportFilter.from_query(query, vocab)
        cur = services.database().cursor()
        total = q.count_reports(cur, flt)
        frame = q.report_table(cur, flt, vocab, flt.lang, limit=GRID_ROWS)
        note = flt.caption(vocab, total)
        if total > GRID_ROWS:
            note += " · " + t("grid.capped", flt.lang, n=fmt_number(GRID_ROWS, flt.lang))
        return grid_rows(frame, flt.lang), note

    @app.callback(Output("compare-section", "children"), Input(ids.FILTER_STORE, "data"))
    def compare_section(query):
        from ..callbacks import page_context

        if query is None:
            return no_update
        context = page_context(query)
        return compare_controls(context.flt, context.presets, context.lang)

    @app.callback(Output(ids.COMPARE_OUT, "children"),
                  Input(ids.COMPARE_A, "value"), Input(ids.COMPARE_B, "value"), Input(ids.COMPARE_DIMENSION, "value"),
                  State(ids.FILTER_STORE, "data"))
    def compare(a_key, b_key, dimension, query):
        from queries import reports as q

        from ..callbacks import page_context

        context = page_context(query)
        a, b = preset_by_key(a_key, context.presets), preset_by_key(b_key, context.presets)
        if not a or not b or dimension not in COMPARE_DIMENSIONS:
            return None
        cur = services.database().cursor()
        lang = context.lang
        fa = context.flt.with_values(date_from=a.start, date_to=a.end)
        fb = context.flt.with_values(date_from=b.start, date_to=b.end)
        return comparison_table(q.counts_by(cur, fa, dimension, context.vocab, lang),
                                q.counts_by(cur, fb, dimension, context.vocab, lang),
                                a.label(lang), b.label(lang), q.count_reports(cur, fa), q.count_reports(cur, fb), lang)
