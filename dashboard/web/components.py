"""Layout pieces the pages share. Pure functions of their arguments."""

from __future__ import annotations

import datetime as dt
import json
from html import escape

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from ..charts.style import graph_config, share_decimals
from ..core.config import LANGUAGES
from ..core.filters import ReportFilter
from ..core.formatting import fmt_date, fmt_number, fmt_share
from ..core.i18n import dropdown_labels, t, tn
from ..core.periods import ALL, CUSTOM, Preset
from ..core.vocabulary import Vocabulary
from ..views.catalogue import Rendered, Table
from ..views.registry import DASH, VIEWS
from . import ids
from .attributes import aria, data
from .links import with_lang


def navbar(path: str, query: str, lang: str) -> html.Header:
    links = [
        dbc.NavItem(
            # A plain link opened within the page (assets/links.js reads its href when clicked): a
            # filter change moves its href in the DOM (the view's carrier, assets/html-blocks.js)
            # instead of sending it as one more output for Dash to apply.
            html.A(
                t(view.label, lang),
                href=view.link(query),
                className="nav-link px-3" + (" active" if path == view.path else ""),
                id=ids.nav_link(view.path),
                **data(page_link=""),
                **aria(current="page" if path == view.path else None),
            )
            if view.served_by == DASH
            else dbc.NavLink(t(view.label, lang), href=view.link(query), external_link=True, className="px-3")
        )
        for view in VIEWS.menu()
    ]
    languages = html.Ul(
        [
            html.Li(
                html.A(
                    code.upper(),
                    href=with_lang(path + (query or ""), code),
                    lang=code,
                    id=ids.lang_link(code),
                    className="lang-link" + (" active" if code == lang else ""),
                    title=t(f"lang.{code}", code),
                    **aria(current="true" if code == lang else None),
                )
            )
            for code in LANGUAGES
        ],
        className="lang-switch list-unstyled d-flex gap-2 mb-0",
        **aria(label=t("nav.language", lang)),
    )
    return html.Header(
        dbc.Navbar(
            dbc.Container(
                [
                    html.A(t("nav.skip", lang), href="#main", className="visually-hidden-focusable skip-link"),
                    html.Div(
                        [
                            html.Span(t("app.title", lang), className="brand-name"),
                            html.Span(t("app.tagline", lang), className="brand-tagline d-none d-xl-inline"),
                        ],
                        className="navbar-brand d-flex flex-column",
                    ),
                    html.Nav(dbc.Nav(links, navbar=True), **aria(label=t("nav.main", lang))),
                    languages,
                ],
                fluid=True,
                className="gap-3",
            ),
            color="white",
            className="border-bottom app-navbar",
        )
    )


def title_text(parts: list[str], lang: str) -> str:
    """A page's document title: 'Raportit · Päijät-Häme · syksy 2024 – Tilannekuva'."""
    return " – ".join([" · ".join(p for p in parts if p), t("app.title", lang)]) if parts else t("app.title", lang)


def doc_title(view: str, parts: list[str], lang: str) -> html.Div:
    """The view's document title as a hidden element; the shell's clientside callback puts it
    in <title> (and the view's filter callback redraws it), so every view and filter has its own."""
    return html.Div(title_text(parts, lang), id=ids.doc_title(view), hidden=True)


def demo_notice(lang: str) -> html.Div:
    """A compact, dismissible notice that the data is synthetic (dismissed for
    the browser session; the captions and downloads still say so)."""
    return html.Div(
        [
            html.Strong("DEMO", className="me-2"),
            html.Span(t("demo.short", lang), className="me-2"),
            html.Details(
                [html.Summary(t("demo.more", lang)), html.P(t("demo.notice", lang), className="mb-0 mt-1")],
                className="d-inline-block demo-details",
            ),
            html.Button(
                "×",
                className="btn-close demo-close ms-auto",
                title=t("demo.dismiss", lang),
                **aria(label=t("demo.dismiss", lang)),
                **data(dismiss="demo"),
            ),
        ],
        className="demo-notice d-flex align-items-start gap-1",
        id=ids.DEMO_NOTICE,
        role="note",
    )


def error_box(message: str) -> dbc.Alert:
    return dbc.Alert(message, color="danger", className="mt-3")


