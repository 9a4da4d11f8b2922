"""The slide sequence of a presentation, built once by walking the view's chart
catalogue and read by both the presentation mode (``/present``) and the
generated deck (``/download/deck.pptx``): the same slides, the same numbers.
A chart is on the slides unless its entry says it is not.

The half-year deck follows the published summary (seed 001). When the coordinator
has published the period's analysis (``ReportContext.analysis``): the title and what
social reporting is (the county's intro text), the key figures and charts, the
leading themes' indicators, the key themes, a section per target group (phenomena,
good practices, proposals, each bullet with its "n raporttia", and one or two
client quotes from the supporting reports, never the same twice), the positive
findings, and where the information was taken (the follow-up record). Without one
it falls back to the figures and sample texts: per target group observations and
proposals, client voices as quotes, the positive practices. Only texts leadership may
read appear (publishable, no unresolved privacy hit), the coordinator's highlights first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlencode

from queries import access
from queries import analysis as qa

from ..charts.style import SLIDE, share_note
from ..core.formatting import fmt_date_range, fmt_number
from ..core.i18n import t, tn
from . import analysis as va
from .catalogue import KEY_FIGURES, OWN_SLIDE, SLIDES, Chart, Rendered
from .indicators import INDICATORS, IndicatorContext
from .phenomena import PHENOMENA, PhenomenonContext
from .reports import REPORTS, ReportContext, kpis

TEXTS_PER_SLIDE = 3
QUOTES_PER_SLIDE = 4
MAX_TEXT = 260


@dataclass(frozen=True)
class TextItem:
    text: str  # the observation (or the quote)
    proposal: str | None = None  # the solution proposal
    meta: str = ""  # date · unit · areas
    highlight: bool = False  # the coordinator's pick


@dataclass(frozen=True)
class Bullet:
    text: str
    note: str = ""  # '3 raporttia': the reports behind it


@dataclass(frozen=True)
class BulletGroup:
    heading: str  # 'Havaintoja ja ilmiöitä', or a key theme's title
    bullets: tuple[Bullet, ...] = ()
    note: str = ""  # the heading's own "n raporttia" (a key theme)


@dataclass(frozen=True)
class Slide:
    kind: str  # title | kpis | chart | charts | texts | quotes | bullets
    title: str
    subtitle: str = ""
    charts: tuple[Rendered, ...] = ()
    items: tuple[TextItem, ...] = ()
    lead: str = ""  # a paragraph before the bullets (bullets slides)
    groups: tuple[BulletGroup, ...] = ()  # headed bullet lists (bullets slides)
    # What the deck draws natively where a figure has no native equal (the timeline's reports and
    # indicator panels on one time axis become two native charts side by side); else ``charts``.
    deck_charts: tuple[Rendered, ...] = ()
    # False: /present shows the slide but the deck does not, because the deck already draws its
    # chart on an earlier slide (``deck_charts``): no output draws a chart twice.
    in_deck: bool = True
    figures: tuple[tuple[str, str, int, str | None], ...] = ()  # key figures: key, label, value, share
    notes: str = ""  # speaker notes
    footer: str = ""  # caption · source, on every slide
    empty_text: str = ""  # said when a text slide has nothing publishable


@dataclass
class Deck:
    title: str
    subtitle: str
    lang: str
    demo: bool
    slides: list[Slide] = field(default_factory=list)


def _short(text) -> str:
    text = " ".join(text.split()) if isinstance(text, str) else ""
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1].rsplit(" ", 1)[0] + " …"


def _table_notes(rendered: Rendered) -> str:
    """Every row of a chart's table, for the speaker notes when the slide draws fewer of them."""
    series = rendered.series if rendered.native is not None else None
    if series is None or series.shown >= len(series.categories):
        return ""
    return "\n".join(" · ".join(str(v) for v in row) for row in rendered.table.rows)


def _chart_slide(rendered: Rendered, lang: str) -> Slide:
    notes = "\n".join(
        x
        for x in (rendered.alt_text, rendered.note or "", _table_notes(rendered), rendered.caption, rendered.source)
        if x
    )
    return Slide(
        kind="chart",
        title=rendered.title,
        subtitle=rendered.caption,
        charts=(rendered,),
        notes=notes,
        footer=f"{rendered.caption} · {rendered.source}",
    )


