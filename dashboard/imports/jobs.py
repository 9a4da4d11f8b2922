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

from ..analysis import screening
from ..core.i18n import LazyText, lazy_t, t, tn
from . import sotkanet
from .followup import parse_followup, store_followup
from .indicators import parse_indicator_files, store_indicators
from .mapping import Inspection, find_saved, inspect_table, missing_targets, nearest_saved, table_targets
from .reports import Mapping, ParsedReports, Resolver, parse_reports, store_reports
from .tables import ImportFileError, Table, numbers, read_table


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
    mappings_dir: Path | None = None  # the saved mappings: one made for the file's headers is used
    ask_mapping: bool = False  # a file that does not fit: return its inspection instead of refusing it
    preview: bool = False  # read and check only: say what would be loaded, write nothing
    inspect: bool = False  # with preview: return the file's inspection too (the mapping page redrawn)


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
    updated: int = 0  # of the loaded, reports that were in the database already (re-imported)
    # Of the loaded reports marked publishable, those a privacy hit holds back (the workbench clears them).
    held: int = 0
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (row, what to check) of loaded rows
    mapping_used: str | None = None  # the saved mapping the file was read with
    inspection: Inspection | None = None  # the file did not fit: its columns and the suggestions
    sample: list[dict] = field(default_factory=list)  # a preview: the first rows that would load, as codes
    changed_reports: list[tuple[str, str, list[str]]] = field(default_factory=list)  # follow-up: (county, id, fields)

    @property
    def added(self) -> int:
        return self.loaded - self.updated

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


SAMPLE = 10  # rows a preview shows of those that would load


def _sample(parsed: ParsedReports) -> list[dict]:
    """The first rows that would load, with their codes (the page names them)."""
    head = parsed.reports.head(SAMPLE)
    keys = set(zip(head["county_code"], head["report_id"]))

    def links(frame: pd.DataFrame, column: str) -> dict[tuple[str, str], list[str]]:
        out: dict[tuple[str, str], list[str]] = {}
        for county, rid, code in frame[["county_code", "report_id", column]].itertuples(index=False):
            if (county, rid) in keys:
                out.setdefault((county, rid), []).append(code)
        return out

    areas, groups, themes = (
        links(parsed.areas, "area_code"),
        links(parsed.target_groups, "target_group"),
        links(parsed.themes, "theme"),
    )
    return [
        {
            "id": row.report_id,
            "county": row.county_code,
            "date": row.submitted_on,
            "service_unit": row.service_unit,
            "observation_type": row.observation_type,
            "areas": areas.get((row.county_code, row.report_id), []),
            "target_groups": groups.get((row.county_code, row.report_id), []),
            "themes": themes.get((row.county_code, row.report_id), []),
            "publishable": bool(row.publishable),
        }
        for row in head.itertuples(index=False)
    ]


def import_reports(job: ReportsJob) -> Outcome:
    """Read, check and (unless a preview) store a file of reports. Its columns: the TOML
    mapping given, else the template's own, else a saved mapping made for these headers;
    with none of them the file is refused, or (``ask_mapping``) inspected for the mapping page."""
    table = _table(job, job.sheet)
    # The code lists of the version being served: read without the write lock.
    reader = open_read_only(job.db_path)
    try:
        resolver = Resolver.from_database(reader)
        existing = set(loads.report_keys(reader)) if job.preview else set()
    finally:
        reader.close()
    county, used = job.county, None
    if job.mapping is not None:
        mapping = Mapping.from_bytes(job.mapping, job.mapping_name)
    elif not missing_targets(table_targets(table, Mapping()), county or "-"):
        mapping = Mapping()  # the template's own columns (the county may still be missing: said below)
    else:
        saved = find_saved(job.mappings_dir, table.header)
        if saved is not None:
            mapping, used, county = saved.mapping, saved.name, county or saved.county
        elif job.ask_mapping:
            return _inspected(job, table, resolver, county)
        else:
            mapping = Mapping()  # refused below, naming the missing columns
    if job.inspect and missing_targets(table_targets(table, mapping), county):
        return _inspected(job, table, resolver, county)  # the page says which fields are still missing
    parsed = parse_reports(table, resolver, county=county, mapping=mapping, lang=job.lang)
    resolutions = screening.Resolutions.beside(job.db_path)
    if not job.preview and not parsed.reports.empty:
        # The privacy screen before the writer's lock (the store screens only what changed meanwhile).
        reader = open_read_only(job.db_path)
        try:
            parsed.screened = screening.prescreen(reader, parsed.reports, resolutions)
        finally:
            reader.close()
    if job.preview:
        parsed.updated = sum(
            (c, r) in existing for c, r in zip(parsed.reports["county_code"], parsed.reports["report_id"])
        )
    else:
        write_new_version(
            job.db_path,
            lambda con: store_reports(con, parsed, loaded_by=job.loaded_by, resolutions=resolutions),
            memory_limit=job.memory_limit,
        )
    return Outcome(
        source=parsed.source,
        kind=table.kind,
        encoding=table.encoding,
        notes=[*parsed.notes, *_notes(table, resolver)],
        rows_read=parsed.rows_read,
        loaded=parsed.loaded,
        rejected=parsed.rejected,
        updated=parsed.updated,
        held=parsed.held,
        warnings=parsed.warnings,
        mapping_used=used,
        inspection=inspect_table(table, resolver, county) if job.inspect else None,
        sample=_sample(parsed) if job.preview else [],
    )


