"""Queries over the social reports. Every function takes the same
:class:`~dashboard.core.filters.ReportFilter`, so charts, tables, slides and
downloads always count the same reports.

:func:`summary` computes every count a view shows in one statement (one
pass over the filtered reports). Everything here returns codes: the views
label them from the vocabulary in the user's language, so no result here
depends on the language and a language switch runs no query. The one
exception is :func:`export_sql`, the table a download writes without Python
per cell: it is given the labels (from the vocabulary, as data) to put in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from babel.dates import get_month_names

from dashboard.core.filters import ReportFilter
from dashboard.core.formatting import DATE_PATTERNS, locale_of
from dashboard.core.vocabulary import Vocabulary
from dashboard.core.xml_text import XML_ILLEGAL_RE2

from .schema import COUNTED, REPORT_DIMENSIONS
from .visibility import text_visible
from .where import report_where

MAX_ROWS = 200_000  # cap on one download
DIMENSIONS = COUNTED


class CountFrames(Mapping[str, pd.DataFrame]):
    """dimension -> its counts (code, count; largest first, then by code), each frame made
    when it is first read: a filter change reads most of them as plain rows (:meth:`rows`)."""

    def __init__(self, rows: Mapping[str, list[tuple[str, int]]]) -> None:
        self._rows = dict(rows)
        self._frames: dict[str, pd.DataFrame] = {}

    def rows(self, dimension: str) -> list[tuple[str, int]]:
        return self._rows[dimension]

    def __getitem__(self, dimension: str) -> pd.DataFrame:
        if dimension not in self._frames:
            self._frames[dimension] = pd.DataFrame(self._rows[dimension], columns=["code", "count"])
        return self._frames[dimension]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def size(self) -> int:
        """Bytes held, roughly (for the per-worker memo's bound)."""
        return 64 + sum(64 + 96 * len(v) for v in self._rows.values()) + sum(4096 for _ in self._frames)


@dataclass(frozen=True)
class Summary:
    """Every count of one filter: the number of reports, how many are not
    publishable, and per dimension the reports carrying each code."""

    total: int
    unpublished: int
    counts: CountFrames  # dimension -> code, count (largest first)


def _filtered(flt: ReportFilter, columns: str = "r.*") -> tuple[str, dict]:
    where, params = report_where(flt, "r")
    return f"SELECT {columns} FROM reports r WHERE {where}", params


def _grouped(dimension: str, first: str, source: str = "f") -> str:
    """``first``, code, count of one dimension over the filtered reports ``source``."""
    place = REPORT_DIMENSIONS[dimension]
    if place.linked:
        return (
            f"SELECT {first}, x.{place.column}, count(*) FROM {source} JOIN {place.table} x USING (report_key) "
            f"GROUP BY x.{place.column}"
        )
    return f"SELECT {first}, {place.column}, count(*) FROM {source} GROUP BY {place.column}"


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
    return _summary_of(rows)


def _summary_of(rows) -> Summary:
    """A :class:`Summary` from (dimension, code, n) rows: a row without a code is a scalar."""
    scalars: dict[str, int] = {}
    grouped: dict[str, list[tuple[str, int]]] = {dim: [] for dim in DIMENSIONS}
    for dimension, code, n in rows:
        if code is None:
            scalars[dimension] = int(n)
        else:
            grouped[dimension].append((code, int(n)))
    counts = CountFrames({dim: sorted(values, key=lambda v: (-v[1], v[0])) for dim, values in grouped.items()})
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
    return _dimension_of(rows)


def _dimension_of(rows) -> tuple[int, pd.DataFrame]:
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
    return _trend_frame(con.execute(f"WITH f AS ({sql}) {TREND_SELECT}", params).fetchall())


TREND_SELECT = """SELECT year(submitted_on) AS year, CASE WHEN month(submitted_on) <= 6 THEN 1 ELSE 2 END AS half,
                   observation_type, count(*) AS count
            FROM f GROUP BY ALL ORDER BY year, half, observation_type"""


def _trend_frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["year", "half", "observation_type", "count"])
    return frame.astype({"year": "int64", "half": "int64", "count": "int64"})


