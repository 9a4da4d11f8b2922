"""Importing indicator definitions and values from CSV files: the format for a
county's own client-data collections (and the synthetic demo indicators).

``indicators.csv``: indicator_id, source, name_fi, name_sv, name_en, unit,
decimals, licence, data_updated, description, kind, synthetic.
``indicator_values.csv``: indicator_id, region_code, year, sex, value,
abs_value, n. Re-importing an indicator replaces its values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from .records import record_load
from .tables import ImportFileError, read_table

META_COLUMNS = ["indicator_id", "source", "name_fi", "name_sv", "name_en", "unit", "decimals",
                "licence", "data_updated", "description", "kind", "synthetic"]
VALUE_COLUMNS = ["indicator_id", "region_code", "year", "sex", "value", "abs_value", "n"]
SEXES = {"total", "male", "female"}


@dataclass
class ParsedIndicators:
    source: str
    meta: pd.DataFrame
    values: pd.DataFrame
    rows_read: int
    rejected: pd.DataFrame


def _number(text: str) -> float | None:
    text = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if text == "":
        return None
    return float(text)


def parse_indicator_files(meta_path: Path, values_path: Path, known_regions: set[str]) -> ParsedIndicators:
    meta_table = read_table(meta_path)
    values_table = read_table(values_path)
    for table, needed in ((meta_table, META_COLUMNS[:6]), (values_table, VALUE_COLUMNS[:5])):
        missing = [c for c in needed if c not in table.header]
        if missing:
            raise ImportFileError(f"{table.source}: puuttuvat sarakkeet {', '.join(missing)}")
    meta_rows = []
    for _, cells in meta_table.rows:
        row = dict(zip(meta_table.header, cells))
        meta_rows.append({
            "indicator_id": row["indicator_id"].strip(),
            "source": row["source"].strip(),
            "name_fi": row["name_fi"].strip(),
            "name_sv": row.get("name_sv", "").strip() or row["name_fi"].strip(),
            "name_en": row.get("name_en", "").strip() or row["name_fi"].strip(),
            "unit": row["unit"].strip(),
            "decimals": int(row.get("decimals") or 1),
            "licence": row.get("licence") or None,
            "data_updated": pd.to_datetime(row.get("data_updated") or None).date() if row.get("data_updated") else None,
            "description": row.get("description") or None,
            "kind": row.get("kind") or "local",
            "synthetic": str(row.get("synthetic", "")).strip().lower() in ("1", "true", "kyllä", "yes"),
        })
    meta = pd.DataFrame(meta_rows, columns=META_COLUMNS)
    ids = set(meta["indicator_id"])
    values, rejected = [], []
    seen: set[tuple] = set()
    for number, cells in values_table.rows:
        row = dict(zip(values_table.header, cells))
        errors = []
        key = (row.get("indicator_id", "").strip(), row.get("region_code", "").strip(),
               row.get("year", "").strip(), row.get("sex", "").strip() or "total")
        if key[0] not in ids:
            errors.append(f"tuntematon indikaattori: {key[0]}")
        if key[1] not in known_regions:
            errors.append(f"tuntematon aluekoodi: {key[1]}")
        if key[3] not in SEXES:
            errors.append(f"tuntematon sukupuoli: {key[3]}")
        try:
            year = int(key[2])
        except ValueError:
            errors.append(f"virheellinen vuosi: {key[2]}")
            year = None
        parsed = {}
        for col in ("value", "abs_value", "n"):
            try:
                parsed[col] = _number(row.get(col, "") or "")
            except ValueError:
                errors.append(f"virheellinen luku sarakkeessa {col}: {row.get(col)}")
        if key in seen:
            errors.append("sama indikaattori, alue, vuosi ja sukupuoli toiseen kertaan")
        seen.add(key)
        if errors:
            rejected.append({"rivi": number, "virheet": "; ".join(errors), **row})
            continue
        values.append({"indicator_id": key[0], "region_code": key[1], "year": year, "sex": key[3],
                       "value": parsed["value"], "abs_value": parsed["abs_value"],
                       "n": None if parsed["n"] is None else int(parsed["n"])})
    values_frame = pd.DataFrame(values, columns=VALUE_COLUMNS)
    values_frame["n"] = values_frame["n"].astype("Int64")
    return ParsedIndicators(
        source=f"{meta_table.source} + {values_table.source}",
        meta=meta,
        values=values_frame,
        rows_read=len(values_table.rows),
        rejected=pd.DataFrame(rejected),
    )


def store_indicators(con: duckdb.DuckDBPyConnection, parsed: ParsedIndicators, synthetic: bool = False,
                     licence: str | None = None, loaded_by: str | None = None) -> int:
    con.register("incoming_meta", parsed.meta)
    con.execute("DELETE FROM indicator_values WHERE indicator_id IN (SELECT indicator_id FROM incoming_meta)")
    con.execute("DELETE FROM indicators WHERE indicator_id IN (SELECT indicator_id FROM incoming_meta)")
    con.execute(f"INSERT INTO indicators ({', '.join(META_COLUMNS)}) SELECT * FROM incoming_meta")
    con.unregister("incoming_meta")
    if not parsed.values.empty:
        con.register("incoming_values", parsed.values)
        con.execute(f"INSERT INTO indicator_values ({', '.join(VALUE_COLUMNS)}) SELECT * FROM incoming_values")
        con.unregister("incoming_values")
    return record_load(con, kind="indicators", what=", ".join(parsed.meta["indicator_id"]), origin=parsed.source,
                       rows_read=parsed.rows_read, rows_loaded=len(parsed.values),
                       rows_rejected=len(parsed.rejected), licence=licence, synthetic=synthetic,
                       loaded_by=loaded_by)
