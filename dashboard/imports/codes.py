"""Loading the code lists (regions, themes, target groups, ...) from CSV files
with fi/sv/en columns. A county edits these files; nothing here is code."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from ..core.config import CODES_DIR
from .records import record_load

CODE_TABLES = (
    "target_groups",
    "themes",
    "observation_types",
    "service_units",
    "followup_statuses",
    "units",
    "support_needs",
)


def load_code_lists(con: duckdb.DuckDBPyConnection, folder: Path = CODES_DIR) -> dict[str, int]:
    """Replace every code table with the file of the same name in ``folder``."""
    counts: dict[str, int] = {}
    for table in ("regions", *CODE_TABLES):
        path = folder / f"{table}.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        if table != "regions":
            frame["sort_order"] = pd.to_numeric(frame["sort_order"]).astype("int64")
        else:
            frame["parent_code"] = frame["parent_code"].replace("", None)
        columns = [c[1] for c in con.execute(f"PRAGMA table_info('{table}')").fetchall()]
        frame = frame[[c for c in columns if c in frame.columns]]
        con.execute(f"DELETE FROM {table}")
        con.register("incoming_codes", frame)
        con.execute(f"INSERT INTO {table} ({', '.join(frame.columns)}) SELECT * FROM incoming_codes")
        con.unregister("incoming_codes")
        counts[table] = len(frame)
        record_load(con, kind="codes", what=table, origin=path.name, rows_read=len(frame), rows_loaded=len(frame))
    return counts
