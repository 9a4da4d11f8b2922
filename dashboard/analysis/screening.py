"""The privacy screen at import: every report's texts are screened when they enter the database
(a file import, a re-import, the reporting form's intake), with the same screen the coordinator's
workbench uses (:mod:`dashboard.analysis.privacy`), and what is still unresolved is stored beside
the report in ``report_screening``. Leadership's queries read that table through the one
publishable rule (:func:`queries.visibility.text_visible`): a report with an unresolved hit is not
publishable, whatever the county's file said, until the coordinator dismisses the hit or overrides
it in the workbench (:func:`refresh` writes that decision into the database at once).

A hit is resolved as the workbench resolves it (:func:`dashboard.analysis.review.items_for`): the
coordinator dismissed it ("Ei henkilötieto"), an override covers it, or (a name) the county allows
the word. Those decisions live in the workspace (:class:`~dashboard.analysis.workspace.Workspace`);
:class:`Resolutions` reads them for the writer, holding the writer's lock, so the newest decision wins.

Cost: a report is screened again only when its texts changed or a hit still holds it back (a
re-import of the same file screens almost nothing); the jobs screen a file before taking the
writer's lock (:func:`prescreen`), so the store under the lock only looks the hits up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from queries import visibility
from queries.db import open_read_only, write_new_version

from . import privacy
from .workspace import Review, Workspace, workspace_path

TABLE_SQL = """CREATE TABLE IF NOT EXISTS report_screening (
    report_key    INTEGER PRIMARY KEY,
    screened_hash VARCHAR NOT NULL,
    hits          INTEGER NOT NULL DEFAULT 0,
    unresolved    INTEGER NOT NULL DEFAULT 0,
    open_hits     VARCHAR
)"""
TEXTS = ("observation", "client_voice", "proposal")
Key = tuple[str, str, str, str]  # county and the three texts ('' for none)


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


@dataclass
class Resolutions:
    """The coordinator's decisions that resolve hits: per county the allowed words, per report the
    dismissed hits and those an override covers. From a workspace, or given (publishing)."""

    store: Workspace | None = None
    given: dict[str, tuple[dict[str, Review], frozenset[str]]] = field(default_factory=dict)

    @classmethod
    def beside(cls, db_path: Path | str) -> Resolutions:
        """The workspace beside the database, if there is one (none: nothing is resolved yet)."""
        path = workspace_path(db_path)
        return cls(Workspace(path) if path.exists() else None)

    def allowed(self, county: str) -> frozenset[str]:
        if county in self.given:
            return self.given[county][1]
        return frozenset(self.store.allowed_terms(county)) if self.store is not None else frozenset()

    def resolved(self, county: str, report_ids: Iterable[str]) -> dict[str, set[str]]:
        if county in self.given:
            reviews = self.given[county][0]
        elif self.store is not None:
            reviews = self.store.reviews(county, list(report_ids))
        else:
            return {}
        return {rid: set(r.dismissed_hits) | set(r.override_hits) for rid, r in reviews.items()}


def context(con, allowed: frozenset[str]) -> privacy.Context:
    names = [n for row in con.execute("SELECT name_fi, name_sv FROM regions").fetchall() for n in row if n]
    return privacy.Context(places=privacy.places_from(names), allowed=allowed)


def screen(key: Key, ctx: privacy.Context) -> list[privacy.Hit]:
    """The hits in a report's texts, as the workbench finds them."""
    _county, *texts = key
    return privacy.screen_report({name: text or None for name, text in zip(TEXTS, texts)}, ctx)


def prescreen(con, frame, resolutions: Resolutions) -> dict[Key, list[privacy.Hit]]:
    """Screen the texts of a parsed file (``county_code`` and the three texts) before the writer's
    lock is taken; :func:`screen_stored` uses the result for every report whose texts are these."""
    out: dict[Key, list[privacy.Hit]] = {}
    contexts: dict[str, privacy.Context] = {}
    unchanged = _unchanged(con, frame)
    columns = [frame[c].tolist() for c in ("county_code", "report_id", *TEXTS)]
    for county, report_id, *texts in zip(*columns):
        key = (county, *(_text(t) for t in texts))
        if key in out or (county, report_id) in unchanged:
            continue
        ctx = contexts.get(county)
        if ctx is None:
            ctx = contexts[county] = context(con, resolutions.allowed(county))
        out[key] = screen(key, ctx)
    return out


