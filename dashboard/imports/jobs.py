"""An import as one job: read the file, check every row, then write a new
version of the database. Reading and checking (the nearest-name look-ups
included) happen before the database's write lock is taken, so a slow file
never holds up another import; only the store runs under the lock.

The same jobs serve the coordinator's page and the command line, and
:func:`dashboard.imports.budget.run_job` runs them in a child process under a
memory and time budget."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from queries import loads
from queries.db import open_read_only, write_new_version

from ..core.i18n import LazyText, lazy_t
from .followup import parse_followup, store_followup
from .reports import Mapping, Resolver, parse_reports, store_reports
from .tables import Table, numbers, read_table


@dataclass(frozen=True)
class ReportsJob:
    """A file of reports: the uploaded bytes, or a path the job reads itself."""

    db_path: Path
    name: str  # the file's name, as the user knows it
    data: bytes | None = None
    path: Path | None = None
    sheet: str | None = None
    county: str | None = None
    mapping: bytes | None = None  # a TOML mapping file's bytes
    mapping_name: str = "mapping.toml"
    loaded_by: str | None = None
    memory_limit: str | None = None  # DuckDB's share of the budget while it writes
    lang: str = "fi"  # the reader's: rejection reasons and the rejected rows' file are written in it


@dataclass(frozen=True)
class FollowupJob:
    db_path: Path
    name: str
    data: bytes | None = None
    path: Path | None = None
    loaded_by: str | None = None
    memory_limit: str | None = None
    lang: str = "fi"


@dataclass
class Outcome:
    """What an import did, as the page and the command line report it."""

    source: str
    kind: str  # the file read: "csv" or "xlsx"
    encoding: str  # how a CSV was decoded ("" for XLSX)
    notes: list[LazyText]  # warnings, said in the reader's language
    rows_read: int
    loaded: int
    rejected: pd.DataFrame  # original cells + 'rivi' + 'virheet'
    changes: dict[str, int] | None = None  # the follow-up: column -> reports it changed
    extra: dict = field(default_factory=dict)

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)


def _table(job: ReportsJob | FollowupJob, sheet: str | None = None) -> Table:
    return read_table(job.path or Path(job.name), sheet=sheet, data=job.data, name=job.name)


def _notes(table: Table, resolver: Resolver) -> list[LazyText]:
    notes = list(table.notes)
    if resolver.skipped:
        notes.append(lazy_t("import.note.suggestions_skipped", count=numbers(resolver.looked_up)))
    return notes


def import_reports(job: ReportsJob) -> Outcome:
    table = _table(job, job.sheet)
    mapping = Mapping.from_bytes(job.mapping, job.mapping_name) if job.mapping is not None else Mapping()
    # The code lists of the version being served: read without the write lock.
    reader = open_read_only(job.db_path)
    try:
        resolver = Resolver.from_database(reader)
    finally:
        reader.close()
    parsed = parse_reports(table, resolver, county=job.county, mapping=mapping, lang=job.lang)
    write_new_version(
        job.db_path, lambda con: store_reports(con, parsed, loaded_by=job.loaded_by), memory_limit=job.memory_limit
    )
    return Outcome(
        source=parsed.source,
        kind=table.kind,
        encoding=table.encoding,
        notes=_notes(table, resolver),
        rows_read=parsed.rows_read,
        loaded=parsed.loaded,
        rejected=parsed.rejected,
    )


def import_followup(job: FollowupJob) -> Outcome:
    table = _table(job)
    reader = open_read_only(job.db_path)
    try:
        # Report keys never change once given, so the sheet can be checked before the lock.
        resolver = Resolver.from_database(reader)
        parsed = parse_followup(
            table, resolver, loads.report_keys(reader), loads.followup_values(reader), lang=job.lang
        )
    finally:
        reader.close()
    write_new_version(
        job.db_path, lambda con: store_followup(con, parsed, loaded_by=job.loaded_by), memory_limit=job.memory_limit
    )
    return Outcome(
        source=parsed.source,
        kind=table.kind,
        encoding=table.encoding,
        notes=_notes(table, resolver),
        rows_read=parsed.rows_read,
        loaded=len(parsed.updates),
        rejected=parsed.rejected,
        changes=parsed.changes,
    )
