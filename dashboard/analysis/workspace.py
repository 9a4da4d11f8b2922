"""The coordinator's workspace: drafts that never block readers and never lose an edit.

The dashboard serves DuckDB read-only and writes it by copying the whole file
(:func:`queries.db.write_new_version`): right for imports, far too heavy for a
coordinator's every click. Drafts live here instead, in one SQLite file beside
the database (``dashboard.duckdb`` -> ``dashboard.workspace.sqlite``):

- WAL journal with ``synchronous=FULL``: a committed write survives a killed
  worker or a power cut; readers never wait for a writer, writers queue for a
  few milliseconds (``BEGIN IMMEDIATE`` and a busy timeout), never fail.
- A connection per process and thread, opened lazily (after gunicorn forks).
- Scalar fields are updated with optimistic versioning: the caller says which
  version it saw (``base_version``); a field somebody else changed since then
  to another value is a :class:`EditConflict` that names the field, both values
  and who changed it when. Fields nobody else touched are simply applied, so two
  coordinators' edits of different fields both survive.
- Sets (a report's accepted themes, a phenomenon's reports and target groups) are
  rows that are added or removed one at a time: concurrent additions commute.
- Every change is journalled in ``edits`` (who, when, what, old and new value).

Leadership never reads this file: :mod:`dashboard.analysis.publish` writes a
period's analysis into DuckDB in one atomic new version.

The same file takes the reporting form's submissions (issue 20): a submission
is committed (durable) before the reporter is thanked, and its idempotency key
(one per form load) makes a double click or a retry one submission.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..core.config import Settings

SCHEMA_VERSION = 2  # 2: the reporting form's receipt index and unit links
BUSY_TIMEOUT_MS = 30_000
KINDS = ("key_theme", "observation", "good_practice", "proposal")
LABEL_DIMENSIONS = ("theme", "support_need")
PHENOMENON_DIMENSIONS = ("target_group", "theme", "support_need")
PHENOMENON_FIELDS = ("kind", "title", "body", "service_unit", "position", "deleted")
ANALYSIS_FIELDS = ("title", "intro")
REVIEW_FIELDS = ("reviewed", "publishable", "note")

SCHEMA = """
CREATE TABLE IF NOT EXISTS analyses (
    county       TEXT NOT NULL,
    period_from  TEXT NOT NULL,
    period_to    TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    intro        TEXT NOT NULL DEFAULT '',
    based_on_revision INTEGER,          -- the published revision this draft was opened from
    version      INTEGER NOT NULL DEFAULT 1,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (county, period_from, period_to)
);
CREATE TABLE IF NOT EXISTS phenomena (
    phenomenon_id TEXT PRIMARY KEY,
    county       TEXT NOT NULL,
    period_from  TEXT NOT NULL,
    period_to    TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('key_theme', 'observation', 'good_practice', 'proposal')),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL DEFAULT '',
    service_unit TEXT,                  -- a section of its own (e.g. outreach) instead of the target groups'
    position     REAL NOT NULL DEFAULT 0,
    deleted      INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS phenomena_period ON phenomena (county, period_from, period_to);
