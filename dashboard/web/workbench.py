"""What the coordinator's workbench pages show (``routes/workbench.py`` serves them): the
period and language a page is for, and each page's content made from the analysis back end
(:mod:`dashboard.analysis`) as plain data for the Jinja templates. No Flask here.

- the review queue: every report of the period, unreviewed first, with its texts (privacy hits
  marked), labels and what the form said; the current report's theme and support-need
  suggestions with their reasons; the phenomena it supports;
- the phenomena: key themes, then each target group's (and each service unit's own) phenomena,
  the suggested groups of similar reports with a sentence to start from;
- publishing: the draft's title and intro (the county's, or the period's own), what publishing
  now would refuse or warn about, what leadership will read, and every publication so far.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from babel.dates import format_datetime

from queries import analysis as q

from ..analysis import phenomena as groups
from ..analysis import privacy, publish, review
from ..analysis.workspace import KINDS, Period, Workspace
from ..core.formatting import fmt_date, fmt_date_range, locale_of
from ..core.i18n import t, tn
from ..core.periods import presets
from ..core.vocabulary import Vocabulary

BASE = "/coordinator/analysis"
MAX_DAYS = 2 * 366  # the longest period a workbench opens (bounded work per page)
SECTION_KINDS = ("observation", "good_practice", "proposal")
GROUP_THRESHOLD = 0.2  # similarity within a suggested group (the demo's own groups come out at 0.2-1.0)
TEXT_FIELDS = ("observation", "client_voice", "proposal")
LIMITS = {"title": 300, "body": 6000, "intro": 6000, "note": 2000, "reason": 1000}
WHEN_PATTERNS = {"fi": "d.M.yyyy 'klo' H.mm", "sv": "d.M.yyyy 'kl.' HH.mm", "en": "d MMM yyyy, HH:mm"}


# ---- where the coordinator is --------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """The period a workbench page is for and its language; every link and form keeps both."""

    period: Period
    lang: str

    def pairs(self, **extra: str | None) -> list[tuple[str, str]]:
        county, start, end = self.period.key
        out = [("county", county), ("from", start), ("to", end)]
        out += [(k, v) for k, v in extra.items() if v]
        return out + ([("lang", self.lang)] if self.lang != "fi" else [])

    def href(self, page: str = "", anchor: str = "", **extra: str | None) -> str:
        return f"{BASE}{page}?{urlencode(self.pairs(**extra))}" + (f"#{anchor}" if anchor else "")


def parse_period(args, counties: list[str]) -> tuple[Period | None, list[str]]:
    """The period of ``county``, ``from`` and ``to`` in a query string, or None with the keys of
    what is wrong (an unknown county, a date that is none, a period too long or upside down)."""
    county, start, end = (str(args.get(k) or "").strip() for k in ("county", "from", "to"))
    if not (county or start or end):
        return None, []
    problems = []
    if county not in counties:
        problems.append("workbench.bad_county")
    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        return None, problems + ["workbench.bad_dates"]
    if last < first or (last - first).days > MAX_DAYS:
        problems.append("workbench.bad_span")
    if problems:
        return None, problems
    return Period.of(county, first, last), []


def fmt_when(value: str | dt.datetime | None, lang: str) -> str:
    """A time the workspace recorded (UTC) in the server's local time: '12.1.2025 klo 10.02'."""
    if not value:
        return ""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return format_datetime(moment.astimezone(), WHEN_PATTERNS.get(lang, WHEN_PATTERNS["en"]), locale=locale_of(lang))


def labels(vocab: Vocabulary, dimension: str, lang: str) -> dict[str, str]:
    """code -> label of a code list (``theme``, ``support_need``, ``target_group``, ``service_unit``), in its order."""
    return {code: vocab.label(dimension, code, lang) for code in vocab.codes(dimension)}


