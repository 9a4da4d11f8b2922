"""The published half-year analysis in the overview and the reports view (a part a
filter change redraws), and the reading pane's banner when it shows the reports
behind one bullet. Pure layout of :mod:`dashboard.views.analysis`."""

from __future__ import annotations

from dash import html

from queries import access

from ...core.i18n import t, tn
from ...views import analysis as va
from ...views.reports import ReportContext
from .. import components as c
from .. import ids


def _evidence_link(ctx: ReportContext, item: va.Item) -> str:
    """'3 raporttia': opens exactly the reports behind the bullet in the reading pane (within
    the page, as a dcc.Link would: ``assets/links.js``)."""
    e = c.escaped
    # The bullet's title is in the link's name too, so every link says where it goes on its own.
    return (
        f'<a href="{e(va.evidence_href(ctx, item))}" class="evidence-link" data-page-link="1" '
        f'title="{e(t("analysis.open_reports", ctx.lang))}">{e(va.n_reports(item, ctx.lang))}'
        f'<span class="visually-hidden">: {e(item.title)}</span></a>'
    )


def _bullet(ctx: ReportContext, item: va.Item) -> str:
    return f'<li class="analysis-item"><span>{c.escaped(va.item_text(item))}</span> {_evidence_link(ctx, item)}</li>'


def _key_themes(ctx: ReportContext) -> str:
    e = c.escaped
    themes = []
    assert ctx.analysis is not None  # drawn only when the period has a published analysis
    for item in ctx.analysis.key_themes:
        bullets = "<ul>" + "".join(f"<li>{e(b)}</li>" for b in item.bullets) + "</ul>" if item.bullets else ""
        themes.append(
            f'<li class="analysis-theme"><strong>{e(item.title)}</strong> {_evidence_link(ctx, item)}{bullets}</li>'
        )
    return (
        f'<div><h3 class="h5" id="analysis-key-themes">{e(t("analysis.kind.key_theme", ctx.lang))}</h3>'
        f'<ul class="analysis-themes">{"".join(themes)}</ul></div>'
    )


def _section(ctx: ReportContext, section: va.Section) -> str:
    lang, e = ctx.lang, c.escaped
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
        body.append(f'<h3 class="h6 mt-2">{e(va.kind_heading(kind, lang))}</h3>')
        body.append('<ul class="analysis-items">' + "".join(_bullet(ctx, item) for item in items) + "</ul>")
    if section.quotes:
        body.append(f'<h3 class="h6 mt-2">{e(t("analysis.quotes", lang))}</h3>')
        body += [f'<blockquote class="analysis-quote">{e(f"”{quote.text}”")}</blockquote>' for quote in section.quotes]
    return (
        f'<details class="analysis-section" data-section="{e(section.code)}">'
        f"<summary><strong>{e(va.section_label(ctx, section))}</strong> · {e(' · '.join(counts))}</summary>"
        f'<div class="ps-3">{"".join(body)}</div></details>'
    )


def analysis_part(ctx: ReportContext) -> str:
    """The period's published analysis (key themes, then per target group its phenomena, each with
    "n raporttia"), or a pointer to the analysed period a partial filter overlaps, or a line that
    the period has none. One HTML string (components.html_block): as Dash components, the analysis
    (a few hundred elements) cost the browser seconds on every filter change."""
    lang = ctx.lang
    e = c.escaped
    analysis = ctx.analysis
    if analysis is None:
        if ctx.analysis_offers:
            # Links that open their view within the page, as a dcc.Link does (assets/links.js).
            links = ", ".join(
                f'<a href="{e(va.period_query(ctx, county, start, end))}" data-page-link="">'
                f"{e(va.period_label(county, start, end, ctx))}</a>"
                for county, start, end in ctx.analysis_offers
            )
            return f'<p class="analysis-note small">{e(t("analysis.partial", lang))} {links}</p>'
        if ctx.analysis_key is not None:
            return f'<p class="analysis-note small text-body-secondary">{e(t("analysis.none", lang))}</p>'
        return ""
    # The markup depends on the analysis (per database version and key), the language, the target
    # groups and whether other filters are set: made once per worker for these, not on every change
    # (a published period's analysis is hundreds of bullets and links).
    other = va.other_filters(ctx)
    key = (ctx.analysis_key, lang, tuple(sorted(ctx.flt.target_group)), other)
    return access.memo("analysis-part", key, lambda _: _published_part(ctx, other))


def _published_part(ctx: ReportContext, other: bool) -> str:
    lang, e, analysis = ctx.lang, c.escaped, ctx.analysis
    assert analysis is not None
    notes = [va.published_line(ctx)]
    if ctx.flt.target_group:
        notes.append(t("analysis.narrowed", lang))
    if other:
        notes.append(t("analysis.other_filters", lang))
    shown = va.sections(ctx)
    intro = f'<p class="analysis-intro">{e(analysis.intro)}</p>' if analysis.intro else ""
    return (
        f'<div class="analysis-block"><h2 class="h4" id="{ids.ANALYSIS_HEADING}">'
        f"{e(t('analysis.heading', lang))}: {e(analysis.title)}</h2>"
        f'<p class="small text-body-secondary">{e(" ".join(notes))}</p>{intro}{_key_themes(ctx)}'
        f'<div class="analysis-sections">{"".join(_section(ctx, s) for s in shown)}</div></div>'
    )


def analysis_section(ctx: ReportContext) -> html.Div:
    # A plain block, not a labelled <section>: its heading comes and goes with the filter (a period
    # without a published analysis has none), and aria-labelledby pointing at nothing is an error.
    return html.Div(c.html_block(analysis_part(ctx), "", id=ids.html_part("analysis")), className="analysis mt-4")


def evidence_banner(ctx: ReportContext, shown: int) -> str:
    """Above the reading pane when it shows the reports behind one bullet: which, and the way back
    (HTML, a piece of the reading pane's block; the link opens the view within the page,
    assets/links.js)."""
    if not ctx.flt.evidence:
        return ""
    lang, phen = ctx.lang, ctx.evidence
    e = c.escaped
    everything = ctx.flt.with_values(evidence="")
    title = phen["title"] if phen else ctx.flt.evidence
    return (
        f'<div class="evidence-banner alert alert-info" tabindex="-1" role="status" data-evidence="{e(ctx.flt.evidence)}">'
        f'<p class="mb-1 fw-semibold">{e(t("analysis.evidence_of", lang))} <q>{e(title)}</q></p>'
        f'<p class="mb-1 small">{e(tn("analysis.evidence_count", shown, lang))}</p>'
        f'<a href="{e("/reports" + everything.to_query())}" data-page-link="">{e(t("analysis.evidence_clear", lang))}</a>'
        "</div>"
    )
