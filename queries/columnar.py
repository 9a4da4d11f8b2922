"""The reports as columns in memory, for the counts of a filter change.

Crossfilter's idea on the server: each worker keeps, per database version, the
columns a view's counts read (the report's date, its county, service unit,
observation type and follow-up status as small integer codes, whether leadership
may read its texts, whether it has a client voice, and the areas, target groups
and themes as lists of codes), loaded lazily after the fork
(``queries.access.columns``). A filter is then a boolean mask made with a few
vectorised operations and each dimension is counted with ``np.bincount``: a few
milliseconds where the same counts in SQL scan the whole country's link tables.

Exact for every filter but the free-text search and a published phenomenon's
reports (``q``, ``evidence``), which keep the SQL path (:func:`supports`). Every
result here is built by the same functions from the same (part, code, n) rows
as ``queries.reports`` builds them from SQL, and
``tests/test_columnar.py`` compares the two over many filters.

The rows are kept in the order the reading pane lists reports (oldest first by
date, then key), so a page of the reading pane is a slice of the mask's indices
from the end; its texts are then read from DuckDB by key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from dashboard.core.filters import LIST_PARAMS, ReportFilter

from .reports import DIMENSIONS, Summary, ViewCounts, _dimension_of, _summary_of, _trend_frame
from .schema import REPORT_DIMENSIONS
from .visibility import text_visible

EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Linked:
    """One multi-valued dimension: a row per (report, code), as its link table."""

    row: np.ndarray  # the report's position in :class:`Reports` (int32)
    code: np.ndarray  # the code's position in ``codes`` (int16/int32)
    codes: tuple[str, ...]
    start: np.ndarray  # report position -> where its codes start in ``listed`` (int32, one more than reports)
    listed: np.ndarray  # the code positions by report, each report's in the codes' order

    def of(self, row: int) -> list[str] | None:
        """The report's codes in order (None when it has none, as a LEFT JOIN gives)."""
        found = self.listed[self.start[row] : self.start[row + 1]]
        return [self.codes[i] for i in found] if len(found) else None


@dataclass(frozen=True)
class Reports:
    """Every report of one database version, as columns (see the module's docstring)."""

    key: np.ndarray  # report_key, int32; rows ordered by (submitted_on, report_key)
    day: np.ndarray  # submitted_on as days since 1970-01-01, int32
    year: np.ndarray  # int32
    half: np.ndarray  # 1 or 2, int8
    visible: np.ndarray  # bool: leadership may read its texts (queries.visibility)
    voice: np.ndarray  # bool: has a client voice
    highlight: np.ndarray  # bool: the coordinator's pick
    single: dict[str, tuple[np.ndarray, tuple[str, ...]]]  # dimension -> (code positions, codes)
    linked: dict[str, Linked]
    by_county: np.ndarray  # the rows grouped by county (each county's in row order), int32
    county_start: np.ndarray  # county position -> where its rows start in ``by_county`` (one more than counties)

    @property
    def size(self) -> int:
        return len(self.key)

    def nbytes(self) -> int:
        arrays = [self.key, self.day, self.year, self.half, self.visible, self.voice, self.highlight]
        arrays += [a for a, _ in self.single.values()] + [self.by_county, self.county_start]
        arrays += [x for link in self.linked.values() for x in (link.row, link.code, link.start, link.listed)]
        return int(sum(a.nbytes for a in arrays))


def _small(values: np.ndarray, n: int) -> np.ndarray:
    return values.astype(np.int16 if n < 2**15 else np.int32)


