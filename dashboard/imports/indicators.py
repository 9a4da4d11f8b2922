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

from ..core.i18n import lazy_t, t
from .records import record_load
from .tables import ColumnTable, ImportFileError, read_columns, read_table

META_COLUMNS = [
    "indicator_id",
    "source",
    "name_fi",
    "name_sv",
    "name_en",
    "unit",
    "decimals",
    "licence",
    "data_updated",
    "description",
    "kind",
    "synthetic",
]
VALUE_COLUMNS = ["indicator_id", "region_code", "year", "sex", "value", "abs_value", "n"]
SEXES = {"total", "male", "female"}


@dataclass
class ParsedIndicators:
    source: str
    meta: pd.DataFrame
    values: pa.Table  # the valid rows, typed like indicator_values
    rows_read: int
    rejected: pd.DataFrame  # rivi, virheet and the row's own cells

    @property
    def loaded(self) -> int:
        return self.values.num_rows


def _trimmed(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Cells without surrounding whitespace (Unicode's, as Python's str.strip)."""
    return pc.utf8_trim_whitespace(column)


def _number_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """'1 234,5' -> '1234.5': spaces (also no-break) out, decimal comma to point.
    A pass is skipped when no cell has what it would replace."""
    text = _trimmed(column)
    for old, new in (("\u00a0", ""), (" ", ""), (",", ".")):
        if pc.any(pc.match_substring(text, old)).as_py():
            text = pc.replace_substring(text, old, new)
    return text


# One pass over the cells: cleaned, typed, and every reason a row is rejected, in
# the order the user reads them.
CHECK = """
    WITH cleaned AS (
        SELECT rivi, indicator_id, region_code, year AS year_text, coalesce(nullif(sex, ''), 'total') AS sex,
               value AS value_text, abs_value AS abs_value_text, n AS n_text, raw_value, raw_abs_value, raw_n
        FROM incoming),
    typed AS (
        SELECT *, TRY_CAST(year_text AS INTEGER) AS year_number,
               TRY_CAST(nullif(value_text, '') AS DOUBLE) AS value_number,
               TRY_CAST(nullif(abs_value_text, '') AS DOUBLE) AS abs_value_number,
               TRY_CAST(trunc(TRY_CAST(nullif(n_text, '') AS DOUBLE)) AS INTEGER) AS n_number
        FROM cleaned)
    SELECT rivi, indicator_id, region_code, year_number AS year, sex, value_number AS value,
           abs_value_number AS abs_value, n_number AS n, hash(indicator_id, region_code, year_text, sex) AS key_hash,
           year_text,
           concat_ws('; ',
               CASE WHEN indicator_id NOT IN (SELECT indicator_id FROM known_indicators)
                    THEN $indicator_0 || indicator_id || $indicator_1 END,
               CASE WHEN region_code NOT IN (SELECT code FROM known_regions)
                    THEN $region_0 || region_code || $region_1 END,
               CASE WHEN sex NOT IN ('total', 'male', 'female') THEN $sex_0 || sex || $sex_1 END,
               CASE WHEN year_number IS NULL OR NOT regexp_full_match(year_text, '[+-]?[0-9]+')
                    THEN $year_0 || year_text || $year_1 END,
               CASE WHEN value_text <> '' AND NOT coalesce(isfinite(value_number), false)
                    THEN $value_0 || raw_value || $value_1 END,
               CASE WHEN abs_value_text <> '' AND NOT coalesce(isfinite(abs_value_number), false)
                    THEN $abs_value_0 || raw_abs_value || $abs_value_1 END,
               CASE WHEN n_text <> '' AND n_number IS NULL THEN $n_0 || raw_n || $n_1 END
           ) AS virheet
    FROM typed
"""
# The second and later rows of the same indicator, region, year and sex. Only rows
# whose key hash repeats are compared by their keys.
REPEATED = """
    SELECT rivi FROM (
        SELECT rivi, row_number() OVER (PARTITION BY indicator_id, region_code, year_text, sex ORDER BY rivi) AS nth
        FROM checked
        WHERE key_hash IN (SELECT key_hash FROM checked GROUP BY key_hash HAVING count(*) > 1))
    WHERE nth > 1
"""
# Each reason of CHECK as the text before and after the cell it quotes ($name_0 || cell || $name_1).
REASONS: dict[str, tuple[str, dict[str, str]]] = {
    "indicator": ("import.unknown_indicator", {}),
    "region": ("import.unknown_region", {}),
    "sex": ("import.unknown_sex", {}),
    "year": ("import.bad_year", {}),
    "value": ("import.bad_number", {"column": "value"}),
    "abs_value": ("import.bad_number", {"column": "abs_value"}),
    "n": ("import.bad_number", {"column": "n"}),
}


def reason_parameters(lang: str) -> dict[str, str]:
    """The reasons of CHECK in ``lang``, split around their ``{value}``."""
    out = {}
    for name, (key, values) in REASONS.items():
        before, _, after = t(key, lang, **values, value="\x00").partition("\x00")
        out[f"{name}_0"], out[f"{name}_1"] = before, after
    return out


def check_values(
    table: ColumnTable, indicator_ids: set[str], known_regions: set[str], lang: str = "fi"
) -> tuple[pa.Table, pd.DataFrame]:
    """Every value row either valid or rejected with its row number and every
    reason (in ``lang``), checked column-wise (Arrow and DuckDB: five million rows in seconds)."""
    position = {name: i for i, name in enumerate(table.header)}  # a repeated header: the last one counts

    def column(name: str) -> pa.ChunkedArray:
        if name in position:
            return table.cells.column(position[name])
        return pa.chunked_array([pa.array([""] * len(table), pa.string())])

    incoming = pa.table(
        {
            "rivi": pa.array(table.lines, pa.int64()),
            **{name: _trimmed(column(name)) for name in ("indicator_id", "region_code", "year", "sex")},
            **{name: _number_text(column(name)) for name in ("value", "abs_value", "n")},
            **{f"raw_{name}": column(name) for name in ("value", "abs_value", "n")},
        }
    )
    con = duckdb.connect()  # in memory, for the checks only
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("incoming", incoming)
        con.register("known_indicators", pa.table({"indicator_id": pa.array(sorted(indicator_ids), pa.string())}))
        con.register("known_regions", pa.table({"code": pa.array(sorted(known_regions), pa.string())}))
        checked = con.sql(CHECK, params=reason_parameters(lang)).to_arrow_table()
        con.register("checked", checked)
        repeated = pa.array([r[0] for r in con.execute(REPEATED).fetchall()], pa.int64())
    finally:
        con.close()
    reasons = checked.column("virheet")
    if len(repeated):
        duplicate = t("import.duplicate_value", lang)
        is_repeat = pc.is_in(checked.column("rivi"), value_set=repeated)
        reasons = pc.if_else(
            is_repeat,
            pc.binary_join_element_wise(reasons, pc.if_else(pc.equal(reasons, ""), duplicate, "; " + duplicate), ""),
            reasons,
        )
    ok = pc.equal(reasons, "")
    values = checked.filter(ok).select(VALUE_COLUMNS)
    rejected = pd.DataFrame(columns=["rivi", "virheet", *dict.fromkeys(table.header)])
    if not pc.all(ok).as_py():
        bad = pc.invert(ok)
        lines = checked.column("rivi").filter(bad).to_pylist()
        why = reasons.filter(bad).to_pylist()
        where = {line: i for i, line in enumerate(table.lines.tolist())}
        rows = table.cells.take(pa.array([where[line] for line in lines])).to_pylist()
        order = sorted(range(len(lines)), key=lines.__getitem__)
        rejected = pd.DataFrame(
            [{"rivi": lines[i], "virheet": why[i], **dict(zip(table.header, rows[i].values()))} for i in order]
        )
    return values, rejected


def parse_indicator_files(
    meta_path: Path,
    values_path: Path,
    known_regions: set[str],
    lang: str = "fi",
    meta_data: bytes | None = None,
    values_data: bytes | None = None,
) -> ParsedIndicators:
    """Read and check the two files (from disk, or their uploaded bytes ``meta_data`` and
    ``values_data`` with the paths as their names)."""
    meta_table = read_table(meta_path, data=meta_data, name=Path(meta_path).name)
    values_table = read_columns(values_path, data=values_data, name=Path(values_path).name)
    for table, needed in ((meta_table, META_COLUMNS[:6]), (values_table, VALUE_COLUMNS[:5])):
        missing = [c for c in needed if c not in table.header]
        if missing:
            raise ImportFileError(
                lazy_t("import.file.missing_columns_of", file=table.source, columns=", ".join(missing))
            )
    meta_rows = []
    for _, cells in meta_table.rows:
        row = dict(zip(meta_table.header, cells))
        meta_rows.append(
            {
                "indicator_id": row["indicator_id"].strip(),
                "source": row["source"].strip(),
                "name_fi": row["name_fi"].strip(),
                "name_sv": row.get("name_sv", "").strip() or row["name_fi"].strip(),
                "name_en": row.get("name_en", "").strip() or row["name_fi"].strip(),
                "unit": row["unit"].strip(),
                "decimals": int(row.get("decimals") or 1),
                "licence": row.get("licence") or None,
                "data_updated": pd.to_datetime(row.get("data_updated") or None).date()
                if row.get("data_updated")
                else None,
                "description": row.get("description") or None,
                "kind": row.get("kind") or "local",
                "synthetic": str(row.get("synthetic", "")).strip().lower() in ("1", "true", "kyllä", "yes"),
            }
        )
    meta = pd.DataFrame(meta_rows, columns=META_COLUMNS)
    values, rejected = check_values(values_table, set(meta["indicator_id"]), known_regions, lang)
    return ParsedIndicators(
        source=f"{meta_table.source} + {values_table.source}",
        meta=meta,
        values=values,
        rows_read=len(values_table),
        rejected=rejected,
    )


def store_indicators(
    con: duckdb.DuckDBPyConnection,
    parsed: ParsedIndicators,
    synthetic: bool = False,
    licence: str | None = None,
    loaded_by: str | None = None,
) -> int:
    con.register("incoming_meta", parsed.meta)
    con.execute("DELETE FROM indicator_values WHERE indicator_id IN (SELECT indicator_id FROM incoming_meta)")
    con.execute("DELETE FROM indicators WHERE indicator_id IN (SELECT indicator_id FROM incoming_meta)")
    con.execute(f"INSERT INTO indicators ({', '.join(META_COLUMNS)}) SELECT * FROM incoming_meta")
    con.unregister("incoming_meta")
    if parsed.loaded:
        con.register("incoming_values", parsed.values)
        columns = ", ".join(VALUE_COLUMNS)
        con.execute(f"INSERT INTO indicator_values ({columns}) SELECT {columns} FROM incoming_values")
        con.unregister("incoming_values")
    return record_load(
        con,
        kind="indicators",
        what=", ".join(parsed.meta["indicator_id"]),
        origin=parsed.source,
        rows_read=parsed.rows_read,
        rows_loaded=parsed.loaded,
        rows_rejected=len(parsed.rejected),
        licence=licence,
        synthetic=synthetic,
        loaded_by=loaded_by,
    )