def _items(ctx: ReportContext, limit: int, quotes: bool = False) -> tuple[TextItem, ...]:
    """Up to ``limit`` texts of publishable reports, the coordinator's highlights first, never the
    same text twice on a slide."""
    frame, _ = ctx.reading(limit * 4, highlights_first=True)
    vocab, lang = ctx.vocab, ctx.lang
    out: list[TextItem] = []
    seen: set[str] = set()
    for row in frame.to_dict("records"):
        key = " ".join(str(row["client_voice"] if quotes else row["observation"]).split())
        if key in seen or len(out) >= limit:
            continue
        seen.add(key)
        areas = ", ".join(vocab.label("area", a, lang) for a in (row["areas"] if row["areas"] is not None else []))
        meta = " · ".join(
            x
            for x in (
                f"{row['submitted_on'].day}.{row['submitted_on'].month}.{row['submitted_on'].year}"
                if hasattr(row["submitted_on"], "day")
                else "",
                vocab.label("service_unit", row["service_unit"], lang),
                areas,
            )
            if x
        )
        text = row["client_voice"] if quotes else row["observation"]
        out.append(
            TextItem(
                text=_short(text),
                proposal=None if quotes else (_short(row["proposal"]) or None),
                meta=meta,
                highlight=bool(row["highlight"]),
            )
        )
    return tuple(out)


def _text_slides(ctx: ReportContext, footer: str) -> list[Slide]:
    lang, flt = ctx.lang, ctx.flt
    slides = []
    groups = ctx.counts("target_group")
    for row in groups.itertuples():
        sub = ctx.with_filter(flt.with_values(target_group=(row.code,)))
        items = _items(sub, TEXTS_PER_SLIDE)
        slides.append(
            Slide(
                kind="texts",
                title=t("slides.group", lang, group=row.label),
                subtitle=sub.caption(),
                items=items,
                footer=footer,
                notes=tn("slides.texts_note", sub.total, lang),
                empty_text=t("slides.no_texts", lang),
            )
        )
    voices = ctx.with_filter(flt.with_values(client_voice=True))
    if voices.total:
        slides.append(
            Slide(
                kind="quotes",
                title=t("slides.voices", lang),
                subtitle=voices.caption(),
                items=_items(voices, QUOTES_PER_SLIDE, quotes=True),
                footer=footer,
                notes=t("slides.voices_note", lang),
                empty_text=t("slides.no_texts", lang),
            )
        )
    if not flt.observation_type or "positive" in flt.observation_type:
        positive = ctx.with_filter(flt.with_values(observation_type=("positive",)))
        if positive.total:
            slides.append(
                Slide(
                    kind="texts",
                    title=t("slides.practices", lang),
                    subtitle=positive.caption(),
                    items=_items(positive, TEXTS_PER_SLIDE),
                    footer=footer,
                    notes=tn("slides.texts_note", positive.total, lang),
                    empty_text=t("slides.no_texts", lang),
                )
            )
    return slides


def _theme_indicator_slides(ctx: ReportContext) -> list[Slide]:
    """The three largest themes' linked indicators, two charts a slide."""
    lang, flt = ctx.lang, ctx.flt
    slides = []
    for theme in ctx.counts("theme").head(3).itertuples():
        phen = PhenomenonContext(reports=ctx.with_filter(flt.with_values(theme=(theme.code,))))
        indicators = phen.indicators
        if indicators is None:
            continue
        charts = tuple(
            INDICATORS["series"].render(indicators, name, SLIDE)
            for name in INDICATORS["series"].instances(indicators)[:2]
        )
        slides.append(
            Slide(
                kind="charts",
                title=t("slides.theme_indicators", lang, theme=theme.label),
                subtitle=phen.reports.caption(),
                charts=charts,
                notes="\n".join(c.alt_text for c in charts),
                footer=" · ".join(dict.fromkeys(c.source for c in charts)),
            )
        )
    return slides