def load(con) -> Reports:
    """The columns of every report (a few statements; only numbers travel: the codes are
    numbered in SQL against each dimension's sorted list of the codes in use)."""
    single_dims = [name for name, d in REPORT_DIMENSIONS.items() if not d.linked]
    codes: dict[str, tuple[str, ...]] = {}
    for name in REPORT_DIMENSIONS:
        place = REPORT_DIMENSIONS[name]
        rows = con.execute(f"SELECT DISTINCT {place.column} FROM {place.table} ORDER BY 1").fetchall()
        codes[name] = tuple(r[0] for r in rows)
    params = {f"{name}_codes": list(codes[name]) for name in REPORT_DIMENSIONS}
    positions = ", ".join(
        f"list_position(${name}_codes, r.{REPORT_DIMENSIONS[name].column}) - 1 AS {name}" for name in single_dims
    )
    data = con.execute(
        f"""SELECT r.report_key AS key, CAST(r.submitted_on - DATE '1970-01-01' AS INTEGER) AS day,
                   CAST(year(r.submitted_on) AS INTEGER) AS year,
                   CAST(CASE WHEN month(r.submitted_on) <= 6 THEN 1 ELSE 2 END AS TINYINT) AS half,
                   {text_visible("r")} AS visible, coalesce(r.client_voice, '') <> '' AS voice,
                   r.highlight AS highlight, {positions}
            FROM reports r ORDER BY r.submitted_on, r.report_key""",
        {k: v for k, v in params.items() if k.removesuffix("_codes") in single_dims},
    ).fetchnumpy()
    key = np.asarray(data["key"], dtype=np.int32)
    order = np.argsort(key, kind="stable")
    sorted_keys = key[order]
    linked: dict[str, Linked] = {}
    for name, place in REPORT_DIMENSIONS.items():
        if not place.linked:
            continue
        link = con.execute(
            f"SELECT x.report_key AS key, list_position(${name}_codes, x.{place.column}) - 1 AS code "
            f"FROM {place.table} x",
            {f"{name}_codes": list(codes[name])},
        ).fetchnumpy()
        link_key = np.asarray(link["key"], dtype=np.int32)
        found = np.searchsorted(sorted_keys, link_key)
        found = np.minimum(found, max(len(sorted_keys) - 1, 0))
        known = (sorted_keys[found] == link_key) if len(sorted_keys) else np.zeros(len(link_key), dtype=bool)
        row = order[found[known]].astype(np.int32)
        code = _small(np.asarray(link["code"])[known], len(codes[name]))
        by_row = np.lexsort((code, row))
        linked[name] = Linked(
            row=row,
            code=code,
            codes=codes[name],
            start=np.searchsorted(row[by_row], np.arange(len(key) + 1)).astype(np.int32),
            listed=code[by_row],
        )
    county = np.asarray(data["county"])
    by_county = np.argsort(county, kind="stable").astype(np.int32)
    return Reports(
        by_county=by_county,
        county_start=np.searchsorted(county[by_county], np.arange(len(codes["county"]) + 1)).astype(np.int32),
        key=key,
        day=np.asarray(data["day"], dtype=np.int32),
        year=np.asarray(data["year"], dtype=np.int32),
        half=np.asarray(data["half"], dtype=np.int8),
        visible=np.asarray(data["visible"], dtype=bool),
        voice=np.asarray(data["voice"], dtype=bool),
        highlight=np.asarray(data["highlight"], dtype=bool),
        single={name: (_small(np.asarray(data[name]), len(codes[name])), codes[name]) for name in single_dims},
        linked=linked,
    )


def supports(flt: ReportFilter) -> bool:
    """Whether the columns answer this filter exactly (all but the free text and a phenomenon's reports)."""
    return not flt.text and not flt.evidence


def _wanted(codes: tuple[str, ...], chosen: tuple[str, ...]) -> np.ndarray:
    """A lookup table: True at the positions of the chosen codes (a code nobody uses matches nothing)."""
    table = np.zeros(len(codes) + 1, dtype=bool)  # +1: never empty
    index = {code: i for i, code in enumerate(codes)}
    for code in chosen:
        if code in index:
            table[index[code]] = True
    return table


def _days(date: dt.date) -> int:
    return (date - EPOCH).days


