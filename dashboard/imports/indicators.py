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
import pyarrow as pa
import pyarrow.compute as pc

from .records import record_load
from .tables import ColumnTable, ImportFileError, read_columns, read_table

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


def _trimmed(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.utf8_trim_whitespace(column)


def _number_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """'1 234,5' -> '1234.5': spaces (also no-break) out, decimal comma to point."""
    text = pc.replace_substring(_trimmed(column), "\u00a0", "")
    return pc.replace_substring(pc.replace_substring(text, " ", ""), ",", ".")


CHECK_VALUES = """
    SELECT rivi, indicator_id, region_code, year_text, sex, value_text, abs_value_text, n_text,
           concat_ws('; ',
               CASE WHEN indicator_id NOT IN (SELECT indicator_id FROM known_indicators)
                    THEN 'tuntematon indikaattori: ' || indicator_id END,
               CASE WHEN region_code NOT IN (SELECT code FROM known_regions)
                    THEN 'tuntematon aluekoodi: ' || region_code END,
               CASE WHEN sex NOT IN ('total', 'male', 'female') THEN 'tuntematon sukupuoli: ' || sex END,
               CASE WHEN NOT regexp_full_match(year_text, '[+-]?[0-9]+') OR TRY_CAST(year_text AS INTEGER) IS NULL
                    THEN 'virheellinen vuosi: ' || year_text END,
               CASE WHEN value_text <> '' AND NOT coalesce(isfinite(TRY_CAST(value_text AS DOUBLE)), false)
                    THEN 'virheellinen luku sarakkeessa value: ' || raw_value END,
               CASE WHEN abs_value_text <> '' AND NOT coalesce(isfinite(TRY_CAST(abs_value_text AS DOUBLE)), false)
                    THEN 'virheellinen luku sarakkeessa abs_value: ' || raw_abs_value END,
               CASE WHEN n_text <> '' AND TRY_CAST(trunc(TRY_CAST(n_text AS DOUBLE)) AS INTEGER) IS NULL
                    THEN 'virheellinen luku sarakkeessa n: ' || raw_n END,
               CASE WHEN row_number() OVER (PARTITION BY indicator_id, region_code, year_text, sex ORDER BY rivi) > 1
                    THEN 'sama indikaattori, alue, vuosi ja sukupuoli toiseen kertaan' END
           ) AS virheet
    FROM incoming
"""


def check_values(table: ColumnTable, indicator_ids: set[str], known_regions: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every value row either valid or rejected with its row number and every
    reason, checked column-wise (millions of rows in seconds)."""
    position = {name: i for i, name in enumerate(table.header)}  # a repeated header: the last one counts

    def column(name: str) -> pa.ChunkedArray:
        if name in position:
            return table.cells.column(position[name])
        return pa.chunked_array([pa.array([""] * len(table), pa.string())])

    sex = _trimmed(column("sex"))
    incoming = pa.table({
        "rivi": pa.array(table.lines, pa.int64()),
        "indicator_id": _trimmed(column("indicator_id")),
        "region_code": _trimmed(column("region_code")),
        "year_text": _trimmed(column("year")),
        "sex": pc.if_else(pc.equal(sex, ""), "total", sex),
        "value_text": _number_text(column("value")),
        "abs_value_text": _number_text(column("abs_value")),
        "n_text": _number_text(column("n")),
        "raw_value": column("value"),
        "raw_abs_value": column("abs_value"),
        "raw_n": column("n"),
    })
    con = duckdb.connect()  # in memory, for the checks only
    try:
        con.register("incoming", incoming)
        con.register("known_indicators", pd.DataFrame({"indicator_id": sorted(indicator_ids)}, dtype=object))
        con.register("known_regions", pd.DataFrame({"code": sorted(known_regions)}, dtype=object))
        con.execute(f"CREATE TEMP TABLE checked AS {CHECK_VALUES}")
        values = con.execute("""
            SELECT indicator_id, region_code, CAST(year_text AS INTEGER) AS year, sex,
                   CAST(nullif(value_text, '') AS DOUBLE) AS value,
                   CAST(nullif(abs_value_text, '') AS DOUBLE) AS abs_value,
                   CAST(trunc(CAST(nullif(n_text, '') AS DOUBLE)) AS INTEGER) AS n
            FROM checked WHERE virheet = '' ORDER BY rivi""").df()
        bad = con.execute("SELECT rivi, virheet FROM checked WHERE virheet <> '' ORDER BY rivi").fetchall()
    finally:
        con.close()
    values["n"] = values["n"].astype("Int64")
    rejected = []
    if bad:
        index = {line: i for i, line in enumerate(table.lines.tolist())}
        columns = [table.cells.column(i) for i in range(len(table.header))]
        for line, reasons in bad:
            cells = [col[index[line]].as_py() for col in columns]
            rejected.append({"rivi": line, "virheet": reasons, **dict(zip(table.header, cells))})
    return values[VALUE_COLUMNS], pd.DataFrame(rejected)


def parse_indicator_files(meta_path: Path, values_path: Path, known_regions: set[str]) -> ParsedIndicators:
    meta_table = read_table(meta_path)
    values_table = read_columns(values_path)
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
    values, rejected = check_values(values_table, set(meta["indicator_id"]), known_regions)
    return ParsedIndicators(
        source=f"{meta_table.source} + {values_table.source}",
        meta=meta,
        values=values,
        rows_read=len(values_table),
        rejected=rejected,
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
