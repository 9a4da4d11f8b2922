"""The indicator view's callback: a control changes the filter, the URL follows,
and the view is redrawn from one :class:`IndicatorContext`."""

from __future__ import annotations

from dash import Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from queries.access import DatabaseMissing

from ...core.filters import SEXES, IndicatorFilter, parse_year
from ...views.indicators import KIND_KEYS, IndicatorContext, first_of_kind, indicator_choices
from .. import ids
from ..layouts import indicators as layout
from . import filters


def next_filter(context: IndicatorContext, trigger, chosen: dict, click) -> IndicatorFilter:
    """The (unresolved) filter after the user changed ``trigger``."""
    vocab, flt = context.vocab, context.flt
    choices = indicator_choices()
    if trigger == "indicator":
        value = chosen.get("indicator")
        if not isinstance(value, str) or not vocab.knows("indicator", value):
            return flt
        # A new indicator: keep the year only where it has data.
        year = flt.year if flt.year and flt.year[0] in choices.years.get(value, ()) else ()
        return flt.with_values(indicator=(value,), year=year)
    if trigger == "region" or click is not None:
        region = click if click is not None else chosen.get("region")
        return flt.with_values(region=(region,)) if isinstance(region, str) and vocab.knows("region", region) else flt
    if trigger == "year":
        picked = parse_year(chosen.get("year"))
        return flt.with_values(year=(picked,)) if picked else flt
    if trigger == "sex":
        sex = chosen.get("sex")
        return flt.with_values(sex=(sex,)) if sex in SEXES else flt
    return flt


def _clicked_region(trigger, chart_ids, clicks):
    if not isinstance(trigger, dict) or trigger.get("type") != "ind-chart":
        return None
    click = next((cl for cid, cl in zip(chart_ids or [], clicks or []) if cid.get("name") == trigger.get("name")), None)
    points = click.get("points") if isinstance(click, dict) else None
    code = points[0].get("customdata") if isinstance(points, list) and points and isinstance(points[0], dict) else None
    return code if isinstance(code, str) else None


def register(app) -> None:
    @app.callback(
        Output(ids.IND_URL, "search"),
        Output(ids.IND_CONTROL_ALL, "value"),
        Output(ids.ind_control("indicator"), "options"),
        Output(ids.ind_control("year"), "options"),
        Output(ids.ind_control("sex"), "options"),
        Output(ids.IND_CAPTION, "children"),
        Output(ids.IND_WARNINGS, "children"),
        Output(ids.IND_CONTENT, "children"),
        Output(ids.IND_DOWNLOADS_BOX, "children"),
        Output(ids.NAV_LINK_ALL, "href", allow_duplicate=True),
        Output(ids.LANG_LINK_ALL, "href", allow_duplicate=True),
        Output(ids.DOC_TITLE_ALL, "children", allow_duplicate=True),
        Input(ids.IND_URL, "search"),
        Input(ids.IND_CONTROL_ALL, "value"),
        Input(ids.IND_CHART_ALL, "clickData"),
        Input(ids.IND_SOURCE, "value"),
        State(ids.IND_CONTROL_ALL, "id"),
        State(ids.IND_CHART_ALL, "id"),
        State(ids.NAV_LINK_ALL, "id"),
        State(ids.LANG_LINK_ALL, "id"),
        State(ids.IND_URL, "pathname"),
        prevent_initial_call=True,
    )
    def update(search, values, clicks, kind, control_ids, chart_ids, nav_ids, lang_ids, pathname):
        pathname = filters.text(pathname)
        if pathname.rstrip("/") != "/indicators":
            raise PreventUpdate  # the menu is moving to another view
        if len(ctx.triggered_prop_ids) > 1:
            raise PreventUpdate  # the page was just drawn, with this very state: nothing to redraw
        try:
            context = IndicatorContext.from_query(search)
        except DatabaseMissing:
            raise PreventUpdate from None
        trigger = ctx.triggered_id
        url_out = no_update
        kind = kind if kind in ("all", *KIND_KEYS) else "all"
        if trigger == ids.IND_SOURCE and kind != "all" and context.first:
            # A source chosen: show one of its indicators (not the one of another source still on screen).
            choices = indicator_choices()
            current = context.meta(context.first).get("kind")
            chosen = first_of_kind(choices, kind, context.region) if current != kind else None
            if chosen:
                changed = context.given.with_values(indicator=(chosen,), year=())
                resolved = changed.resolve(choices)
                context = IndicatorContext(given=changed, flt=resolved, vocab=context.vocab, choices=choices)
                url_out = resolved.to_query()
        if isinstance(trigger, dict):
            chosen = {cid["name"]: v for cid, v in zip(control_ids or [], values or [])}
            changed = next_filter(context, trigger.get("name"), chosen, _clicked_region(trigger, chart_ids, clicks))
            choices = indicator_choices()
            resolved = changed.resolve(choices)
            if resolved != context.flt:
                context = IndicatorContext(given=changed, flt=resolved, vocab=context.vocab, choices=choices)
                url_out = resolved.to_query()
        lang = context.lang
        state = {"indicator": context.first, "region": context.region, "year": context.year, "sex": context.sex}
        query = context.flt.to_query()
        options = layout.indicator_options(lang, kind)
        known = {o["value"] for o in options}
        options += [
            o
            for o in layout.indicator_options(lang, None)
            if o["value"] in context.flt.indicator and o["value"] not in known
        ]
        return (
            url_out,
            [state.get(cid["name"], no_update) for cid in control_ids or []],
            options,
            layout.year_options(context),
            layout.sex_options(context),
            context.caption(),
            layout.notices(context),
            layout.content(context),
            layout.actions(context),
            filters.nav_hrefs(nav_ids, query),
            filters.lang_hrefs(lang_ids, pathname, query),
            [layout.title(context) for _ in ctx.outputs_list[-1]],
        )