def period_label(place: Place, vocab: Vocabulary) -> str:
    county, start, end = place.period.county, place.period.date_from, place.period.date_to
    return f"{vocab.label('county', county, place.lang)} {fmt_date_range(start, end, place.lang)}"


# ---- the period chooser ----------------------------------------------------------------------------


def choices(con, vocab: Vocabulary, lang: str) -> list[dict]:
    """Each county with reports and its half-year periods (newest first) with their report
    counts and whether an analysis is published."""
    dates = q.report_dates(con)
    published = q.analysed_periods(con)
    done = {(r.county_code, _day(r.period_from), _day(r.period_to)): int(r.revision) for r in published.itertuples()}
    out = []
    for county in sorted(dates["county_code"].unique(), key=lambda c: vocab.label("county", c, lang)):
        days = dates.loc[dates["county_code"] == county, "submitted_on"]
        days = days.dt.date if hasattr(days, "dt") else days
        held_reports = dates.loc[dates["county_code"] == county, "held"].astype(bool)
        first, last = min(days), max(days)
        periods = []
        for preset in presets(first, last):
            if preset.key.startswith("year-"):
                continue
            inside = (days >= preset.start) & (days <= preset.end)
            count = int(inside.sum())
            if not count:
                continue
            held = int((inside & held_reports).sum())
            place = Place(Period.of(county, preset.start, preset.end), lang)
            revision = done.get((county, preset.start, preset.end))
            periods.append(
                {
                    "label": preset.label(lang),
                    "range": fmt_date_range(preset.start, preset.end, lang),
                    "href": place.href(),
                    "count": tn("workbench.n_reports", count, lang),
                    "status": t("workbench.published_revision", lang, revision=revision) if revision else "",
                    # Texts the import's privacy screen holds back until the hits are resolved here.
                    "held": tn("workbench.n_held", held, lang) if held else "",
                }
            )
        out.append({"code": county, "label": vocab.label("county", county, lang), "periods": periods})
    return out


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value if isinstance(value, dt.date) else value.date()


# ---- the review queue ----------------------------------------------------------------------------


@dataclass
class Queue:
    items: list[review.ReviewItem]
    done: int
    total: int

    @classmethod
    def of(cls, con, store: Workspace, period: Period) -> Queue:
        items = review.review_queue(con, store, period)
        done, total = review.progress(items)
        return cls(items, done, total)

    def index(self, report_id: str | None) -> int | None:
        return next((i for i, item in enumerate(self.items) if item.report_id == report_id), None)


def progress(queue: Queue, lang: str) -> dict:
    publishable = sum(i.publishable for i in queue.items)
    open_hits = sum(bool(i.unresolved) for i in queue.items)
    return {
        "text": review.progress_text(queue.done, queue.total, lang),
        "done": queue.done,
        "total": queue.total,
        "percent": round(100 * queue.done / queue.total) if queue.total else 100,
        "publishable": tn("workbench.n_publishable", publishable, lang),
        "open_hits": tn("workbench.n_reports_with_hits", open_hits, lang) if open_hits else "",
    }


def _from_form(item: review.ReviewItem) -> bool:
    # The reporting form's reports (branch `form`) say so themselves once that branch is merged.
    return bool(getattr(item, "from_form", False))


def queue_rows(queue: Queue, place: Place, current: str | None, vocab: Vocabulary) -> list[dict]:
    lang = place.lang
    return [
        {
            "report_id": item.report_id,
            "href": place.href(report=item.report_id),
            "date": fmt_date(item.submitted_on, lang),
            "type": item.observation_type,
            "type_label": vocab.label("observation_type", item.observation_type, lang),
            "reviewed": item.reviewed,
            "publishable": item.publishable,
            "hits": len(item.unresolved),
            "from_form": _from_form(item),
            "current": item.report_id == current,
            "snippet": _snippet(item.observation),
        }
        for item in queue.items
    ]