CREATE TABLE IF NOT EXISTS phenomenon_labels (
    phenomenon_id TEXT NOT NULL REFERENCES phenomena (phenomenon_id),
    dimension    TEXT NOT NULL CHECK (dimension IN ('target_group', 'theme', 'support_need')),
    code         TEXT NOT NULL,
    PRIMARY KEY (phenomenon_id, dimension, code)
);
CREATE TABLE IF NOT EXISTS phenomenon_reports (
    phenomenon_id TEXT NOT NULL REFERENCES phenomena (phenomenon_id),
    report_id    TEXT NOT NULL,
    quoted       INTEGER NOT NULL DEFAULT 0,   -- its client voice is a quote of the section
    added_by     TEXT NOT NULL,
    added_at     TEXT NOT NULL,
    PRIMARY KEY (phenomenon_id, report_id)
);
CREATE TABLE IF NOT EXISTS reviews (
    county       TEXT NOT NULL,
    report_id    TEXT NOT NULL,
    reviewed     INTEGER NOT NULL DEFAULT 0,
    reviewed_by  TEXT,
    reviewed_at  TEXT,
    publishable  INTEGER,               -- NULL: not decided here (the import's value stands)
    publishable_by TEXT,
    publishable_at TEXT,
    override_reason TEXT,               -- privacy override: publishable despite these hits
    override_hits TEXT,                 -- JSON list of the hit ids the override covers
    override_by  TEXT,
    override_at  TEXT,
    note         TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    updated_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (county, report_id)
);
CREATE TABLE IF NOT EXISTS review_labels (
    county       TEXT NOT NULL,
    report_id    TEXT NOT NULL,
    dimension    TEXT NOT NULL CHECK (dimension IN ('theme', 'support_need')),
    code         TEXT NOT NULL,
    decision     TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
    source       TEXT NOT NULL DEFAULT 'manual',   -- 'suggestion' or 'manual'
    reason       TEXT NOT NULL DEFAULT '',          -- the suggestion's matched words
    decided_by   TEXT NOT NULL,
    decided_at   TEXT NOT NULL,
    PRIMARY KEY (county, report_id, dimension, code)
);
CREATE TABLE IF NOT EXISTS privacy_dismissals (
    county       TEXT NOT NULL,
    report_id    TEXT NOT NULL,
    hit_id       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    text         TEXT NOT NULL,
    dismissed_by TEXT NOT NULL,
    dismissed_at TEXT NOT NULL,
    PRIMARY KEY (county, report_id, hit_id)
);
CREATE TABLE IF NOT EXISTS privacy_allowed_terms (
    county       TEXT NOT NULL,
    term         TEXT NOT NULL,     -- casefolded; a capitalised word that is not a person here
    added_by     TEXT NOT NULL,
    added_at     TEXT NOT NULL,
    PRIMARY KEY (county, term)
);
CREATE TABLE IF NOT EXISTS edits (
    edit_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    by           TEXT NOT NULL,
    county       TEXT NOT NULL,
    entity       TEXT NOT NULL,     -- 'analysis', 'phenomenon', 'review', 'label', 'privacy', ...
    entity_key   TEXT NOT NULL,
    field        TEXT NOT NULL,
    version      INTEGER,           -- the entity's version after this change
    old_value    TEXT,
    new_value    TEXT
);
CREATE INDEX IF NOT EXISTS edits_entity ON edits (entity, entity_key, version);
CREATE INDEX IF NOT EXISTS edits_county ON edits (county, edit_id);
CREATE TABLE IF NOT EXISTS submissions (
    submission_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,     -- one per form load: a double click is one submission
    county          TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    payload         TEXT NOT NULL,            -- JSON of the form's fields, as typed
    receipt_hash    TEXT,                     -- hash of the receipt link's token (never the token)
    state           TEXT NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'stored', 'rejected')),
    report_id       TEXT,                     -- the report it became in the database
    stored_at       TEXT,
    reasons         TEXT                      -- JSON: why the import's checks rejected it
);
CREATE INDEX IF NOT EXISTS submissions_state ON submissions (state, submission_id);
CREATE INDEX IF NOT EXISTS submissions_receipt ON submissions (receipt_hash);
CREATE TABLE IF NOT EXISTS report_links (
    link_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT NOT NULL UNIQUE,      -- sha256 of the link's token (never the token)
    county       TEXT NOT NULL,
    service_unit TEXT,                      -- the unit the form starts with
    label        TEXT NOT NULL DEFAULT '',  -- whose link it is ('Lahden lapsiperhepalvelut')
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    revoked_by   TEXT,
    revoked_at   TEXT
);
"""


COUNTY_TEXTS = """CREATE TABLE IF NOT EXISTS county_texts (
    county      TEXT PRIMARY KEY,
    intro       TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
)"""


class WorkspaceError(Exception):
    """A request the workspace refuses; the message says why."""


class NotFound(WorkspaceError):
    pass


@dataclass(frozen=True)
class FieldConflict:
    field: str
    yours: object
    theirs: object
    changed_by: str
    changed_at: str


class EditConflict(WorkspaceError):
    """Somebody else changed a field you changed, to another value, since the
    version you saw. Nothing of the request was applied."""

    def __init__(self, entity: str, key: str, version: int, conflicts: list[FieldConflict]):
        self.entity, self.key, self.version, self.conflicts = entity, key, version, conflicts
        names = ", ".join(c.field for c in conflicts)
        super().__init__(f"{entity} {key}: changed meanwhile ({names}); now version {version}")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _date(value: dt.date | str) -> str:
    return value.isoformat() if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)).isoformat()


def _text(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


@dataclass(frozen=True)
class Period:
    county: str
    date_from: dt.date
    date_to: dt.date

    @classmethod
    def of(cls, county: str, date_from: dt.date | str, date_to: dt.date | str) -> Period:
        start, end = dt.date.fromisoformat(_date(date_from)), dt.date.fromisoformat(_date(date_to))
        if end < start:
            raise WorkspaceError(f"period ends before it starts: {start}..{end}")
        return cls(str(county), start, end)

    @property
    def key(self) -> tuple[str, str, str]:
        return self.county, self.date_from.isoformat(), self.date_to.isoformat()


@dataclass
class Phenomenon:
    phenomenon_id: str
    kind: str
    title: str
    body: str
    service_unit: str | None
    position: float
    deleted: bool
    version: int
    updated_by: str
    updated_at: str
    target_groups: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    support_needs: list[str] = field(default_factory=list)
    report_ids: list[str] = field(default_factory=list)
    quoted_report_ids: list[str] = field(default_factory=list)


@dataclass
class Review:
    report_id: str
    reviewed: bool = False
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    publishable: bool | None = None
    publishable_by: str | None = None
    publishable_at: str | None = None
    override_reason: str | None = None
    override_hits: list[str] = field(default_factory=list)
    override_by: str | None = None
    override_at: str | None = None
    note: str = ""
    version: int = 0  # 0: nothing recorded yet
    updated_by: str | None = None
    updated_at: str | None = None
    # dimension -> code -> (decision, source, reason, by, at)
    labels: dict[str, dict[str, tuple[str, str, str, str, str]]] = field(default_factory=dict)
    dismissed_hits: set[str] = field(default_factory=set)

    def effective(self, dimension: str, imported: Iterable[str]) -> list[str]:
        """The codes of ``dimension`` after the coordinator's decisions over the imported ones."""
        decided = self.labels.get(dimension, {})
        out = [c for c in imported if decided.get(c, ("accepted",))[0] == "accepted"]
        out += [c for c, d in decided.items() if d[0] == "accepted" and c not in out]
        return out


@dataclass
class Draft:
    """Everything of one period's analysis in the workspace, read in one snapshot."""

    period: Period
    title: str
    intro: str
    version: int
    based_on_revision: int | None
    phenomena: list[Phenomenon]
    last_edit_id: int
    # False: the period has no intro of its own and ``intro`` is the county's (:meth:`Workspace.county_intro`).
    intro_own: bool = True


@dataclass(frozen=True)
class CountyText:
    """A county's own text that every period's analysis starts from (the intro: "what social
    reporting is"); a period's own intro, when it has one, replaces it."""

    county: str
    intro: str
    version: int  # 0: nothing written yet
    updated_by: str | None
    updated_at: str | None


