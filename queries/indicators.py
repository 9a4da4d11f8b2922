"""Indicator queries. Small values are suppressed here, in SQL, so no route
(chart, table, download, slide, deck) can show them:

- *primary*: a value built from fewer than ``threshold`` persons (by
  ``abs_value`` or ``n``; for an additive count, by the value itself) comes
  back as NULL with ``suppressed = TRUE``, and so does its ``n``;
- *secondary* (``secondary = TRUE``, shown as ".."): for a rate, the other
  sex of the same region and year (the hidden sex could otherwise be worked
  out from the total); for an additive count, the complements that
  :mod:`queries.suppression` chooses across the region hierarchy and sex, so
  that no sum of published figures pins a hidden one.

An indicator is *additive* (its regions and sexes add up) when its unit is a
count in the units code list (``additive`` column: persons, times,
encounters) or when every value it has equals its ``abs_value`` (Sotkanet's
absolute-number indicators report the count as both). Rates, shares and
means are not: they are hidden by their own ``abs_value``/``n`` only.

Results carry codes (and every language's names where the names are the
indicators' own); the views label and order them in the user's language.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence

import duckdb
import pandas as pd

from dashboard.core.config import LANGUAGES
from dashboard.core.filters import IndicatorChoices, IndicatorFilter

from . import suppression
from .where import indicator_where

PRIMARY = (
    "(coalesce(v.abs_value < $threshold, FALSE) OR coalesce(v.n < $threshold, FALSE) "
    "OR (v.indicator_id IN (SELECT unnest(CAST($additive AS VARCHAR[]))) AND coalesce(v.value < $threshold, FALSE)))"
)
# The same for rows known to be additive counts.
PRIMARY_COUNT = (
    "(coalesce(v.abs_value < $threshold, FALSE) OR coalesce(v.n < $threshold, FALSE) "
    "OR coalesce(v.value < $threshold, FALSE))"
)
CELL_KEY = "v.indicator_id || '|' || v.region_code || '|' || CAST(v.year AS VARCHAR) || '|' || v.sex"


def _visible(where: str) -> str:
    """A CTE body over indicator_values with suppression applied; ``where``
    may use v.indicator_id, v.region_code, v.year (never v.sex, which would
    defeat the secondary suppression). Needs the parameters of :func:`_protection`."""
    return f"""
        SELECT indicator_id, region_code, year, sex,
               CASE WHEN suppressed THEN NULL ELSE n END AS n,
               CASE WHEN suppressed THEN NULL ELSE value END AS value,
               CASE WHEN suppressed THEN NULL ELSE abs_value END AS abs_value,
               suppressed, suppressed AND NOT primary_suppressed AS secondary
        FROM (
            SELECT p.*,
                   p.primary_suppressed OR p.complement OR (
                       NOT p.additive AND p.sex <> 'total' AND coalesce(
                           bool_or(p.primary_suppressed) FILTER (WHERE p.sex <> 'total')
                           OVER (PARTITION BY p.indicator_id, p.region_code, p.year), FALSE)
                   ) AS suppressed
            FROM (
                SELECT v.*, {PRIMARY} AS primary_suppressed,
                       v.indicator_id IN (SELECT unnest(CAST($additive AS VARCHAR[]))) AS additive,
                       {CELL_KEY} IN (SELECT unnest(CAST($complements AS VARCHAR[]))) AS complement
                FROM indicator_values v WHERE {where}
            ) p
        )
    """


def _units_say_additive(con) -> bool:
    """A database built by an older version has no ``units.additive`` column (or no units)."""
    try:
        con.execute("SELECT additive FROM units LIMIT 0")
    except duckdb.Error:
        return False
    return True


def additive_indicators(con, indicators: Sequence[str] | None = None) -> list[str]:
    """The indicators (of ``indicators``, or all) whose values add up over regions and sexes."""
    if indicators is None:
        rows = con.execute("SELECT indicator_id, unit FROM indicators ORDER BY 1").fetchall()
    else:
        rows = con.execute(
            "SELECT indicator_id, unit FROM indicators WHERE list_contains($ids, indicator_id) ORDER BY 1",
            {"ids": list(indicators)},
        ).fetchall()
    counts = _count_units(con)
    return [i for i, unit in rows if str(unit).strip().lower() in counts or _counts_by_values(con, i, len(rows))]


def _count_units(con) -> set[str]:
    """The codes and aliases (lower case) of the units the code list marks additive."""
    if not _units_say_additive(con):
        return set()
    names: set[str] = set()
    for code, aliases in con.execute("SELECT code, aliases FROM units WHERE additive").fetchall():
        names.add(code.strip().lower())
        names.update(a.strip().lower() for a in (aliases or "").split("|") if a.strip())
    return names


def _counts_by_values(con, indicator: str, among: int) -> bool:
    """Every value that has an abs_value beside it equals it (and some has one). One
    indicator: two short lookups (a rate's first row already differs)."""
    if among > 20:  # many indicators: their verdicts come from one pass, below
        return indicator in _counts_by_values_all(con)
    if con.execute(
        "SELECT 1 FROM indicator_values WHERE indicator_id = $i AND value <> abs_value LIMIT 1", {"i": indicator}
    ).fetchone():
        return False
    return (
        con.execute(
            "SELECT 1 FROM indicator_values WHERE indicator_id = $i AND value IS NOT NULL AND abs_value IS NOT NULL "
            "LIMIT 1",
            {"i": indicator},
        ).fetchone()
        is not None
    )


def _counts_by_values_all(con) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "SELECT indicator_id FROM indicator_values WHERE value IS NOT NULL AND abs_value IS NOT NULL "
            "GROUP BY 1 HAVING bool_and(value = abs_value)"
        ).fetchall()
    }