def _snippet(text: str | None, length: int = 70) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _hit_rows(item: review.ReviewItem, lang: str) -> list[dict]:
    open_ids = {h.hit_id for h in item.unresolved}
    dismissed = item.review.dismissed_hits
    overridden = set(item.review.override_hits)
    rows = []
    for number, hit in enumerate(item.hits, start=1):
        if hit.hit_id in open_ids:
            state = "open"
        elif hit.hit_id in dismissed:
            state = "dismissed"
        elif hit.hit_id in overridden:
            state = "overridden"
        else:
            state = "allowed"  # a word the county allows everywhere
        rows.append(
            {
                "number": number,
                "hit_id": hit.hit_id,
                "kind": hit.kind,
                "kind_label": t(f"analysis.privacy.{hit.kind}", lang),
                "text": hit.text,
                "field_label": t(f"col.{hit.field}", lang),
                "reason": t(f"workbench.hit_reason.{hit.reason}", lang),
                "state": state,
                "state_label": t(f"workbench.hit_state.{state}", lang),
                "can_allow": hit.kind == "name",
            }
        )
    return rows


def _texts(item: review.ReviewItem, hits: list[dict], lang: str) -> list[dict]:
    by_id = {h["hit_id"]: h for h in hits}
    out = []
    for name in TEXT_FIELDS:
        text = item.texts[name]
        if not text:
            continue
        mine = [h for h in item.hits if h.field == name]
        pieces = [(piece, by_id[hit.hit_id] if hit else None) for piece, hit in privacy.highlight_spans(text, mine)]
        out.append({"field": name, "label": t(f"col.{name}", lang), "pieces": pieces})
    return out


def _label_rows(
    dimension: str,
    item: review.ReviewItem,
    labels: dict[str, str],
    imported: list[str],
    effective: list[str],
    suggestions: list,
    lang: str,
    place: Place,
    in_period: set[str],
) -> dict:
    decided = item.review.labels.get(dimension, {})
    current = []
    for code in effective:
        decision = decided.get(code)
        if decision and decision[0] == "accepted":
            source = t(
                "workbench.label_from_suggestion" if decision[1] == "suggestion" else "workbench.label_added",
                lang,
                who=decision[3],
            )
        elif code in imported:
            source = t("workbench.label_imported", lang)
        else:
            source = t("workbench.label_mapped", lang)  # a support need its themes map to
        current.append({"code": code, "label": labels.get(code, code), "source": source})
    removed = [
        {"code": c, "label": labels.get(c, c), "who": d[3]}
        for c, d in decided.items()
        if d[0] == "rejected" and c not in effective and (c in imported or dimension == "support_need")
    ]
    rejected_codes = {c for c, d in decided.items() if d[0] == "rejected"}
    offered: list[dict] = []
    for s in suggestions:
        if s.code in rejected_codes:
            continue
        offered.append(
            {
                "number": len(offered) + 1,
                "code": s.code,
                "label": labels.get(s.code, s.code),
                "why": ", ".join(s.why()),
                "score": s.score,
                "similar": [
                    {"report_id": r, "href": place.href(report=r) if r in in_period else None} for r in s.similar
                ],
            }
        )
    turned_down = [
        {"code": c, "label": labels.get(c, c), "who": d[3]}
        for c, d in decided.items()
        if d[0] == "rejected" and c not in imported and dimension == "theme"
    ]
    return {
        "dimension": dimension,
        "current": current,
        "removed": removed,
        "suggestions": offered,
        "turned_down": turned_down,
        "options": [{"code": c, "label": label} for c, label in labels.items() if c not in effective],
    }


