"""The reports view's reading pane, period comparison and report table. Pure
layout: the data comes in as frames from the view's context."""

from __future__ import annotations

import json
from typing import NamedTuple

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from queries import reports as q

from ...core.formatting import fmt_number
from ...core.i18n import dropdown_labels, t, tn
from ...core.periods import Preset, preset_by_key, preset_key
from ...core.search import marked, marked_id
from ...views.reports import ReportContext
from .. import components as c
from .. import ids
from ..attributes import aria, data
from .analysis import evidence_banner

PAGE_SIZE = 20
COMPARE_DIMENSIONS = ("theme", "target_group", "area", "service_unit", "observation_type")
GRID_PAGE = 20
# The report table's columns: (field, header key, width); the downloads add the free texts.
GRID_COLUMNS = [
    ("report_id", "col.report_id", 130),
    ("date", "col.submitted_on", 110),
    ("county", "col.county", 130),
    ("service_unit", "col.service_unit", 200),
    ("areas", "col.areas", 180),
    ("target_groups", "col.target_groups", 200),
    ("themes", "col.themes", 260),
    ("observation_type", "col.observation_type", 130),
    ("followup_status", "col.followup_status", 170),
    ("observation", "col.observation", 420),
]


def highlight(text: str | None, term: str, pieces=marked) -> str:
    """Text (as escaped HTML) with the words the search matched (in any of their forms) in <mark>."""
    if not text:
        return ""
    if not term:
        return c.escaped(text)
    return "".join(f"<mark>{c.escaped(piece)}</mark>" if hit else c.escaped(piece) for piece, hit in pieces(text, term))


def report_card(row: dict, ctx: ReportContext) -> str:
    """One report as an ``<article>`` (HTML: the list is one component, see :func:`reading_pane`)."""
    vocab, lang, term = ctx.vocab, ctx.lang, ctx.flt.text
    e = c.escaped

    def labels(dimension: str, codes) -> str:
        return ", ".join(vocab.label(dimension, code, lang) for code in (codes if codes is not None else []))

    otype = row["observation_type"]
    followup = [
        x
        for x in (row.get("handled_in"), row.get("forwarded_to"), row.get("followup_action"))
        if isinstance(x, str) and x
    ]
    status = vocab.label("followup_status", row["followup_status"], lang)
    star = (
        f'<span class="highlight-badge">{e(" ★ " + t("reading.highlight", lang))}</span>'
        if row.get("highlight")
        else ""
    )
    meta = (
        f"{c.date_text(row['submitted_on'], lang)} · {vocab.label('county', row['county_code'], lang)} · "
        f"{vocab.label('service_unit', row['service_unit'], lang)} · {labels('area', row['areas'])}"
    )
    body = [
        f'<h3><span class="type-badge type-{e(otype)} me-2">{e(vocab.label("observation_type", otype, lang))}</span>'
        f"{highlight(row['report_id'], term, marked_id)}{star}</h3>",
        f'<div class="meta">{e(meta)}</div>',
        f'<div class="meta mb-2">{e(labels("target_group", row["target_groups"]) + " · " + labels("theme", row["themes"]))}'
        "</div>",
        f"<p><strong>{e(t('reading.observation', lang) + ': ')}</strong>{highlight(row['observation'], term)}</p>",
    ]
    if isinstance(row.get("client_voice"), str) and row["client_voice"]:
        body.append(
            f'<blockquote><span class="visually-hidden">{e(t("reading.voice", lang) + ": ")}</span>”'
            f"{highlight(row['client_voice'], term)}”</blockquote>"
        )
    if isinstance(row.get("proposal"), str) and row["proposal"]:
        body.append(
            f"<p><strong>{e(t('reading.proposal', lang) + ': ')}</strong>{highlight(row['proposal'], term)}</p>"
        )
    body.append(
        f'<p class="small mb-0"><strong>{e(t("reading.followup", lang) + ": ")}</strong>'
        f"{e(status + (': ' + ' → '.join(followup) if followup else ''))}</p>"
    )
    return '<article class="report-card">' + "".join(body) + "</article>"


def reading_pane(ctx: ReportContext, more: int = 0) -> tuple[str, str]:
    """(cards, count sentence) as HTML."""
    lang = ctx.lang
    limit = PAGE_SIZE * (1 + more)
    records, total = ctx.reading_records(limit)
    hidden = ctx.summary.unpublished
    count = tn("reading.count", total, lang, shown=fmt_number(len(records), lang))
    if hidden:
        count += " " + tn("reading.unpublished", hidden, lang)
    cards = (
        f'<div class="reading-cards">{"".join(report_card(row, ctx) for row in records)}</div>'
        if records
        else f"<p>{c.escaped(t('reading.none', lang))}</p>"
    )
    return cards, c.escaped(count)