_SOLVED: OrderedDict[bytes, frozenset] = OrderedDict()
_SOLVED_LOCK = threading.Lock()
SOLVED_SIZE = 4096  # solved (indicator, year) problems kept per worker, by content


def _solve(cells: pd.DataFrame, children: dict[str, tuple[str, ...]], threshold: int) -> frozenset:
    """The complements of one indicator and year, memoised by the problem's content
    (so a new database version with the same figures costs nothing)."""
    rows = sorted(zip(cells["region_code"], cells["sex"], cells["value"], cells["is_primary"]))
    digest = hashlib.blake2b(repr((threshold, sorted(children.items()), rows)).encode(), digest_size=16).digest()
    with _SOLVED_LOCK:
        if digest in _SOLVED:
            _SOLVED.move_to_end(digest)
            return _SOLVED[digest]
    values = {(r, s): (None if pd.isna(v) else float(v)) for r, s, v, _ in rows}
    primary = {(r, s) for r, s, _, p in rows if p}
    found = frozenset(suppression.complements(values, primary, children, threshold))
    with _SOLVED_LOCK:
        _SOLVED[digest] = found
        while len(_SOLVED) > SOLVED_SIZE:
            _SOLVED.popitem(last=False)
    return found


def _protection(
    con, indicators: Sequence[str] | None, years: Sequence[int] | None, threshold: int
) -> dict[str, object]:
    """The parameters :func:`_visible` needs: the threshold, the additive indicators
    among ``indicators`` (None: all) and the complementary cells of their years
    in ``years`` (None: all) that hold a small count."""
    additive = additive_indicators(con, indicators)
    params: dict[str, object] = {"threshold": threshold, "additive": additive, "complements": []}
    if not additive:
        return params
    scope: dict[str, object] = {"add": additive, "threshold": threshold}
    year_clause = ""
    if years is not None:
        scope["years"] = [int(y) for y in years]
        year_clause = "AND v.year IN (SELECT unnest(CAST($years AS INTEGER[])))"
    rows = "v.indicator_id IN (SELECT unnest(CAST($add AS VARCHAR[])))"
    small = con.execute(
        f"SELECT DISTINCT v.indicator_id, v.year FROM indicator_values v WHERE {rows} {year_clause} AND {PRIMARY_COUNT}",
        scope,
    ).fetchall()
    if not small:
        return params
    cells = con.execute(
        f"""SELECT v.indicator_id, v.year, v.region_code, v.sex, v.value, {PRIMARY_COUNT} AS is_primary
            FROM indicator_values v
            WHERE {rows} AND (v.indicator_id || '|' || CAST(v.year AS VARCHAR)) IN (SELECT unnest(CAST($pairs AS VARCHAR[])))
            ORDER BY 1, 2""",
        {"add": additive, "threshold": threshold, "pairs": [f"{i}|{y}" for i, y in small]},
    ).df()
    if cells.empty:
        return params
    children: dict[str, list[str]] = {}
    for code, parent in con.execute("SELECT code, parent_code FROM regions WHERE parent_code IS NOT NULL").fetchall():
        children.setdefault(parent, []).append(code)
    tree = {parent: tuple(sorted(kids)) for parent, kids in children.items()}
    keys: list[str] = []
    for (indicator, year), group in cells.groupby(["indicator_id", "year"], sort=True):
        for region, sex in sorted(_solve(group, tree, threshold)):
            keys.append(f"{indicator}|{region}|{int(year)}|{sex}")
    params["complements"] = keys
    return params


