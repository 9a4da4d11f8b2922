"""The report views' callbacks (overview, reports, phenomena).

One callback handles a filter change in any of them: it reads the controls,
moves the view's URL, and redraws the view's parts and charts from one
:class:`ReportContext`, so each aggregate is computed once. Its inputs and
outputs are pattern-matched, so on a page without them nothing fires.
"""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from queries.access import DatabaseMissing

from ...core.filters import LIST_PARAMS
from ...core.i18n import t
from ...core.periods import preset_key
from ...views.catalogue import PAGE
from ...views.registry import VIEWS
from ...views.reports import ReportContext
from .. import components as c
from .. import ids
from ..layouts import phenomena, reports
from ..layouts.reading import (
    COMPARE_DIMENSIONS,
    GRID_PAGE,
    compare_defaults,
    compare_periods,
    comparison,
    grid_filter_model,
    grid_filter_query,
    grid_rows,
    more_style,
    reading_part,
)
from . import filters

PARTS = {**reports.PARTS, **phenomena.PARTS}
HTML_PARTS = {**reports.HTML_PARTS, **phenomena.HTML_PARTS}
ACTION_PARTS = {**reports.ACTION_PARTS, **phenomena.ACTION_PARTS}


def next_context(search, values, input_values, clicks, control_ids, input_ids, chart_ids, catalogue):
    """(context, whether the URL is to move): the URL is the state; controls
    and chart clicks change the URL, the URL (a shared link, the back button)
    sets the controls."""
    context = ReportContext.from_query(search)
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or trigger.get("type") == "view-url":
        return context, False
    flt, vocab = context.flt, context.vocab
    kind, name = trigger.get("type"), trigger.get("name")
    if kind == "filter-action" and name == "clear":
        # As the menu does: the county and the period stay, every other filter goes.
        new = type(flt)(lang=flt.lang, county=flt.county, date_from=flt.date_from, date_to=flt.date_to)
    elif kind == "filter-action" and isinstance(name, str) and name.startswith("drop:"):
        new = filters.dropped(flt, name)
    elif kind == "chart":
        click = next((cl for cid, cl in zip(chart_ids or [], clicks or []) if cid.get("name") == name), None)
        field = catalogue[name].click if catalogue is not None and name in catalogue else None
        new = filters.clicked(flt, vocab, field, click)
    else:
        controls = {cid["name"]: v for cid, v in zip(control_ids or [], values or [])}
        inputs = {iid["name"]: v for iid, v in zip(input_ids or [], input_values or [])}
        new = filters.from_controls(flt, vocab, context.presets, name, controls, inputs)
    # A control that says what the URL says changes nothing (the URL keeps the
    # original link, with its warnings).
    if new == flt:
        return context, False
    # Exploring again leaves the reports behind one bullet of the analysis.
    return context.with_filter(new.with_values(evidence="")), True


def same(value, sent) -> bool:
    """A control's value as the page has it already ('' and None both say: empty)."""
    return value == sent or (value in ("", None) and sent in ("", None))


def control_values(context: ReportContext, control_ids, input_ids) -> tuple[list, list, list]:
    flt, vocab = context.flt, context.vocab
    values: list[object] = []  # a control's value, or no_update
    options: list[object] = []  # a control's options, or no_update
    for cid in control_ids or []:
        field = cid["name"]
        if field not in LIST_PARAMS and field != "period":  # no such control (a request the page never sends)
            values.append(no_update)
            options.append(no_update)
        elif field == "period":
            values.append(preset_key(flt.date_from, flt.date_to, context.presets))
            options.append(no_update)
        else:
            values.append(list(getattr(flt, field)))
            options.append(
                c.area_options(vocab, flt.county, flt.lang, keep=flt.municipality)
                if field == "municipality"
                else no_update
            )
    inputs: list[object] = []
    for iid in input_ids or []:
        field = iid["name"]
        if field in ("from", "to"):
            day = flt.date_from if field == "from" else flt.date_to
            inputs.append(day.isoformat() if day else None)
        elif field == "voice":
            inputs.append(flt.client_voice)
        elif field == "q":
            inputs.append(flt.text)
        else:
            inputs.append(no_update)
    return values, options, inputs