def _chart_slides(drawn: list[tuple[Chart, Rendered]], lang: str) -> list[Slide]:
    return [_chart_slide(rendered, lang) for chart, rendered in drawn if chart.slide == OWN_SLIDE]


def report_deck(ctx: ReportContext) -> Deck:
    """The half-year deck for the reports (and overview) views: every chart of the
    catalogue that is on slides, in its slide order; with the period's published
    analysis, the analysis' structure around them (:func:`analysis_slides`)."""
    lang = ctx.lang
    footer = f"{ctx.caption()} · {ctx.source}"
    county = ", ".join(ctx.vocab.label("county", c, lang) for c in ctx.flt.county) or t("caption.all_counties", lang)
    analysis = ctx.analysis
    title = f"{analysis.title} · {county}" if analysis is not None else t("slides.title", lang, county=county)
    deck = Deck(title=title, subtitle=ctx.caption(), lang=lang, demo=ctx.demo)
    deck.slides.append(
        Slide(
            kind="title",
            title=deck.title,
            subtitle=ctx.caption(),
            footer=ctx.source,
            notes=t("slides.title_note", lang),
        )
    )
    if analysis is not None:
        deck.slides.append(intro_slide(ctx, footer))
    drawn = REPORTS.walk(ctx, SLIDES, SLIDE)
    figures = tuple(kpis(ctx, SLIDE))  # shares by the county's rule for slides, said in the subtitle
    deck.slides.append(
        Slide(
            kind="kpis",
            title=t("slides.key_figures", lang),
            subtitle=f"{ctx.caption()} · {share_note(SLIDE, lang)}",
            figures=figures,
            footer=footer,
            charts=tuple(rendered for chart, rendered in drawn if chart.slide == KEY_FIGURES),
            notes=" ".join(f"{label}: {fmt_number(v, lang)}" + (f" ({s})" if s else "") for _, label, v, s in figures),
        )
    )
    deck.slides.extend(_chart_slides(drawn, lang))
    if ctx.analysis is not None:
        deck.slides.extend(_theme_indicator_slides(ctx))
        deck.slides.extend(analysis_slides(ctx, footer))
    else:
        deck.slides.extend(_text_slides(ctx, footer))
        deck.slides.extend(_theme_indicator_slides(ctx))
    return deck


# ---- the published analysis (seed 001's structure) -----------------------------------------

# What a bullets slide holds at the slide's type size (/present: 20 px bullets on a 720 px slide;
# the deck: 17 pt): lines of about 95 characters, a heading about one and a half lines.
LINES_PER_SLIDE = 18.0
CHARS_PER_LINE = 95
HEADING_LINES = 1.4


