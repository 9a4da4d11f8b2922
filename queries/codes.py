"""Code lists and their labels, and the vocabulary a filter is checked against."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.core.i18n import label_column, translations
from dashboard.core.vocabulary import NATIONAL, Vocabulary

CODE_TABLES = {
    "target_group": "target_groups",
    "theme": "themes",
    "observation_type": "observation_types",
    "service_unit": "service_units",
    "followup_status": "followup_statuses",
}


def code_list(con, dimension: str, lang: str = "fi") -> pd.DataFrame:
    """code, label in ``lang``, sort_order: one row per code."""
    table = CODE_TABLES[dimension]
    return con.execute(
        f"SELECT code, {label_column(lang)} AS label, sort_order FROM {table} ORDER BY sort_order, code"
    ).df()


def regions(con, level: str | None = None) -> pd.DataFrame:
    sql = "SELECT code, level, name_fi, name_sv, name_en, parent_code FROM regions"
    params: dict = {}
    if level:
        sql += " WHERE level = $level"
        params["level"] = level
    return con.execute(sql + " ORDER BY level, name_fi", params).df()


def vocabulary(con) -> Vocabulary:
    """Every code a report filter may hold, with fi/sv/en labels."""
    labels: dict[str, dict[str, tuple[str, str, str]]] = {}
    for dimension, table in CODE_TABLES.items():
        rows = con.execute(f"SELECT code, name_fi, name_sv, name_en FROM {table} ORDER BY sort_order, code").fetchall()
        labels[dimension] = {code: (fi, sv, en) for code, fi, sv, en in rows}
    region_rows = con.execute("SELECT code, level, name_fi, name_sv, name_en FROM regions ORDER BY name_fi").fetchall()
    whole = translations("filter.whole_county")
    labels["county"] = {c: (fi, sv, en) for c, level, fi, sv, en in region_rows if level == "county"}
    area: dict[str, tuple[str, str, str]] = {}
    for c, level, fi, sv, en in region_rows:
        if level == "municipality":
            area[c] = (fi, sv, en)
    for c, level, fi, sv, en in region_rows:
        if level == "county":
            area[c] = (whole[0].format(name=fi), whole[1].format(name=sv), whole[2].format(name=en))
    area[NATIONAL] = translations("filter.national")
    labels["area"] = area
    labels["region"] = {c: (fi, sv, en) for c, level, fi, sv, en in region_rows}
    labels["indicator"] = {
        i: (fi, sv, en)
        for i, fi, sv, en in con.execute("SELECT indicator_id, name_fi, name_sv, name_en FROM indicators").fetchall()
    }
    labels["municipality_county"] = {
        c: (p, p, p)
        for c, p in con.execute("SELECT code, parent_code FROM regions WHERE level = 'municipality'").fetchall()
    }
    return Vocabulary(labels=labels)


def report_date_range(con) -> tuple[dt.date | None, dt.date | None]:
    first, last = con.execute("SELECT min(submitted_on), max(submitted_on) FROM reports").fetchone()
    return first, last


def counties_with_reports(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT DISTINCT county_code FROM reports ORDER BY 1").fetchall()]


def is_synthetic(con) -> bool:
    """True when any loaded data is the synthetic demo."""
    return bool(con.execute("SELECT count(*) FROM loads WHERE synthetic").fetchone()[0])
