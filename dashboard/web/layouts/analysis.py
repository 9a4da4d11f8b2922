"""The published half-year analysis in the overview and the reports view (a part a
filter change redraws), and the reading pane's banner when it shows the reports
behind one bullet. Pure layout of :mod:`dashboard.views.analysis`."""

from __future__ import annotations

from dash import dcc, html

from ...core.i18n import t, tn
from ...views import analysis as va
from ...views.reports import ReportContext
from .. import ids
from ..attributes import data


def _evidence_link(ctx: ReportContext, item: va.Item) -> dcc.Link:
    """'3 raporttia': opens exactly the reports behind the bullet in the reading pane."""
    text = va.n_reports(item, ctx.lang)
    return dcc.Link(
        # The bullet's title is in the link's name too, so every link says where it goes on its own.
        [text, html.Span(f": {item.title}", className="visually-hidden")],
        href=va.evidence_href(ctx, item),
        className="evidence-link",
        title=t("analysis.open_reports", ctx.lang),
    )


def _bullet(ctx: ReportContext, item: va.Item) -> html.Li:
    return html.Li([html.Span(va.item_text(item)), " ", _evidence_link(ctx, item)], className="analysis-item")


def _key_themes(ctx: ReportContext) -> html.Div:
    lang = ctx.lang
    themes = []
    assert ctx.analysis is not None  # drawn only when the period has a published analysis
    for item in ctx.analysis.key_themes:
        themes.append(
            html.Li(
                [
                    html.Strong(item.title),
                    " ",
                    _evidence_link(ctx, item),
                    html.Ul([html.Li(b) for b in item.bullets]) if item.bullets else None,
                ],
                className="analysis-theme",
            )
        )
    return html.Div(
        [
            html.H3(t("analysis.kind.key_theme", lang), className="h5", id="analysis-key-themes"),
            html.Ul(themes, className="analysis-themes"),
        ]
    )


def _section(ctx: ReportContext, section: va.Section) -> html.Details:
    lang = ctx.lang
    counts = [
        tn(f"analysis.count.{kind}", len(va.section_items(section, kind)), lang)
        for kind in va.KINDS
        if va.section_items(section, kind)
    ]
    body = []
    for kind in va.KINDS:
        items = va.section_items(section, kind)
        if not items:
            continue
        body += [
            html.H3(va.kind_heading(kind, lang), className="h6 mt-2"),
            html.Ul([_bullet(ctx, item) for item in items], className="analysis-items"),
        ]
    if section.quotes:
        body += [
            html.H3(t("analysis.quotes", lang), className="h6 mt-2"),
            *[html.Blockquote(f"”{quote.text}”", className="analysis-quote") for quote in section.quotes],
        ]
    return html.Details(
        [
            html.Summary([html.Strong(va.section_label(ctx, section)), " · ", " · ".join(counts)]),
            html.Div(body, className="ps-3"),
        ],
        className="analysis-section",
        **data(section=section.code),
    )


def analysis_part(ctx: ReportContext) -> list:
    """The period's published analysis (key themes, then per target group its phenomena, each with
    "n raporttia"), or a pointer to the analysed period a partial filter overlaps, or a line that
    the period has none."""
    lang = ctx.lang
    analysis = ctx.analysis
    if analysis is None:
        if ctx.analysis_offers:
            links = [
                dcc.Link(va.period_label(county, start, end, ctx), href=va.period_query(ctx, county, start, end))
                for county, start, end in ctx.analysis_offers
            ]
            joined: list = []
            for i, link in enumerate(links):
                joined += ([", "] if i else []) + [link]
            return [html.P([t("analysis.partial", lang), " ", *joined], className="analysis-note small")]
        if ctx.analysis_key is not None:
            return [html.P(t("analysis.none", lang), className="analysis-note small text-body-secondary")]
        return []
    notes = [va.published_line(ctx)]
    if ctx.flt.target_group:
        notes.append(t("analysis.narrowed", lang))
    if va.other_filters(ctx):
        notes.append(t("analysis.other_filters", lang))
    shown = va.sections(ctx)
    return [
        html.H2([t("analysis.heading", lang), ": ", analysis.title], className="h4", id=ids.ANALYSIS_HEADING),
        html.P(" ".join(notes), className="small text-body-secondary"),
        html.P(analysis.intro, className="analysis-intro") if analysis.intro else None,
        _key_themes(ctx),
        html.Div([_section(ctx, s) for s in shown], className="analysis-sections"),
    ]


def analysis_section(ctx: ReportContext) -> html.Div:
    # A plain block, not a labelled <section>: its heading comes and goes with the filter (a period
    # without a published analysis has none), and aria-labelledby pointing at nothing is an error.
    return html.Div(html.Div(analysis_part(ctx), id=ids.part("analysis")), className="analysis mt-4")


def evidence_banner(ctx: ReportContext, shown: int) -> html.Div | None:
    """Above the reading pane when it shows the reports behind one bullet: which, and the way back."""
    if not ctx.flt.evidence:
        return None
    lang, phen = ctx.lang, ctx.evidence
    everything = ctx.flt.with_values(evidence="")
    title = phen["title"] if phen else ctx.flt.evidence
    return html.Div(
        [
            html.P(
                [t("analysis.evidence_of", lang), " ", html.Q(title)],
                className="mb-1 fw-semibold",
            ),
            html.P(tn("analysis.evidence_count", shown, lang), className="mb-1 small"),
            dcc.Link(t("analysis.evidence_clear", lang), href="/reports" + everything.to_query()),
        ],
        className="evidence-banner alert alert-info",
        tabIndex="-1",
        role="status",
        **data(evidence=ctx.flt.evidence),
    )