def report_view(
    con,
    store: Workspace,
    place: Place,
    queue: Queue,
    item: review.ReviewItem,
    vocab: Vocabulary,
    draft_phenomena: list,
    suggestion_offset: int = 0,
) -> dict:
    """The current report: what the form said, its texts with the hits marked, its review,
    its themes and support needs with suggestions, the phenomena it supports."""
    lang = place.lang
    rv = item.review
    hits = _hit_rows(item, lang)
    suggestions = review.suggestions_for(con, store, place.period, item)
    themes = labels(vocab, "theme", lang)
    needs = labels(vocab, "support_need", lang)
    in_period = {i.report_id for i in queue.items}
    theme_panel = _label_rows(
        "theme", item, themes, item.imported_themes, item.themes, suggestions["theme"], lang, place, in_period
    )
    need_panel = _label_rows(
        "support_need", item, needs, [], item.support_needs, suggestions["support_need"], lang, place, in_period
    )
    for row in need_panel["suggestions"]:  # keys 1-9 accept the themes' suggestions, then the support needs'
        row["number"] += len(theme_panel["suggestions"])
    kinds = {k: t(f"analysis.kind.{k}", lang) for k in KINDS}
    supports = [p for p in draft_phenomena if item.report_id in p.report_ids]
    return {
        "report_id": item.report_id,
        "date": fmt_date(item.submitted_on, lang),
        "unit": vocab.label("service_unit", item.service_unit, lang),
        "type": item.observation_type,
        "type_label": vocab.label("observation_type", item.observation_type, lang),
        "areas": [vocab.label("area", a, lang) for a in item.areas],
        "target_groups": [vocab.label("target_group", g, lang) for g in item.target_groups],
        "imported_themes": [themes.get(c, c) for c in item.imported_themes],
        "imported_publishable": item.imported_publishable,
        "from_form": _from_form(item),
        "texts": _texts(item, hits, lang),
        "hits": hits,
        "open_hits": len(item.unresolved),
        "reviewed": item.reviewed,
        "reviewed_by": rv.reviewed_by or "",
        "reviewed_at": fmt_when(rv.reviewed_at, lang),
        "publishable": item.publishable,
        "decided": rv.publishable is not None,
        "publishable_by": rv.publishable_by or "",
        "publishable_at": fmt_when(rv.publishable_at, lang),
        "override": (
            {"reason": rv.override_reason, "by": rv.override_by, "at": fmt_when(rv.override_at, lang)}
            if rv.override_reason
            else None
        ),
        "note": rv.note,
        "version": rv.version,
        "themes": theme_panel,
        "needs": need_panel,
        "supports": [
            {"pid": p.phenomenon_id, "title": p.title, "kind": kinds[p.kind], "last": len(p.report_ids) == 1}
            for p in supports
        ],
        "phenomenon_options": [
            {"pid": p.phenomenon_id, "title": p.title, "kind": kinds[p.kind]}
            for p in draft_phenomena
            if item.report_id not in p.report_ids
        ],
    }


def neighbours(queue: Queue, place: Place, index: int) -> dict:
    """Links to the previous and next report of the queue and to the next unreviewed one."""
    items = queue.items
    prev_item = items[index - 1] if index > 0 else None
    next_item = items[index + 1] if index + 1 < len(items) else None
    after = items[index + 1 :] + items[:index]
    unreviewed = next((i for i in after if not i.reviewed), None)
    return {
        "prev": place.href(report=prev_item.report_id) if prev_item else None,
        "next": place.href(report=next_item.report_id) if next_item else None,
        # Every report reviewed: accepting goes on to the next one (or stays on the last).
        "next_unreviewed": place.href(report=(unreviewed or next_item or items[index]).report_id),
        "position": t("workbench.position", place.lang, n=index + 1, total=len(items)),
    }


# ---- phenomena -------------------------------------------------------------------------------------


@dataclass
class Section:
    key: str
    label: str
    dimension: str  # 'key_theme', 'target_group' or 'service_unit'
    code: str | None
    kinds: list[dict] = field(default_factory=list)


