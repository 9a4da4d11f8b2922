"""The slide sequence of a presentation, built once by walking the view's chart
catalogue and read by both the presentation mode (``/present``) and the
generated deck (``/download/deck.pptx``): the same slides, the same numbers.
A chart is on the slides unless its entry says it is not.

The half-year deck follows what coordinators present (seed 001): the title,
the key figures, areas, target groups, themes, service units, the trend, what came of the
reports, then per target group its observations and proposals, client
voices as quotes, the positive practices, and the leading themes' indicators.
Only publishable texts appear, the coordinator's highlights first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from ..charts.style import SLIDE, share_note
from ..core.formatting import fmt_number
from ..core.i18n import t, tn
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
class Slide:
    kind: str  # title | kpis | chart | charts | texts | quotes
    title: str
    subtitle: str = ""
    charts: tuple[Rendered, ...] = ()
    items: tuple[TextItem, ...] = ()
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


def _chart_slide(rendered: Rendered, lang: str) -> Slide:
    notes = "\n".join(x for x in (rendered.alt_text, rendered.note or "", f"{rendered.caption}", rendered.source) if x)
    return Slide(
        kind="chart",
        title=rendered.title,
        subtitle=rendered.caption,
        charts=(rendered,),
        notes=notes,
        footer=f"{rendered.caption} · {rendered.source}",
    )


def _items(ctx: ReportContext, limit: int, quotes: bool = False) -> tuple[TextItem, ...]:
    frame, _ = ctx.reading(limit, highlights_first=True)
    vocab, lang = ctx.vocab, ctx.lang
    out = []
    for row in frame.to_dict("records"):
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
    catalogue that is on slides, in its slide order."""
    lang = ctx.lang
    footer = f"{ctx.caption()} · {ctx.source}"
    county = ", ".join(ctx.vocab.label("county", c, lang) for c in ctx.flt.county) or t("caption.all_counties", lang)
    deck = Deck(title=t("slides.title", lang, county=county), subtitle=ctx.caption(), lang=lang, demo=ctx.demo)
    deck.slides.append(
        Slide(
            kind="title",
            title=deck.title,
            subtitle=ctx.caption(),
            footer=ctx.source,
            notes=t("slides.title_note", lang),
        )
    )
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
    deck.slides.extend(_text_slides(ctx, footer))
    return deck


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
    deck.slides.extend(_chart_slides(PHENOMENA.walk(phen, SLIDES, SLIDE), lang))
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
