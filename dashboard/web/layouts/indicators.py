"""The indicator view: a pure layout of an :class:`IndicatorContext`."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from ...core.i18n import dropdown_labels, t, tn
from ...views.catalogue import PAGE
from ...views.indicators import (
    INDICATORS,
    KIND_KEYS,
    IndicatorContext,
    indicator_catalogue,
    loaded_kinds,
    region_table,
    with_unit,
)
from .. import components as c
from .. import ids
from ..attributes import aria


def indicator_options(lang: str, kind: str | None) -> list[dict]:
    frame = indicator_catalogue(lang)
    if kind and kind != "all":
        frame = frame[frame["kind"] == kind]
    return [
        {"label": f"{with_unit(r.name, r.unit)} · {t(KIND_KEYS[r.kind], lang)}", "value": r.indicator_id}
        for r in frame.itertuples()
    ]


def region_options(lang: str) -> list[dict]:
    regions = region_table()
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


def year_options(ctx: IndicatorContext) -> list[dict]:
    """The years the indicator has data for, newest first."""
    years = set(ctx.available.years.get(ctx.first, ())) if ctx.first else set()
    return [{"label": str(y), "value": y} for y in sorted(years | set(ctx.flt.year), reverse=True)]


def sex_options(ctx: IndicatorContext) -> list[dict]:
    """Total, women, men; women and men are disabled (and say why) for an
    indicator that is not split by sex."""
    lang, split = ctx.lang, ctx.has_sex_split
    options: list[dict] = [{"label": t("ind.sex.total", lang), "value": "total"}]
    for sex in ("female", "male"):
        label = t(f"ind.sex.{sex}", lang)
        options.append(
            {
                "label": label if split else t("ind.sex_no_split_option", lang, sex=label),
                "value": sex,
                "disabled": not split,
            }
        )
    return options


def notices(ctx: IndicatorContext) -> list:
    """The link's problems, and what the view shows other than the link asked for."""
    out = [c.warnings_box(ctx.given.problems, ctx.lang)]
    adjusted = ctx.notices()
    if adjusted:
        out.append(
            dbc.Alert(
                html.Ul([html.Li(text) for text in adjusted], className="mb-0 ps-3"),
                color="info",
                className="py-2 small ind-notices",
            )
        )
    return [item for item in out if item is not None]


def panel(ctx: IndicatorContext) -> html.Section:
    lang = ctx.lang

    def dropdown(name, label, options, value, multi=False):
        return c.labelled(
            ids.ind_control(name),
            label,
            dcc.Dropdown(
                id=ids.ind_control(name),
                options=options,
                value=value,
                multi=multi,
                clearable=False,
                searchable=True,
                labels=dropdown_labels(lang),
            ),
        )

    loaded = loaded_kinds()
    # Only the sources that have data; what is not loaded is said under it, with how to load it.
    kinds = [{"label": t("ind.kind.all", lang), "value": "all"}] + [
        {"label": t(KIND_KEYS[kind], lang), "value": kind} for kind in loaded
    ]
    missing = [t(key, lang) for kind, key in KIND_KEYS.items() if kind == "sotkanet" and kind not in loaded]
    return html.Section(
        [
            html.H2(t("filter.heading", lang), className="h5"),
            c.labelled(
                ids.IND_SOURCE,
                t("ind.source_filter", lang),
                dcc.Dropdown(
                    id=ids.IND_SOURCE,
                    options=kinds,
                    value="all",
                    clearable=False,
                    searchable=False,
                    labels=dropdown_labels(lang),
                ),
                "mb-1" if missing and loaded else "mb-3",
            ),
            html.P(
                [t("ind.source_missing", lang, sources=", ".join(missing)), " ", html.Code(SOTKANET_COMMAND)],
                className="form-text small mb-3",
                id=ids.IND_SOURCE_NOTE,
            )
            if missing and loaded
            else None,
            dropdown("indicator", t("ind.indicator", lang), indicator_options(lang, None), ctx.first),
            dropdown("region", t("ind.region", lang), region_options(lang), ctx.region),
            dropdown("year", t("ind.year", lang), year_options(ctx), ctx.year),
            dropdown("sex", t("ind.sex", lang), sex_options(ctx), ctx.sex),
        ],
        className="filter-panel",
        **aria(label=t("filter.heading", lang)),
    )


SOTKANET_COMMAND = "python -m dashboard import-sotkanet --indicator 3225 --years 2015-2024"


