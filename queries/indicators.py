"""Indicator queries. Small values are suppressed here, in SQL, so no route
(chart, table, download) can show them: a value built from fewer than
``threshold`` persons (by ``abs_value`` or ``n``) comes back as NULL with
``suppressed = TRUE``, and so does the other sex of the same region and year
(secondary suppression: the hidden sex could otherwise be worked out from
the total).

Results carry codes (and every language's names where the names are the
indicators' own); the views label and order them in the user's language.
"""

from __future__ import annotations

import pandas as pd

from dashboard.core.config import LANGUAGES
from dashboard.core.filters import IndicatorChoices, IndicatorFilter

from .where import indicator_where


def _visible(where: str) -> str:
    """A CTE body over indicator_values with suppression applied; ``where``
    may use v.indicator_id, v.region_code, v.year (never v.sex, which would
    defeat the secondary suppression)."""
    return f"""
        SELECT indicator_id, region_code, year, sex, n,
               CASE WHEN suppressed THEN NULL ELSE value END AS value,
               CASE WHEN suppressed THEN NULL ELSE abs_value END AS abs_value,
               suppressed
        FROM (
            SELECT p.*,
                   CASE WHEN p.sex = 'total' THEN p.primary_suppressed
                        ELSE bool_or(p.primary_suppressed) FILTER (WHERE p.sex <> 'total')
                             OVER (PARTITION BY p.indicator_id, p.region_code, p.year) END AS suppressed
            FROM (
                SELECT v.*, coalesce(v.abs_value < $threshold, FALSE) OR coalesce(v.n < $threshold, FALSE)
                       AS primary_suppressed
                FROM indicator_values v WHERE {where}
            ) p
        )
    """


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
    """region_code, region name fields, year, value, suppressed for the regions over all years."""
    if not regions:
        return pd.DataFrame(columns=["region_code", "year", "value", "suppressed", "n"])
    keys = {f"r{i}": code for i, code in enumerate(regions)}
    placeholders = ", ".join("$" + k for k in keys)
    return con.execute(
        f"WITH s AS ({_visible(f'v.indicator_id = $ind AND v.region_code IN ({placeholders})')}) "
        "SELECT region_code, year, value, suppressed, n FROM s WHERE sex = $sex ORDER BY region_code, year",
        {"ind": indicator_id, "sex": sex, "threshold": threshold, **keys},
    ).df()


def ranking(con, indicator_id: str, county: str, year: int, sex: str, threshold: int) -> pd.DataFrame:
    """The county's municipalities in ``year`` with their values, plus the county's
    and the country's values as rows with level 'county'/'country' (by code: the
    view orders them by value and name)."""
    return con.execute(
        f"""WITH s AS ({_visible("v.indicator_id = $ind AND v.year = $year")})
            SELECT g.code AS region_code, g.level, s.value, coalesce(s.suppressed, FALSE) AS suppressed, s.n
            FROM regions g LEFT JOIN s ON s.region_code = g.code AND s.sex = $sex
            WHERE (g.level = 'municipality' AND g.parent_code = $county) OR g.code IN ($county, 'FI')
            ORDER BY g.code""",
        {"ind": indicator_id, "year": year, "sex": sex, "county": county, "threshold": threshold},
    ).df()


def county_values(con, indicator_id: str, year: int, sex: str, threshold: int) -> pd.DataFrame:
    """Every wellbeing county with its value in ``year`` (NULL when missing or suppressed)."""
    return con.execute(
        f"""WITH s AS ({_visible("v.indicator_id = $ind AND v.year = $year")})
            SELECT g.code AS region_code, s.value, coalesce(s.suppressed, FALSE) AS suppressed
            FROM regions g LEFT JOIN s ON s.region_code = g.code AND s.sex = $sex
            WHERE g.level = 'county' ORDER BY g.code""",
        {"ind": indicator_id, "year": year, "sex": sex, "threshold": threshold},
    ).df()


def by_sex(con, indicator_id: str, region: str, threshold: int) -> pd.DataFrame:
    """year, sex, value, suppressed for one region (male and female only)."""
    return con.execute(
        f"WITH s AS ({_visible('v.indicator_id = $ind AND v.region_code = $region')}) "
        "SELECT year, sex, value, suppressed FROM s WHERE sex IN ('male', 'female') ORDER BY year, sex",
        {"ind": indicator_id, "region": region, "threshold": threshold},
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
    params.update({"threshold": threshold, "limit": limit})
    sex_clause = "TRUE"
    if flt.sex:
        keys = {f"s{k}": value for k, value in enumerate(flt.sex)}
        params.update(keys)
        sex_clause = f"s.sex IN ({', '.join('$' + k for k in keys)})"
    return con.execute(
        f"""WITH s AS ({_visible(where)})
            SELECT s.indicator_id, i.unit, i.source, i.licence, s.region_code, g.level, s.year, s.sex, s.value,
                   s.suppressed, s.n
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