def _has_units(con) -> bool:
    """A database built before the units code list has no table for it."""
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'units'").fetchone()[0])


def indicator_list(con) -> pd.DataFrame:
    """Every indicator with its name and unit in each language (``name_fi``,
    ``unit_fi``, …): the unit's labels from the units code list (matched by code or
    alias), an unknown unit as the data has it."""
    units = ", ".join(f"i.unit AS unit_{lang}" for lang in LANGUAGES)
    join, first = "", ""
    if _has_units(con):
        units = ", ".join(f"coalesce(u.name_{lang}, i.unit) AS unit_{lang}" for lang in LANGUAGES)
        join = (
            "LEFT JOIN units u ON lower(u.code) = lower(trim(i.unit)) OR "
            "list_contains(string_split(lower(coalesce(u.aliases, '')), '|'), lower(trim(i.unit)))"
        )
        first = "QUALIFY row_number() OVER (PARTITION BY i.indicator_id ORDER BY u.sort_order NULLS LAST) = 1"
    return con.execute(
        f"""SELECT i.indicator_id, i.name_fi, i.name_sv, i.name_en, {units}, i.unit AS unit_code, i.decimals,
                   i.source, i.kind, i.synthetic, i.licence, i.data_updated, i.description
            FROM indicators i {join} {first}
            ORDER BY CASE i.kind WHEN 'sotkanet' THEN 0 WHEN 'local' THEN 1 ELSE 2 END, i.indicator_id"""
    ).df()


def series(con, indicator_id: str, regions: list[str], sex: str, threshold: int) -> pd.DataFrame:
    """region_code, year, value, suppressed, secondary, n for the regions over all years."""
    if not regions:
        return pd.DataFrame(columns=["region_code", "year", "value", "suppressed", "secondary", "n"])
    keys = {f"r{i}": code for i, code in enumerate(regions)}
    placeholders = ", ".join("$" + k for k in keys)
    return con.execute(
        f"WITH s AS ({_visible(f'v.indicator_id = $ind AND v.region_code IN ({placeholders})')}) "
        "SELECT region_code, year, value, suppressed, secondary, n FROM s WHERE sex = $sex ORDER BY region_code, year",
        {"ind": indicator_id, "sex": sex, **keys, **_protection(con, [indicator_id], None, threshold)},
    ).df()


def ranking(con, indicator_id: str, county: str, year: int, sex: str, threshold: int) -> pd.DataFrame:
    """The county's municipalities in ``year`` with their values, plus the county's
    and the country's values as rows with level 'county'/'country' (by code: the
    view orders them by value and name)."""
    return con.execute(
        f"""WITH s AS ({_visible("v.indicator_id = $ind AND v.year = $year")})
            SELECT g.code AS region_code, g.level, s.value, coalesce(s.suppressed, FALSE) AS suppressed,
                   coalesce(s.secondary, FALSE) AS secondary, s.n
            FROM regions g LEFT JOIN s ON s.region_code = g.code AND s.sex = $sex
            WHERE (g.level = 'municipality' AND g.parent_code = $county) OR g.code IN ($county, 'FI')
            ORDER BY g.code""",
        {
            "ind": indicator_id,
            "year": year,
            "sex": sex,
            "county": county,
            **_protection(con, [indicator_id], [year], threshold),
        },
    ).df()


