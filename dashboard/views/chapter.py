"""The wellbeing-report chapter (hyvinvointikertomus): the half-year deck's content as
running text, for a HYTE group to paste into the regional report. Built once from a
:class:`ReportContext` as a list of blocks that the DOCX writer
(:mod:`dashboard.export.chapter`) renders; its charts come from walking the reports
view's catalogue for the ``document`` output, like every other output.

With the period's published analysis: what social reporting is (the county's intro),
the figures (a paragraph, the key figures as a table, each chart as an image with its
number, caption and source and its data as a table), the key themes, a section per
target group (phenomena, good practices, proposals, quotes), the positive findings,
where the information was taken, and the sources. Without one: the figures, and a line
saying that the coordinator has not published an analysis of the period. Only texts
leadership may read appear (``queries.analysis`` and ``queries.visibility``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..charts.style import SLIDE
from ..core.formatting import fmt_date_range, fmt_number, fmt_share
from ..core.i18n import t, tn
from . import analysis as va
from .catalogue import DOCUMENT, Rendered
from .reports import REPORTS, TYPES, ReportContext, kpis
from .slides import quote_sources


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 the chapter, 2 a section, 3 a part of one


@dataclass(frozen=True)
class Paragraph:
    text: str
    note: str = ""  # said after the text in a smaller type ('3 raporttia')
    strong: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[tuple[str, str], ...]  # (text, note)


@dataclass(frozen=True)
class Quote:
    text: str
    source: str


@dataclass(frozen=True)
class TableBlock:
    caption: str  # 'Taulukko 2. Kohderyhmät …'
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # right-aligned columns


@dataclass(frozen=True)
class FigureBlock:
    rendered: Rendered
    caption: str  # 'Kuvio 1. Kohderyhmät. Päijät-Häme · 1.9.–31.12.2024 · 40 raporttia.'
    source: str  # 'Lähde: sosiaalinen raportointi'
    table: TableBlock


@dataclass
class Chapter:
    title: str
    lang: str
    demo: bool
    blocks: list = field(default_factory=list)


def _cell(value, kind: str, lang: str, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    if kind == "int":
        return fmt_number(int(value), lang)
    if kind == "share":
        return fmt_share(float(value), lang)
    if kind == "number":
        return fmt_number(float(value), lang, decimals)
    return str(value)


def figures_of(ctx: ReportContext, start: int = 1, table_start: int = 1) -> list[FigureBlock]:
    """Each chart of the reports view's catalogue that the document shows, numbered (figures
    from ``start``, their data tables from ``table_start``)."""
    lang = ctx.lang
    out = []
    for i, (_, rendered) in enumerate(REPORTS.walk(ctx, DOCUMENT, SLIDE)):
        number = start + i
        columns = rendered.table.columns
        table = TableBlock(
            t("chapter.table_caption", lang, n=table_start + i, title=rendered.title),
            tuple(c.header for c in columns),
            tuple(
                tuple(_cell(v, c.kind, lang, c.decimals) for v, c in zip(row, columns)) for row in rendered.table.rows
            ),
            tuple(i for i, c in enumerate(columns) if c.kind != "text"),
        )
        out.append(
            FigureBlock(
                rendered,
                t("chapter.figure_caption", lang, n=number, title=rendered.title, caption=rendered.caption),
                rendered.source,
                table,
            )
        )
    return out


def _figures_paragraph(ctx: ReportContext) -> str:
    lang = ctx.lang
    counts = dict(zip(ctx.counts("observation_type")["code"], ctx.counts("observation_type")["count"]))
    parts = [
        f"{fmt_number(int(counts.get(code, 0)), lang)} {t(f'chapter.type.{code}', lang)}"
        + (f" ({fmt_share(counts.get(code, 0) / ctx.total, lang)})" if ctx.total else "")
        for code in TYPES
    ]
    period = fmt_date_range(ctx.flt.date_from, ctx.flt.date_to, lang) or t("caption.all_time", lang)
    return tn("chapter.figures_text", ctx.total, lang, period=period, types=", ".join(parts))


def chapter(ctx: ReportContext) -> Chapter:
    lang, analysis = ctx.lang, ctx.analysis
    county = ", ".join(ctx.vocab.label("county", c, lang) for c in ctx.flt.county) or t("caption.all_counties", lang)
    period = fmt_date_range(ctx.flt.date_from, ctx.flt.date_to, lang) or t("caption.all_time", lang)
    doc = Chapter(t("chapter.title", lang, county=county, period=period), lang, ctx.demo)
    add = doc.blocks.append
    add(Heading(doc.title, 1))
    add(Paragraph(ctx.caption()))
    if ctx.demo:
        add(Paragraph(t("present.demo", lang)))
    # What social reporting is: the county's own words with the analysis, else the general text.
    add(Heading(t("analysis.intro_title", lang), 2))
    add(Paragraph(analysis.intro if analysis is not None and analysis.intro else t("chapter.what", lang)))
    # The figures.
    add(Heading(t("chapter.figures", lang), 2))
    add(Paragraph(_figures_paragraph(ctx)))
    figures = kpis(ctx)
    add(
        TableBlock(
            t("chapter.table_caption", lang, n=1, title=t("slides.key_figures", lang)),
            (t("table.value", lang), t("table.count", lang), t("table.share", lang)),
            tuple((label, fmt_number(value, lang), share or "") for _, label, value, share in figures),
            (1, 2),
        )
    )
    for block in figures_of(ctx, start=1, table_start=2):
        add(block)
    if analysis is None:
        add(Heading(t("analysis.heading", lang), 2))
        add(Paragraph(t("analysis.none", lang)))
        _sources(ctx, doc)
        return doc
    # The key themes.
    add(Heading(t("analysis.kind.key_theme", lang), 2))
    for item in analysis.key_themes:
        add(Paragraph(item.title, va.n_reports(item, lang), strong=True))
        if item.bullets:
            add(Bullets(tuple((b, "") for b in item.bullets)))
    # A section per target group (and per service unit with phenomena of its own).
    shown = va.sections(ctx)
    quoted = quote_sources(ctx, [q.report_key for section in shown for q in section.quotes])
    for section in shown:
        add(Heading(t("analysis.section_title", lang, group=va.section_label(ctx, section)), 2))
        for kind in va.KINDS:
            items = va.section_items(section, kind)
            if items:
                add(Heading(va.kind_heading(kind, lang), 3))
                add(Bullets(tuple((va.item_text(i), va.n_reports(i, lang)) for i in items)))
        if section.quotes:
            add(Heading(t("analysis.quotes", lang), 3))
            for quote in section.quotes:
                add(Quote(quote.text, quoted.get(quote.report_key, "")))
    positive = va.positive_findings(ctx)
    if positive:
        n_positive = int(ctx.counts("observation_type").set_index("code")["count"].get("positive", 0))
        add(Heading(t("analysis.positive_title", lang), 2))
        add(Paragraph(tn("analysis.positive_lead", n_positive, lang)))
        add(Bullets(tuple((va.item_text(i), va.n_reports(i, lang)) for i in positive)))
    add(Heading(t("analysis.where_title", lang), 2))
    add(Paragraph(va.published_line(ctx)))
    destinations = va.destinations(ctx)
    if destinations:
        add(
            TableBlock(
                t("chapter.where_caption", lang),
                (t("chapter.where_what", lang), t("chapter.where_group", lang), t("table.count", lang)),
                tuple((d.label, d.name, fmt_number(d.count, lang)) for d in destinations),
                (2,),
            )
        )
    actions = va.followup(ctx)["actions"]
    if actions:
        add(Paragraph(tn("analysis.actions_n", actions, lang)))
    _sources(ctx, doc)
    return doc


def _sources(ctx: ReportContext, doc: Chapter) -> None:
    lang = ctx.lang
    doc.blocks.append(Heading(t("chapter.sources", lang), 2))
    doc.blocks.append(Paragraph(ctx.source))
    doc.blocks.append(Paragraph(t("meta.privacy_text", lang)))


__all__ = ["Bullets", "Chapter", "FigureBlock", "Heading", "Paragraph", "Quote", "TableBlock", "chapter", "figures_of"]
