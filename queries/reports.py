"""Queries over the social reports. Every function takes the same
:class:`~dashboard.core.filters.ReportFilter`, so charts, tables, slides and
downloads always count the same reports.

:func:`summary` computes every count a view shows in one statement (one
pass over the filtered reports). Everything here returns codes: the views
label them from the vocabulary in the user's language, so no result here
depends on the language and a language switch runs no query.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.core.filters import ReportFilter

from .schema import COUNTED, REPORT_DIMENSIONS
from .visibility import text_visible
from .where import report_where

MAX_ROWS = 200_000  # cap on one download
DIMENSIONS = COUNTED


@dataclass(frozen=True)
class Summary:
    """Every count of one filter: the number of reports, how many are not
    publishable, and per dimension the reports carrying each code."""

    total: int
    unpublished: int
    counts: Mapping[str, pd.DataFrame]  # dimension -> code, count (largest first)


def _filtered(flt: ReportFilter, columns: str = "r.*") -> tuple[str, dict]:
    where, params = report_where(flt, "r")
    return f"SELECT {columns} FROM reports r WHERE {where}", params


def _grouped(dimension: str, first: str) -> str:
    """``first``, code, count of one dimension over the filtered reports ``f``."""
    place = REPORT_DIMENSIONS[dimension]
    if place.linked:
        return (
            f"SELECT {first}, x.{place.column}, count(*) FROM f JOIN {place.table} x USING (report_key) "
            f"GROUP BY x.{place.column}"
        )
    return f"SELECT {first}, {place.column}, count(*) FROM f GROUP BY {place.column}"


def _unlinked_columns() -> str:
    return ", ".join(f"r.{d.column}" for name, d in REPORT_DIMENSIONS.items() if name in DIMENSIONS and not d.linked)


def summary(con, flt: ReportFilter) -> Summary:
    """One statement, one pass over the filtered reports (materialised once)."""
    # "publishable" here: the texts leadership may read (publishable, no unresolved privacy hit).
    sql, params = _filtered(flt, f"r.report_key, {_unlinked_columns()}, {text_visible('r')} AS publishable")
    parts = [
        "SELECT 'total' AS dimension, NULL AS code, count(*) AS n FROM f",
        "SELECT 'unpublished', NULL, count(*) FILTER (WHERE NOT publishable) FROM f",
    ]
    parts += [_grouped(dim, f"'{dim}'") for dim in DIMENSIONS]
    rows = con.execute(f"WITH f AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts), params).fetchall()
    scalars: dict[str, int] = {}
    grouped: dict[str, list[tuple[str, int]]] = {dim: [] for dim in DIMENSIONS}
    for dimension, code, n in rows:
        if code is None:
            scalars[dimension] = int(n)
        else:
            grouped[dimension].append((code, int(n)))
    counts = {
        dim: pd.DataFrame(sorted(values, key=lambda v: (-v[1], v[0])), columns=["code", "count"])
        for dim, values in grouped.items()
    }
    return Summary(
        total=scalars.get("total", 0),
        unpublished=scalars.get("unpublished", 0),
        counts=counts,
    )


def dimension_counts(con, flt: ReportFilter, dimension: str) -> tuple[int, pd.DataFrame]:
    """The number of filtered reports and the counts of one dimension (code,
    count): one light statement where the whole :func:`summary` is not needed."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension}")
    place = REPORT_DIMENSIONS[dimension]
    sql, params = _filtered(flt, "r.report_key" + ("" if place.linked else f", r.{place.column}"))
    rows = con.execute(
        f"WITH f AS MATERIALIZED ({sql}) SELECT NULL, NULL, count(*) FROM f UNION ALL {_grouped(dimension, 'NULL')}",
        params,
    ).fetchall()
    total = next((int(n) for _, code, n in rows if code is None), 0)
    values = sorted(((code, int(n)) for _, code, n in rows if code is not None), key=lambda v: (-v[1], v[0]))
    return total, pd.DataFrame(values, columns=["code", "count"])


def count_reports(con, flt: ReportFilter) -> int:
    return summary(con, flt).total