@dataclass(frozen=True)
class ViewCounts:
    """What a report view's filter change counts, from one statement: the filter's
    :class:`Summary`, the trend of the same filter over all time, and per period of the
    comparison (same filter, that period's dates) its reports and one dimension's counts."""

    summary: Summary
    trend: pd.DataFrame
    periods: tuple[tuple[int, pd.DataFrame], ...]


def view_counts(con, flt: ReportFilter, periods: tuple[tuple, ...] = (), dimension: str = "theme") -> ViewCounts:
    """:func:`summary` of ``flt``, :func:`trend` of ``flt.whole_time`` and, for each
    (from, to) of ``periods``, :func:`dimension_counts` of ``flt`` over those dates: one
    statement, one pass over the filter's reports of all time (materialised once). Each
    part counts exactly what its own function counts (the same clauses over the same rows)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension}")
    where, params = report_where(flt.whole_time, "r")
    columns = f"r.report_key, r.submitted_on, {_unlinked_columns()}, {text_visible('r')} AS publishable"
    ctes = [f"w AS MATERIALIZED (SELECT {columns} FROM reports r WHERE {where})"]

    def dated(name: str, start, end, key: str) -> None:
        clauses = []
        if start:
            clauses.append(f"submitted_on >= ${key}_from")
            params[f"{key}_from"] = start
        if end:
            clauses.append(f"submitted_on <= ${key}_to")
            params[f"{key}_to"] = end
        ctes.append(f"{name} AS (SELECT * FROM w WHERE {' AND '.join(clauses) or 'TRUE'})")

    dated("f", flt.date_from, flt.date_to, "view")
    parts = [
        "SELECT 'total' AS part, NULL AS code, count(*) AS n, NULL::INTEGER AS year, NULL::INTEGER AS half FROM f",
        "SELECT 'unpublished', NULL, count(*) FILTER (WHERE NOT publishable), NULL, NULL FROM f",
    ]
    parts += ["SELECT *, NULL, NULL FROM (" + _grouped(dim, f"'{dim}'") + ")" for dim in DIMENSIONS]
    for i, (start, end) in enumerate(periods):
        dated(f"p{i}", start, end, f"p{i}")
        parts.append(f"SELECT 'p{i}', NULL, count(*), NULL, NULL FROM p{i}")
        parts.append("SELECT *, NULL, NULL FROM (" + _grouped(dimension, f"'p{i}'", f"p{i}") + ")")
    parts.append(
        "SELECT 'trend', observation_type, count(*), year(submitted_on), "
        "CASE WHEN month(submitted_on) <= 6 THEN 1 ELSE 2 END FROM w GROUP BY ALL"
    )
    rows = con.execute(f"WITH {', '.join(ctes)} " + " UNION ALL ".join(parts), params).fetchall()
    by_part: dict[str, list] = {}
    for part, code, n, year, half in rows:
        by_part.setdefault(part, []).append((part, code, n, year, half))
    trend_rows = sorted(
        ((year, half, code, n) for _, code, n, year, half in by_part.pop("trend", [])),
        key=lambda r: (r[0], r[1], r[2] is None, r[2] or ""),
    )
    period_rows = [[(p, code, n) for p, code, n, _, _ in by_part.pop(f"p{i}", [])] for i in range(len(periods))]
    summary_rows = [(p, code, n) for rows_ in by_part.values() for p, code, n, _, _ in rows_]
    return ViewCounts(
        summary=_summary_of(summary_rows),
        trend=_trend_frame(trend_rows),
        periods=tuple(_dimension_of(r) for r in period_rows),
    )


# ---- texts ---------------------------------------------------------------------------

OWN_TEXT_COLUMNS = """r.report_id, r.report_key, r.submitted_on, r.county_code, r.service_unit, r.observation_type,
       r.observation, r.client_voice, r.proposal, r.highlight, r.followup_status, r.handled_in,
       r.forwarded_to, r.followup_action"""
TEXT_COLUMNS = OWN_TEXT_COLUMNS + ", la.areas, lt.themes, lg.target_groups"


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


def reading_rows(
    con, keys: list[int], links: Mapping[str, list[list[str] | None]], highlights_first: bool = False
) -> pd.DataFrame:
    """The rows :func:`reading_pane` gives for a page whose report keys and their areas,
    themes and target groups are known (``queries.columnar.page``): the same columns, in the
    same order (a list cell as DuckDB gives it: an array, or NA for none). Only the page's
    reports are read, by key."""
    order = ("r.highlight DESC, " if highlights_first else "") + "r.submitted_on DESC, r.report_key DESC"
    params = {f"k{i}": int(key) for i, key in enumerate(keys)}
    where = f"r.report_key IN ({', '.join('$' + name for name in params)})" if params else "FALSE"
    frame = con.execute(f"SELECT {OWN_TEXT_COLUMNS} FROM reports r WHERE {where} ORDER BY {order}", params).df()
    position = {int(key): i for i, key in enumerate(keys)}
    rows = [position[int(key)] for key in frame["report_key"].tolist()]
    for column, dimension in (("areas", "area"), ("themes", "theme"), ("target_groups", "target_group")):
        cells = [links[dimension][row] for row in rows]
        frame[column] = pd.Series(
            [pd.NA if cell is None else np.array(cell, dtype=object) for cell in cells], dtype=object, index=frame.index
        )
    return frame


def reading_records(
    con, keys: list[int], links: Mapping[str, list[list[str] | None]], highlights_first: bool = False
) -> list[dict]:
    """:func:`reading_rows` as plain records (a dict per report, Python values; a report's
    areas, themes and target groups as lists, None when it has none), for the reading pane's
    cards: no frame is built for the page."""
    order = ("r.highlight DESC, " if highlights_first else "") + "r.submitted_on DESC, r.report_key DESC"
    params = {f"k{i}": int(key) for i, key in enumerate(keys)}
    if not params:
        return []
    result = con.execute(
        f"SELECT {OWN_TEXT_COLUMNS} FROM reports r WHERE r.report_key IN ({', '.join('$' + n for n in params)}) "
        f"ORDER BY {order}",
        params,
    )
    names = [d[0] for d in result.description]
    position = {int(key): i for i, key in enumerate(keys)}
    records = []
    for values in result.fetchall():
        record = dict(zip(names, values))
        row = position[record["report_key"]]
        record["areas"], record["themes"], record["target_groups"] = (
            links["area"][row],
            links["theme"][row],
            links["target_group"][row],
        )
        records.append(record)
    return records


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
    shown = "page.shown"  # decided once per report (each use of the subquery would be one more join)
    page = f"ORDER BY {order} LIMIT $limit" + (" OFFSET $offset" if paged else "")
    sql = f"""
        WITH page AS (
            SELECT r.report_key, row_number() OVER (ORDER BY {order}) AS position, {text_visible("r")} AS shown
            FROM reports r WHERE {where} {page}){_links_of_page()}
        SELECT r.report_id, r.submitted_on, r.county_code, r.service_unit, la.areas, lg.target_groups, lt.themes,
               r.observation_type, page.shown AS publishable,
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