def more_style(ctx: ReportContext, more: int = 0) -> dict:
    """The 'show more' button shows while reports are left to show."""
    records, total = ctx.reading_records(PAGE_SIZE * (1 + more))
    return {} if len(records) < total else {"display": "none"}


def reading_part(ctx: ReportContext, more: int = 0) -> str:
    """The count sentence and the cards (the part a filter change or 'show more' redraws), as
    one HTML string (components.html_block): one element for the answer to set, not a dozen
    per card for React to rebuild."""
    cards, count = reading_pane(ctx, more)
    return (
        evidence_banner(ctx, ctx.reading_records(PAGE_SIZE)[1])
        + f'<p id="{ids.READING_COUNT}" class="small" aria-live="polite">{count}</p>'
        + f'<div id="{ids.READING_LIST}">{cards}</div>'
    )


def reading_section(ctx: ReportContext) -> html.Section:
    lang = ctx.lang
    style = more_style(ctx)
    return html.Section(
        [
            html.H2(t("reading.heading", lang), className="h4", id=ids.READING_HEADING),
            c.html_block(reading_part(ctx), "", id=ids.html_part("reading")),
            dbc.Button(
                t("reading.more", lang), id=ids.more("reading"), n_clicks=0, color="primary", outline=True, style=style
            ),
        ],
        className="reading-pane mt-4",
        **aria(labelledby=ids.READING_HEADING),
    )


# ---- the period comparison -----------------------------------------------------------


def default_periods(flt, available: list[Preset]) -> tuple[str | None, str | None]:
    """The view's period (or the newest) and the same kind of period a year before."""
    current = preset_key(flt.date_from, flt.date_to, available)
    keys = [p.key for p in available]
    b = current if current in keys else (keys[0] if keys else None)
    a = None
    if b:
        kind, year = b.split("-")
        before = f"{kind}-{int(year) - 1}"
        a = before if before in keys else keys[min(len(keys) - 1, keys.index(b) + 4)]
    return a, b


def compare_periods(ctx: ReportContext) -> tuple[tuple, ...]:
    """(from, to) of the comparison's default periods (what a filter change shows)."""
    found = [preset_by_key(key, ctx.presets) for key in default_periods(ctx.flt, ctx.presets)]
    return tuple((p.start, p.end) for p in found if p)


def comparison(ctx: ReportContext, a_key: str | None, b_key: str | None, dimension: str) -> str:
    """The comparison of two periods by one dimension (HTML: a table; empty for periods not known)."""
    a, b = preset_by_key(a_key, ctx.presets), preset_by_key(b_key, ctx.presets)
    if not a or not b or dimension not in COMPARE_DIMENSIONS:
        return ""
    ca = ctx.with_filter(ctx.flt.with_values(date_from=a.start, date_to=a.end))
    cb = ctx.with_filter(ctx.flt.with_values(date_from=b.start, date_to=b.end))
    (n_a, counts_a), (n_b, counts_b) = ca.dimension_counts(dimension), cb.dimension_counts(dimension)
    return comparison_table(counts_a, counts_b, a.label(ctx.lang), b.label(ctx.lang), n_a, n_b, ctx.lang)


COMPARE_DEFAULT_DIMENSION = "theme"


def compare_defaults(ctx: ReportContext) -> tuple[str | None, str | None, str]:
    """The comparison's menus as a filter change sets them: its default periods, the themes."""
    return (*default_periods(ctx.flt, ctx.presets), COMPARE_DEFAULT_DIMENSION)


def compare_table_part(ctx: ReportContext) -> str:
    """The comparison's table for the menus' defaults (HTML, for the view's carrier)."""
    return comparison(ctx, *compare_defaults(ctx))