def selected(data: Reports, flt: ReportFilter, dates: bool = True) -> np.ndarray:
    """The positions (ascending: oldest first) of the reports the filter keeps, as
    ``queries.where.report_where`` does (its dates only when ``dates``); the filter must be one
    :func:`supports`. A county filter starts from that county's rows, so each later step costs
    what the county's reports cost, not the whole country's."""
    if not supports(flt):
        raise ValueError("free text and evidence filters are answered in SQL")
    if flt.county:
        column, codes = data.single["county"]
        index = {code: i for i, code in enumerate(codes)}
        parts = [
            data.by_county[data.county_start[index[c]] : data.county_start[index[c] + 1]]
            for c in dict.fromkeys(flt.county)
            if c in index
        ]
        rows = np.sort(np.concatenate(parts)) if len(parts) > 1 else (parts[0] if parts else np.zeros(0, np.int32))
    else:
        rows = np.arange(data.size, dtype=np.int32)
    for field, (_, dimension) in LIST_PARAMS.items():
        chosen = getattr(flt, field)
        if not chosen or dimension == "county":
            continue
        if dimension in data.linked:
            link = data.linked[dimension]
            wanted = _wanted(link.codes, chosen)
            if _dense(data, rows):  # most of the country: one pass over the link rows
                hit = np.zeros(data.size, dtype=bool)
                hit[link.row[wanted[link.code]]] = True
                rows = rows[hit[rows]]
            else:  # a county or a few: through the kept reports' own lists
                positions, owner = _listed(link, rows)
                found = np.zeros(len(rows), dtype=bool)
                found[owner[wanted[link.listed[positions]]]] = True
                rows = rows[found]
        else:
            column, codes = data.single[dimension]
            rows = rows[_wanted(codes, chosen)[column[rows]]]
    if dates:
        rows = _dated(data, rows, flt.date_from, flt.date_to)
    if flt.client_voice:
        rows = rows[data.visible[rows] & data.voice[rows]]
    return rows


def mask(data: Reports, flt: ReportFilter, dates: bool = True) -> np.ndarray:
    """:func:`selected` as a boolean mask over every report."""
    keep = np.zeros(data.size, dtype=bool)
    keep[selected(data, flt, dates)] = True
    return keep


def _dated(data: Reports, rows: np.ndarray, start: dt.date | None, end: dt.date | None) -> np.ndarray:
    """The rows whose date is within start..end (either may be open)."""
    if start:
        rows = rows[data.day[rows] >= _days(start)]
    if end:
        rows = rows[data.day[rows] <= _days(end)]
    return rows


def _dense(data: Reports, rows: np.ndarray) -> bool:
    """Whether ``rows`` are so many that a pass over every link row is cheaper than their lists."""
    return len(rows) * 4 > data.size


