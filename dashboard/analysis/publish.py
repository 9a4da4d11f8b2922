"""Publishing a period's analysis: from the workspace's draft into the DuckDB
database leadership reads, in one atomic new version that records who and when.

:func:`publish` runs inside :func:`queries.db.write_new_version` (one writer at a
time; readers keep reading the old version until the swap): it reads the draft
*after* it holds the writer's lock, so two publishes in a row never put an older
draft over a newer one, checks it (:func:`check`) and writes:

- ``analyses`` (one row per county and period, revision + 1) and ``analysis_publications`` (every publication),
- the period's ``analysis_phenomena`` with their labels and supporting reports (replacing the previous ones),
- ``report_reviews`` for every report of the period: who reviewed it and decided it publishable, the privacy
  hits, the unresolved ones, the override (who, when, why) and the hash of the texts screened,
- the coordinator's decisions into the reports themselves: ``reports.publishable`` (false as well for a
  report whose texts have an unresolved privacy hit, so no leadership output shows them), ``report_themes`` of
  the reports whose themes were re-coded, ``report_support_needs`` where support needs were decided (named in
  ``report_reviews.decided_labels``, so a re-import of the county's file keeps them: ``imports.reports``).

A check that finds an error refuses the whole publication (:class:`PublishRefused`, the database untouched).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from queries import analysis as q
from queries.db import write_new_version

from ..core.i18n import t
from ..reporting import intake
from . import privacy, review, screening
from .review import _clean, _list, effective_support_needs
from .workspace import Draft, Period, Review, Workspace, WorkspaceError

REVIEW_COLUMNS = (
    "report_key, reviewed, reviewed_by, reviewed_at, publishable_by, publishable_at, privacy_hits, "
    "privacy_unresolved, override_reason, override_hits, override_by, override_at, screened_hash, published_in, "
    "decided_labels"
)


@dataclass(frozen=True)
class Problem:
    severity: str  # 'error' blocks publishing, 'warning' does not
    code: str  # the i18n key's last part: analysis.problem.<code>
    phenomenon_id: str | None = None
    report_id: str | None = None
    detail: str = ""

    def text(self, lang: str = "fi") -> str:
        return t(f"analysis.problem.{self.code}", lang, report=self.report_id or "", detail=self.detail)


class PublishRefused(WorkspaceError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.code} {p.report_id or p.phenomenon_id or ''}".strip() for p in problems))


@dataclass(frozen=True)
class Publication:
    county: str
    period_from: dt.date
    period_to: dt.date
    revision: int
    published_at: dt.datetime
    published_by: str
    phenomena: int
    reports_reviewed: int
    draft_edit_id: int | None
    warnings: tuple[Problem, ...] = ()


@dataclass
class _Report:
    key: int
    report_id: str
    publishable: bool  # effective
    decided: bool  # the coordinator decided publishable here
    themes: list[str]
    themes_decided: bool
    needs: list[str]
    needs_decided: bool
    hits: list[privacy.Hit]
    unresolved: list[privacy.Hit]
    review: Review


def _reports(frame: pd.DataFrame, reviews: dict[str, Review], ctx: privacy.Context, mapping) -> dict[str, _Report]:
    out: dict[str, _Report] = {}
    for row in frame.itertuples(index=False):
        review = reviews.get(row.report_id, Review(row.report_id))
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
        themes = review.effective("theme", _list(row.themes))
        out[row.report_id] = _Report(
            int(row.report_key),
            row.report_id,
            bool(row.publishable) if review.publishable is None else review.publishable,
            review.publishable is not None,
            themes,
            bool(review.labels.get("theme")),
            effective_support_needs(review, themes, _list(row.support_needs), mapping),
            bool(review.labels.get("support_need")),
            hits,
            open_hits,
            review,
        )
    return out


def check(draft: Draft, reports: dict[str, _Report], ctx: privacy.Context) -> list[Problem]:
    """Errors that refuse publishing and warnings the coordinator should see."""
    problems: list[Problem] = []
    for item in draft.phenomena:
        if not item.report_ids:
            problems.append(Problem("error", "no_reports", item.phenomenon_id, detail=item.title))
        for report_id in item.report_ids:
            if report_id not in reports:
                problems.append(Problem("error", "unknown_report", item.phenomenon_id, report_id, item.title))
        for hit in privacy.unresolved(
            privacy.screen_report({"title": item.title, "body": item.body}, ctx), allowed=ctx.allowed
        ):
            problems.append(Problem("error", "privacy_in_text", item.phenomenon_id, detail=hit.text))
        known = [reports[r] for r in item.report_ids if r in reports]
        if known and not any(r.publishable and not r.unresolved for r in known):
            problems.append(Problem("warning", "none_publishable", item.phenomenon_id, detail=item.title))
    for r in reports.values():
        if r.decided and r.publishable and r.unresolved:
            problems.append(Problem("error", "privacy_unresolved", report_id=r.report_id, detail=r.unresolved[0].text))
    unreviewed = sum(not r.review.reviewed for r in reports.values())
    if unreviewed:
        problems.append(Problem("warning", "unreviewed", detail=str(unreviewed)))
    return problems


def write_analysis(
    con,
    period: Period,
    draft: Draft,
    reviews: dict[str, Review],
    by: str,
    at: dt.datetime | None = None,
    allowed: frozenset[str] = frozenset(),
) -> Publication:
    """Check ``draft`` against the reports in ``con`` and write it (inside the caller's transaction)."""
    county, start, end = period.key
    at = at or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    frame = q.period_reports(con, county, start, end)
    ctx = privacy.Context(places=privacy.places_from(q.place_names(con)), allowed=frozenset(allowed))
    reports = _reports(frame, reviews, ctx, q.theme_support_needs(con))
    problems = check(draft, reports, ctx)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise PublishRefused(errors)
    key = {"county": county, "start": period.date_from, "end": period.date_to}
    previous = con.execute(
        "SELECT max(revision) FROM analysis_publications WHERE county_code = $county AND period_from = $start "
        "AND period_to = $end",
        key,
    ).fetchone()[0]
    revision = (previous or 0) + 1
    reviewed = sum(r.review.reviewed for r in reports.values())
    con.execute("DELETE FROM analyses WHERE county_code = $county AND period_from = $start AND period_to = $end", key)
    con.execute(
        "INSERT INTO analyses VALUES ($county, $start, $end, $rev, $title, $intro, $at, $by, $edit)",
        {**key, "rev": revision, "title": draft.title, "intro": draft.intro, "at": at, "by": by,
         "edit": draft.last_edit_id},
    )  # fmt: skip
    con.execute(
        "INSERT INTO analysis_publications VALUES ($county, $start, $end, $rev, $at, $by, $n, $reviewed, $edit)",
        {**key, "rev": revision, "at": at, "by": by, "n": len(draft.phenomena), "reviewed": reviewed,
         "edit": draft.last_edit_id},
    )  # fmt: skip
    old = "(SELECT phenomenon_id FROM analysis_phenomena WHERE county_code = $county AND period_from = $start AND period_to = $end)"
    con.execute(f"DELETE FROM analysis_phenomenon_labels WHERE phenomenon_id IN {old}", key)
    con.execute(f"DELETE FROM analysis_phenomenon_reports WHERE phenomenon_id IN {old}", key)
    con.execute(
        "DELETE FROM analysis_phenomena WHERE county_code = $county AND period_from = $start AND period_to = $end", key
    )
    phenomena, labels, supports = [], [], []
    for item in draft.phenomena:
        phenomena.append(
            (item.phenomenon_id, county, period.date_from, period.date_to, item.kind, item.title, item.body,
             item.service_unit, float(item.position))
        )  # fmt: skip
        for dimension, codes in (
            ("target_group", item.target_groups),
            ("theme", item.themes),
            ("support_need", item.support_needs),
        ):
            labels += [(item.phenomenon_id, dimension, c) for c in dict.fromkeys(codes)]
        quoted = set(item.quoted_report_ids)
        supports += [(item.phenomenon_id, reports[r].key, r in quoted) for r in dict.fromkeys(item.report_ids)]
    if phenomena:
        con.executemany("INSERT INTO analysis_phenomena VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", phenomena)
    if labels:
        con.executemany("INSERT INTO analysis_phenomenon_labels VALUES (?, ?, ?)", labels)
    if supports:
        con.executemany("INSERT INTO analysis_phenomenon_reports VALUES (?, ?, ?)", supports)

    published_in = "/".join(period.key)
    keys = [r.key for r in reports.values()]
    if keys:
        con.execute("DELETE FROM report_reviews WHERE report_key IN (SELECT unnest($keys))", {"keys": keys})
    rows = []
    for r in reports.values():
        rv = r.review
        decided = "|".join(d for d, done in (("theme", r.themes_decided), ("support_need", r.needs_decided)) if done)
        rows.append(
            (r.key, rv.reviewed, rv.reviewed_by, _ts(rv.reviewed_at), rv.publishable_by if r.decided else None,
             _ts(rv.publishable_at) if r.decided else None, len(r.hits), len(r.unresolved), rv.override_reason,
             "|".join(rv.override_hits) or None, rv.override_by, _ts(rv.override_at), None, published_in,
             decided or None)
        )  # fmt: skip
    # A database built before the column existed gets it here (inside this new version).
    con.execute("ALTER TABLE report_reviews ADD COLUMN IF NOT EXISTS decided_labels VARCHAR")
    if rows:
        con.executemany(f"INSERT INTO report_reviews ({REVIEW_COLUMNS}) VALUES ({', '.join('?' * 15)})", rows)
        con.execute(
            f"UPDATE report_reviews SET screened_hash = {q.text_hash_sql('r')} FROM reports r "
            "WHERE r.report_key = report_reviews.report_key AND report_reviews.published_in = $pub",
            {"pub": published_in},
        )
    if keys:
        # The import's privacy screen of these reports as the coordinator left it at publishing.
        screening.screen_stored(
            con,
            screening.Resolutions(given={county: (reviews, frozenset(allowed))}),
            "SELECT unnest($keys)",
            {"keys": keys},
            force=True,
        )
    for r in reports.values():
        # The coordinator's decision, and a text with an unresolved privacy hit is never shown to
        # leadership (the reports view, search, downloads, /present and the deck read this flag).
        if r.decided or (r.publishable and r.unresolved):
            shown = r.publishable and not r.unresolved
            con.execute("UPDATE reports SET publishable = ? WHERE report_key = ?", (shown, r.key))
        if r.themes_decided:
            con.execute("DELETE FROM report_themes WHERE report_key = ?", (r.key,))
            if r.themes:
                con.executemany("INSERT INTO report_themes VALUES (?, ?)", [(r.key, c) for c in r.themes])
        if r.needs_decided:
            con.execute("DELETE FROM report_support_needs WHERE report_key = ?", (r.key,))
            if r.needs:
                con.executemany("INSERT INTO report_support_needs VALUES (?, ?)", [(r.key, c) for c in r.needs])
    return Publication(
        county,
        period.date_from,
        period.date_to,
        revision,
        at,
        by,
        len(draft.phenomena),
        reviewed,
        draft.last_edit_id,
        tuple(p for p in problems if p.severity == "warning"),
    )


def _ts(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value)
    return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def preview(con, store: Workspace, period: Period) -> list[Problem]:
    """What publishing now would say (errors and warnings), without writing anything."""
    draft = store.draft(period)
    if draft is None:
        return [Problem("error", "no_draft")]
    frame = review.period_frame(con, store, period)
    allowed = frozenset(store.allowed_terms(period.county))
    ctx = privacy.Context(places=privacy.places_from(q.place_names(con)), allowed=allowed)
    reviews = store.reviews(period.county, frame["report_id"].tolist())
    return check(draft, _reports(frame, reviews, ctx, q.theme_support_needs(con)), ctx)


def publish(db_path: Path | str, store: Workspace, period: Period, by: str) -> Publication:
    """Publish the period's draft in one atomic new version of the database. Reports sent with
    the reporting form that wait to be moved go into the same version first, so a phenomenon
    may rest on them."""

    def work(con) -> tuple[Publication, dict]:
        moved = intake.store_pending(con, store)
        # Read the draft only now, holding the writer's lock: the newest draft wins.
        draft = store.draft(period)
        if draft is None:
            raise PublishRefused([Problem("error", "no_draft")])
        reviews = store.reviews(period.county)
        allowed = frozenset(store.allowed_terms(period.county))
        return write_analysis(con, period, draft, reviews, by, allowed=allowed), moved

    publication, moved = write_new_version(db_path, work)
    store.mark_submissions(moved)
    return publication