# ---- the report table as a file (downloads) -----------------------------------------

# Characters XML 1.0 cannot hold (and no spreadsheet wants): C0 controls but tab, line
# feed and carriage return, U+FFFE and U+FFFF, and the other noncharacters (as xml_safe).
ILLEGAL_CHARACTERS = XML_ILLEGAL_RE2
FORMULA_START = r"^[=+\-@\t\r]"  # what a spreadsheet would read as the start of a formula
XLSX_CELL_CHARACTERS = 32_767  # Excel's limit of one cell
EXPORT_COLUMNS = (
    "report_id",
    "submitted_on",
    "county",
    "service_unit",
    "areas",
    "target_groups",
    "themes",
    "observation_type",
    "publishable",
    "observation",
    "client_voice",
    "proposal",
    "followup_status",
    "handled_in",
    "forwarded_to",
    "followup_action",
)


LABELLED = {  # export column -> (vocabulary dimension, column of reports)
    "county": ("county", "county_code"),
    "service_unit": ("service_unit", "service_unit"),
    "observation_type": ("observation_type", "observation_type"),
    "followup_status": ("followup_status", "followup_status"),
}
JOINED = {"areas": "area", "target_groups": "target_group", "themes": "theme"}  # several per report


def export_sql(
    flt: ReportFilter, vocab: Vocabulary, lang: str, yes: str, no: str, for_csv: bool
) -> tuple[str, dict[str, object]]:
    """The report table (:data:`EXPORT_COLUMNS`) ready to be written out, every
    cell prepared in SQL (one pass, no Python per cell): labels in ``lang`` (from
    the vocabulary, passed in as data: no language in the SQL), the areas, target
    groups and themes joined by '; ' in the code lists' order, free texts and
    follow-up notes only for reports whose texts leadership may read (publishable,
    no unresolved privacy hit: ``queries.visibility``), characters XML cannot hold
    removed. For CSV the date is a text as the views write it, a text that a
    spreadsheet would read as a formula gets a leading apostrophe and an empty
    text is NULL; for XLSX the date stays a date and a text is cut at Excel's cell
    limit (it is written as a string, never a formula)."""
    where, params = report_where(flt, "r")
    params.update({"yes": yes, "no": no, "limit": MAX_ROWS})
    # Whether leadership may read a report's texts, decided once per report (not once per column:
    # each use of the subquery would be one more hash join and its memory).
    ctes = [f"f AS (SELECT r.report_key, {text_visible('r')} AS shown FROM reports r WHERE {where})"]
    for dimension in sorted({*JOINED.values(), *(d for d, _ in LABELLED.values())}):
        codes = vocab.codes(dimension)
        params[f"{dimension}_codes"] = codes
        params[f"{dimension}_labels"] = [vocab.label(dimension, code, lang) for code in codes]
        ctes.append(
            f"{dimension}_names AS (SELECT unnest(${dimension}_codes) AS code, unnest(${dimension}_labels) AS label, "
            f"generate_subscripts(${dimension}_codes, 1) AS position)"
        )
    for column, dimension in JOINED.items():
        place = REPORT_DIMENSIONS[dimension]
        ctes.append(
            f"""{column} AS (SELECT x.report_key, string_agg(coalesce(n.label, x.{place.column}), '; '
                                 ORDER BY n.position NULLS LAST, x.{place.column}) AS joined
                        FROM {place.table} x SEMI JOIN f USING (report_key)
                        LEFT JOIN {dimension}_names n ON n.code = x.{place.column} GROUP BY 1)"""
        )

    def text(expression: str) -> str:
        cleaned = f"regexp_replace({expression}, '{ILLEGAL_CHARACTERS}', '', 'g')"
        if for_csv:
            apostrophe = "''''"  # SQL for the one-character text '
            return (
                f"nullif(CASE WHEN regexp_matches({cleaned}, '{FORMULA_START}') THEN {apostrophe} || {cleaned} "
                f"ELSE {cleaned} END, '')"
            )
        return f"left({cleaned}, {XLSX_CELL_CHARACTERS})"

    def hidden(column: str) -> str:
        return text(f"CASE WHEN f.shown THEN r.{column} END")

    def label(column: str) -> str:
        # One join per labelled column (below), not a subquery: text() repeats its expression, and
        # each repeated subquery was a hash join of its own (~90 MB for one download; four at once
        # ran a worker out of DuckDB memory).
        return text(f"coalesce({column}_label.label, r.{LABELLED[column][1]})")

    date = date_text("r.submitted_on", lang, params) if for_csv else "r.submitted_on"
    joins = " ".join(f"LEFT JOIN {c} ON {c}.report_key = r.report_key" for c in JOINED)
    joins += "".join(
        f" LEFT JOIN {dimension}_names {column}_label ON {column}_label.code = r.{source}"
        for column, (dimension, source) in LABELLED.items()
    )
    sql = f"""
        WITH {", ".join(ctes)}
        SELECT {text("r.report_id")} AS report_id, {date} AS submitted_on, {label("county")} AS county,
               {label("service_unit")} AS service_unit, {text("areas.joined")} AS areas,
               {text("target_groups.joined")} AS target_groups, {text("themes.joined")} AS themes,
               {label("observation_type")} AS observation_type,
               CASE WHEN f.shown THEN $yes ELSE $no END AS publishable,
               {hidden("observation")} AS observation, {hidden("client_voice")} AS client_voice,
               {hidden("proposal")} AS proposal, {label("followup_status")} AS followup_status,
               {hidden("handled_in")} AS handled_in, {hidden("forwarded_to")} AS forwarded_to,
               {hidden("followup_action")} AS followup_action
        FROM f JOIN reports r USING (report_key) {joins}
        ORDER BY r.submitted_on, r.report_key
        LIMIT $limit"""
    return sql, params


