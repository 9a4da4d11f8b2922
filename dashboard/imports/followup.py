"""The follow-up round trip: the coordinator downloads the reports as XLSX,
marks them publishable and records what came of them, and uploads the file
back. Only the follow-up columns are read; the report itself is not changed."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from .records import record_load
from .reports import NO, YES, Resolver, norm
from .tables import ImportFileError, Table, normalise_header

COLUMNS = ["raportin_tunniste", "julkaistava", "seurannan_tila", "kasitelty", "valitetty", "toimenpide"]
EXPORT_EXTRA = ["pvm", "hyvinvointialue", "havainnon_tyyppi", "havainto", "ratkaisuehdotus"]


@dataclass
class ParsedFollowup:
    source: str
    rows_read: int
    updates: pd.DataFrame
    rejected: pd.DataFrame
    present: set[str]


def parse_followup(table: Table, resolver: Resolver, known_ids: set[str]) -> ParsedFollowup:
    columns = [normalise_header(h) for h in table.header]
    if "raportin_tunniste" not in columns:
        raise ImportFileError("tiedostosta puuttuu sarake raportin_tunniste")
    present = {c for c in columns if c in COLUMNS[1:]}
    if not present:
        raise ImportFileError("tiedostossa ei ole yhtään seurantasaraketta: " + ", ".join(COLUMNS[1:]))
    updates, rejected, seen = [], [], {}
    for number, cells in table.rows:
        record = dict(zip(columns, [str(c).strip() for c in cells] + [""] * (len(columns) - len(cells))))
        errors = []
        report_id = record.get("raportin_tunniste", "")
        if not report_id:
            errors.append("puuttuva pakollinen tieto: raportin_tunniste")
        elif report_id not in known_ids:
            errors.append(f"tuntematon raportin_tunniste: {report_id}")
        elif report_id in seen:
            errors.append(f"sama raportin_tunniste kuin rivillä {seen[report_id]}")
        else:
            seen[report_id] = number
        update = {"report_id": report_id}
        if "julkaistava" in present:
            raw = norm(record.get("julkaistava", ""))
            if raw in YES:
                update["publishable"] = True
            elif raw in NO:
                update["publishable"] = False
            else:
                errors.append(f"julkaistava-sarakkeen arvo ei ole kyllä tai ei: {record.get('julkaistava')}")
        if "seurannan_tila" in present:
            raw = record.get("seurannan_tila", "")
            code = resolver.one("followup_status", raw) if raw else "new"
            if code is None:
                errors.append(f"tuntematon seurannan tila: {raw}")
            update["followup_status"] = code
        for column, field in (("kasitelty", "handled_in"), ("valitetty", "forwarded_to"), ("toimenpide", "followup_action")):
            if column in present:
                update[field] = record.get(column) or None
        if errors:
            rejected.append({"rivi": number, "virheet": "; ".join(errors), **dict(zip(table.header, cells))})
        else:
            updates.append(update)
    return ParsedFollowup(source=table.source, rows_read=len(table.rows), updates=pd.DataFrame(updates),
                          rejected=pd.DataFrame(rejected, columns=["rivi", "virheet", *table.header]), present=present)


def store_followup(con: duckdb.DuckDBPyConnection, parsed: ParsedFollowup, loaded_by: str | None = None) -> int:
    if not parsed.updates.empty:
        fields = [c for c in parsed.updates.columns if c != "report_id"]
        con.register("incoming_followup", parsed.updates)
        con.execute(f"UPDATE reports r SET {', '.join(f'{f} = i.{f}' for f in fields)} "
                    "FROM incoming_followup i WHERE r.report_id = i.report_id")
        con.unregister("incoming_followup")
    return record_load(con, kind="followup", what="seuranta ja julkaistavuus", origin=parsed.source,
                       rows_read=parsed.rows_read, rows_loaded=len(parsed.updates),
                       rows_rejected=len(parsed.rejected), loaded_by=loaded_by)


def export_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The round-trip sheet: id, context columns, then the editable follow-up columns."""
    return con.execute(
        """SELECT r.report_id AS raportin_tunniste, strftime(r.submitted_on, '%-d.%-m.%Y') AS pvm,
                  g.name_fi AS hyvinvointialue, o.name_fi AS havainnon_tyyppi, r.observation AS havainto,
                  r.proposal AS ratkaisuehdotus,
                  CASE WHEN r.publishable THEN 'kyllä' ELSE 'ei' END AS julkaistava,
                  s.name_fi AS seurannan_tila, r.handled_in AS kasitelty, r.forwarded_to AS valitetty,
                  r.followup_action AS toimenpide
           FROM reports r LEFT JOIN regions g ON g.code = r.county_code
           LEFT JOIN observation_types o ON o.code = r.observation_type
           LEFT JOIN followup_statuses s ON s.code = r.followup_status
           ORDER BY r.submitted_on DESC, r.report_id"""
    ).df()