def phenomena_page(
    con, store: Workspace, place: Place, queue: Queue, vocab: Vocabulary, preselect: set[str], edit: str | None = None
):
    """Sections (key themes; each target group; each service unit with phenomena of its own), each
    kind's phenomena in them, the suggested groups, and the reports to choose supporting ones from.
    Each phenomenon is a short summary; the one being edited (``edit``) comes with its forms (the
    page's script fetches a card's forms when it is opened: 98 phenomena with every form would
    make a page of 2 MB)."""
    lang = place.lang
    draft = store.draft(place.period)
    items = draft.phenomena if draft else []
    deleted = [p for p in store.phenomena(place.period, include_deleted=True) if p.deleted]
    themes = labels(vocab, "theme", lang)
    needs = labels(vocab, "support_need", lang)
    group_labels = labels(vocab, "target_group", lang)
    unit_labels = labels(vocab, "service_unit", lang)
    reports = {i.report_id: i for i in queue.items}
    visible = {r for r, i in reports.items() if i.publishable and not i.unresolved}

    def card(p) -> dict:
        load = place.href(page="/phenomena", edit=p.phenomenon_id)
        shown = sum(r in visible for r in p.report_ids)
        meta = [
            ", ".join(group_labels.get(g, g) for g in p.target_groups),
            unit_labels.get(p.service_unit, "") if p.service_unit else "",
            ", ".join(themes.get(c, c) for c in p.themes),
            t("workbench.support_counts", lang, n=tn("analysis.n_reports", len(p.report_ids), lang), visible=shown),
        ]
        out = {
            "pid": p.phenomenon_id,
            "kind": p.kind,
            "kind_label": t(f"analysis.kind.{p.kind}", lang),
            "title": p.title,
            "meta": " · ".join(m for m in meta if m),
            "none_visible": not shown,
            "load": load,
            "back": f"{load}#p-{p.phenomenon_id}",
            "deleted": p.deleted,
            "version": p.version,
            "full": p.phenomenon_id == edit,
        }
        if not out["full"]:
            return out
        return out | {
            "body": p.body,
            "service_unit": p.service_unit or "",
            "updated": t("workbench.updated", lang, who=p.updated_by, when=fmt_when(p.updated_at, lang)),
            "target_groups": p.target_groups,
            "themes": [{"code": c, "label": themes.get(c, c)} for c in p.themes],
            "theme_options": [{"code": c, "label": label} for c, label in themes.items() if c not in p.themes],
            "needs": [{"code": c, "label": needs.get(c, c)} for c in p.support_needs],
            "need_options": [{"code": c, "label": label} for c, label in needs.items() if c not in p.support_needs],
            "reports": [
                {
                    "report_id": r,
                    "href": place.href(report=r),
                    "known": r in reports,
                    "visible": r in visible,
                    "quoted": r in p.quoted_report_ids,
                    "has_voice": bool(reports[r].client_voice) if r in reports else False,
                    "snippet": _snippet(reports[r].observation, 90) if r in reports else "",
                }
                for r in p.report_ids
            ],
            "report_options": [
                {"report_id": r, "label": f"{r} – {_snippet(i.observation, 60)}"}
                for r, i in reports.items()
                if r not in p.report_ids
            ],
        }

    seen: dict[str, str] = {}  # a phenomenon of several target groups is edited where it first shows

    def cards(members: list, where: str) -> list[dict]:
        out = []
        for p in members:
            if p.phenomenon_id in seen:
                out.append({"pid": p.phenomenon_id, "title": p.title, "ref": seen[p.phenomenon_id]})
            else:
                seen[p.phenomenon_id] = where
                out.append(card(p))
        return out

    sections = [Section("key_themes", t("analysis.kind.key_theme", lang), "key_theme", None)]
    sections[0].kinds = [
        {
            "kind": "key_theme",
            "label": t("analysis.kind.key_theme", lang),
            "cards": cards([p for p in items if p.kind == "key_theme"], sections[0].label),
        }
    ]
    frame = review_frame(queue)
    for code, label in group_labels.items():
        section = Section(f"tg-{code}", label, "target_group", code)
        for kind in SECTION_KINDS:
            members = [p for p in items if p.kind == kind and not p.service_unit and code in p.target_groups]
            suggested = groups.suggest_groups(frame, code, kind, threshold=GROUP_THRESHOLD)
            section.kinds.append(
                {
                    "kind": kind,
                    "label": t(f"analysis.kind.{kind}", lang),
                    "cards": cards(members, label),
                    "groups": [_group_row(g, members, reports, themes, lang) for g in suggested],
                }
            )
        sections.append(section)
    for code, label in unit_labels.items():
        members = [p for p in items if p.service_unit == code and p.kind != "key_theme"]
        if not members:
            continue
        section = Section(f"su-{code}", label, "service_unit", code)
        section.kinds = [
            {
                "kind": kind,
                "label": t(f"analysis.kind.{kind}", lang),
                "cards": cards([p for p in members if p.kind == kind], label),
            }
            for kind in SECTION_KINDS
        ]
        sections.append(section)
    report_rows = [
        {
            "report_id": i.report_id,
            "date": fmt_date(i.submitted_on, lang),
            "type_label": vocab.label("observation_type", i.observation_type, lang),
            "groups": i.target_groups,
            "group_labels": ", ".join(group_labels.get(g, g) for g in i.target_groups),
            "snippet": _snippet(i.observation, 110),
            "checked": i.report_id in preselect,
            "visible": i.report_id in visible,
        }
        for i in sorted(queue.items, key=lambda i: (i.submitted_on, i.report_id))
    ]
    return {
        "sections": sections,
        "count": len(items),
        "deleted": [card(p) for p in deleted],
        "reports": report_rows,
        "group_labels": group_labels,
        "unit_labels": unit_labels,
        "theme_labels": themes,
        "kinds": [(k, t(f"analysis.kind.{k}", lang)) for k in KINDS],
    }