def date_text(column: str, lang: str, params: dict[str, object]) -> str:
    """SQL for a date as :func:`dashboard.core.formatting.fmt_date` writes it in
    ``lang`` ('4.9.2024', '4 Sept 2024'), from the same Babel pattern and month names."""
    pieces = []
    for token, literal in re.findall(r"(d+|M+|y+)|([^dMy]+)", DATE_PATTERNS.get(lang, "d.M.yyyy")):
        if literal:
            pieces.append("'" + literal.replace("'", "''") + "'")
        elif token[0] == "d":
            pieces.append(_padded(f"day({column})", len(token)))
        elif token[0] == "y":
            pieces.append(f"CAST(year({column}) AS VARCHAR)")
        elif len(token) >= 3:
            width: Literal["abbreviated", "wide"] = "abbreviated" if len(token) == 3 else "wide"
            names = get_month_names(width, context="format", locale=locale_of(lang))
            params["month_names"] = [names[month] for month in range(1, 13)]
            pieces.append(f"list_extract($month_names, month({column}))")
        else:
            pieces.append(_padded(f"month({column})", len(token)))
    return " || ".join(pieces)


def _padded(number: str, width: int) -> str:
    text = f"CAST({number} AS VARCHAR)"
    return text if width == 1 else f"lpad({text}, {width}, '0')"  # lpad also cuts a longer text


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write_csv(con, sql: str, params: dict, header: list[str], path) -> None:
    """The rows of ``sql`` as the CSV Finnish Excel opens (UTF-8 with BOM, ``;``,
    CRLF), written by DuckDB straight to ``path``: constant memory, no Python per row."""
    titles = ["\ufeff" + header[0], *header[1:]]  # the byte order mark leads the first header
    columns = ", ".join(
        f"{_identifier(column)} AS {_identifier(title)}" for column, title in zip(EXPORT_COLUMNS, titles, strict=True)
    )
    target = "'" + str(path).replace("'", "''") + "'"
    con.execute(
        f"COPY (SELECT {columns} FROM ({sql})) TO {target} (FORMAT csv, DELIMITER ';', HEADER, NEW_LINE '\\r\\n')",
        params,
    )


def batches(con, sql: str, params: dict, rows: int = 20_000):
    """The rows of ``sql`` as Arrow record batches (a few thousand rows in memory at a time)."""
    yield from con.sql(sql, params=params).to_arrow_reader(rows)