def warnings_box(problems, lang: str):
    if not problems:
        return None
    return dbc.Alert(
        [
            html.Strong(t("warning.heading", lang)),
            html.Ul([html.Li(p.message(lang)) for p in problems], className="mb-0"),
        ],
        color="warning",
        className="py-2",
    )


def warnings_html(problems, lang: str) -> str:
    """:func:`warnings_box` as HTML (for :func:`html_block`)."""
    if not problems:
        return ""
    items = "".join(f"<li>{escaped(p.message(lang))}</li>" for p in problems)
    return (
        f'<div class="alert alert-warning py-2" role="alert"><strong>{escaped(t("warning.heading", lang))}</strong>'
        f'<ul class="mb-0">{items}</ul></div>'
    )


def period_options(presets: list[Preset], lang: str) -> list[dict]:
    return (
        [{"label": t("period.all", lang), "value": ALL}]
        + [{"label": p.label(lang), "value": p.key} for p in presets]
        + [{"label": t("period.custom", lang), "value": CUSTOM}]
    )


def dom_id(component_id: dict | str) -> str:
    """The DOM id Dash gives a pattern-matching id (for <label for=...>)."""
    if isinstance(component_id, str):
        return component_id
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


def labelled(control_id: dict | str, label: str, control, class_name: str = "mb-3") -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=dom_id(control_id), className="form-label fw-semibold mb-1"),
            control,
        ],
        className=class_name,
    )


def multi_dropdown(
    name: str, label: str, options: list[dict], value: tuple[str, ...], lang: str, class_name: str = "mb-3"
) -> html.Div:
    return labelled(
        ids.filter_control(name),
        label,
        dcc.Dropdown(
            id=ids.filter_control(name),
            options=options,
            value=list(value),
            multi=True,
            placeholder=t("filter.all", lang),
            clearable=True,
            searchable=True,
            labels=dropdown_labels(lang),
        ),
        class_name,
    )


def area_options(vocab: Vocabulary, counties: tuple[str, ...], lang: str, keep: tuple[str, ...] = ()) -> list[dict]:
    """'Whole county' and the municipalities of the chosen counties (all when
    none), then 'national'; plus the areas in ``keep`` (already chosen), so the
    dropdown never drops a chosen value."""
    parent = vocab.labels.get("municipality_county", {})
    municipalities = [c for c in vocab.codes("area") if c in parent and (not counties or parent[c][0] in counties)]
    wholes = [c for c in vocab.codes("county") if not counties or c in counties]
    codes = wholes + municipalities + ["national"]
    return vocab.options("area", lang, [c for c in keep if c not in codes] + codes)


def period_dropdown(
    flt: ReportFilter, presets: list[Preset], preset_value: str, lang: str, class_name: str = "mb-3"
) -> html.Div:
    return labelled(
        ids.filter_control("period"),
        t("filter.period", lang),
        dcc.Dropdown(
            id=ids.filter_control("period"),
            options=period_options(presets, lang),
            value=preset_value,
            clearable=False,
            searchable=False,
            labels=dropdown_labels(lang),
        ),
        class_name,
    )


def date_range(flt: ReportFilter, lang: str) -> html.Fieldset:
    """The free date range as text fields that take the Finnish '1.9.2024' (or ISO '2024-09-01')
    whatever the browser's locale. What the user types stays in the field; a complete, valid
    date applies at once, Enter or leaving the field applies what is there (an empty field: no
    limit), and anything else gets a message under the field (``assets/dates.js``). The hidden
    input holds the applied date (ISO), which the filter callback reads and sets."""

    def date_input(name: str, label: str, value: dt.date | None):
        return html.Div(
            [
                html.Label(label, htmlFor=ids.DATE_TEXT[name], className="small"),
                dcc.Input(
                    id=ids.DATE_TEXT[name],
                    type="text",
                    value=fmt_date(value, "fi") if value else "",
                    debounce=False,
                    autoComplete="off",
                    spellCheck=False,
                    placeholder=t("filter.date_placeholder", lang),
                    maxLength=20,
                    className="form-control date-text",
                ),
                dcc.Input(id=ids.filter_input(name), type="hidden", value=value.isoformat() if value else ""),
                html.Div(
                    id=ids.DATE_ERROR[name],
                    className="date-error small",
                    role="alert",
                    **data(message=t("filter.date_invalid", lang)),
                ),
            ],
            className="date-field",
        )

    return html.Fieldset(
        [
            html.Legend(t("filter.dates", lang), className="form-label fw-semibold fs-6 mb-1"),
            html.Div(
                [
                    date_input("from", t("filter.from", lang), flt.date_from),
                    date_input("to", t("filter.to", lang), flt.date_to),
                ],
                className="d-flex gap-2",
            ),
            html.Div(t("filter.date_hint", lang), id=ids.DATE_HINT, className="form-text"),
        ],
        className="mb-3",
    )