def counts_by(con, flt: ReportFilter, dimension: str) -> pd.DataFrame:
    """One dimension of :func:`summary`: code, count, share (of all filtered reports)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension}")
    result = summary(con, flt)
    counts = result.counts[dimension]
    return counts.assign(share=counts["count"] / result.total if result.total else 0.0)


def trend(con, flt: ReportFilter) -> pd.DataFrame:
    """year, half, observation_type, count: reports per calendar half-year."""
    sql, params = _filtered(flt, "r.submitted_on, r.observation_type")
    return (
        con.execute(
            f"""WITH f AS ({sql})
            SELECT year(submitted_on) AS year, CASE WHEN month(submitted_on) <= 6 THEN 1 ELSE 2 END AS half,
                   observation_type, count(*) AS count
            FROM f GROUP BY ALL ORDER BY year, half, observation_type""",
            params,
        )
        .df()
        .astype({"year": "int64", "half": "int64", "count": "int64"})
    )


# ---- texts ---------------------------------------------------------------------------

TEXT_COLUMNS = """r.report_id, r.report_key, r.submitted_on, r.county_code, r.service_unit, r.observation_type,
       r.observation, r.client_voice, r.proposal, r.highlight, r.followup_status, r.handled_in,
       r.forwarded_to, r.followup_action, la.areas, lt.themes, lg.target_groups"""


def _links_of_page() -> str:
    """CTEs with the code lists of the areas, themes and target groups of the
    reports in ``page`` only. A correlated subquery per row would be aggregated
    over every link row first."""
    keys = "x.report_key IN (SELECT report_key FROM page)"
    ctes = []
    for alias, dimension, name in (
        ("la", "area", "areas"),
        ("lt", "theme", "themes"),
        ("lg", "target_group", "target_groups"),
    ):
        place = REPORT_DIMENSIONS[dimension]
        ctes.append(
            f"""{alias} AS (SELECT x.report_key, list(x.{place.column} ORDER BY x.{place.column}) AS {name}
                    FROM {place.table} x WHERE {keys} GROUP BY 1)"""
        )
    return ", " + ",\n             ".join(ctes)


LINK_JOINS = """LEFT JOIN la ON la.report_key = r.report_key LEFT JOIN lt ON lt.report_key = r.report_key
        LEFT JOIN lg ON lg.report_key = r.report_key"""


def reading_pane(
    con,
    flt: ReportFilter,
    limit: int = 50,
    offset: int = 0,
    highlights_first: bool = False,
    total: int | None = None,
) -> tuple[pd.DataFrame, int]:
    """Publishable reports that pass the filter, newest first (the
    coordinator's highlights first when asked), with their texts; and how
    many match in all (counted here unless the caller knows it from :func:`summary`)."""
    where, params = report_where(flt, "r")
    condition = f"{text_visible('r')} AND {where}"
    if total is None:
        total = con.execute(f"SELECT count(*) FROM reports r WHERE {condition}", params).fetchone()[0]
    order = ("r.highlight DESC, " if highlights_first else "") + "r.submitted_on DESC, r.report_key DESC"
    frame = con.execute(
        f"""WITH page AS (SELECT r.report_key FROM reports r WHERE {condition} ORDER BY {order}
                          LIMIT $limit OFFSET $offset){_links_of_page()}
            SELECT {TEXT_COLUMNS} FROM page JOIN reports r USING (report_key) {LINK_JOINS} ORDER BY {order}""",
        {**params, "limit": int(limit), "offset": int(offset)},
    ).df()
    return frame, int(total)


def followup_record(con, flt: ReportFilter) -> dict[str, pd.DataFrame | int]:
    """Where the filtered reports were taken (the follow-up record), counted over the reports
    whose texts leadership may read (the notes of the others are not shown): ``handled_in``
    and ``forwarded_to`` (name, count, most first), ``actions`` (reports with an action
    recorded) and ``status`` (code, count)."""
    where, params = report_where(flt, "r")
    base = f"SELECT r.* FROM reports r WHERE {where} AND {text_visible('r')}"
    out: dict[str, pd.DataFrame | int] = {}
    for column in ("handled_in", "forwarded_to"):
        out[column] = con.execute(
            f"WITH f AS ({base}) SELECT trim({column}) AS name, count(*) AS count FROM f "
            f"WHERE coalesce(trim({column}), '') <> '' GROUP BY 1 ORDER BY count DESC, name",
            params,
        ).df()
    out["actions"] = int(
        con.execute(
            f"WITH f AS ({base}) SELECT count(*) FROM f WHERE coalesce(trim(followup_action), '') <> ''", params
        ).fetchone()[0]
    )
    out["status"] = con.execute(
        f"WITH f AS ({base}) SELECT followup_status AS code, count(*) AS count FROM f GROUP BY 1 ORDER BY 2 DESC, 1",
        params,
    ).df()
    return out


# ---- the report table (grid and downloads) ------------------------------------------

# Columns the grid sorts by: a column of reports, or a dimension sorted by its labels.
TABLE_SORTS = {"report_id": "report_id", "date": "submitted_on"}
LABEL_SORTS = ("county", "observation_type", "followup_status", "service_unit")


def _table_sql(flt: ReportFilter, order: str, paged: bool) -> tuple[str, dict]:
    """One row per report with the codes of its county, service unit, areas,
    target groups, themes, observation type and follow-up status. Free texts,
    including the follow-up notes, only for publishable reports with no unresolved
    privacy hit (``queries.visibility``). The page of report keys is chosen before
    anything is joined."""
    where, params = report_where(flt, "r")
    shown = text_visible("r")
    page = f"ORDER BY {order} LIMIT $limit" + (" OFFSET $offset" if paged else "")
    sql = f"""
        WITH page AS (
            SELECT r.report_key, row_number() OVER (ORDER BY {order}) AS position
            FROM reports r WHERE {where} {page}){_links_of_page()}
        SELECT r.report_id, r.submitted_on, r.county_code, r.service_unit, la.areas, lg.target_groups, lt.themes,
               r.observation_type, {shown} AS publishable,
               CASE WHEN {shown} THEN r.observation END AS observation,
               CASE WHEN {shown} THEN r.client_voice END AS client_voice,
               CASE WHEN {shown} THEN r.proposal END AS proposal,
               r.followup_status,
               CASE WHEN {shown} THEN r.handled_in END AS handled_in,
               CASE WHEN {shown} THEN r.forwarded_to END AS forwarded_to,
               CASE WHEN {shown} THEN r.followup_action END AS followup_action
        FROM page JOIN reports r USING (report_key) {LINK_JOINS}
        ORDER BY page.position"""
    return sql, params


def report_page(
    con,
    flt: ReportFilter,
    offset: int,
    limit: int,
    sort: str | None = None,
    descending: bool = False,
    label_order: tuple[str, ...] = (),
) -> pd.DataFrame:
    """One page of the report table, for the grid (only the visible rows travel).
    Sorting by a dimension (``LABEL_SORTS``) follows ``label_order``, its codes in
    the order of their labels in the user's language (the caller's vocabulary
    knows them; a code missing from it sorts last)."""
    direction = "DESC" if descending else "ASC"
    params: dict[str, object] = {}
    if sort in LABEL_SORTS:
        column = f"list_position($label_order, r.{REPORT_DIMENSIONS[sort].column})"
        params["label_order"] = list(label_order)
    else:
        column = "r." + TABLE_SORTS.get(sort or "", "submitted_on")
    sql, where_params = _table_sql(flt, f"{column} {direction} NULLS LAST, r.report_key", paged=True)
    return con.execute(sql, {**where_params, **params, "limit": int(limit), "offset": int(offset)}).df()


def report_chunks(con, flt: ReportFilter, limit: int = MAX_ROWS) -> Iterator[pd.DataFrame]:
    """The report table (oldest first) in chunks of one vector each, read as they
    are written out (a download never holds every row in memory)."""
    sql, params = _table_sql(flt, "r.submitted_on, r.report_key", paged=False)
    result = con.execute(sql, {**params, "limit": limit})
    while True:
        chunk = result.fetch_df_chunk(1)
        if chunk is None or chunk.empty:
            return
        yield chunk
