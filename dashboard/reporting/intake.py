"""From the reporting form into the database.

A submission is first a row of the workspace's ``submissions`` table (committed
with a full sync before the reporter is thanked; :meth:`Workspace.submit`). It
reaches DuckDB later, in batches, through the import's own checks
(:func:`parse_reports` on the template rows the form stored) and its own writer
(:func:`store_reports`, one new version of the database for the whole batch):

- :class:`Mover`, a timer thread in each web worker, moves what is waiting a few
  seconds after a submission (``DASHBOARD_REPORT_INTAKE_SECONDS``; the workers
  take turns through a lock file, so one batch runs at a time);
- publishing an analysis moves them first, in the same new version
  (:func:`dashboard.analysis.publish.publish`);
- ``python -m dashboard report-intake`` and the coordinator's "move now" do it at once.

Until then the coordinator's review queue shows them from the workspace
(:func:`pending_frame`), with the same id they will have in the database, so a
decision made on a waiting report stays with it.

Exactly once: a report's id is made from its submission (``lomake-<n>-<key>``);
a batch skips submissions whose report is already in the database (a worker
killed between writing the database and marking the submissions), and marks
only submissions still waiting.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from queries import reporting as q
from queries.db import write_new_version

from ..analysis import screening
from ..analysis.workspace import Submission, Workspace
from ..core.config import LANGUAGES
from ..core.i18n import render
from ..imports.reports import Resolver, parse_reports, store_reports
from .form import table_of

REPORT_ID_PREFIX = "lomake-"
LOADED_BY = "lomake"  # the loads table's "by" of a batch from the form
BATCH = 5000  # submissions moved in one new version at most
log = logging.getLogger(__name__)


def report_id_for(submission: Submission) -> str:
    """The id the submission's report has in the database (unique in its county:
    the submission's number, and a part of its key in case the workspace file is ever made anew)."""
    return f"{REPORT_ID_PREFIX}{submission.submission_id}-{submission.idempotency_key[:6]}"


def row_of(submission: Submission) -> dict[str, str]:
    row = dict(submission.payload.get("row") or {})
    row["raportin_tunniste"] = report_id_for(submission)
    row["hyvinvointialue"] = submission.county
    return row


def store_pending(con, store: Workspace, limit: int = BATCH) -> dict[int, tuple[str, str | None, list | None]]:
    """Import the waiting submissions into ``con`` (inside the caller's transaction, holding the
    writer's lock). Returns submission id -> (``stored`` / ``rejected``, report id, reasons in every
    language) for :meth:`Workspace.mark_submissions` once the new version is in place."""
    waiting = store.pending_submissions(limit)
    if not waiting:
        return {}
    there = q.existing_reports(con, [(s.county, report_id_for(s)) for s in waiting])
    results: dict[int, tuple[str, str | None, list | None]] = {}
    todo = []
    for s in waiting:
        if (s.county, report_id_for(s)) in there:
            results[s.submission_id] = ("stored", report_id_for(s), None)  # moved before, not marked
        else:
            todo.append(s)
    if todo:
        parsed = parse_reports(
            table_of([(s.submission_id, row_of(s)) for s in todo], source=LOADED_BY),
            Resolver.from_database(con),
            lang="fi",
        )
        store_reports(con, parsed, loaded_by=LOADED_BY, resolutions=screening.Resolutions(store))
        rejected = dict(parsed.reasons)
        for s in todo:
            reasons = rejected.get(s.submission_id)
            if reasons:
                texts = [{lang: str(render(r, lang)) for lang in LANGUAGES} for r in reasons]
                results[s.submission_id] = ("rejected", None, texts)
            else:
                results[s.submission_id] = ("stored", report_id_for(s), None)
    return results


@dataclass(frozen=True)
class Moved:
    stored: int
    rejected: int


def move_pending(db_path: Path | str, store: Workspace) -> Moved:
    """Move every waiting submission into the database in one new version (nothing when none waits)."""
    db_path = Path(db_path)
    if store.pending_count() == 0 or not db_path.exists():
        return Moved(0, 0)
    total = Moved(0, 0)
    while True:
        results = write_new_version(db_path, lambda con: store_pending(con, store))
        store.mark_submissions(results)
        states = [state for state, _, _ in results.values()]
        total = Moved(total.stored + states.count("stored"), total.rejected + states.count("rejected"))
        if len(results) < BATCH:
            return total