def search_box(flt: ReportFilter, lang: str) -> html.Div:
    return html.Div(
        [
            html.Label(
                t("filter.search", lang), htmlFor=dom_id(ids.filter_input("q")), className="form-label fw-semibold mb-1"
            ),
            dcc.Input(
                id=ids.filter_input("q"),
                type="search",
                debounce=True,
                value=flt.text,
                className="form-control",
                placeholder=t("reading.placeholder", lang),
                maxLength=200,
            ),
            html.Div(t("filter.search_help", lang), className="form-text"),
        ],
        className="mb-3",
    )


def voice_switch(flt: ReportFilter, lang: str) -> html.Div:
    return html.Div(
        dbc.Switch(id=ids.filter_input("voice"), label=t("filter.voice", lang), value=flt.client_voice),
        className="mb-3",
    )


# The filter fields a chip can show (the view has no control of its own for them), with their labels.
CHIP_LABELS = {
    "county": "filter.county",
    "municipality": "filter.municipality",
    "target_group": "filter.target_group",
    "theme": "filter.theme",
    "observation_type": "filter.type",
    "service_unit": "filter.unit",
    "followup_status": "filter.status",
}
CHIP_DIMENSIONS = {
    "county": "county",
    "municipality": "area",
    "target_group": "target_group",
    "theme": "theme",
    "observation_type": "observation_type",
    "service_unit": "service_unit",
    "followup_status": "followup_status",
}


def filter_chips(flt: ReportFilter, vocab: Vocabulary, fields: tuple[str, ...], lang: str) -> html.Div:
    """What filters the view that its own controls do not show (a bar clicked on the overview,
    a shared link), each as a button that removes it: nothing narrows a view unseen."""
    chips = []

    def chip(name: str, label: str) -> html.Button:
        return html.Button(
            [html.Span(label), html.Span("×", className="filter-chip-x", **aria(hidden=True))],
            id=ids.action(name),
            type="button",
            n_clicks=0,
            className="filter-chip",
            title=t("filter.remove", lang, what=label),
            **aria(label=t("filter.remove", lang, what=label)),
            **data(chip="1"),
        )

    for field in fields:
        for code in getattr(flt, field):
            label = f"{t(CHIP_LABELS[field], lang)}: {vocab.label(CHIP_DIMENSIONS[field], code, lang)}"
            chips.append(chip(f"drop:{field}:{code}", label))
    if flt.text:
        chips.append(chip("drop:q:", f"{t('filter.search_chip', lang)}: ”{flt.text}”"))
    if flt.client_voice:
        chips.append(chip("drop:voice:", t("filter.voice", lang)))
    if not chips:
        return html.Div(id=ids.CHIPS)
    return html.Div(
        [html.Span(t("filter.chips", lang), className="filter-chips-label", id=ids.CHIPS_LABEL), *chips],
        id=ids.CHIPS,
        className="filter-chips",
        role="group",
        **aria(labelledby=ids.CHIPS_LABEL),
    )


def kpi_html(items: list[tuple[str, str, int, str | None]], lang: str) -> str:
    """The key figures as one compact row (HTML, for :func:`html_block`): reports, then each
    observation type with its share."""
    cells = []
    for key, label, value, share in items:
        number = fmt_number(value, lang)
        name = f"{label}: {number}" + (f" ({share})" if share else "")
        cells.append(
            f'<div class="kpi-card kpi-{escaped(key)}" role="group" aria-label="{escaped(name)}">'
            f'<div class="kpi-value">{escaped(number)}</div>'
            f'<div class="kpi-label" aria-hidden="true">{escaped(tn(f"kpi.short.{key}", value, lang))}</div>'
            f'<div class="kpi-share" aria-hidden="true">{escaped(share or "")}</div></div>'
        )
    return f'<div class="kpi-row">{"".join(cells)}</div>'