def empty_state(lang: str) -> dbc.Card:
    """The view with no indicators loaded: what to do, not an empty chart."""
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("ind.empty.heading", lang), className="h4"),
                html.P(t("ind.empty.text", lang), className="mb-1"),
                html.Pre(html.Code(SOTKANET_COMMAND), className="bg-light p-2 mb-3"),
                html.P(t("ind.empty.local", lang), className="mb-0"),
            ]
        ),
        className="mb-3 ind-empty",
        id=ids.IND_EMPTY,
    )


def profile_card(ctx: IndicatorContext) -> dbc.Card | None:
    """A local collection read as one table: every figure with its value, n, region and year."""
    table = ctx.profile()
    if table is None:
        return None
    lang, meta = ctx.lang, ctx.meta(ctx.chosen)
    caption = f"{t('ind.profile.heading', lang)} · {ctx.source(meta)}"
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("ind.profile.heading", lang), className="h5"),
                html.P(tn("ind.profile.lead", len(table.rows), lang), className="small mb-2"),
                c.html_block(c.data_table(table, caption, lang), "table-responsive"),
            ]
        ),
        className="mb-3 chart-card",
        id=ids.IND_PROFILE,
    )


def content(ctx: IndicatorContext) -> list:
    """The cards of every chart in the catalogue: the time series across the
    page, the others two abreast on a wide screen (1400 px and up); for a local
    collection's figure, the whole collection as one table."""
    lang = ctx.lang
    if not ctx.available.indicators:
        return [empty_state(lang)]
    if not ctx.flt.indicator:
        return [html.P(t("ind.none", lang))]
    out: list = []
    if ctx.synthetic:
        out.append(dbc.Alert(t("ind.synthetic", lang), color="warning", className="py-2 small"))
    columns = []
    for rendered in INDICATORS.rendered(ctx, PAGE):
        body = [
            c.graph(ids.ind_chart(rendered.name), rendered, lang),
            c.summary_caption(rendered, lang),
        ]
        card = dbc.Card(dbc.CardBody(html.Figure(body, className="mb-0")), className="mb-3 chart-card h-100")
        wide = rendered.name.startswith("series")
        columns.append(dbc.Col(card, xs=12, xxl=12 if wide else 6, className="mb-3"))
    out.append(dbc.Row(columns, className="g-3"))
    profile = profile_card(ctx)
    if profile is not None:
        out.append(profile)
    return out


def actions(ctx: IndicatorContext) -> list:
    """Present and download; nothing to present or download while no indicator is loaded."""
    if not ctx.available.indicators:
        return []
    query = ctx.flt.to_query()
    return [
        c.present_link("indicators", query, ctx.lang),
        c.download_menu("indicators", query, ctx.lang, component_id=ids.IND_DOWNLOADS),
    ]


def title(ctx: IndicatorContext) -> str:
    """The document title: the view, the indicator, the region, year and sex."""
    names = [str(ctx.meta(i)["name"]) for i in ctx.flt.indicator[:1]]
    return c.title_text([t("nav.indicators", ctx.lang), *names, ctx.caption()], ctx.lang)


def layout(ctx: IndicatorContext) -> html.Main:
    lang = ctx.lang
    return html.Main(
        [
            dcc.Location(id=ids.IND_URL, refresh=False, pathname="/indicators", search=ctx.raw_query, hash=""),
            html.Div(title(ctx), id=ids.doc_title("indicators"), hidden=True),
            dbc.Row(
                [
                    dbc.Col(panel(ctx), lg=3, className="mb-3"),
                    dbc.Col(
                        [
                            html.Div(
                                [
                                    html.Div(
                                        [
                                            html.H1(t("nav.indicators", lang), className="h3 mb-0"),
                                            html.P(
                                                ctx.caption(),
                                                id=ids.IND_CAPTION,
                                                className="view-caption mb-0",
                                                **aria(live="polite"),
                                            ),
                                        ],
                                        className="me-auto",
                                    ),
                                    html.Div(
                                        actions(ctx), id=ids.IND_DOWNLOADS_BOX, className="d-flex gap-2 view-actions"
                                    ),
                                ],
                                className="d-flex flex-wrap gap-2 align-items-start view-header",
                            ),
                            html.P(tn("ind.privacy", ctx.threshold, lang), className="small text-body-secondary mb-2")
                            if ctx.available.indicators
                            else None,
                            html.Div(notices(ctx), id=ids.IND_WARNINGS),
                            html.Div(content(ctx), id=ids.IND_CONTENT),
                        ],
                        lg=9,
                    ),
                ]
            ),
        ],
        id="main",
        className="container-fluid py-3 page-indicators",
        tabIndex="-1",
    )