@dataclass(frozen=True)
class Submission:
    submission_id: int
    idempotency_key: str
    county: str
    received_at: str
    payload: dict
    state: str
    report_id: str | None
    created: bool  # False: the key was seen before, this is the earlier submission


def workspace_path(db_path: Path | str) -> Path:
    """The workspace file beside a database: ``x.duckdb`` -> ``x.workspace.sqlite``."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + ".workspace.sqlite")


class Workspace:
    """The workspace store of one database. Safe to share between threads; each
    process (gunicorn worker) opens its own connections lazily."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._local = threading.local()
        self._schema_lock = threading.Lock()

    # ---- connections ---------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Drafts hold hidden texts: the file is private like the database (SQLite gives its WAL
        # and shared-memory files the database file's mode).
        # Never open and close a descriptor of a file SQLite may already have open in this process:
        # closing any descriptor of a file drops every POSIX lock the process holds on it, so another
        # thread's connection would lose its WAL locks ("disk I/O error", commits lost; SQLite's
        # "How to corrupt" 2.2). Only a file that does not exist yet is created here (O_EXCL).
        mode = Settings.from_env().db_mode
        try:
            found = os.lstat(self.path)
        except FileNotFoundError:
            try:
                os.close(os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode))
            except FileExistsError:  # another process made it just now
                found = os.lstat(self.path)
            else:
                found = None
        if found is not None:
            if stat.S_ISLNK(found.st_mode):
                raise OSError(f"{self.path} is a symbolic link; the workspace must be a file of its own")
            if found.st_mode & 0o777 & ~mode:  # made by an older version: 0644
                os.chmod(self.path, mode)
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        con.row_factory = sqlite3.Row
        con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        for attempt in range(50):
            # Switching a new file to WAL needs a moment alone with it; the busy
            # handler does not cover it, so a process starting with others retries.
            try:
                con.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError:
                if attempt == 49:
                    raise
                threading.Event().wait(0.01 * (attempt + 1))
        con.execute("PRAGMA synchronous = FULL")
        con.execute("PRAGMA foreign_keys = ON")
        return con

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            con = self._connect()
            # Every new connection checks the schema (one PRAGMA when it is there): a flag per object
            # would let a thread's connection to a file made anew (or by another object) miss it.
            with self._schema_lock:
                self._ensure_schema(con)
            local.con, local.pid = con, os.getpid()
        return local.con

    def _ensure_schema(self, con: sqlite3.Connection) -> None:
        if con.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        # One script, one transaction: every statement is idempotent, so processes
        # starting together all succeed.
        try:
            con.executescript(f"BEGIN IMMEDIATE;{SCHEMA}PRAGMA user_version = {SCHEMA_VERSION};COMMIT;")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close this thread's connection (tests; a worker's connections close at exit)."""
        con = getattr(self._local, "con", None)
        if con is not None and getattr(self._local, "pid", None) == os.getpid():
            con.close()
        self._local = threading.local()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: takes the write lock at once (no upgrade deadlocks)."""
        con = self._connection()
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """One consistent snapshot for several reads; never waits for a writer."""
        con = self._connection()
        con.execute("BEGIN")
        try:
            yield con
        finally:
            con.execute("COMMIT")

    # ---- the journal -------------------------------------------------------------------

    @staticmethod
    def _journal(con, by, county, entity, key, field_name, version, old, new) -> None:
        con.execute(
            "INSERT INTO edits (at, by, county, entity, entity_key, field, version, old_value, new_value) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_now(), by, county, entity, key, field_name, version, _text(old), _text(new)),
        )

    def edits(self, county: str, since: int = 0, limit: int = 1000) -> list[dict]:
        with self.read() as con:
            rows = con.execute(
                "SELECT * FROM edits WHERE county = ? AND edit_id > ? ORDER BY edit_id LIMIT ?", (county, since, limit)
            ).fetchall()
        return [dict(r) for r in rows]

    def last_edit_id(self, county: str | None = None) -> int:
        with self.read() as con:
            return self._last_edit_id(con, county)

    @staticmethod
    def _last_edit_id(con, county: str | None) -> int:
        if county is None:
            return con.execute("SELECT coalesce(max(edit_id), 0) FROM edits").fetchone()[0]
        return con.execute("SELECT coalesce(max(edit_id), 0) FROM edits WHERE county = ?", (county,)).fetchone()[0]

    # ---- optimistic updates --------------------------------------------------------------

    def _cas(self, con, entity, key, table, where, county, changes, base_version, allowed, by) -> int:
        unknown = set(changes) - set(allowed)
        if unknown:
            raise WorkspaceError(f"{entity}: unknown fields {sorted(unknown)}")
        clause = " AND ".join(f"{k} = ?" for k in where)
        row = con.execute(f"SELECT * FROM {table} WHERE {clause}", tuple(where.values())).fetchone()
        if row is None:
            raise NotFound(f"{entity} {key} not found")
        current = row["version"]
        if base_version is not None and base_version != current:
            # Fields somebody else changed since the version the caller saw.
            changed: dict[str, tuple[str, str]] = {}
            for e in con.execute(
                "SELECT field, by, at FROM edits WHERE entity = ? AND entity_key = ? AND version > ? ORDER BY edit_id",
                (entity, key, base_version),
            ):
                changed[e["field"]] = (e["by"], e["at"])
            conflicts = [
                FieldConflict(f, new, row[f], *changed[f])
                for f, new in changes.items()
                if f in changed and row[f] != new
            ]
            if conflicts:
                raise EditConflict(entity, key, current, conflicts)
        real = {f: v for f, v in changes.items() if row[f] != v}
        if not real:
            return current
        version = current + 1
        sets = ", ".join(f"{f} = ?" for f in real)
        con.execute(
            f"UPDATE {table} SET {sets}, version = ?, updated_by = ?, updated_at = ? WHERE {clause}",
            (*real.values(), version, by, _now(), *where.values()),
        )
        for f, v in real.items():
            self._journal(con, by, county, entity, key, f, version, row[f], v)
        return version

    # ---- analyses and phenomena -----------------------------------------------------------

    def ensure_analysis(self, period: Period, by: str, title: str = "", intro: str = "") -> bool:
        """Create the period's draft if it does not exist; True when created."""
        county, start, end = period.key
        with self._write() as con:
            return self._ensure_analysis(con, period, by, title, intro)

    def _ensure_analysis(self, con, period, by, title="", intro="", based_on=None) -> bool:
        county, start, end = period.key
        now = _now()
        cur = con.execute(
            "INSERT INTO analyses (county, period_from, period_to, title, intro, based_on_revision, created_by, "
            "created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (county, start, end, title, intro, based_on, by, now, by, now),
        )
        if cur.rowcount:
            self._journal(con, by, county, "analysis", "/".join(period.key), "created", 1, None, title)
        return bool(cur.rowcount)

    def update_analysis(self, period: Period, changes: dict, base_version: int | None, by: str) -> int:
        county, start, end = period.key
        with self._write() as con:
            return self._cas(
                con,
                "analysis",
                "/".join(period.key),
                "analyses",
                {"county": county, "period_from": start, "period_to": end},
                county,
                changes,
                base_version,
                ANALYSIS_FIELDS,
                by,
            )

    # ---- the county's own texts --------------------------------------------------------------
    # Made on the first write (CREATE TABLE IF NOT EXISTS), so a workspace file of any schema
    # version takes them; a file that never had one reads as empty.

    def county_intro(self, county: str) -> CountyText:
        with self.read() as con:
            return self._county_text(con, county)

    @staticmethod
    def _county_text(con, county: str) -> CountyText:
        exists = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'county_texts'").fetchone()
        row = exists and con.execute("SELECT * FROM county_texts WHERE county = ?", (county,)).fetchone()
        if not row:
            return CountyText(county, "", 0, None, None)
        return CountyText(county, row["intro"], row["version"], row["updated_by"], row["updated_at"])

    def update_county_intro(self, county: str, intro: str, base_version: int | None, by: str) -> int:
        """The county's intro (optimistic like every scalar field: :class:`EditConflict` when somebody
        else changed it since ``base_version`` to another text)."""
        with self._write() as con:
            con.execute(COUNTY_TEXTS)
            con.execute(
                "INSERT INTO county_texts (county, updated_by, updated_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (county, by, _now()),
            )
            return self._cas(
                con, "county_text", county, "county_texts", {"county": county}, county, {"intro": intro},
                base_version, ("intro",), by,
            )  # fmt: skip

    def create_phenomenon(
        self,
        period: Period,
        kind: str,
        title: str,
        report_ids: Iterable[str],
        by: str,
        body: str = "",
        target_groups: Iterable[str] = (),
        themes: Iterable[str] = (),
        support_needs: Iterable[str] = (),
        service_unit: str | None = None,
        position: float | None = None,
        quoted: Iterable[str] = (),
        phenomenon_id: str | None = None,
    ) -> str:
        """A new phenomenon with at least one supporting report. Give ``phenomenon_id``
        (e.g. made when the form was drawn) and a repeated request creates nothing new."""
        if kind not in KINDS:
            raise WorkspaceError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
        reports = list(dict.fromkeys(str(r) for r in report_ids))
        if not reports:
            raise WorkspaceError("a phenomenon needs at least one supporting report")
        if not title.strip():
            raise WorkspaceError("a phenomenon needs a title")
        pid = phenomenon_id or uuid.uuid4().hex
        county, start, end = period.key
        now = _now()
        with self._write() as con:
            self._ensure_analysis(con, period, by)
            existing = con.execute("SELECT county FROM phenomena WHERE phenomenon_id = ?", (pid,)).fetchone()
            if existing is not None:
                return pid
            if position is None:
                position = con.execute(
                    "SELECT coalesce(max(position), 0) + 1 FROM phenomena WHERE county = ? AND period_from = ? "
                    "AND period_to = ?",
                    (county, start, end),
                ).fetchone()[0]
            con.execute(
                "INSERT INTO phenomena (phenomenon_id, county, period_from, period_to, kind, title, body, service_unit,"
                " position, created_by, created_at, updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (pid, county, start, end, kind, title.strip(), body, service_unit, position, by, now, by, now),
            )
            self._journal(con, by, county, "phenomenon", pid, "created", 1, None, title)
            for dimension, codes in (
                ("target_group", target_groups),
                ("theme", themes),
                ("support_need", support_needs),
            ):
                for code in dict.fromkeys(codes):
                    con.execute("INSERT INTO phenomenon_labels VALUES (?, ?, ?)", (pid, dimension, code))
            quoted_set = set(quoted)
            for report_id in reports:
                con.execute(
                    "INSERT INTO phenomenon_reports VALUES (?, ?, ?, ?, ?)",
                    (pid, report_id, int(report_id in quoted_set), by, now),
                )
        return pid

    def _phenomenon_county(self, con, pid: str) -> str:
        row = con.execute("SELECT county FROM phenomena WHERE phenomenon_id = ?", (pid,)).fetchone()
        if row is None:
            raise NotFound(f"phenomenon {pid} not found")
        return row["county"]

    def update_phenomenon(self, pid: str, changes: dict, base_version: int | None, by: str) -> int:
        """Change scalar fields (``kind``, ``title``, ``body``, ``service_unit``, ``position``,
        ``deleted``); returns the new version or raises :class:`EditConflict`."""
        if "kind" in changes and changes["kind"] not in KINDS:
            raise WorkspaceError(f"unknown kind {changes['kind']!r}")
        if "title" in changes and not str(changes["title"]).strip():
            raise WorkspaceError("a phenomenon needs a title")
        if "deleted" in changes:
            changes = {**changes, "deleted": int(bool(changes["deleted"]))}
        with self._write() as con:
            county = self._phenomenon_county(con, pid)
            return self._cas(
                con,
                "phenomenon",
                pid,
                "phenomena",
                {"phenomenon_id": pid},
                county,
                changes,
                base_version,
                PHENOMENON_FIELDS,
                by,
            )

    def set_phenomenon_label(self, pid: str, dimension: str, code: str, present: bool, by: str) -> bool:
        """Add or remove one target group / theme / support need; True when something changed."""
        if dimension not in PHENOMENON_DIMENSIONS:
            raise WorkspaceError(f"unknown dimension {dimension!r}")
        with self._write() as con:
            county = self._phenomenon_county(con, pid)
            if present:
                cur = con.execute(
                    "INSERT INTO phenomenon_labels VALUES (?, ?, ?) ON CONFLICT DO NOTHING", (pid, dimension, code)
                )
            else:
                cur = con.execute(
                    "DELETE FROM phenomenon_labels WHERE phenomenon_id = ? AND dimension = ? AND code = ?",
                    (pid, dimension, code),
                )
            if cur.rowcount:
                self._journal(
                    con, by, county, "phenomenon_label", pid, dimension, None, None if present else code,
                    code if present else None,
                )  # fmt: skip
            return bool(cur.rowcount)

    def add_report(self, pid: str, report_id: str, by: str, quoted: bool = False) -> bool:
        with self._write() as con:
            county = self._phenomenon_county(con, pid)
            cur = con.execute(
                "INSERT INTO phenomenon_reports VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (pid, str(report_id), int(quoted), by, _now()),
            )
            if cur.rowcount:
                self._journal(con, by, county, "phenomenon_report", pid, "report", None, None, str(report_id))
            return bool(cur.rowcount)

    def remove_report(self, pid: str, report_id: str, by: str) -> bool:
        """Remove a supporting report; refused when it is the phenomenon's last one."""
        with self._write() as con:
            county = self._phenomenon_county(con, pid)
            n = con.execute("SELECT count(*) FROM phenomenon_reports WHERE phenomenon_id = ?", (pid,)).fetchone()[0]
            here = con.execute(
                "SELECT 1 FROM phenomenon_reports WHERE phenomenon_id = ? AND report_id = ?", (pid, str(report_id))
            ).fetchone()
            if here is None:
                return False
            if n <= 1:
                raise WorkspaceError("a phenomenon needs at least one supporting report")
            con.execute(
                "DELETE FROM phenomenon_reports WHERE phenomenon_id = ? AND report_id = ?", (pid, str(report_id))
            )
            self._journal(con, by, county, "phenomenon_report", pid, "report", None, str(report_id), None)
            return True

    def set_quoted(self, pid: str, report_id: str, quoted: bool, by: str) -> bool:
        with self._write() as con:
            county = self._phenomenon_county(con, pid)
            cur = con.execute(
                "UPDATE phenomenon_reports SET quoted = ? WHERE phenomenon_id = ? AND report_id = ? AND quoted != ?",
                (int(quoted), pid, str(report_id), int(quoted)),
            )
            if cur.rowcount:
                self._journal(con, by, county, "phenomenon_report", pid, "quoted", None, str(report_id), quoted)
            return bool(cur.rowcount)

    def _phenomena(self, con, period: Period, include_deleted: bool) -> list[Phenomenon]:
        county, start, end = period.key
        rows = con.execute(
            "SELECT * FROM phenomena WHERE county = ? AND period_from = ? AND period_to = ? "
            + ("" if include_deleted else "AND deleted = 0 ")
            + "ORDER BY position, created_at, phenomenon_id",
            (county, start, end),
        ).fetchall()
        out = {
            r["phenomenon_id"]: Phenomenon(
                r["phenomenon_id"],
                r["kind"],
                r["title"],
                r["body"],
                r["service_unit"],
                r["position"],
                bool(r["deleted"]),
                r["version"],
                r["updated_by"],
                r["updated_at"],
            )
            for r in rows
        }
        if not out:
            return []
        marks = ",".join("?" * len(out))
        attr = {"target_group": "target_groups", "theme": "themes", "support_need": "support_needs"}
        for r in con.execute(
            f"SELECT * FROM phenomenon_labels WHERE phenomenon_id IN ({marks}) ORDER BY rowid", tuple(out)
        ):
            getattr(out[r["phenomenon_id"]], attr[r["dimension"]]).append(r["code"])
        for r in con.execute(
            f"SELECT * FROM phenomenon_reports WHERE phenomenon_id IN ({marks}) ORDER BY added_at, report_id",
            tuple(out),
        ):
            item = out[r["phenomenon_id"]]
            item.report_ids.append(r["report_id"])
            if r["quoted"]:
                item.quoted_report_ids.append(r["report_id"])
        return list(out.values())

    def phenomena(self, period: Period, include_deleted: bool = False) -> list[Phenomenon]:
        with self.read() as con:
            return self._phenomena(con, period, include_deleted)

    def phenomenon(self, pid: str) -> Phenomenon:
        with self.read() as con:
            row = con.execute("SELECT county, period_from, period_to FROM phenomena WHERE phenomenon_id = ?", (pid,))
            row = row.fetchone()
            if row is None:
                raise NotFound(f"phenomenon {pid} not found")
            period = Period.of(row["county"], row["period_from"], row["period_to"])
            return next(p for p in self._phenomena(con, period, True) if p.phenomenon_id == pid)

    def draft(self, period: Period) -> Draft | None:
        """The period's whole draft in one snapshot, or None when nobody has opened it."""
        with self.read() as con:
            return self._draft(con, period)

    def _draft(self, con, period: Period) -> Draft | None:
        county, start, end = period.key
        row = con.execute(
            "SELECT * FROM analyses WHERE county = ? AND period_from = ? AND period_to = ?", (county, start, end)
        ).fetchone()
        if row is None:
            return None
        own = bool(row["intro"].strip())
        return Draft(
            period,
            row["title"],
            row["intro"] if own else self._county_text(con, county).intro,
            row["version"],
            row["based_on_revision"],
            self._phenomena(con, period, False),
            self._last_edit_id(con, county),
            own,
        )

    def open_from_published(self, period: Period, published, by: str) -> bool:
        """Start the period's draft from its published analysis (``published`` is a
        :class:`queries.analysis.PublishedDraft`), so a published analysis can be revised
        and republished. Does nothing when a draft exists; True when it made one."""
        with self._write() as con:
            if not self._ensure_analysis(con, period, by, published.title, published.intro, published.revision):
                return False
            county, start, end = period.key
            now = _now()
            for item in published.phenomena:
                con.execute(
                    "INSERT INTO phenomena (phenomenon_id, county, period_from, period_to, kind, title, body, "
                    "service_unit, position, created_by, created_at, updated_by, updated_at) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                    (
                        item.phenomenon_id,
                        county,
                        start,
                        end,
                        item.kind,
                        item.title,
                        item.body,
                        item.service_unit,
                        item.position,
                        by,
                        now,
                        by,
                        now,
                    ),
                )
                for dimension, codes in (
                    ("target_group", item.target_groups),
                    ("theme", item.themes),
                    ("support_need", item.support_needs),
                ):
                    for code in codes:
                        con.execute(
                            "INSERT INTO phenomenon_labels VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                            (item.phenomenon_id, dimension, code),
                        )
                for report_id in item.report_ids:
                    con.execute(
                        "INSERT INTO phenomenon_reports VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        (item.phenomenon_id, report_id, int(report_id in item.quoted_report_ids), by, now),
                    )
            for review in published.reviews:
                con.execute(
                    "INSERT INTO reviews (county, report_id, reviewed, reviewed_by, reviewed_at, publishable, "
                    "publishable_by, publishable_at, override_reason, override_hits, override_by, override_at, "
                    "updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                    (
                        county,
                        review.report_id,
                        int(review.reviewed),
                        review.reviewed_by,
                        review.reviewed_at,
                        None if review.publishable is None else int(review.publishable),
                        review.publishable_by,
                        review.publishable_at,
                        review.override_reason,
                        json.dumps(review.override_hits) if review.override_hits else None,
                        review.override_by,
                        review.override_at,
                        by,
                        now,
                    ),
                )
            self._journal(con, by, county, "analysis", "/".join(period.key), "opened_from", 1, None, published.revision)
            return True

    # ---- review state -----------------------------------------------------------------------

    def _ensure_review(self, con, county: str, report_id: str, by: str) -> None:
        con.execute(
            "INSERT INTO reviews (county, report_id, updated_by, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (county, str(report_id), by, _now()),
        )

    def reviews(self, county: str, report_ids: Iterable[str] | None = None) -> dict[str, Review]:
        """Review state of a county's reports (all, or these); a report never touched has none."""
        ids = None if report_ids is None else [str(r) for r in report_ids]
        with self.read() as con:
            return self._reviews(con, county, ids)

    def _reviews(self, con, county: str, ids: list[str] | None) -> dict[str, Review]:
        def where(alias: str = "") -> tuple[str, tuple]:
            if ids is None:
                return f"{alias}county = ?", (county,)
            return f"{alias}county = ? AND {alias}report_id IN (SELECT value FROM json_each(?))", (
                county,
                json.dumps(ids),
            )

        clause, params = where()
        out: dict[str, Review] = {}
        for r in con.execute(f"SELECT * FROM reviews WHERE {clause}", params):
            out[r["report_id"]] = Review(
                report_id=r["report_id"],
                reviewed=bool(r["reviewed"]),
                reviewed_by=r["reviewed_by"],
                reviewed_at=r["reviewed_at"],
                publishable=None if r["publishable"] is None else bool(r["publishable"]),
                publishable_by=r["publishable_by"],
                publishable_at=r["publishable_at"],
                override_reason=r["override_reason"],
                override_hits=json.loads(r["override_hits"]) if r["override_hits"] else [],
                override_by=r["override_by"],
                override_at=r["override_at"],
                note=r["note"],
                version=r["version"],
                updated_by=r["updated_by"],
                updated_at=r["updated_at"],
            )
        for r in con.execute(f"SELECT * FROM review_labels WHERE {clause} ORDER BY decided_at", params):
            review = out.setdefault(r["report_id"], Review(r["report_id"]))
            review.labels.setdefault(r["dimension"], {})[r["code"]] = (
                r["decision"],
                r["source"],
                r["reason"],
                r["decided_by"],
                r["decided_at"],
            )
        for r in con.execute(f"SELECT report_id, hit_id FROM privacy_dismissals WHERE {clause}", params):
            out.setdefault(r["report_id"], Review(r["report_id"])).dismissed_hits.add(r["hit_id"])
        return out

    def review(self, county: str, report_id: str) -> Review:
        return self.reviews(county, [report_id]).get(str(report_id), Review(str(report_id)))

    def update_review(self, county: str, report_id: str, changes: dict, base_version: int | None, by: str) -> int:
        """Mark reviewed / not, set the note. The publishable decision goes through
        :func:`dashboard.analysis.review.set_publishable` (it checks privacy first)."""
        changes = dict(changes)
        if "reviewed" in changes:
            changes["reviewed"] = int(bool(changes["reviewed"]))
        extra = {}
        if changes.get("reviewed"):
            extra = {"reviewed_by": by, "reviewed_at": _now()}
        with self._write() as con:
            self._ensure_review(con, county, report_id, by)
            version = self._cas(
                con,
                "review",
                f"{county}/{report_id}",
                "reviews",
                {"county": county, "report_id": str(report_id)},
                county,
                changes,
                base_version,
                ("reviewed", "note"),
                by,
            )
            if extra:
                con.execute(
                    "UPDATE reviews SET reviewed_by = ?, reviewed_at = ? WHERE county = ? AND report_id = ?",
                    (*extra.values(), county, str(report_id)),
                )
            return version

    def record_publishable(
        self,
        county: str,
        report_id: str,
        publishable: bool | None,
        base_version: int | None,
        by: str,
        override_reason: str | None = None,
        override_hits: Iterable[str] = (),
    ) -> int:
        """Store the publishable decision (and, with ``override_reason``, the privacy
        override with who, when and the hits it covers). Callers check privacy first."""
        value = None if publishable is None else int(bool(publishable))
        now = _now()
        with self._write() as con:
            self._ensure_review(con, county, report_id, by)
            key = f"{county}/{report_id}"
            version = self._cas(
                con,
                "review",
                key,
                "reviews",
                {"county": county, "report_id": str(report_id)},
                county,
                {"publishable": value},
                base_version,
                ("publishable",),
                by,
            )
            con.execute(
                "UPDATE reviews SET publishable_by = ?, publishable_at = ? WHERE county = ? AND report_id = ?",
                (by, now, county, str(report_id)),
            )
            if override_reason:
                hits = sorted(set(override_hits))
                con.execute(
                    "UPDATE reviews SET override_reason = ?, override_hits = ?, override_by = ?, override_at = ?, "
                    "version = version + 1 WHERE county = ? AND report_id = ?",
                    (override_reason, json.dumps(hits), by, now, county, str(report_id)),
                )
                version += 1
                self._journal(con, by, county, "review", key, "override_reason", version, None, override_reason)
            return version

    def decide_label(
        self,
        county: str,
        report_id: str,
        dimension: str,
        code: str,
        decision: str | None,
        by: str,
        source: str = "manual",
        reason: str = "",
    ) -> None:
        """Accept or reject a theme (or support need) for a report; ``None`` forgets
        the decision. One row per code: two coordinators' decisions on different
        codes both stand; on the same code the later one stands and is journalled."""
        if dimension not in LABEL_DIMENSIONS:
            raise WorkspaceError(f"unknown dimension {dimension!r}")
        if decision not in ("accepted", "rejected", None):
            raise WorkspaceError(f"unknown decision {decision!r}")
        with self._write() as con:
            key = f"{county}/{report_id}"
            old = con.execute(
                "SELECT decision FROM review_labels WHERE county = ? AND report_id = ? AND dimension = ? AND code = ?",
                (county, str(report_id), dimension, code),
            ).fetchone()
            old_value = None if old is None else old["decision"]
            if old_value == decision:
                return
            if decision is None:
                con.execute(
                    "DELETE FROM review_labels WHERE county = ? AND report_id = ? AND dimension = ? AND code = ?",
                    (county, str(report_id), dimension, code),
                )
            else:
                con.execute(
                    "INSERT INTO review_labels VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                    "decision = excluded.decision, source = excluded.source, reason = excluded.reason, "
                    "decided_by = excluded.decided_by, decided_at = excluded.decided_at",
                    (county, str(report_id), dimension, code, decision, source, reason, by, _now()),
                )
            self._journal(con, by, county, "label", key, f"{dimension}:{code}", None, old_value, decision)

    def dismiss_hit(self, county: str, report_id: str, hit_id: str, kind: str, text: str, by: str) -> None:
        """A privacy hit is not personal data (e.g. a service's name)."""
        with self._write() as con:
            cur = con.execute(
                "INSERT INTO privacy_dismissals VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (county, str(report_id), hit_id, kind, text, by, _now()),
            )
            if cur.rowcount:
                self._journal(con, by, county, "privacy", f"{county}/{report_id}", "dismissed", None, None, text)

    def restore_hit(self, county: str, report_id: str, hit_id: str, by: str) -> None:
        with self._write() as con:
            cur = con.execute(
                "DELETE FROM privacy_dismissals WHERE county = ? AND report_id = ? AND hit_id = ?",
                (county, str(report_id), hit_id),
            )
            if cur.rowcount:
                self._journal(con, by, county, "privacy", f"{county}/{report_id}", "restored", None, hit_id, None)

    def allow_term(self, county: str, term: str, by: str) -> None:
        """A word the name rule should not flag again in this county (a place, a service)."""
        with self._write() as con:
            cur = con.execute(
                "INSERT INTO privacy_allowed_terms VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (county, term.casefold(), by, _now()),
            )
            if cur.rowcount:
                self._journal(con, by, county, "privacy", county, "allowed_term", None, None, term.casefold())

    def allowed_terms(self, county: str) -> set[str]:
        with self.read() as con:
            return {r[0] for r in con.execute("SELECT term FROM privacy_allowed_terms WHERE county = ?", (county,))}

    # ---- submissions of the reporting form (issue 20) -------------------------------------------

    def submit(self, idempotency_key: str, county: str, payload: dict, receipt_hash: str | None = None) -> Submission:
        """Store a form submission durably (committed with a full sync before this
        returns). The same ``idempotency_key`` again returns the first submission with
        ``created=False`` and stores nothing."""
        key = str(idempotency_key).strip()
        if not key or len(key) > 200:
            raise WorkspaceError("an idempotency key of 1-200 characters is needed")
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        with self._write() as con:
            cur = con.execute(
                "INSERT INTO submissions (idempotency_key, county, received_at, payload, receipt_hash) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
                (key, county, _now(), text, receipt_hash),
            )
            row = con.execute("SELECT * FROM submissions WHERE idempotency_key = ?", (key,)).fetchone()
        return self._submission(row, created=bool(cur.rowcount))

    @staticmethod
    def _submission(row, created: bool) -> Submission:
        return Submission(
            row["submission_id"],
            row["idempotency_key"],
            row["county"],
            row["received_at"],
            json.loads(row["payload"]),
            row["state"],
            row["report_id"],
            created,
        )

    def pending_submissions(self, limit: int = 1000) -> list[Submission]:
        """Received but not yet stored in the database, oldest first (for the batch
        that imports them through the same checks as a file)."""
        with self.read() as con:
            rows = con.execute(
                "SELECT * FROM submissions WHERE state = 'received' ORDER BY submission_id LIMIT ?", (limit,)
            ).fetchall()
        return [self._submission(r, False) for r in rows]

    def mark_submissions(self, results: dict[int, tuple[str, str | None, list | None]]) -> None:
        """After a batch import: submission_id -> (state 'stored'/'rejected', report_id, reasons)."""
        now = _now()
        with self._write() as con:
            for sid, (state, report_id, reasons) in results.items():
                con.execute(
                    "UPDATE submissions SET state = ?, report_id = ?, stored_at = ?, reasons = ? "
                    "WHERE submission_id = ? AND state = 'received'",
                    (state, report_id, now, json.dumps(reasons) if reasons else None, sid),
                )

    def submission_count(self) -> int:
        with self.read() as con:
            return con.execute("SELECT count(*) FROM submissions").fetchone()[0]

    def pending_count(self, county: str | None = None) -> int:
        """Submissions received but not yet in the database (of one county, or all)."""
        with self.read() as con:
            if county is None:
                return con.execute("SELECT count(*) FROM submissions WHERE state = 'received'").fetchone()[0]
            return con.execute(
                "SELECT count(*) FROM submissions WHERE state = 'received' AND county = ?", (county,)
            ).fetchone()[0]

    def pending_of(self, county: str, limit: int = 5000) -> list[Submission]:
        """A county's submissions not yet in the database, oldest first (the review queue shows them)."""
        with self.read() as con:
            rows = con.execute(
                "SELECT * FROM submissions WHERE state = 'received' AND county = ? ORDER BY submission_id LIMIT ?",
                (county, limit),
            ).fetchall()
        return [self._submission(r, False) for r in rows]

    def submission_by_receipt(self, receipt_hash: str) -> Submission | None:
        """The submission whose receipt link's token hashes to ``receipt_hash``, or None."""
        with self.read() as con:
            row = con.execute("SELECT * FROM submissions WHERE receipt_hash = ?", (receipt_hash,)).fetchone()
        return None if row is None else self._submission(row, False)

    def submission_reasons(self, submission_id: int) -> list | None:
        """Why the import's checks rejected a submission when it was moved (None if they did not)."""
        with self.read() as con:
            row = con.execute("SELECT reasons FROM submissions WHERE submission_id = ?", (submission_id,)).fetchone()
        return json.loads(row[0]) if row is not None and row[0] else None

    # ---- per-unit links of the reporting form -------------------------------------------------------

    def add_report_link(self, token_hash: str, county: str, service_unit: str | None, label: str, by: str) -> int:
        with self._write() as con:
            cur = con.execute(
                "INSERT INTO report_links (token_hash, county, service_unit, label, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (token_hash, county, service_unit, label, by, _now()),
            )
            link_id = cur.lastrowid
            assert link_id is not None  # an INSERT's row id
            self._journal(con, by, county, "report_link", str(link_id), "created", None, None, label)
            return link_id

    def report_link(self, token_hash: str | None = None, link_id: int | None = None) -> dict | None:
        """A link by its token's hash or its id (revoked ones too: the caller checks ``revoked_at``)."""
        with self.read() as con:
            if token_hash is not None:
                row = con.execute("SELECT * FROM report_links WHERE token_hash = ?", (token_hash,)).fetchone()
            else:
                row = con.execute("SELECT * FROM report_links WHERE link_id = ?", (link_id,)).fetchone()
        return None if row is None else dict(row)

    def report_links(self) -> list[dict]:
        """Every link with how many reports came through it."""
        with self.read() as con:
            rows = con.execute(
                "SELECT l.*, (SELECT count(*) FROM submissions s WHERE json_extract(s.payload, '$.meta.link') "
                "= l.link_id) AS submissions FROM report_links l ORDER BY l.link_id"
            ).fetchall()
        return [dict(r) for r in rows]

    def revoke_report_link(self, link_id: int, by: str) -> bool:
        """True when the link was open and is now revoked."""
        with self._write() as con:
            row = con.execute("SELECT county FROM report_links WHERE link_id = ?", (link_id,)).fetchone()
            cur = con.execute(
                "UPDATE report_links SET revoked_by = ?, revoked_at = ? WHERE link_id = ? AND revoked_at IS NULL",
                (by, _now(), link_id),
            )
            if cur.rowcount:
                self._journal(con, by, row["county"], "report_link", str(link_id), "revoked", None, None, None)
            return bool(cur.rowcount)


_stores: dict[Path, Workspace] = {}
_stores_lock = threading.Lock()


def for_database(db_path: Path | str) -> Workspace:
    """The workspace beside a database, one object per process (its connections are per thread)."""
    path = workspace_path(db_path)
    with _stores_lock:
        store = _stores.get(path)
        if store is None:
            store = _stores[path] = Workspace(path)
        return store