def review_frame(queue: Queue) -> list[groups.ReportText]:
    """The period's reports as the group suggestions read them (with the coordinator's themes)."""
    return [
        groups.ReportText(
            i.report_id,
            i.observation_type,
            i.observation,
            i.client_voice,
            i.proposal,
            tuple(i.target_groups),
            tuple(i.themes),
        )
        for i in queue.items
    ]


def _group_row(g: groups.GroupSuggestion, members: list, reports: dict, themes: dict, lang: str) -> dict:
    taken = {r: p.title for p in members for r in p.report_ids}
    return {
        "report_ids": list(g.report_ids),
        "sentence": g.sentence,
        "sentence_report": g.sentence_report,
        "words": ", ".join(g.words),
        "themes": list(g.themes),
        "theme_labels": ", ".join(themes.get(c, c) for c in g.themes),
        "in_use": sorted({taken[r] for r in g.report_ids if r in taken}),
        "reports": [{"report_id": r, "snippet": _snippet(reports[r].observation, 90)} for r in g.report_ids],
    }


# ---- publishing ------------------------------------------------------------------------------------


def publish_page(con, store: Workspace, place: Place, queue: Queue, vocab: Vocabulary) -> dict:
    lang = place.lang
    period = place.period
    draft = store.draft(period)
    problems = publish.preview(con, store, period)
    history = q.publications(con, *period.key)
    latest = history.iloc[0] if len(history) else None
    county_text = store.county_intro(period.county)
    own_intro = ""
    if draft is not None and draft.intro_own:
        own_intro = draft.intro
    analysis_version = draft.version if draft else 0
    changed = 0
    if latest is not None and draft is not None:
        changed = edits_since(store, period, queue, draft, latest.draft_edit_id)
    return {
        "title": draft.title if draft else "",
        "analysis_version": analysis_version,
        "county_intro": county_text.intro,
        "county_intro_version": county_text.version,
        "county_intro_updated": (
            t("workbench.updated", lang, who=county_text.updated_by, when=fmt_when(county_text.updated_at, lang))
            if county_text.version > 1
            else ""
        ),
        "own_intro": own_intro,
        "errors": [_problem(p, place) for p in problems if p.severity == "error"],
        "warnings": [_problem(p, place) for p in problems if p.severity == "warning"],
        "outline": (
            outline(draft, queue, lang, labels(vocab, "target_group", lang), labels(vocab, "service_unit", lang))
            if draft
            else []
        ),
        "history": [
            {
                "revision": int(r.revision),
                "when": fmt_when(r.published_at.to_pydatetime(), lang),
                "by": r.published_by,
                "phenomena": tn("workbench.n_phenomena", int(r.phenomena), lang),
                "reviewed": tn("workbench.n_reviewed", int(r.reports_reviewed), lang),
            }
            for r in history.itertuples()
        ],
        "published": (
            t(
                "workbench.published_by",
                lang,
                revision=int(latest.revision),
                when=fmt_when(latest.published_at.to_pydatetime(), lang),
                who=latest.published_by,
            )
            if latest is not None
            else t("workbench.not_published", lang)
        ),
        "changed": tn("workbench.n_changes", changed, lang) if changed else "",
        "next_revision": int(latest.revision) + 1 if latest is not None else 1,
        "has_draft": draft is not None,
    }


