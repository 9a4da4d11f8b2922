"""Rewriting the search index of every report (``reports.search_text``) with
the current lemmatiser: for a database loaded before the index held base
forms and compound parts, or after Voikko was installed. The import writes
the index of the reports it loads; this rewrites all of them."""

from __future__ import annotations

import duckdb
import pandas as pd

from ..core.search import index_text


def reindex(con: duckdb.DuckDBPyConnection) -> int:
    """Rewrite every report's search index in the caller's transaction; the number of reports."""
    rows = con.execute("SELECT report_key, observation, client_voice, proposal FROM reports").fetchall()
    fresh = pd.DataFrame(
        {"report_key": [r[0] for r in rows], "search_text": [index_text(*r[1:]) for r in rows]},
        columns=["report_key", "search_text"],
    )
    con.register("fresh_index", fresh)
    con.execute(
        "UPDATE reports SET search_text = f.search_text FROM fresh_index f WHERE reports.report_key = f.report_key"
    )
    con.unregister("fresh_index")
    return len(rows)
