"""The follow-up round trip: the coordinator downloads the reports as XLSX,
marks them publishable and records what came of them, and uploads the file
back. Only the follow-up columns are read; the report itself is not changed."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import duckdb
import pandas as pd

from ..core.i18n import lazy_t, render_all
from .records import record_load
from .reports import MAX_TEXT, NO, YES, Resolver, norm
from .tables import ImportFileError, Table, clean_cell, normalise_header

COLUMNS = ["raportin_tunniste", "julkaistava", "nosto", "seurannan_tila", "kasitelty", "valitetty", "toimenpide"]
FLAGS = {"julkaistava": "publishable", "nosto": "highlight"}
NOTES = (("kasitelty", "handled_in"), ("valitetty", "forwarded_to"), ("toimenpide", "followup_action"))


@dataclass
class ParsedFollowup:
    source: str
    rows_read: int
    updates: pd.DataFrame  # report_key + the follow-up columns the file has
    rejected: pd.DataFrame
    present: set[str]
    changes: dict[str, int]  # column -> how many reports it changes
    changed: list[tuple[str, str, list[str]]] = dataclasses.field(
        default_factory=list
    )  # (county, id, fields it changes)


def parse_followup(
    table: Table,
    resolver: Resolver,
    keys: dict[tuple[str, str], int],
    current: pd.DataFrame | None = None,
    lang: str = "fi",
) -> ParsedFollowup:
    """Read the sheet; a report is found by county (``hyvinvointialue``) and id.
    Without the county column an id that is unique across counties is enough.
    ``current`` (report_key + follow-up columns) lets the result say what changed;
    the rejection reasons are in ``lang``."""
    columns = [normalise_header(h) for h in table.header]
    if "raportin_tunniste" not in columns:
        raise ImportFileError(lazy_t("import.file.no_id_column"))
    present = {c for c in columns if c in COLUMNS[1:]}
    if not present:
        raise ImportFileError(lazy_t("import.file.no_followup_columns", columns=", ".join(COLUMNS[1:])))
    by_id: dict[str, list[int]] = {}
    for (_, rid), report_key in keys.items():
        by_id.setdefault(rid, []).append(report_key)
    # Reports whose texts still have an unresolved privacy hit (as published): not publishable by file.
    held = set()
    if current is not None and "privacy_hold" in current:
        held = set(current.loc[current["privacy_hold"].astype(bool), "report_key"])
    updates: list[dict] = []
    rejected: list[dict] = []
    seen: dict[int, int] = {}  # report key -> the row that first named it
    for number, cells in table.rows:
        values = [clean_cell(c).strip() for c in cells]
        record = dict(zip(columns, values + [""] * (len(columns) - len(values))))
        errors: list[object] = []  # lazy_t(...) reasons, shown in lang
        report_id = record.get("raportin_tunniste", "")
        raw_county = record.get("hyvinvointialue", "")
        key: int | None = None
        if not report_id:
            errors.append(lazy_t("import.missing_value", field=lazy_t("import.field.raportin_tunniste")))
        elif raw_county:
            county = resolver.one("county", raw_county)
            if county is None:
                errors.append(
                    lazy_t("import.unknown_value", field=lazy_t("import.field.hyvinvointialue"), value=raw_county)
                )
            elif (county, report_id) not in keys:
                errors.append(lazy_t("import.unknown_report_in", id=report_id, county=raw_county))
            else:
                key = keys[(county, report_id)]
        elif len(by_id.get(report_id, [])) == 1:
            key = by_id[report_id][0]
        elif report_id in by_id:
            errors.append(lazy_t("import.report_in_many_counties", id=report_id))
        else:
            errors.append(lazy_t("import.unknown_report", id=report_id))
        if key is not None:
            if key in seen:
                errors.append(lazy_t("import.same_report", row=seen[key]))
            else:
                seen[key] = number
        update: dict[str, object] = {"report_key": key}
        for column, field in FLAGS.items():
            if column in present:
                raw = norm(record.get(column, ""))
                if raw in YES:
                    update[field] = True
                elif raw in NO:
                    update[field] = False
                else:
                    errors.append(lazy_t("import.not_yes_no", column=column, value=record.get(column)))
        if update.get("publishable") is True and key in held:
            errors.append(lazy_t("import.privacy_hold", id=report_id))
        if "seurannan_tila" in present:
            raw = record.get("seurannan_tila", "")
            code = resolver.one("followup_status", raw) if raw else "new"
            if code is None:
                errors.append(lazy_t("import.unknown_value", field=lazy_t("import.field.seurannan_tila"), value=raw))
            update["followup_status"] = code
        for column, field in NOTES:
            if column in present:
                update[field] = record.get(column) or None
                if len(record.get(column, "")) > MAX_TEXT:
                    errors.append(lazy_t("import.text_too_long", column=column, max=MAX_TEXT))
        if errors:
            rejected.append({"rivi": number, "virheet": render_all(errors, lang), **dict(zip(table.header, values))})
        else:
            updates.append(update)
    frame = pd.DataFrame(updates)
    counts, changed = _changes(frame, current, {key: which for which, key in keys.items()})
    return ParsedFollowup(
        source=table.source,
        rows_read=len(table.rows),
        updates=frame,
        rejected=pd.DataFrame(rejected, columns=["rivi", "virheet", *table.header]),
        present=present,
        changes=counts,
        changed=changed,
    )


def _changes(
    updates: pd.DataFrame, current: pd.DataFrame | None, report_of: dict[int, tuple[str, str]]
) -> tuple[dict[str, int], list[tuple[str, str, list[str]]]]:
    """How many reports each column changes, and which reports change in which columns
    (county, id, fields), in the sheet's order."""
    if updates.empty or current is None:
        return {}, []
    merged = updates.merge(current, on="report_key", how="left", suffixes=("", "_old"))
    counts: dict[str, int] = {}
    fields_of: dict[int, list[str]] = {}
    for name in [c for c in updates.columns if c != "report_key"]:
        new, old = merged[name], merged[name + "_old"]
        differs = ~((new == old) | (new.isna() & old.isna()))
        counts[name] = int(differs.sum())
        for key in merged.loc[differs, "report_key"]:
            fields_of.setdefault(int(key), []).append(name)
    changed = [
        (*report_of.get(key, ("", str(key))), fields_of[key])
        for key in map(int, merged["report_key"])
        if key in fields_of
    ]
    return counts, changed