def cell_text(value, kind: str, lang: str, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if kind == "int":
        return fmt_number(int(value), lang)
    if kind == "share":
        return fmt_share(float(value), lang, share_decimals())  # the county's rule for tables
    if kind == "number":
        return fmt_number(float(value), lang, decimals)
    return str(value)


def escaped(text: str) -> str:
    """Text for :func:`html_block`: HTML-escaped, and braces and line breaks as character
    references (dcc.Markdown reads the HTML as JSX, and a blank line would end the HTML block)."""
    return (
        escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;").replace("\r", "").replace("\n", "&#10;")
    )


def html_block(markup: str, class_name: str | None, component=html.Div, **props):
    """Ready HTML (every text in it through :func:`escaped`) as one element: ``assets/html-blocks.js``
    makes its ``data-html`` its content. A table of a hundred cells or twenty report cards cost the
    browser one ``innerHTML`` on a filter change, not a React element per cell (neither Dash
    components nor dcc.Markdown's parse of the same HTML). A callback redraws a block by setting its
    ``data-html`` (see :data:`HTML`)."""
    return component(className=class_name, **props, **{HTML: markup})


HTML = "data-html"  # the prop of an html_block that holds its markup
PARTS = "data-parts"  # the prop of a view's html_parts carrier: JSON {DOM id: markup} (a callback's output)


def html_parts(view: str) -> html.Div:
    """A report view's carrier of ready HTML: a filter change sets its one prop (:data:`PARTS`) with
    the markup of every block it redraws, and ``assets/html-blocks.js`` puts each in its block. One
    prop of one element for Dash to apply, not one per block."""
    return html.Div(id=ids.html_parts(view), hidden=True)


HREFS = "@href"  # in :data:`PARTS`' value: {DOM id: href} of links that stay on the page
TITLE = "@title"  # in :data:`PARTS`' value: the document's title


def parts_json(
    parts: list[tuple[dict | str, str]], hrefs: dict[str, str] | None = None, title: str | None = None
) -> str:
    """:data:`PARTS`' value: (component id, markup) pairs as a JSON object keyed by each block's DOM
    id; with ``hrefs`` the new href of links drawn once (by DOM id, under :data:`HREFS`), with
    ``title`` the document's title (:data:`TITLE`). ``assets/html-blocks.js`` applies it."""
    out: dict[str, object] = {dom_id(k): v for k, v in parts}
    if hrefs:
        out[HREFS] = hrefs
    if title is not None:
        out[TITLE] = title
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def data_table(table: Table, heading: str, lang: str) -> str:
    """A chart's data as a real ``<table>`` with its caption (HTML, for :func:`html_block`)."""
    end = ' class="text-end"'
    head = "".join(f'<th scope="col"{end if c.kind != "text" else ""}>{escaped(c.header)}</th>' for c in table.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{end if c.kind != 'text' else ''}>{escaped(cell_text(v, c.kind, lang, c.decimals))}</td>"
            for v, c in zip(row, table.columns)
        )
        + "</tr>"
        for row in table.rows
    )
    return (
        f'<div class="chart-table"><table class="table table-sm mb-0"><caption>{escaped(heading)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def chart_summary(rendered: Rendered, lang: str, clickable: bool = False, click_note: str = "chart.click_note") -> str:
    """The text alternative of a chart (HTML, for :func:`html_block`): one sentence and the full
    table in a <details> a keyboard opens (and, where bars filter the view, how to do the same
    from the keyboard)."""
    if rendered.empty:
        return f'<p class="small mb-0">{escaped(rendered.alt_text)}</p>'
    notes = [rendered.note] if rendered.note else []
    if clickable:
        notes.append(t(click_note, lang))
    sentence = " ".join([rendered.alt_text, *notes])
    return (
        f'<p class="small mb-1">{escaped(sentence)}</p>'
        f'<details class="small"><summary>{escaped(t("chart.as_table", lang))}</summary>'
        f"{data_table(rendered.table, f'{rendered.title} · {rendered.caption}', lang)}</details>"
    )


def summary_caption(rendered: Rendered, lang: str, component_id=None, **summary) -> html.Figcaption:
    """A chart's <figcaption>: its :func:`chart_summary` as one HTML block (a filter change sets
    its ``data-html``)."""
    props = {"id": component_id} if component_id is not None else {}
    return html_block(chart_summary(rendered, lang, **summary), "chart-summary", html.Figcaption, **props)


def graph_figure(rendered: Rendered) -> dict:
    """The figure a chart on the page draws: the chart's, carrying the file name of its PNG (named
    after its own title and caption) in ``layout.meta``. A filter change sends only the figure, and
    ``assets/fit-labels.js`` puts the name into the drawn chart's config (the config is never an
    output: one output per chart fewer for Dash to apply)."""
    figure = rendered.figure
    return {**figure, "layout": {**figure["layout"], "meta": {"filename": rendered.filename}}}


def graph(component_id, rendered: Rendered, lang: str, class_name: str = "chart") -> dcc.Graph:
    return dcc.Graph(
        id=component_id,
        figure=graph_figure(rendered),
        # A plain dict for Dash's Config TypedDict: charts/ builds it and imports no Dash.
        config=graph_config(rendered.filename, lang),  # type: ignore[arg-type]
        className=class_name,
        responsive=True,
        style={"height": f"{rendered.figure['layout'].get('height', 380)}px"},
    )


def chart_card(
    name: str, rendered: Rendered, lang: str, clickable: bool = False, click_note: str = "chart.click_note"
) -> dbc.Card:
    """A report chart with its text alternative, drawn from its catalogue entry."""
    return dbc.Card(
        dbc.CardBody(
            [
                html.Figure(
                    [
                        graph(ids.chart(name), rendered, lang),
                        summary_caption(
                            rendered, lang, ids.chart_summary(name), clickable=clickable, click_note=click_note
                        ),
                    ],
                    className="mb-0",
                ),
            ]
        ),
        className="mb-3 chart-card",
    )


def download_items(view: str, query: str, component_id: str = ids.DOWNLOADS) -> list[tuple[str, str, str]]:
    """(DOM id, label key, href) of the view's downloads (from the registry) and its deck, each with
    the view's query string."""
    items = [(d.path, d.label) for d in VIEWS[view].downloads]
    deck = VIEWS.deck_path(view)
    if deck:
        items.append((deck, "download.deck"))
    return [(f"{component_id}-{i}", key, path + (query or "")) for i, (path, key) in enumerate(items)]


def action_hrefs(view: str, query: str) -> dict[str, str]:
    """DOM id -> href of the view's Present link and download menu items (:func:`present_link`,
    :func:`download_menu`): what a filter change moves (the links, drawn once, stay)."""
    path = VIEWS.present_path(view)
    present = {ids.PRESENT: path + (query or "")} if path is not None else {}
    return present | {dom: href for dom, _, href in download_items(view, query)}


def download_menu(view: str, query: str, lang: str, component_id: str = ids.DOWNLOADS):
    """The view's downloads (from the registry) and its deck as one menu, each with the view's query string."""
    return dbc.DropdownMenu(
        [
            dbc.DropdownMenuItem(t(key, lang), href=href, external_link=True, id=dom)
            for dom, key, href in download_items(view, query, component_id)
        ],
        label=t("download.heading", lang),
        color="outline-primary",
        size="sm",
        id=component_id,
        class_name="download-menu",
        align_end=True,
    )


def present_link(view: str, query: str, lang: str) -> html.A | None:
    """The view's Present button (none for a view without slides)."""
    path = VIEWS.present_path(view)
    if path is None:
        return None
    return html.A(
        [html.Span("▶ ", **aria(hidden=True)), t("present.button", lang)],
        href=path + (query or ""),
        className="btn btn-primary btn-sm present-link",
        id=ids.PRESENT,
    )


def date_text(value: dt.date | pd.Timestamp | None, lang: str) -> str:
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return fmt_date(value, lang)
