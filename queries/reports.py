"""Queries over the social reports. Every function takes the same
:class:`~dashboard.core.filters.ReportFilter`, so charts, tables, slides and
downloads always count the same reports.

:func:`summary` computes every count a view shows in one statement (one
pass over the filtered reports); the views label and share them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.core.filters import ReportFilter
from dashboard.core.i18n import label_column
from dashboard.core.visibility import text_visible
from dashboard.core.vocabulary import Vocabulary

MAX_ROWS = 200_000  # cap on one download
CHUNK = 5_000  # rows per streamed chunk

# dimension -> (link table, code column): a report carries several values.
LINK_TABLES = {
    "theme": ("report_themes", "theme"),
    "target_group": ("report_target_groups", "target_group"),
    "area": ("report_areas", "area_code"),
}
# dimension -> column of reports: a report carries one value.
COLUMN_DIMENSIONS = {
    "observation_type": "observation_type",
    "service_unit": "service_unit",
    "followup_status": "followup_status",
}
DIMENSIONS = ("observation_type", "theme", "target_group", "area", "service_unit", "followup_status")


@dataclass(frozen=True)
class Summary:
    """Every count of one filter: the number of reports, how many are not
    publishable, and per dimension the reports carrying each code."""

    total: int
    unpublished: int
    with_voice: int
    counts: Mapping[str, pd.DataFrame]  # dimension -> code, count (largest first)


def _filtered(flt: ReportFilter, columns: str = "r.*") -> tuple[str, dict]:
    where, params = flt.where("r")
    return f"SELECT {columns} FROM reports r WHERE {where}", params


def summary(con, flt: ReportFilter) -> Summary:
    """One statement, one pass over the filtered reports (materialised once)."""
    sql, params = _filtered(
        flt,
        "r.report_key, r.observation_type, r.service_unit, r.followup_status, "
        f"{text_visible('r')} AS publishable, coalesce(r.client_voice, '') <> '' AS has_voice",
    )
    parts = [
        "SELECT 'total' AS dimension, NULL AS code, count(*) AS n FROM f",
        "SELECT 'unpublished', NULL, count(*) FILTER (WHERE NOT publishable) FROM f",
        "SELECT 'with_voice', NULL, count(*) FILTER (WHERE has_voice) FROM f",
    ]
    parts += [
        f"SELECT '{dim}', {column}, count(*) FROM f GROUP BY {column}" for dim, column in COLUMN_DIMENSIONS.items()
    ]
    parts += [
        f"SELECT '{dim}', x.{column}, count(*) FROM f JOIN {table} x USING (report_key) GROUP BY x.{column}"
        for dim, (table, column) in LINK_TABLES.items()
    ]
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
        with_voice=scalars.get("with_voice", 0),
        counts=counts,
    )


def labelled(counts: pd.DataFrame, dimension: str, total: int, vocab: Vocabulary, lang: str = "fi") -> pd.DataFrame:
    """code, label, count, share (of all filtered reports), largest first, ties in
    the code list's order. A report counts once for each of its values, so
    the counts of a multi-valued dimension can sum to more than ``total``."""
    order = {code: i for i, code in enumerate(vocab.codes(dimension))}
    rows = sorted(
        zip(counts["code"].tolist(), counts["count"].tolist()), key=lambda r: (-r[1], order.get(r[0], len(order)))
    )
    return pd.DataFrame(
        {
            "code": [r[0] for r in rows],
            "label": [vocab.label(dimension, r[0], lang) for r in rows],
            "count": pd.Series([int(r[1]) for r in rows], dtype="int64"),
            "share": [(r[1] / total) if total else 0.0 for r in rows],
        }
    )


def dimension_counts(con, flt: ReportFilter, dimension: str) -> tuple[int, pd.DataFrame]:
    """The number of filtered reports and the counts of one dimension (code,
    count): one light statement where the whole :func:`summary` is not needed."""
    sql, params = _filtered(
        flt, "r.report_key" + (f", r.{COLUMN_DIMENSIONS[dimension]}" if dimension in COLUMN_DIMENSIONS else "")
    )
    if dimension in COLUMN_DIMENSIONS:
        grouped = f"SELECT {COLUMN_DIMENSIONS[dimension]} AS code, count(*) AS n FROM f GROUP BY 1"
    elif dimension in LINK_TABLES:
        table, column = LINK_TABLES[dimension]
        grouped = f"SELECT x.{column} AS code, count(*) AS n FROM f JOIN {table} x USING (report_key) GROUP BY 1"
    else:
        raise ValueError(f"unknown dimension {dimension}")
    rows = con.execute(
        f"WITH f AS MATERIALIZED ({sql}) SELECT NULL, count(*) FROM f UNION ALL {grouped}", params
    ).fetchall()
    total = next((int(n) for code, n in rows if code is None), 0)
    values = sorted(((code, int(n)) for code, n in rows if code is not None), key=lambda v: (-v[1], v[0]))
    return total, pd.DataFrame(values, columns=["code", "count"])


def count_reports(con, flt: ReportFilter) -> int:
    return summary(con, flt).total


def counts_by(con, flt: ReportFilter, dimension: str, vocab: Vocabulary, lang: str = "fi") -> pd.DataFrame:
    """One dimension of :func:`summary`, labelled (code, label, count, share)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension}")
    result = summary(con, flt)
    return labelled(result.counts[dimension], dimension, result.total, vocab, lang)


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