REPORT_COLUMNS = [
    "report_key",
    "report_id",
    "county_code",
    "submitted_on",
    "service_unit",
    "observation_type",
    "observation",
    "client_voice",
    "proposal",
    "publishable",
    "highlight",
    "themes",
    "target_groups",
    "areas",
    "support_needs",
]


def pending_frame(con, store: Workspace, county: str, date_from: dt.date, date_to: dt.date) -> pd.DataFrame:
    """The county's waiting submissions of the period, shaped like
    :func:`queries.analysis.period_reports` (``report_key`` is minus the submission's number:
    not in the database yet), read through the import's checks."""
    waiting = store.pending_of(county)
    if not waiting:
        return pd.DataFrame(columns=REPORT_COLUMNS)
    parsed = parse_reports(
        table_of([(s.submission_id, row_of(s)) for s in waiting], source=LOADED_BY), Resolver.from_database(con)
    )
    key_of = {report_id_for(s): -s.submission_id for s in waiting}

    def grouped(frame: pd.DataFrame, column: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for rid, code in zip(frame["report_id"], frame[column]):
            out.setdefault(rid, []).append(code)
        return out

    areas = grouped(parsed.areas, "area_code")
    groups = grouped(parsed.target_groups, "target_group")
    themes = grouped(parsed.themes, "theme")
    rows = []
    for r in parsed.reports.itertuples(index=False):
        submitted = r.submitted_on if isinstance(r.submitted_on, dt.date) else pd.Timestamp(r.submitted_on).date()
        if not date_from <= submitted <= date_to:
            continue
        rows.append(
            {
                "report_key": key_of[r.report_id],
                "report_id": r.report_id,
                "county_code": r.county_code,
                "submitted_on": pd.Timestamp(submitted),
                "service_unit": r.service_unit,
                "observation_type": r.observation_type,
                "observation": r.observation,
                "client_voice": r.client_voice,
                "proposal": r.proposal,
                "publishable": False,
                "highlight": False,
                "themes": sorted(themes.get(r.report_id, [])),
                "target_groups": sorted(groups.get(r.report_id, [])),
                "areas": sorted(areas.get(r.report_id, [])),
                "support_needs": [],
            }
        )
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


class Mover:
    """Moves waiting submissions into the database from a thread of this process: ``kick()``
    after a submission; the thread waits ``delay`` seconds (so a burst becomes one batch, one
    copy of the database), then moves what waits, and looks again every ``delay`` seconds while
    anything waits. Workers take turns through a lock file: while one moves, the others skip."""

    def __init__(self, db_path: Path, store: Workspace, delay: float):
        self.db_path, self.store, self.delay = Path(db_path), store, delay
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def kick(self) -> None:
        if self.delay <= 0:
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="report-intake", daemon=True)
                self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            threading.Event().wait(self.delay)  # gather a burst into one batch
            try:
                if self.store.pending_count():
                    self.move_once()
                if self.store.pending_count():
                    self._wake.set()  # another worker held the turn, or more came meanwhile
            except Exception:  # noqa: BLE001 - a failed batch changes nothing; the next kick tries again
                log.exception("moving the reporting form's submissions into the database failed")

    def move_once(self) -> Moved | None:
        """Move now unless another process is moving (then None)."""
        lock_path = self.db_path.with_name(self.db_path.name + ".intake.lock")
        with open(lock_path, "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return None
            return move_pending(self.db_path, self.store)


_movers: dict[Path, Mover] = {}
_movers_lock = threading.Lock()


def mover(db_path: Path, store: Workspace, delay: float) -> Mover:
    """This process's mover of a database (made once; its thread starts on the first kick)."""
    with _movers_lock:
        found = _movers.get(Path(db_path))
        if found is None or found.store is not store or found.delay != delay:
            found = _movers[Path(db_path)] = Mover(Path(db_path), store, delay)
        return found