def compare_controls(ctx: ReportContext) -> list:
    lang = ctx.lang
    a, b, dimension = compare_defaults(ctx)
    options = [{"label": p.label(lang), "value": p.key} for p in ctx.presets]
    dims = [{"label": t(f"compare.dim.{d}", lang), "value": d} for d in COMPARE_DIMENSIONS]

    def dropdown(component_id, label, opts, value):
        return c.labelled(
            component_id,
            label,
            dcc.Dropdown(id=component_id, options=opts, value=value, clearable=False, labels=dropdown_labels(lang)),
        )

    return [
        html.H2(t("compare.heading", lang), className="h4", id=ids.COMPARE_HEADING),
        html.P(t("compare.lead", lang), className="small text-body-secondary"),
        dbc.Row(
            [
                dbc.Col(dropdown(ids.COMPARE_A, t("compare.a", lang), options, a), md=4),
                dbc.Col(dropdown(ids.COMPARE_B, t("compare.b", lang), options, b), md=4),
                dbc.Col(dropdown(ids.COMPARE_DIMENSION, t("compare.dimension", lang), dims, dimension), md=4),
            ]
        ),
        # Ready HTML: a filter change (for the defaults) and the menus' own callback (for what they
        # show) set its markup through the view's carrier.
        c.html_block(comparison(ctx, a, b, dimension), "compare-block", id=ids.html_part("compare-table")),
    ]


class Compared(NamedTuple):
    label: str
    count_a: int
    count_b: int
    change: int


def comparison_table(a: pd.DataFrame, b: pd.DataFrame, label_a: str, label_b: str, n_a: int, n_b: int, lang: str):
    # Both periods' counts by code (a few dozen rows: plain Python, not a pandas merge). Codes in
    # their sorted order, then the largest growth first (ties: the larger count now; a stable sort).
    before = dict(zip(a["code"].tolist(), zip(a["label"].tolist(), a["count"].tolist())))
    now = dict(zip(b["code"].tolist(), zip(b["label"].tolist(), b["count"].tolist())))
    merged = []
    for code in sorted(before.keys() | now.keys()):
        count_a, count_b = int(before.get(code, ("", 0))[1]), int(now.get(code, ("", 0))[1])
        label = now[code][0] if code in now else before[code][0]
        merged.append(Compared(label, count_a, count_b, count_b - count_a))
    merged.sort(key=lambda r: (-r.change, -r.count_b))
    e = c.escaped
    rows = []
    for r in merged:
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
        cells = (
            f"<td>{e(r.label)}</td>"
            f'<td class="text-end">{e(fmt_number(r.count_a, lang))}</td>'
            f'<td class="text-end">{e(fmt_number(r.count_b, lang))}</td>'
            f'<td class="text-end">{e(sign + fmt_number(abs(r.change), lang))}</td>'
            f"<td>{e(note)}</td>"
        )
        rows.append(f"<tr>{cells}</tr>")
    caption = t(
        "compare.caption",
        lang,
        a=label_a,
        b=label_b,
        reports_a=tn("caption.reports", n_a, lang),
        reports_b=tn("caption.reports", n_b, lang),
    )
    head = (
        f'<th scope="col">{e(t("table.value", lang))}</th>'
        f'<th scope="col" class="text-end">{e(label_a)}</th>'
        f'<th scope="col" class="text-end">{e(label_b)}</th>'
        f'<th scope="col" class="text-end">{e(t("compare.change", lang))}</th>'
        f'<th scope="col">{e(t("compare.note", lang))}</th>'
    )
    # One HTML string (see components.html_block).
    return (
        f'<table class="table table-sm bg-white compare-table" id="{ids.COMPARE_TABLE}"><caption>{e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


# ---- the report table ------------------------------------------------------------------


def grid_locale(lang: str) -> dict:
    return {
        key: t(f"grid.{key}", lang)
        for key in (
            "page",
            "of",
            "to",
            "more",
            "firstPage",
            "lastPage",
            "nextPage",
            "previousPage",
            "noRowsToShow",
            "pageSizeSelectorLabel",
            "loadingOoo",
        )
    }


def report_grid(ctx: ReportContext):
    """The report table, paged on the server: only the visible rows travel. Rows are of one
    height (the infinite row model cannot size rows to their text): a long text shows its first
    two lines, and the chosen row's whole report is read in the panel below (``detail_panel``)."""
    lang = ctx.lang
    return dag.AgGrid(
        id=ids.GRID,
        columnDefs=[
            # Not shown: the filter the rows answer (see grid_filter_model); a filter change
            # sets it, so the one grid keeps its place and asks for its rows again.
            {"field": GRID_FILTER, "hide": True, "filter": "agTextColumnFilter", "lockVisible": True},
            *(
                {
                    "field": field,
                    "headerName": t(key, lang),
                    "width": width,
                    "sortable": field in q.TABLE_SORTS,
                    **(
                        {"wrapText": True, "cellClass": "grid-wrap"}
                        if field in ("observation", "areas", "target_groups", "themes", "service_unit")
                        else {}
                    ),
                }
                for field, key, width in GRID_COLUMNS
            ),
        ],
        # Enter on a row chooses it, as a click does (assets/grid.js); the arrow keys move between rows.
        eventListeners={"cellKeyDown": ["tkChooseRow(params)"]},
        defaultColDef={"resizable": True, "wrapHeaderText": True, "autoHeaderHeight": True},
        rowModelType="infinite",
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": GRID_PAGE,
            "cacheBlockSize": GRID_PAGE,
            "paginationPageSizeSelector": False,
            "maxBlocksInCache": 10,
            "localeText": grid_locale(lang),
            "ensureDomOrder": True,
            "suppressColumnVirtualisation": True,
            "rowHeight": 56,
            "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
        },
        style={"height": "620px"},
        className="ag-theme-alpine",
    )