def trend_by_half_year(con, flt: ReportFilter, vocab: Vocabulary, lang: str = "fi") -> pd.DataFrame:
    """period ('1–6/2024'), year, half, observation_type, label, count."""
    return label_trend(trend(con, flt), vocab, lang)


def label_trend(frame: pd.DataFrame, vocab: Vocabulary, lang: str = "fi") -> pd.DataFrame:
    return frame.assign(
        period=[f"{'1–6' if h == 1 else '7–12'}/{y}" for y, h in zip(frame["year"], frame["half"])],
        label=[vocab.label("observation_type", c, lang) for c in frame["observation_type"]],
    )


# ---- texts ---------------------------------------------------------------------------

TEXT_COLUMNS = """r.report_id, r.report_key, r.submitted_on, r.county_code, r.service_unit, r.observation_type,
       r.observation, r.client_voice, r.proposal, r.highlight, r.followup_status, r.handled_in,
       r.forwarded_to, r.followup_action, la.areas, lt.themes, lg.target_groups"""


def _links_of_page(name: str | None = None) -> str:
    """CTEs with the areas, themes and target groups of the reports in ``page``
    only (as code lists, or as labels in the language column ``name``). A
    correlated subquery per row would be aggregated over every link row first."""
    keys = "x.report_key IN (SELECT report_key FROM page)"
    if name is None:
        themes = f"""SELECT x.report_key, list(x.theme ORDER BY x.theme) AS themes FROM report_themes x
                     WHERE {keys} GROUP BY 1"""
        groups = f"""SELECT x.report_key, list(x.target_group ORDER BY x.target_group) AS target_groups
                     FROM report_target_groups x WHERE {keys} GROUP BY 1"""
    else:
        themes = f"""SELECT x.report_key, string_agg(c.{name}, '; ' ORDER BY c.sort_order) AS themes
                     FROM report_themes x JOIN themes c ON c.code = x.theme WHERE {keys} GROUP BY 1"""
        groups = f"""SELECT x.report_key, string_agg(c.{name}, '; ' ORDER BY c.sort_order) AS target_groups
                     FROM report_target_groups x JOIN target_groups c ON c.code = x.target_group
                     WHERE {keys} GROUP BY 1"""
    return f""", la AS (SELECT x.report_key, list(x.area_code ORDER BY x.area_code) AS areas FROM report_areas x
                       WHERE {keys} GROUP BY 1),
             lt AS ({themes}),
             lg AS ({groups})"""


LINK_JOINS = """LEFT JOIN la ON la.report_key = r.report_key LEFT JOIN lt ON lt.report_key = r.report_key
        LEFT JOIN lg ON lg.report_key = r.report_key"""


def reading_pane(
    con,
    flt: ReportFilter,
    vocab: Vocabulary | None = None,
    lang: str = "fi",
    limit: int = 50,
    offset: int = 0,
    highlights_first: bool = False,
    total: int | None = None,
) -> tuple[pd.DataFrame, int]:
    """Publishable reports that pass the filter, newest first (the
    coordinator's highlights first when asked), with their texts; and how
    many match in all (counted here unless the caller knows it from :func:`summary`)."""
    where, params = flt.where("r")
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
    where, params = flt.where("r")
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


def unpublished_count(con, flt: ReportFilter) -> int:
    return summary(con, flt).unpublished


# ---- the report table (grid and downloads) ------------------------------------------

TABLE_SORTS = {
    "report_id": "r.report_id",
    "date": "r.submitted_on",
    "county": "county.{name}",
    "observation_type": "ot.{name}",
    "followup_status": "fs.{name}",
    "service_unit": "su.{name}",
}