def _problem(p: publish.Problem, place: Place) -> dict:
    href = None
    if p.report_id:
        href = place.href(report=p.report_id)
    elif p.phenomenon_id:
        href = place.href(page="/phenomena", anchor=f"p-{p.phenomenon_id}")
    return {"text": p.text(place.lang), "href": href}


def edits_since(store: Workspace, period: Period, queue: Queue, draft, edit_id) -> int:
    """How many changes of this period's draft the journal has after the published one."""
    if edit_id is None or edit_id != edit_id:  # NULL, NaN
        return 0
    keys = {"/".join(period.key)}
    keys |= {p.phenomenon_id for p in store.phenomena(period, include_deleted=True)}
    keys |= {f"{period.county}/{i.report_id}" for i in queue.items}
    edits = store.edits(period.county, since=int(edit_id), limit=100_000)
    return sum(e["entity_key"] in keys and e["field"] not in ("created", "opened_from") for e in edits)


def outline(draft, queue: Queue, lang: str, group_labels: dict, unit_labels: dict) -> list[dict]:
    """What leadership will read, in the order they will read it: key themes, then each target
    group's and each service unit's phenomena, with how many of their reports leadership can open."""
    visible = {i.report_id for i in queue.items if i.publishable and not i.unresolved}

    def row(p) -> dict:
        shown = sum(r in visible for r in p.report_ids)
        return {
            "title": p.title,
            "kind": t(f"analysis.kind.{p.kind}", lang),
            "n": tn("analysis.n_reports", shown, lang),
        }

    items = draft.phenomena
    out: list[dict] = [
        {"label": t("analysis.kind.key_theme", lang), "rows": [row(p) for p in items if p.kind == "key_theme"]}
    ]
    in_sections = [p for p in items if p.kind != "key_theme"]
    for code, label in group_labels.items():
        members = [p for p in in_sections if not p.service_unit and code in p.target_groups]
        out.append({"label": label, "rows": [row(p) for p in sorted(members, key=_kind_order)]})
    for code, label in unit_labels.items():
        members = [p for p in in_sections if p.service_unit == code]
        if members:
            out.append({"label": label, "rows": [row(p) for p in sorted(members, key=_kind_order)]})
    homeless = [p for p in in_sections if not p.service_unit and not p.target_groups]
    if homeless:
        out.append({"label": t("workbench.no_section", lang), "rows": [row(p) for p in homeless], "warning": True})
    return [section for section in out if section["rows"]]


def _kind_order(p) -> int:
    return KINDS.index(p.kind)
