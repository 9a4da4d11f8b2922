"""The coordinator's published half-year analysis as leadership reads it: what the
views, ``/present``, the deck and the wellbeing-report chapter show of it, from one
:class:`~dashboard.views.reports.ReportContext`.

When it shows: the filter is one county and exactly a period the coordinator
published an analysis of (``ReportContext.analysis``). A filter that only partly
matches (another period that overlaps an analysed one, several counties) shows no
analysis but offers the analysed period (``ReportContext.analysis_offers``): the
bullets and their "n raporttia" are about that period's reports, so they are never
shown under other counts. A target-group filter narrows the sections to its target
groups (the key themes stay); the other filters do not apply to the analysis, and
the view says so.

Every bullet's "n raporttia" opens exactly the reports leadership may read behind it:
``/reports?county=…&from=…&to=…&evidence=<phenomenon>`` (the filter's ``evidence``).
Only what ``queries.analysis`` gives passes here: no draft, no text of a report that
is not publishable or has an unresolved privacy hit.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from queries import access
from queries import analysis as qa
from queries import reports as q

from ..core.formatting import fmt_date, fmt_date_range
from ..core.i18n import t, tn
from .reports import ReportContext

Item = qa.Item
Section = qa.Section
KINDS = ("observation", "good_practice", "proposal")


def kind_heading(kind: str, lang: str) -> str:
    """'Havaintoja ja ilmiöitä', 'Hyviä käytäntöjä ja positiivisia havaintoja', ..."""
    return t(f"analysis.kind.{kind}", lang)


def section_label(ctx: ReportContext, section: Section) -> str:
    """'Työikäiset', 'Etsivä sosiaalityö': the section's target group or service unit in the view's language."""
    return ctx.vocab.label(section.dimension, section.code, ctx.lang)


def section_items(section: Section, kind: str) -> tuple[Item, ...]:
    return {
        "observation": section.observations,
        "good_practice": section.good_practices,
        "proposal": section.proposals,
    }[kind]


def sections(ctx: ReportContext) -> tuple[Section, ...]:
    """The analysis' sections the filter's target groups ask for (all without one)."""
    analysis = ctx.analysis
    if analysis is None:
        return ()
    groups = set(ctx.flt.target_group)
    if not groups:
        return analysis.sections
    out = []
    for section in analysis.sections:
        if section.dimension == "target_group" and section.code in groups:
            out.append(section)
        elif section.dimension == "service_unit" and any(set(i.target_groups) & groups for i in section.items()):
            out.append(section)
    return tuple(out)


def other_filters(ctx: ReportContext) -> bool:
    """Whether the view has filters beyond county, period and target group (they do not apply to the analysis)."""
    flt = ctx.flt
    return bool(
        flt.municipality
        or flt.theme
        or flt.observation_type
        or flt.service_unit
        or flt.followup_status
        or flt.client_voice
        or flt.text
    )


def evidence_query(ctx: ReportContext, item: Item) -> str:
    """The reports view's query that shows exactly the reports behind ``item``."""
    analysis = ctx.analysis
    county = analysis.county_code if analysis is not None else (ctx.flt.county or ("",))[0]
    start = analysis.period_from if analysis is not None else ctx.flt.date_from
    end = analysis.period_to if analysis is not None else ctx.flt.date_to
    pairs = [("county", county)]
    pairs += [(k, d.isoformat()) for k, d in (("from", start), ("to", end)) if d]
    pairs.append(("evidence", item.phenomenon_id))
    if ctx.lang != "fi":
        pairs.append(("lang", ctx.lang))
    return "?" + urlencode(pairs)


def evidence_href(ctx: ReportContext, item: Item) -> str:
    return "/reports" + evidence_query(ctx, item)


def n_reports(item: Item, lang: str) -> str:
    """'3 raporttia': the reports leadership may open behind the bullet."""
    return tn("analysis.n_reports", len(item.report_keys), lang)


def period_query(ctx: ReportContext, county: str, start, end) -> str:
    pairs = [("county", county), ("from", start.isoformat()), ("to", end.isoformat())]
    if ctx.lang != "fi":
        pairs.append(("lang", ctx.lang))
    return "?" + urlencode(pairs)


def period_label(county: str, start, end, ctx: ReportContext) -> str:
    return f"{ctx.vocab.label('county', county, ctx.lang)} {fmt_date_range(start, end, ctx.lang)}"


def published_line(ctx: ReportContext) -> str:
    """'Julkaissut … 14.2.2025 (versio 1)'."""
    a = ctx.analysis
    if a is None:
        return ""
    return t(
        "analysis.published",
        ctx.lang,
        who=a.published_by,
        date=fmt_date(a.published_at.date() if hasattr(a.published_at, "date") else a.published_at, ctx.lang),
        revision=a.revision,
    )


def positive_findings(ctx: ReportContext) -> tuple[Item, ...]:
    """Every good practice of the shown sections, once (a practice of two target groups is in both sections)."""
    seen: dict[str, Item] = {}
    for section in sections(ctx):
        for item in section.good_practices:
            seen.setdefault(item.phenomenon_id, item)
    return tuple(seen.values())


@dataclass(frozen=True)
class Destination:
    label: str  # 'Käsitelty', 'Välitetty'
    name: str  # the group
    count: int


def followup(ctx: ReportContext) -> dict:
    """Where the period's reports were taken (``queries.reports.followup_record``), for the analysis' period."""
    return access.memo("followup", ctx.flt.key, lambda cur: q.followup_record(cur, ctx.flt))


def destinations(ctx: ReportContext) -> list[Destination]:
    record = followup(ctx)
    out = []
    for column, key in (("handled_in", "analysis.handled_in"), ("forwarded_to", "analysis.forwarded_to")):
        for row in record[column].itertuples():
            out.append(Destination(t(key, ctx.lang), str(row.name), int(row.count)))
    return out


def item_text(item: Item) -> str:
    """A bullet as one line: its title, and its body when it has one (a key theme's body is its bullets)."""
    body = " ".join(item.body.split()) if item.kind != "key_theme" else ""
    return f"{item.title} {body}".strip() if body and body not in item.title else item.title


__all__ = [
    "Destination",
    "KINDS",
    "destinations",
    "evidence_href",
    "evidence_query",
    "followup",
    "item_text",
    "kind_heading",
    "n_reports",
    "other_filters",
    "period_label",
    "period_query",
    "positive_findings",
    "published_line",
    "section_items",
    "section_label",
    "sections",
]
