"""What the coordinator's pages read: the record of loads and the follow-up sheet."""

from __future__ import annotations

import pandas as pd

from .analysis import text_hash_sql

KINDS = ("reports", "followup", "sotkanet", "indicators")


def latest_loads(con, limit: int = 15) -> pd.DataFrame:
    """The latest loads of data (not the code lists), newest first."""
    keys = {f"k{i}": kind for i, kind in enumerate(KINDS)}
    return con.execute(
        "SELECT loaded_at, kind, origin, rows_read, rows_loaded, rows_rejected, loaded_by FROM loads "
        f"WHERE kind IN ({', '.join('$' + k for k in keys)}) ORDER BY load_id DESC LIMIT $limit",
        {**keys, "limit": limit},
    ).df()


def followup_sheet(con) -> pd.DataFrame:
    """The round-trip sheet: the report's county and id, context columns, then
    the editable follow-up columns (Finnish headers, as in the import template)."""
    return con.execute(
        """SELECT g.name_fi AS hyvinvointialue, r.report_id AS raportin_tunniste,
                  strftime(r.submitted_on, '%-d.%-m.%Y') AS pvm,
                  o.name_fi AS havainnon_tyyppi, r.observation AS havainto, r.client_voice AS asiakkaan_aani,
                  r.proposal AS ratkaisuehdotus,
                  CASE WHEN r.publishable THEN 'kyllä' ELSE 'ei' END AS julkaistava,
                  CASE WHEN r.highlight THEN 'kyllä' ELSE 'ei' END AS nosto,
                  s.name_fi AS seurannan_tila, r.handled_in AS kasitelty, r.forwarded_to AS valitetty,
                  r.followup_action AS toimenpide
           FROM reports r LEFT JOIN regions g ON g.code = r.county_code
           LEFT JOIN observation_types o ON o.code = r.observation_type
           LEFT JOIN followup_statuses s ON s.code = r.followup_status
           ORDER BY r.submitted_on DESC, r.county_code, r.report_id"""
    ).df()


def report_keys(con) -> dict[tuple[str, str], int]:
    """(county code, report id) -> report_key of every report."""
    return {
        (county, rid): key
        for key, county, rid in con.execute("SELECT report_key, county_code, report_id FROM reports").fetchall()
    }


def followup_values(con) -> pd.DataFrame:
    """The follow-up columns of every report, to tell what an upload changes, and ``privacy_hold``:
    the published analysis found an unresolved privacy hit in the report's current texts (only the
    coordinator's workbench may make such a report publishable)."""
    hold = "FALSE"
    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'report_reviews'").fetchone()[0]:
        hold = (
            "coalesce((SELECT rv.privacy_unresolved > 0 AND rv.screened_hash = "
            + text_hash_sql("r")
            + " FROM report_reviews rv WHERE rv.report_key = r.report_key), FALSE)"
        )
    return con.execute(
        "SELECT report_key, publishable, highlight, followup_status, handled_in, forwarded_to, "
        f"followup_action, {hold} AS privacy_hold FROM reports r"
    ).df()