def county_values(con, indicator_id: str, year: int, sex: str, threshold: int) -> pd.DataFrame:
    """Every wellbeing county with its value in ``year`` (NULL when missing or suppressed)."""
    return con.execute(
        f"""WITH s AS ({_visible("v.indicator_id = $ind AND v.year = $year")})
            SELECT g.code AS region_code, s.value, coalesce(s.suppressed, FALSE) AS suppressed,
                   coalesce(s.secondary, FALSE) AS secondary
            FROM regions g LEFT JOIN s ON s.region_code = g.code AND s.sex = $sex
            WHERE g.level = 'county' ORDER BY g.code""",
        {"ind": indicator_id, "year": year, "sex": sex, **_protection(con, [indicator_id], [year], threshold)},
    ).df()


def by_sex(con, indicator_id: str, region: str, threshold: int) -> pd.DataFrame:
    """year, sex, value, suppressed, secondary for one region (male and female only)."""
    return con.execute(
        f"WITH s AS ({_visible('v.indicator_id = $ind AND v.region_code = $region')}) "
        "SELECT year, sex, value, suppressed, secondary FROM s WHERE sex IN ('male', 'female') ORDER BY year, sex",
        {"ind": indicator_id, "region": region, **_protection(con, [indicator_id], None, threshold)},
    ).df()


def years(con, indicator_id: str) -> list[int]:
    return [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT year FROM indicator_values WHERE indicator_id = $ind ORDER BY 1", {"ind": indicator_id}
        ).fetchall()
    ]


def table(con, flt: IndicatorFilter, threshold: int, limit: int = 500_000) -> pd.DataFrame:
    """One row per indicator, region, year and sex that the filter selects, by code."""
    where, params = indicator_where(flt, "v")
    params.update({"limit": limit, **_protection(con, flt.indicator or None, flt.year or None, threshold)})
    sex_clause = "TRUE"
    if flt.sex:
        keys = {f"s{k}": value for k, value in enumerate(flt.sex)}
        params.update(keys)
        sex_clause = f"s.sex IN ({', '.join('$' + k for k in keys)})"
    return con.execute(
        f"""WITH s AS ({_visible(where)})
            SELECT s.indicator_id, i.unit, i.source, i.licence, s.region_code, g.level, s.year, s.sex, s.value,
                   s.suppressed, s.secondary, s.n
            FROM s JOIN indicators i USING (indicator_id) LEFT JOIN regions g ON g.code = s.region_code
            WHERE {sex_clause}
            ORDER BY s.indicator_id, g.level, s.region_code, s.year, s.sex
            LIMIT $limit""",
        params,
    ).df()


def choices(con) -> IndicatorChoices:
    """The indicators in order of relevance (THL's first, then the counties' own,
    then synthetic), and for each the years, regions and sexes it has values for."""
    order = [
        r[0]
        for r in con.execute(
            "SELECT indicator_id FROM indicators ORDER BY CASE kind WHEN 'sotkanet' THEN 0 WHEN 'local' THEN 1 ELSE 2 END, "
            "name_fi"
        ).fetchall()
    ]
    years: dict[str, set[int]] = {}
    regions: dict[str, set[str]] = {}
    trends: dict[str, set[str]] = {}
    for indicator, region, year_list in con.execute(
        "SELECT indicator_id, region_code, list(DISTINCT year ORDER BY year) FROM indicator_values "
        "WHERE value IS NOT NULL GROUP BY 1, 2"
    ).fetchall():
        regions.setdefault(indicator, set()).add(region)
        years.setdefault(indicator, set()).update(year_list)
        if len(year_list) > 1:
            trends.setdefault(indicator, set()).add(region)
    sexes: dict[str, set[str]] = {}
    for indicator, sex in con.execute(
        "SELECT DISTINCT indicator_id, sex FROM indicator_values WHERE value IS NOT NULL"
    ).fetchall():
        sexes.setdefault(indicator, set()).add(sex)
    parents = dict(con.execute("SELECT code, parent_code FROM regions WHERE parent_code IS NOT NULL").fetchall())
    counties = {r[0] for r in con.execute("SELECT code FROM regions WHERE level = 'county'").fetchall()}
    return IndicatorChoices(
        indicators=tuple(order),
        years={k: tuple(sorted(v)) for k, v in years.items()},
        regions={k: frozenset(v) for k, v in regions.items()},
        default_region="09" if "09" in counties else "FI",
        trends={k: frozenset(v) for k, v in trends.items()},
        sexes={k: frozenset(v) for k, v in sexes.items()},
        parents=parents,
    )