def _listed(link: Linked, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions in ``link.listed`` of every code of the reports at ``rows``, and for each the
    index (into ``rows``) of the report it belongs to."""
    first, after = link.start[rows], link.start[rows + 1]
    lengths = after - first
    ends = np.cumsum(lengths)
    # Each list's start, then +1, +2, ...
    positions = np.repeat(first - ends + lengths, lengths) + np.arange(int(ends[-1]) if len(ends) else 0)
    return positions, np.repeat(np.arange(len(rows)), lengths)


def _counted(data: Reports, rows: np.ndarray, dimension: str) -> list[tuple[str, int]]:
    """(code, reports) of one dimension over the reports at ``rows``, codes with none left out.
    A linked dimension is read through its lists (``Linked.start``/``listed``): the cost follows
    the reports kept, not the whole country's link rows."""
    if dimension in data.linked:
        link = data.linked[dimension]
        if _dense(data, rows):  # most of the country: one pass over the link rows
            keep = np.zeros(data.size, dtype=bool)
            keep[rows] = True
            found = link.code[keep[link.row]]
        else:  # a county or a few: through the kept reports' own lists
            found = link.listed[_listed(link, rows)[0]]
        counts = np.bincount(found, minlength=len(link.codes))
        codes = link.codes
    else:
        column, codes = data.single[dimension]
        counts = np.bincount(column[rows], minlength=len(codes))
    return [(codes[i], int(counts[i])) for i in np.flatnonzero(counts)]


def summary(data: Reports, flt: ReportFilter) -> Summary:
    """What ``queries.reports.summary`` gives."""
    return _summary(data, selected(data, flt))


def _summary(data: Reports, kept: np.ndarray) -> Summary:
    total = len(kept)
    rows: list[tuple[str, str | None, int]] = [
        ("total", None, total),
        ("unpublished", None, total - int(np.count_nonzero(data.visible[kept]))),
    ]
    for dimension in DIMENSIONS:
        rows += [(dimension, code, n) for code, n in _counted(data, kept, dimension)]
    return _summary_of(rows)


def _trend_rows(data: Reports, keep: np.ndarray) -> list[tuple[int, int, str, int]]:
    """(year, half, type, reports) of the reports at the positions ``keep``."""
    column, types = data.single["observation_type"]
    if not len(keep):
        return []
    years = data.year[keep]
    first = int(years.min())
    slot = ((years - first) * 2 + data.half[keep] - 1) * len(types) + column[keep]
    counts = np.bincount(slot)
    rows = []
    for i in np.flatnonzero(counts):
        half_index, type_index = divmod(int(i), len(types))
        year, half = divmod(half_index, 2)
        rows.append((first + year, half + 1, types[type_index], int(counts[i])))
    return sorted(rows, key=lambda r: (r[0], r[1], r[2]))


def trend(data: Reports, flt: ReportFilter):
    """What ``queries.reports.trend`` gives."""
    return _trend_frame(_trend_rows(data, selected(data, flt)))


def dimension_counts(data: Reports, flt: ReportFilter, dimension: str):
    """What ``queries.reports.dimension_counts`` gives."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension}")
    kept = selected(data, flt)
    return _dimension_of([(None, None, len(kept))] + [(None, c, n) for c, n in _counted(data, kept, dimension)])


def view_counts(
    data: Reports, flt: ReportFilter, periods: tuple[tuple, ...] = (), dimension: str = "theme"
) -> ViewCounts:
    """What ``queries.reports.view_counts`` gives: one mask of the filter over all time, narrowed
    to the view's dates and to each period's."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension}")
    whole = selected(data, flt, dates=False)
    keep = _dated(data, whole, flt.date_from, flt.date_to)
    dated = []
    for start, end in periods:
        part = _dated(data, whole, start, end)
        counted = _counted(data, part, dimension)
        dated.append(_dimension_of([(None, None, len(part))] + [(None, c, n) for c, n in counted]))
    return ViewCounts(summary=_summary(data, keep), trend=_trend_frame(_trend_rows(data, whole)), periods=tuple(dated))


def page(
    data: Reports, flt: ReportFilter, limit: int, offset: int = 0, highlights_first: bool = False
) -> tuple[list[int], dict[str, list[list[str] | None]], int]:
    """One page of the reading pane: its report keys (publishable reports of the filter, the
    coordinator's highlights first when asked, then newest first), each one's areas, themes and
    target groups (codes in order), and how many reports there are in all: what
    ``queries.reports.reading_pane`` orders and counts (``queries.reports.reading_rows`` reads
    the texts)."""
    kept = selected(data, flt)
    shown = kept[data.visible[kept]][::-1]  # newest first (rows are oldest first)
    if highlights_first:
        picked = data.highlight[shown]
        shown = np.concatenate([shown[picked], shown[~picked]])
    rows = shown[max(offset, 0) : max(offset, 0) + max(limit, 0)].tolist()
    links = {name: [link.of(row) for row in rows] for name, link in data.linked.items()}
    return data.key[rows].tolist(), links, len(shown)