GRID_FILTER = "view"  # the hidden column whose filter model carries the filter's query string


def grid_filter_model(ctx: ReportContext) -> dict:
    """The report table's filter model for ``ctx``: set by a filter change, it makes the
    grid ask for its first page again (with the model in the request)."""
    return {GRID_FILTER: {"filterType": "text", "type": "equals", "filter": "?" + ctx.flt.to_query().lstrip("?")}}


def grid_filter_query(model: object) -> str | None:
    """The query string a grid's request carries in its filter model, or None."""
    entry = model.get(GRID_FILTER) if isinstance(model, dict) else None
    value = entry.get("filter") if isinstance(entry, dict) else None
    return value if isinstance(value, str) else None


def grid_rows(frame: pd.DataFrame, lang: str) -> list[dict]:
    return [
        {
            "report_id": r["report_id"],
            "date": c.date_text(r["submitted_on"], lang),
            "county": r["county"],
            "service_unit": r["service_unit"],
            "areas": r["areas"],
            "target_groups": r["target_groups"] or "",
            "themes": r["themes"] or "",
            "observation_type": r["observation_type"],
            "followup_status": r["followup_status"],
            "observation": r["observation"] if isinstance(r["observation"], str) else t("grid.hidden", lang),
            # Not columns: the chosen row's panel shows them (None for a report that is not publishable).
            **{field: _text(r.get(field)) for field in DETAIL_FIELDS},
        }
        for r in frame.to_dict("records")
    ]


DETAIL_FIELDS = ("client_voice", "proposal", "handled_in", "forwarded_to", "followup_action")


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def detail_panel(lang: str) -> html.Section:
    """The whole report of the row chosen in the table (drawn in the browser from the row,
    ``assets/grid.js``); until then, how to choose one."""
    labels = {
        "observation": t("reading.observation", lang),
        "voice": t("reading.voice", lang),
        "proposal": t("reading.proposal", lang),
        "followup": t("reading.followup", lang),
        "help": t("grid.detail_help", lang),
    }
    return html.Section(
        [
            html.H3(t("grid.detail_heading", lang), className="h5", id=ids.GRID_DETAIL_HEADING),
            html.Div(
                html.P(labels["help"], className="small mb-0"),
                id=ids.GRID_DETAIL,
                className="report-card grid-detail",
                **aria(live="polite"),
                **data(labels=json.dumps(labels, ensure_ascii=False)),
            ),
        ],
        className="mt-3",
        **aria(labelledby=ids.GRID_DETAIL_HEADING),
    )


def grid_part(ctx: ReportContext) -> str:
    """What a filter change redraws of the report table's section: its caption (the grid
    stays; its rows follow its filter model, and the chosen row's panel empties)."""
    return f'<p id="{ids.GRID_NOTE}" class="small text-body-secondary">{c.escaped(ctx.caption())}</p>'


def grid_detail_part(ctx: ReportContext) -> html.Section:
    return detail_panel(ctx.lang)


def grid_section(ctx: ReportContext) -> html.Section:
    lang = ctx.lang
    return html.Section(
        [
            html.H2(t("grid.heading", lang), className="h4", id=ids.GRID_HEADING),
            c.html_block(grid_part(ctx), "", id=ids.html_part("grid")),
            html.P(t("grid.detail_note", lang), className="small"),
            html.Div(report_grid(ctx), id=ids.GRID_SECTION),
            html.Div(grid_detail_part(ctx), id=ids.part("grid-detail")),
        ],
        className="mt-4",
        **aria(labelledby=ids.GRID_HEADING),
    )