def _table_sql(flt: ReportFilter, lang: str, order: str, paged: bool) -> tuple[str, dict]:
    """One row per report with its areas, target groups and themes. Free texts,
    including the follow-up notes, only for publishable reports with no unresolved
    privacy hit (``dashboard.core.visibility``). The page of
    report keys is chosen before anything is joined."""
    where, params = flt.where("r")
    name = label_column(lang)
    shown = text_visible("r")  # publishable, and no unresolved privacy hit recorded
    page = f"ORDER BY {order} LIMIT $limit" + (" OFFSET $offset" if paged else "")
    sql = f"""
        WITH page AS (
            SELECT r.report_key, r.submitted_on, r.report_id, county.{name} AS county, su.{name} AS service_unit,
                   ot.{name} AS observation_type, fs.{name} AS followup_status,
                   row_number() OVER (ORDER BY {order}) AS position
            FROM reports r
            LEFT JOIN regions county ON county.code = r.county_code
            LEFT JOIN service_units su ON su.code = r.service_unit
            LEFT JOIN observation_types ot ON ot.code = r.observation_type
            LEFT JOIN followup_statuses fs ON fs.code = r.followup_status
            WHERE {where} {page}){_links_of_page(name)}
        SELECT page.report_id, page.submitted_on, page.county, page.service_unit,
               la.areas AS area_list, lg.target_groups, lt.themes,
               page.observation_type, r.observation_type AS observation_type_code, {shown} AS publishable,
               CASE WHEN {shown} THEN r.observation END AS observation,
               CASE WHEN {shown} THEN r.client_voice END AS client_voice,
               CASE WHEN {shown} THEN r.proposal END AS proposal,
               page.followup_status,
               CASE WHEN {shown} THEN r.handled_in END AS handled_in,
               CASE WHEN {shown} THEN r.forwarded_to END AS forwarded_to,
               CASE WHEN {shown} THEN r.followup_action END AS followup_action
        FROM page JOIN reports r USING (report_key) {LINK_JOINS}
        ORDER BY page.position"""
    return sql, params


def _with_area_names(frame: pd.DataFrame, vocab: Vocabulary, lang: str) -> pd.DataFrame:
    order = {code: i for i, code in enumerate(vocab.codes("area"))}
    areas = [
        sorted(codes, key=lambda c: order.get(c, 0)) if codes is not None else [] for codes in frame.pop("area_list")
    ]
    frame.insert(4, "areas", ["; ".join(vocab.label("area", c, lang) for c in codes) for codes in areas])
    frame.insert(5, "area_codes", ["; ".join(codes) for codes in areas])
    return frame


def report_table(con, flt: ReportFilter, vocab: Vocabulary, lang: str = "fi", limit: int = MAX_ROWS) -> pd.DataFrame:
    """The whole table at once (small results; downloads stream :func:`report_chunks`)."""
    sql, params = _table_sql(flt, lang, "r.submitted_on, r.report_key", paged=False)
    return _with_area_names(con.execute(sql, {**params, "limit": limit}).df(), vocab, lang)


def report_page(
    con,
    flt: ReportFilter,
    vocab: Vocabulary,
    lang: str,
    offset: int,
    limit: int,
    sort: str | None = None,
    descending: bool = False,
) -> pd.DataFrame:
    """One page of the report table, for the grid (only the visible rows travel)."""
    column = TABLE_SORTS.get(sort or "", "r.submitted_on").format(name=label_column(lang))
    order = f"{column} {'DESC' if descending else 'ASC'}, r.report_key"
    sql, params = _table_sql(flt, lang, order, paged=True)
    return _with_area_names(con.execute(sql, {**params, "limit": int(limit), "offset": int(offset)}).df(), vocab, lang)


def report_chunks(
    con, flt: ReportFilter, vocab: Vocabulary, lang: str = "fi", limit: int = MAX_ROWS
) -> Iterator[pd.DataFrame]:
    """The report table in chunks of :data:`CHUNK` rows, read as they are
    written out (a download never holds every row in memory)."""
    sql, params = _table_sql(flt, lang, "r.submitted_on, r.report_key", paged=False)
    result = con.execute(sql, {**params, "limit": limit})
    while True:
        chunk = result.fetch_df_chunk(1)
        if chunk is None or chunk.empty:
            return
        yield _with_area_names(chunk, vocab, lang)