def _unchanged(con, frame) -> set[tuple[str, str]]:
    """(county, id) of the file's reports stored with these very texts and screened already."""
    if not _has_table(con):
        return set()
    con.register("prescreen_frame", frame[["county_code", "report_id", *TEXTS]])
    try:
        return set(
            con.execute(
                f"SELECT i.county_code, i.report_id FROM prescreen_frame i "
                f"JOIN reports r USING (county_code, report_id) JOIN report_screening s USING (report_key) "
                f"WHERE s.unresolved = 0 AND s.screened_hash = {visibility.text_hash('i')} "
                f"AND s.screened_hash = {visibility.text_hash('r')}"
            ).fetchall()
        )
    finally:
        con.unregister("prescreen_frame")


def _has_table(con) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'report_screening'").fetchall()[0][0]
    )


def ensure_table(con) -> None:
    con.execute(TABLE_SQL)


def screen_stored(
    con,
    resolutions: Resolutions,
    keys_sql: str | None = None,
    params: dict | None = None,
    force: bool = False,
    cache: dict[Key, list[privacy.Hit]] | None = None,
) -> int:
    """Screen the stored reports ``keys_sql`` selects (a query of report keys; all when None) inside
    the caller's transaction and store what is unresolved. Without ``force`` only reports whose texts
    changed since they were screened and those still held back (the coordinator's decisions applied
    again); ``force`` all of them. Returns
    how many reports were screened."""
    ensure_table(con)
    conditions = []
    if keys_sql:
        conditions.append(f"r.report_key IN ({keys_sql})")
    if not force:
        # Texts changed since, or still held back (the coordinator's decisions are applied again).
        conditions.append(
            f"(s.report_key IS NULL OR s.unresolved > 0 OR s.screened_hash <> {visibility.text_hash('r')})"
        )
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = con.execute(
        f"SELECT r.report_key, r.county_code, r.report_id, r.observation, r.client_voice, r.proposal, "
        f"{visibility.text_hash('r')} FROM reports r LEFT JOIN report_screening s USING (report_key) {where}",
        params or {},
    ).fetchall()
    if not rows:
        return 0
    by_county: dict[str, list[tuple]] = {}
    for row in rows:
        by_county.setdefault(row[1], []).append(row)
    out: dict[str, list] = {"report_key": [], "screened_hash": [], "hits": [], "unresolved": [], "open_hits": []}
    for county, group in by_county.items():
        allowed = resolutions.allowed(county)
        ctx = context(con, allowed)
        resolved = resolutions.resolved(county, [r[2] for r in group])
        for key, _county, report_id, observation, client_voice, proposal, digest in group:
            texts: Key = (county, _text(observation), _text(client_voice), _text(proposal))
            hits = cache.get(texts) if cache is not None else None
            if hits is None:
                hits = screen(texts, ctx)
            still = privacy.unresolved(hits, resolved.get(report_id, ()), allowed)
            out["report_key"].append(key)
            out["screened_hash"].append(digest)
            out["hits"].append(len(hits))
            out["unresolved"].append(len(still))
            out["open_hits"].append("|".join(h.hit_id for h in still) or None)
    table = pa.table(
        {
            "report_key": pa.array(out["report_key"], pa.int32()),
            "screened_hash": pa.array(out["screened_hash"], pa.string()),
            "hits": pa.array(out["hits"], pa.int32()),
            "unresolved": pa.array(out["unresolved"], pa.int32()),
            "open_hits": pa.array(out["open_hits"], pa.string()),
        }
    )
    con.register("screened_now", table)
    try:
        con.execute("DELETE FROM report_screening WHERE report_key IN (SELECT report_key FROM screened_now)")
        con.execute(
            "INSERT INTO report_screening (report_key, screened_hash, hits, unresolved, open_hits) "
            "SELECT report_key, screened_hash, hits, unresolved, open_hits FROM screened_now"
        )
    finally:
        con.unregister("screened_now")
    return len(rows)