def _inspected(job: ReportsJob, table: Table, resolver: Resolver, county: str | None) -> Outcome:
    """A file whose columns are not the template's and no saved mapping fits: nothing is
    loaded; the page shows its columns with the suggestions (a saved mapping's first)."""
    inspection = inspect_table(table, resolver, county, nearest_saved(job.mappings_dir, table.header))
    return Outcome(
        source=table.source,
        kind=table.kind,
        encoding=table.encoding,
        notes=list(table.notes),
        rows_read=len(table.rows),
        loaded=0,
        rejected=pd.DataFrame(),
        inspection=inspection,
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
        changed_reports=parsed.changed,
    )


# ---- indicator data uploaded on the coordinator's page ---------------------------------


@dataclass(frozen=True)
class IndicatorsJob:
    """Indicator files uploaded together: a local collection's two CSV files
    (``kind="local"``: the indicators and their values, told apart by their headers) or
    saved Sotkanet responses (``kind="sotkanet"``: regions.json, indicator-ID.json,
    data-ID.json or .csv)."""

    db_path: Path
    files: tuple[tuple[str, bytes], ...]
    kind: str = "local"
    preview: bool = True  # check only, write nothing
    loaded_by: str | None = None
    memory_limit: str | None = None
    lang: str = "fi"


def _local_pair(files: tuple[tuple[str, bytes], ...]) -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    """Which of the uploaded files holds the indicators and which their values (by their headers)."""
    meta: tuple[str, bytes] | None = None
    values: tuple[str, bytes] | None = None
    for name, data in files:
        head = data[:4096].decode("utf-8", "replace") if data[:4] != b"PK\x03\x04" else ""
        if "region_code" in head:
            values = (name, data)
        elif "name_fi" in head:
            meta = (name, data)
    if meta is None or values is None:
        data_missing = [
            what for what, found in (("indicators.csv", meta), ("indicator_values.csv", values)) if not found
        ]
        raise ImportFileError(lazy_t("ind.file.missing", files=", ".join(data_missing)))
    return meta, values


def import_indicator_files(job: IndicatorsJob) -> Outcome:
    """Check (and unless a preview, store) uploaded indicator files; ``extra["lines"]`` says,
    per indicator, what was or would be loaded, in the reader's language."""
    reader = open_read_only(job.db_path)
    try:
        known = {r[0] for r in reader.execute("SELECT code FROM regions").fetchall()}
        stored = dict(reader.execute("SELECT indicator_id, count(*) FROM indicator_values GROUP BY 1").fetchall())
    finally:
        reader.close()
    names = ", ".join(name for name, _ in job.files)
    if job.kind == "sotkanet":
        source = sotkanet.UploadedSource(dict(job.files), origin=names)
        indicators = source.indicators()
        if not indicators:
            raise ImportFileError(lazy_t("ind.file.no_sotkanet"))
        try:
            regions, imports = sotkanet.fetch(source, indicators, [])
        except sotkanet.SotkanetError as exc:
            raise ImportFileError(exc.args[0] if exc.args else str(exc)) from exc
        lines = sotkanet.summary(
            regions, imports, job.lang, loaded_key="ind.values" if job.preview else "sotkanet.values_loaded"
        )
        lines += _replacing([(item.meta["indicator_id"], len(item.values)) for item in imports], stored, job.lang)
        if not job.preview:
            write_new_version(
                job.db_path,
                lambda con: sotkanet.store(con, regions, imports, names, loaded_by=job.loaded_by),
                memory_limit=job.memory_limit,
            )
        loaded = sum(len(item.values) for item in imports)
        skipped = sum(i.skipped_unknown_region + i.skipped_category + i.skipped_other_indicator for i in imports)
        return Outcome(names, "csv", "", [], loaded + skipped, loaded, pd.DataFrame(), extra={"lines": lines})
    (meta_name, meta_data), (values_name, values_data) = _local_pair(job.files)
    parsed = parse_indicator_files(
        Path(meta_name), Path(values_name), known, job.lang, meta_data=meta_data, values_data=values_data
    )
    counts = parsed.values.group_by("indicator_id").aggregate([("indicator_id", "count")]).to_pylist()
    per = {row["indicator_id"]: row["indicator_id_count"] for row in counts}
    lines = [
        t(
            "ind.line",
            job.lang,
            id=row.indicator_id,
            name=row.name_fi,
            values=tn("ind.values", per.get(row.indicator_id, 0), job.lang),
        )
        for row in parsed.meta.itertuples(index=False)
    ]
    lines += _replacing([(i, per.get(i, 0)) for i in parsed.meta["indicator_id"]], stored, job.lang)
    if not job.preview:
        write_new_version(
            job.db_path,
            lambda con: store_indicators(con, parsed, loaded_by=job.loaded_by),
            memory_limit=job.memory_limit,
        )
    return Outcome(
        parsed.source, "csv", "", [], parsed.rows_read, parsed.loaded, parsed.rejected, extra={"lines": lines}
    )


def _replacing(items: list[tuple[str, int]], stored: dict[str, int], lang: str) -> list[str]:
    """What a load replaces: the values an indicator already has are replaced by the file's."""
    return [
        t(
            "ind.replaces",
            lang,
            id=indicator,
            old=tn("ind.values", stored[indicator], lang),
            new=tn("ind.values", n, lang),
        )
        for indicator, n in items
        if stored.get(indicator)
    ]
