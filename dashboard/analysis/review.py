"""Review state per report: the queue of a period (unreviewed first), progress,
accepted themes, the publishable decision and the privacy screen that guards it.

The workbench pages call these functions with a read-only DuckDB cursor (the
period's reports) and the :class:`~dashboard.analysis.workspace.Workspace`
(the coordinator's decisions). Nothing here writes DuckDB: publishing does.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import pandas as pd

from queries import analysis as q

from ..core.i18n import t
from ..reporting import intake
from . import privacy, suggest
from .workspace import Period, Review, Workspace, WorkspaceError


class PrivacyUnresolved(WorkspaceError):
    """A report with unresolved privacy hits cannot be marked publishable without an override."""

    def __init__(self, report_id: str, hits: list[privacy.Hit]):
        self.report_id, self.hits = report_id, hits
        super().__init__(f"{report_id}: {len(hits)} unresolved privacy hit(s)")


@dataclass
class ReviewItem:
    """One report of the queue: what the form said, what the coordinator decided."""

    report_key: int
    report_id: str
    submitted_on: dt.date
    service_unit: str
    observation_type: str
    observation: str
    client_voice: str | None
    proposal: str | None
    imported_publishable: bool
    target_groups: list[str]
    areas: list[str]
    imported_themes: list[str]
    themes: list[str]  # after the coordinator's decisions
    support_needs: list[str]  # confirmed, else mapped from the themes
    review: Review
    hits: list[privacy.Hit] = field(default_factory=list)
    unresolved: list[privacy.Hit] = field(default_factory=list)

    @property
    def reviewed(self) -> bool:
        return self.review.reviewed

    @property
    def pending(self) -> bool:
        """Sent with the reporting form and not yet in the database (``report_key`` is then minus
        the submission's number); its id, and the decisions made on it, stay when it is moved."""
        return self.report_key < 0

    @property
    def from_form(self) -> bool:
        return self.report_id.startswith(intake.REPORT_ID_PREFIX)

    @property
    def publishable(self) -> bool:
        """The coordinator's decision, else the import's value."""
        return self.imported_publishable if self.review.publishable is None else self.review.publishable

    @property
    def texts(self) -> dict[str, str | None]:
        return {"observation": self.observation, "client_voice": self.client_voice, "proposal": self.proposal}


def screening_context(con, store: Workspace | None, county: str) -> privacy.Context:
    allowed = store.allowed_terms(county) if store is not None else set()
    return privacy.Context(places=_places(con), allowed=frozenset(allowed))


_places_cache: dict[int, frozenset[str]] = {}


def _places(con) -> frozenset[str]:
    names = q.place_names(con)
    key = hash(tuple(names))
    if key not in _places_cache:
        _places_cache.clear()
        _places_cache[key] = privacy.places_from(names)
    return _places_cache[key]


def _clean(value) -> str | None:
    return None if value is None or (isinstance(value, float) and value != value) else str(value)


def _list(value) -> list[str]:
    return [] if value is None or (isinstance(value, float) and value != value) else [str(v) for v in value]


def effective_support_needs(
    review: Review, themes: list[str], confirmed: list[str], mapping: dict[str, list[str]]
) -> list[str]:
    base = confirmed or list(dict.fromkeys(s for th in themes for s in mapping.get(th, [])))
    return review.effective("support_need", base)


def period_frame(con, store: Workspace, period: Period) -> pd.DataFrame:
    """The period's reports in the database and those sent with the reporting form that wait
    to be moved there (new, unclassified, not publishable)."""
    frame = q.period_reports(con, *period.key)
    waiting = intake.pending_frame(con, store, period.county, period.date_from, period.date_to)
    if waiting.empty:
        return frame
    waiting = waiting[~waiting["report_id"].isin(frame["report_id"])]  # moved meanwhile
    return pd.concat([frame, waiting.astype({"report_key": frame["report_key"].dtype})], ignore_index=True)


def items_for(con, store: Workspace, period: Period, frame=None) -> list[ReviewItem]:
    """Every report of the period with its review and privacy hits, in date order (reports
    from the form that wait to be moved into the database too)."""
    frame = period_frame(con, store, period) if frame is None else frame
    reviews = store.reviews(period.county, frame["report_id"].tolist())
    ctx = screening_context(con, store, period.county)
    mapping = q.theme_support_needs(con)
    out: list[ReviewItem] = []
    for row in frame.itertuples(index=False):
        review = reviews.get(row.report_id, Review(row.report_id))
        imported = _list(row.themes)
        themes = review.effective("theme", imported)
        hits = privacy.screen_report(
            {
                "observation": row.observation,
                "client_voice": _clean(row.client_voice),
                "proposal": _clean(row.proposal),
            },
            ctx,
        )
        covered = set(review.override_hits)
        open_hits = [h for h in privacy.unresolved(hits, review.dismissed_hits, ctx.allowed) if h.hit_id not in covered]
        out.append(
            ReviewItem(
                int(row.report_key),
                row.report_id,
                row.submitted_on if isinstance(row.submitted_on, dt.date) else row.submitted_on.date(),
                row.service_unit,
                row.observation_type,
                row.observation,
                _clean(row.client_voice),
                _clean(row.proposal),
                bool(row.publishable),
                _list(row.target_groups),
                _list(row.areas),
                imported,
                themes,
                effective_support_needs(review, themes, _list(row.support_needs), mapping),
                review,
                hits,
                open_hits,
            )
        )
    return out


def review_queue(con, store: Workspace, period: Period) -> list[ReviewItem]:
    """The period's reports, unreviewed first (then by date and id)."""
    items = items_for(con, store, period)
    return sorted(items, key=lambda i: (i.reviewed, i.submitted_on, i.report_id))


def progress(items: list[ReviewItem]) -> tuple[int, int]:
    return sum(i.reviewed for i in items), len(items)


def progress_text(done: int, total: int, lang: str = "fi") -> str:
    """ "28 / 40 käsitelty"."""
    return t("analysis.progress", lang, done=done, total=total)


def set_publishable(
    con,
    store: Workspace,
    period: Period,
    report_id: str,
    publishable: bool | None,
    by: str,
    base_version: int | None = None,
    override_reason: str | None = None,
) -> int:
    """Record the publishable decision. Marking a report publishable while the privacy
    screen has unresolved hits raises :class:`PrivacyUnresolved`, unless an override
    reason is given: then the override is recorded with who, when, why and the hits."""
    unresolved: list[privacy.Hit] = []
    if publishable:
        frame = period_frame(con, store, period)
        frame = frame[frame["report_id"] == str(report_id)]
        if frame.empty:
            raise WorkspaceError(f"{report_id} is not a report of this period")
        (item,) = items_for(con, store, period, frame)
        unresolved = item.unresolved
        if unresolved and not (override_reason or "").strip():
            raise PrivacyUnresolved(str(report_id), unresolved)
    return store.record_publishable(
        period.county,
        str(report_id),
        publishable,
        base_version,
        by,
        override_reason=(override_reason or "").strip() if unresolved else None,
        override_hits=[h.hit_id for h in unresolved],
    )


def dismiss_hit(store: Workspace, county: str, report_id: str, hit: privacy.Hit, by: str, allow_everywhere=False):
    """ "Not personal data": this hit, and with ``allow_everywhere`` (names only) the word in the whole county."""
    store.dismiss_hit(county, report_id, hit.hit_id, hit.kind, hit.text, by)
    if allow_everywhere and hit.kind == "name":
        store.allow_term(county, hit.text, by)


# ---- suggestions ------------------------------------------------------------------------------------

_suggesters: OrderedDict[tuple, tuple[suggest.Suggester, suggest.Suggester]] = OrderedDict()
_lock = threading.Lock()


def suggesters(con, store: Workspace, period: Period) -> tuple[suggest.Suggester, suggest.Suggester]:
    """The theme and support-need suggesters of a county, trained on its confirmed
    classifications: every report reviewed in the workbench (drafts included) or
    published as reviewed, and the reports of other periods (their imported themes
    are the county's earlier classification). Unreviewed reports of this period are
    not learnt from. Retrained when a decision or the database changes."""
    county_frame = q.county_reports(con, period.county)
    token = (
        str(store.path),
        period.key,
        store.last_edit_id(period.county),
        len(county_frame),
        int(county_frame["report_key"].sum()) if len(county_frame) else 0,
        tuple(q.code_keywords(con, "themes").items()),
    )
    with _lock:
        if token in _suggesters:
            _suggesters.move_to_end(token)
            return _suggesters[token]
    reviews = store.reviews(period.county)
    mapping = q.theme_support_needs(con)
    themes_docs, needs_docs = [], []
    for row in county_frame.itertuples(index=False):
        review = reviews.get(row.report_id, Review(row.report_id))
        in_period = period.date_from <= _as_date(row.submitted_on) <= period.date_to
        if in_period and not (review.reviewed or row.reviewed):
            continue
        lemma_list = suggest.analyse([row.observation, _clean(row.client_voice), _clean(row.proposal)])[0]
        themes = review.effective("theme", _list(row.themes))
        needs = effective_support_needs(review, themes, _list(row.support_needs), mapping)
        themes_docs.append(suggest.Document(row.report_id, lemma_list, frozenset(themes)))
        needs_docs.append(suggest.Document(row.report_id, lemma_list, frozenset(needs)))
    theme_kw = {c: suggest.parse_keywords(k) for c, k in q.code_keywords(con, "themes").items()}
    need_kw = {c: suggest.parse_keywords(k) for c, k in q.code_keywords(con, "support_needs").items()}
    pair = (suggest.Suggester.build(theme_kw, themes_docs), suggest.Suggester.build(need_kw, needs_docs))
    with _lock:
        _suggesters[token] = pair
        while len(_suggesters) > 8:
            _suggesters.popitem(last=False)
    return pair


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else value.date()


def suggestions_for(con, store: Workspace, period: Period, item: ReviewItem, top: int = 5) -> dict[str, list]:
    """Suggested themes and support needs for one report ('theme' and 'support_need'),
    each with the words that made it; codes already on the report are left out."""
    themes, needs = suggesters(con, store, period)
    texts = [item.observation, item.client_voice, item.proposal]
    return {
        "theme": [s for s in themes.suggest(texts, top + len(item.themes), exclude=item.report_id) if s.code not in item.themes][:top],
        "support_need": [
            s for s in needs.suggest(texts, top + len(item.support_needs), exclude=item.report_id)
            if s.code not in item.support_needs
        ][:top],
    }  # fmt: skip


def accept_suggestion(store: Workspace, county: str, report_id: str, dimension: str, s: suggest.Suggestion, by: str):
    store.decide_label(county, report_id, dimension, s.code, "accepted", by, "suggestion", ", ".join(s.why()))
