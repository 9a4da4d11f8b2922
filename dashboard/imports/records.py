"""The record of each load: what, from where, when, by whom, under which licence."""

from __future__ import annotations

import datetime as dt
import getpass

import duckdb


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"


def record_load(
    con: duckdb.DuckDBPyConnection,
    *,
    kind: str,
    what: str,
    origin: str,
    rows_read: int,
    rows_loaded: int,
    rows_rejected: int = 0,
    licence: str | None = None,
    loaded_by: str | None = None,
    synthetic: bool = False,
) -> int:
    row = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchone()
    assert row is not None  # an aggregate always gives a row
    load_id = row[0]
    con.execute(
        "INSERT INTO loads VALUES ($id, $kind, $what, $origin, $at, $by, $licence, $read, $loaded, $rejected, $synthetic)",
        {
            "id": load_id,
            "kind": kind,
            "what": what,
            "origin": origin,
            "at": dt.datetime.now().replace(microsecond=0),
            "by": loaded_by or current_user(),
            "licence": licence,
            "read": rows_read,
            "loaded": rows_loaded,
            "rejected": rows_rejected,
            "synthetic": synthetic,
        },
    )
    return load_id