def _cost(text: str) -> float:
    return 0.25 + max(1, -(-len(text) // CHARS_PER_LINE))


def _pack(groups: list[BulletGroup], budget: float = LINES_PER_SLIDE) -> list[tuple[BulletGroup, ...]]:
    """Groups of bullets laid out on as few slides as hold them; a long group continues on the
    next slide under the same heading."""
    pages: list[list[BulletGroup]] = [[]]
    used = 0.0
    for group in groups:
        bullets = list(group.bullets)
        first = True
        while first or bullets:
            head = (HEADING_LINES + _cost(group.heading) - 1.25) if group.heading else 0.0
            if pages[-1] and used + head + (_cost(bullets[0].text) if bullets else 0) > budget:
                pages.append([])
                used = 0.0
            used += head
            taken: list[Bullet] = []
            while bullets and (not taken or used + _cost(bullets[0].text) <= budget):
                used += _cost(bullets[0].text)
                taken.append(bullets.pop(0))
            pages[-1].append(BulletGroup(group.heading, tuple(taken), group.note if first else ""))
            first = False
    return [tuple(page) for page in pages if page]


def _bullet_slides(title: str, groups: list[BulletGroup], subtitle: str, footer: str, lead: str = "") -> list[Slide]:
    pages = _pack(groups, LINES_PER_SLIDE - (_cost(lead) + 0.5 if lead else 0)) or [()]
    out = []
    for i, page in enumerate(pages, start=1):
        numbered = f"{title} ({i}/{len(pages)})" if len(pages) > 1 else title
        notes = "\n".join(
            line
            for group in page
            for line in [group.heading + (f" ({group.note})" if group.note else "")]
            + [f"- {b.text}" + (f" ({b.note})" if b.note else "") for b in group.bullets]
        )
        out.append(
            Slide(
                kind="bullets",
                title=numbered,
                subtitle=subtitle,
                lead=lead if i == 1 else "",
                groups=page,
                notes=notes,
                footer=footer,
            )
        )
    return out


def intro_slide(ctx: ReportContext, footer: str) -> Slide:
    """What social reporting is (the county's intro text of the analysis) and how many reports the period has."""
    lang, analysis = ctx.lang, ctx.analysis
    assert analysis is not None  # the deck asks for it only when the period has a published analysis
    period = fmt_date_range(analysis.period_from, analysis.period_to, lang)
    count = tn("analysis.intro_count", ctx.total, lang, period=period)
    return Slide(
        kind="bullets",
        title=t("analysis.intro_title", lang),
        subtitle=ctx.caption(),
        lead=analysis.intro,
        groups=(BulletGroup("", (Bullet(count),)),),
        notes=f"{analysis.intro}\n{count}",
        footer=footer,
    )


def quote_sources(ctx: ReportContext, keys) -> dict[int, str]:
    ids_ = access.memo("report-ids", tuple(sorted(keys)), lambda cur: qa.report_ids(cur, keys))
    return {k: t("analysis.quote_source", ctx.lang, id=v) for k, v in ids_.items()}


def analysis_slides(ctx: ReportContext, footer: str) -> list[Slide]:
    """The key themes, a section per target group (and per service unit with phenomena of its own,
    e.g. outreach), the positive findings and where the information was taken."""
    lang, analysis = ctx.lang, ctx.analysis
    assert analysis is not None
    subtitle = ctx.caption()
    slides = _bullet_slides(
        t("analysis.kind.key_theme", lang),
        [
            BulletGroup(item.title, tuple(Bullet(b) for b in item.bullets), va.n_reports(item, lang))
            for item in analysis.key_themes
        ],
        subtitle,
        footer,
    )
    shown = va.sections(ctx)
    quoted = quote_sources(ctx, [q.report_key for section in shown for q in section.quotes])
    for section in shown:
        groups = [
            BulletGroup(
                va.kind_heading(kind, lang),
                tuple(Bullet(va.item_text(item), va.n_reports(item, lang)) for item in va.section_items(section, kind)),
            )
            for kind in va.KINDS
            if va.section_items(section, kind)
        ]
        title = t("analysis.section_title", lang, group=va.section_label(ctx, section))
        slides += _bullet_slides(title, groups, subtitle, footer)
        if section.quotes:
            slides.append(
                Slide(
                    kind="quotes",
                    title=t("analysis.quotes_title", lang, group=va.section_label(ctx, section)),
                    subtitle=subtitle,
                    items=tuple(TextItem(text=q.text, meta=quoted.get(q.report_key, "")) for q in section.quotes),
                    notes=t("slides.voices_note", lang),
                    footer=footer,
                )
            )
    positive = va.positive_findings(ctx)
    if positive:
        n_positive = int(ctx.counts("observation_type").set_index("code")["count"].get("positive", 0))
        slides += _bullet_slides(
            t("analysis.positive_title", lang),
            [BulletGroup("", tuple(Bullet(va.item_text(i), va.n_reports(i, lang)) for i in positive))],
            subtitle,
            footer,
            lead=tn("analysis.positive_lead", n_positive, lang),
        )
    slides += _bullet_slides(
        t("analysis.where_title", lang),
        _where_groups(ctx),
        subtitle,
        footer,
        lead=va.published_line(ctx),
    )
    return slides


def _where_groups(ctx: ReportContext) -> list[BulletGroup]:
    lang = ctx.lang
    destinations = va.destinations(ctx)
    groups = []
    for label in dict.fromkeys(d.label for d in destinations):
        groups.append(
            BulletGroup(
                label,
                tuple(
                    Bullet(d.name, tn("analysis.n_reports", d.count, lang)) for d in destinations if d.label == label
                ),
            )
        )
    actions = va.followup(ctx)["actions"]
    if actions:
        groups.append(BulletGroup(t("analysis.actions", lang), (Bullet(tn("analysis.actions_n", actions, lang)),)))
    if not groups:
        groups.append(BulletGroup("", (Bullet(t("analysis.where_none", lang)),)))
    return groups


def phenomenon_deck(phen: PhenomenonContext) -> Deck:
    """A theme's deck: its charts (the timeline, the areas, each linked indicator) and the proposals;
    without a theme, the half-year deck."""
    ctx = phen.reports
    if not ctx.flt.theme:
        return report_deck(ctx)
    lang = ctx.lang
    theme = ", ".join(ctx.vocab.label("theme", c, lang) for c in ctx.flt.theme)
    deck = Deck(title=theme, subtitle=ctx.caption(), lang=lang, demo=ctx.demo)
    deck.slides.append(Slide(kind="title", title=theme, subtitle=ctx.caption(), footer=ctx.source))
    drawn = PHENOMENA.walk(phen, SLIDES, SLIDE)
    timeline = next((r for c, r in drawn if c.name == "timeline"), None)
    linked = [r for c, r in drawn if c.name == "linked"]
    on_time_slide: Rendered | None = None
    if timeline is not None and linked and not timeline.empty:
        on_time_slide = linked[0]
        # The time slide as its title promises: /present draws the screen's timeline (reports per
        # half-year and the indicator panels on one axis); the deck the reports per half-year and the
        # first linked indicator as two native charts side by side. Each indicator then has a slide
        # of its own, except that the deck has drawn the first one already.
        both = (timeline, linked[0])
        deck.slides.append(
            Slide(
                kind="chart",
                title=timeline.title,
                subtitle=timeline.caption,
                charts=(timeline,),
                deck_charts=both,
                notes="\n".join(c.alt_text for c in both),
                footer=f"{timeline.caption} · {timeline.source}",
            )
        )
        drawn = [(c, r) for c, r in drawn if r is not timeline]
    for slide in _chart_slides(drawn, lang):
        drawn_already = on_time_slide is not None and slide.charts == (on_time_slide,)
        deck.slides.append(replace(slide, in_deck=False) if drawn_already else slide)
    footer = f"{ctx.caption()} · {ctx.source}"
    deck.slides.append(
        Slide(
            kind="texts",
            title=t("phen.proposals", lang),
            subtitle=ctx.caption(),
            items=_items(ctx, TEXTS_PER_SLIDE),
            footer=footer,
            empty_text=t("slides.no_texts", lang),
        )
    )
    return deck


def indicator_deck(ctx: IndicatorContext) -> Deck:
    lang = ctx.lang
    names = [ctx.meta(i)["name"] for i in ctx.flt.indicator]
    deck = Deck(
        title="; ".join(names) or t("nav.indicators", lang), subtitle=ctx.caption(), lang=lang, demo=ctx.synthetic
    )
    deck.slides.append(
        Slide(
            kind="title",
            title=deck.title,
            subtitle=ctx.caption(),
            footer=" · ".join(ctx.source(ctx.meta(i)) for i in ctx.flt.indicator[:1]),
        )
    )
    deck.slides.extend(_chart_slides(INDICATORS.walk(ctx, SLIDES, SLIDE), lang))
    return deck


def split_query(raw: str) -> tuple[str, int]:
    """The view's query string without ``slide`` (and the ``view`` older links carry),
    and the slide number (1-based)."""
    pairs = parse_qsl(raw, keep_blank_values=False)
    slide = next((v for k, v in reversed(pairs) if k == "slide"), "1")
    number = int(slide) if slide.isascii() and slide.isdigit() and len(slide) < 5 else 1
    return urlencode([(k, v) for k, v in pairs if k not in ("slide", "view")]), max(1, number)