def _selection(county: str, report_ids: list[str] | None) -> tuple[str, dict]:
    if report_ids is None:
        return "SELECT report_key FROM reports WHERE county_code = $county", {"county": county}
    return (
        "SELECT report_key FROM reports WHERE county_code = $county AND list_contains($ids, report_id)",
        {"county": county, "ids": [str(r) for r in report_ids]},
    )


def _stored(con, keys_sql: str, params: dict) -> dict[int, str | None]:
    if not _has_table(con):
        return {}
    return dict(
        con.execute(
            f"SELECT report_key, open_hits FROM report_screening WHERE report_key IN ({keys_sql})", params
        ).fetchall()
    )


def refresh(db_path: Path | str, reader, store: Workspace, county: str, report_ids: list[str] | None = None) -> bool:
    """After the coordinator dismissed, restored or overrode a hit (or allowed a word in the county,
    ``report_ids`` None): write what is unresolved now into the database leadership reads, in a new
    version, if it changed for any of these reports (``reader``: a cursor of the served version).
    Returns whether a new version was written."""
    keys_sql, params = _selection(county, report_ids)
    stored = _stored(reader, keys_sql, params)
    rows = reader.execute(
        f"SELECT report_key, report_id, observation, client_voice, proposal FROM reports WHERE report_key IN ({keys_sql})",
        params,
    ).fetchall()
    if not rows:
        return False
    resolutions = Resolutions(store)
    allowed = resolutions.allowed(county)
    ctx = context(reader, allowed)
    resolved = resolutions.resolved(county, [r[1] for r in rows])
    changed = False
    for key, report_id, *texts in rows:
        hits = screen((county, *(_text(t) for t in texts)), ctx)  # type: ignore[arg-type]
        still = "|".join(h.hit_id for h in privacy.unresolved(hits, resolved.get(report_id, ()), allowed)) or None
        if key not in stored or stored[key] != still:
            changed = True
            break
    if not changed:
        return False
    # Inside the writer's lock the decisions are read again: the newest wins.
    write_new_version(db_path, lambda con: screen_stored(con, Resolutions(store), keys_sql, params, force=True))
    return True


def held(con, keys_sql: str) -> int:
    """Of the reports ``keys_sql`` selects, those publishable in the file that an unresolved hit holds back."""
    return con.execute(
        f"SELECT count(*) FROM reports r JOIN report_screening s USING (report_key) "
        f"WHERE s.unresolved > 0 AND r.publishable AND r.report_key IN ({keys_sql})"
    ).fetchall()[0][0]


def screen_unscreened(db_path: Path | str) -> int:
    """A database written before the screen existed (or a report stored around it): screen every report
    that has no screening yet, in one new version. Returns how many were screened (0: nothing to do,
    nothing written). The app runs this when it starts."""
    path = Path(db_path)
    if not path.exists():
        return 0
    reader = open_read_only(path)
    try:
        missing = (
            reader.execute(
                "SELECT count(*) FROM reports r WHERE NOT EXISTS "
                "(SELECT 1 FROM report_screening s WHERE s.report_key = r.report_key)"
            ).fetchall()[0][0]
            if _has_table(reader)
            else reader.execute("SELECT count(*) FROM reports").fetchall()[0][0] or -1
        )
    finally:
        reader.close()
    if not missing:
        return 0
    unscreened = "SELECT report_key FROM reports WHERE report_key NOT IN (SELECT report_key FROM report_screening)"

    def work(con) -> int:
        ensure_table(con)
        return screen_stored(con, Resolutions.beside(path), unscreened)

    return write_new_version(path, work)