def register(app) -> None:
    for name in ("from", "to"):  # the free date range's text fields (assets/dates.js)
        app.clientside_callback(
            ClientsideFunction("dates", "enter"),
            Output(ids.DATE_TEXT[name], "value"),
            Output(ids.filter_input(name), "value", allow_duplicate=True),
            Output(ids.DATE_ERROR[name], "children"),
            Input(ids.DATE_TEXT[name], "value"),
            Input(ids.DATE_TEXT[name], "n_blur"),
            Input(ids.DATE_TEXT[name], "n_submit"),
            Input(ids.filter_input(name), "value"),
            State(ids.DATE_ERROR[name], "data-message"),
            State(ids.DATE_TEXT[name], "id"),
            State(ids.DATE_ERROR[name], "id"),
            prevent_initial_call=True,
        )

    @app.callback(
        Output(ids.VIEW_URL_ALL, "search"),
        Output(ids.FILTER_ALL, "value"),
        Output(ids.FILTER_ALL, "options"),
        Output(ids.FILTER_INPUT_ALL, "value"),
        Output(ids.PART_ALL, "children"),
        Output(ids.CHART_ALL, "figure"),
        Output(ids.MORE_ALL, "style"),
        Output(ids.MORE_ALL, "n_clicks"),
        Output(ids.GRID_ALL, "filterModel"),
        Output(ids.HTML_PARTS_ALL, c.PARTS),
        Output(ids.COMPARE_ALL, "value"),
        Input(ids.VIEW_URL_ALL, "search"),
        Input(ids.FILTER_ALL, "value"),
        Input(ids.FILTER_INPUT_ALL, "value"),
        Input(ids.CHART_ALL, "clickData"),
        Input(ids.ACTION_ALL, "n_clicks"),
        State(ids.VIEW_URL_ALL, "id"),
        State(ids.VIEW_URL_ALL, "pathname"),
        State(ids.FILTER_ALL, "id"),
        State(ids.FILTER_INPUT_ALL, "id"),
        State(ids.CHART_ALL, "id"),
        State(ids.PART_ALL, "id"),
        State(ids.NAV_LINK_ALL, "id"),
        State(ids.LANG_LINK_ALL, "id"),
        State(ids.MORE_ALL, "id"),
        State(ids.GRID_ALL, "filterModel"),
        State(ids.MORE_ALL, "n_clicks"),
        State(ids.HTML_PART_ALL, "id"),
        State(ids.CHART_SUMMARY_ALL, "id"),
        State(ids.HTML_PARTS_ALL, "id"),
        State(ids.MORE_ALL, "style"),
        State(ids.GRID_ALL, "selectedRows"),
        State(ids.COMPARE_ALL, "id"),
        State(ids.COMPARE_ALL, "value"),
        prevent_initial_call=True,
    )
    def update(
        searches,
        values,
        input_values,
        clicks,
        _clear,
        view_ids,
        pathnames,
        control_ids,
        input_ids,
        chart_ids,
        part_ids,
        nav_ids,
        lang_ids,
        more_ids,
        grid_models,
        more_clicks,
        html_part_ids,
        summary_ids,
        carrier_ids,
        more_styles,
        grid_selections,
        compare_ids,
        compare_values,
    ):
        # Dash fires this once with every input when the router inserts the view (its
        # inputs and outputs arrive together); the router already drew it.
        triggered = list(ctx.triggered_prop_ids)
        if not view_ids or (len(triggered) > 1 and any('"view-url"' in p for p in triggered)):
            raise PreventUpdate
        view, pathname = VIEWS.get(view_ids[0]["name"]), filters.text(pathnames[0], "/")
        if view is None or VIEWS.at(pathname) is not view:
            raise PreventUpdate  # the menu is moving to another view; the router draws it
        search = searches[0] if isinstance(searches[0], str) else ""
        # The charts this callback redraws (by id): those of the view's catalogue that draws from a
        # report context (the phenomenon view redraws its charts as a part).
        catalogue = next((cat for cat in view.catalogues if cat.context is ReportContext), None)
        try:
            context, moved = next_context(
                search, values, input_values, clicks, control_ids, input_ids, chart_ids, catalogue
            )
            if catalogue is not None and chart_ids:
                # The view's counts (and the comparison's, when the view has one) in one statement.
                compared = any(p["name"] == "compare" for p in part_ids or [])
                context.prefetch(compare_periods(context) if compared else ())
        except DatabaseMissing:
            raise PreventUpdate from None
        lang, query = context.lang, context.flt.to_query()
        values_out, options_out, inputs_out = control_values(context, control_ids, input_ids)
        if moved:
            # A control the user just set already shows its value: leave it alone. Sending it back
            # would make React redraw every control, and an answer that arrives after the user's
            # next choice (a county, then quickly a period) would put the old value back.
            values_out = [no_update if v == sent else v for v, sent in zip(values_out, values or [])]
            inputs_out = [no_update if same(v, sent) else v for v, sent in zip(inputs_out, input_values or [])]
            before = ReportContext.from_query(search).flt
            if (before.county, before.municipality) == (context.flt.county, context.flt.municipality):
                options_out = [no_update for _ in options_out]  # the areas' options follow these only
        rendered = {r.name: r for r in catalogue.rendered(context, PAGE)} if catalogue is not None and chart_ids else {}
        # Ids the view never drew (a forged request) get no_update, never an error.
        charts = [rendered.get(cid["name"]) for cid in chart_ids or []]
        more = more_style(context) if more_ids else None

        # The report table stays on the page (one grid for the page's life); a new filter model
        # makes it ask for its first page again. Without a model it still shows the page's first URL.
        model = grid_filter_model(context)
        url_moved = isinstance(ctx.triggered_id, dict) and ctx.triggered_id.get("type") == "view-url"
        grid_out = [
            model
            if (
                (moved or url_moved)
                if grid_filter_query(current) is None
                else grid_filter_query(current) != grid_filter_query(model)
            )
            else no_update
            for current in grid_models or []
        ]

        def summary(name: str) -> str:
            return c.chart_summary(rendered[name], lang, bool(catalogue[name].click), reports.click_note(catalogue))

        # The comparison's menus return to their defaults (set by value: the menus stay). When one
        # changes, its own callback (chained by Dash) draws the table; else the table is an html part.
        compare_default = dict(zip(("a", "b", "dimension"), compare_defaults(context)))
        compare_out = [
            no_update if v == compare_default.get(cid.get("name")) else compare_default.get(cid.get("name"), no_update)
            for cid, v in zip(compare_ids or [], compare_values or [])
        ]
        compare_moved = any(v is not no_update for v in compare_out)

        html_blocks = [
            (p, HTML_PARTS[p["name"]](context))
            for p in html_part_ids or []
            if str(p.get("name")) in HTML_PARTS and not (compare_moved and p["name"] == "compare-table")
        ]
        html_blocks += [(s, summary(s["name"])) for s in summary_ids or [] if str(s.get("name")) in rendered]
        # The links that carry the filter (the menu, the languages, Present and the downloads) stay on
        # the page; their hrefs move in the DOM, and the document's title with them.
        hrefs = filters.link_hrefs(nav_ids, lang_ids, pathname, query)
        for p in part_ids or []:
            if p["name"] in ACTION_PARTS:
                hrefs |= c.action_hrefs(ACTION_PARTS[p["name"]], query)
        title = c.title_text([t(view.label, lang), *context.title_parts()], lang)
        blocks = c.parts_json(html_blocks, hrefs=hrefs, title=title)

        def part(name: str):
            if name not in PARTS or name in ACTION_PARTS or name == "compare":
                return no_update  # drawn once: their links move (hrefs), the comparison's menus by value
            if name == "grid-detail" and not any(grid_selections or []):
                return no_update  # the panel shows its help already (no row is chosen)
            return PARTS[name](context)

        return (
            [query if moved and i == 0 else no_update for i in range(len(view_ids))],
            values_out,
            options_out,
            inputs_out,
            [part(p["name"]) for p in part_ids or []],
            [c.graph_figure(r) if r else no_update for r in charts],
            [no_update if more == shown else more for shown in (more_styles or [None for _ in more_ids or []])],
            # The reading pane's 'more' starts again (sent only when it was used: a change of n_clicks
            # is a request of its own).
            [0 if n else no_update for n in (more_clicks or [None for _ in more_ids or []])],
            grid_out,
            # The ready HTML of every html part and chart summary, the links' hrefs and the title, as
            # one prop of one element.
            [blocks for _ in carrier_ids or []],
            compare_out,
        )

    # The report table's chosen row, read whole in the panel below it (assets/grid.js).
    app.clientside_callback(
        ClientsideFunction("grid", "detail"),
        Output(ids.GRID_DETAIL, "children"),
        Input(ids.GRID_ALL, "selectedRows"),
        State(ids.GRID_DETAIL, "data-labels"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.html_parts("reports"), c.PARTS, allow_duplicate=True),
        Output(ids.more("reading"), "style", allow_duplicate=True),
        Input(ids.more("reading"), "n_clicks"),
        State(ids.view_url("reports"), "search"),
        prevent_initial_call=True,
    )
    def reading_more(more, search):
        if not isinstance(more, int) or isinstance(more, bool) or more <= 0:
            raise PreventUpdate
        context = ReportContext.from_query(search)
        more = min(more, 50)
        return c.parts_json([(ids.html_part("reading"), reading_part(context, more))]), more_style(context, more)

    @app.callback(
        Output(ids.html_parts("reports"), c.PARTS, allow_duplicate=True),
        Input(ids.COMPARE_A, "value"),
        Input(ids.COMPARE_B, "value"),
        Input(ids.COMPARE_DIMENSION, "value"),
        State(ids.view_url("reports"), "search"),
        prevent_initial_call=True,
    )
    def compare(a_key, b_key, dimension, search):
        if not all(isinstance(v, str) for v in (a_key, b_key, dimension)) or dimension not in COMPARE_DIMENSIONS:
            raise PreventUpdate
        table = comparison(ReportContext.from_query(search), a_key, b_key, dimension)
        return c.parts_json([(ids.html_part("compare-table"), table)])

    @app.callback(
        Output(ids.GRID, "getRowsResponse"),
        Input(ids.GRID, "getRowsRequest"),
        State(ids.view_url("reports"), "search"),
        prevent_initial_call=True,
    )
    def grid_page(request, search):
        """A page of the report table: of the filter its request's filter model names (set by
        the last filter change), else of the view's URL (the page as it was first drawn)."""
        if not isinstance(request, dict):
            raise PreventUpdate
        start = request.get("startRow")
        if not isinstance(start, int) or isinstance(start, bool) or not 0 <= start <= 10_000_000:
            raise PreventUpdate
        sort = request.get("sortModel") if isinstance(request.get("sortModel"), list) else []
        first = sort[0] if sort and isinstance(sort[0], dict) else {}
        query = grid_filter_query(request.get("filterModel"))
        context = ReportContext.from_query(query if query is not None else search)
        column = first.get("colId") if isinstance(first.get("colId"), str) else None
        frame = context.table_page(start, GRID_PAGE, column, first.get("sort") == "desc")
        return {"rowData": grid_rows(frame, context.lang), "rowCount": context.total}