EVENT_FIELDS = ("followup_status", "handled_in", "forwarded_to", "followup_action")
EVENTS_DDL = (
    "CREATE TABLE IF NOT EXISTS report_followup_events (report_key INTEGER NOT NULL, changed_at TIMESTAMP NOT NULL, "
    "load_id INTEGER, followup_status VARCHAR, handled_in VARCHAR, forwarded_to VARCHAR, followup_action VARCHAR)"
)


def store_followup(con: duckdb.DuckDBPyConnection, parsed: ParsedFollowup, loaded_by: str | None = None) -> int:
    """Apply the sheet's follow-up columns; every report whose status or notes changed gets a dated
    row in ``report_followup_events`` (what the reporting form's receipt shows)."""
    load_id = record_load(
        con,
        kind="followup",
        what="seuranta ja julkaistavuus",
        origin=parsed.source,
        rows_read=parsed.rows_read,
        rows_loaded=len(parsed.updates),
        rows_rejected=len(parsed.rejected),
        loaded_by=loaded_by,
    )
    if not parsed.updates.empty:
        fields = [c for c in parsed.updates.columns if c != "report_key"]
        con.execute(
            "CREATE OR REPLACE TEMP TABLE incoming_followup AS SELECT report_key, "
            + ", ".join(fields)
            + " FROM reports LIMIT 0"
        )
        con.register("incoming_frame", parsed.updates)
        con.execute(f"INSERT INTO incoming_followup SELECT report_key, {', '.join(fields)} FROM incoming_frame")
        con.unregister("incoming_frame")
        tracked = ", ".join(EVENT_FIELDS)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE followup_before AS SELECT report_key, {tracked} FROM reports "
            "WHERE report_key IN (SELECT report_key FROM incoming_followup)"
        )
        con.execute(
            f"UPDATE reports r SET {', '.join(f'{f} = i.{f}' for f in fields)} "
            "FROM incoming_followup i WHERE r.report_key = i.report_key"
        )
        changed = " OR ".join(f"r.{f} IS DISTINCT FROM b.{f}" for f in EVENT_FIELDS)
        con.execute(EVENTS_DDL)  # a database made before the table existed
        loaded = con.execute("SELECT loaded_at FROM loads WHERE load_id = $id", {"id": load_id}).fetchone()
        assert loaded is not None  # record_load wrote it above
        con.execute(
            f"INSERT INTO report_followup_events SELECT r.report_key, $at, $load, {', '.join('r.' + f for f in EVENT_FIELDS)} "
            f"FROM reports r JOIN followup_before b USING (report_key) WHERE {changed}",
            {"at": loaded[0], "load": load_id},
        )  # fmt: skip
        con.execute("DROP TABLE followup_before")
        con.execute("DROP TABLE incoming_followup")
    return load_id
