"""Code lists and their labels, and the vocabulary a filter is checked against."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.core.vocabulary import Vocabulary

from .schema import CODE_TABLES


def regions(con, level: str | None = None) -> pd.DataFrame:
    sql = "SELECT code, level, name_fi, name_sv, name_en, parent_code FROM regions"
    params: dict = {}
    if level:
        sql += " WHERE level = $level"
        params["level"] = level
    return con.execute(sql + " ORDER BY level, name_fi", params).df()


def vocabulary(con) -> Vocabulary:
    """Every code a report filter may hold, with fi/sv/en labels."""
    code_lists = {
        dimension: {
            code: (fi, sv, en)
            for code, fi, sv, en in con.execute(
                f"SELECT code, name_fi, name_sv, name_en FROM {table} ORDER BY sort_order, code"
            ).fetchall()
        }
        for dimension, table in CODE_TABLES.items()
    }
    if _has_table(con, "support_needs"):  # sosiaalihuoltolaki 11 § (a database of before the analysis lacks it)
        code_lists["support_need"] = {
            code: (fi, sv, en)
            for code, fi, sv, en in con.execute(
                "SELECT code, name_fi, name_sv, name_en FROM support_needs ORDER BY sort_order, code"
            ).fetchall()
        }
    regions = con.execute(
        "SELECT code, level, name_fi, name_sv, name_en, parent_code FROM regions ORDER BY name_fi"
    ).fetchall()
    indicators = {
        i: (fi, sv, en)
        for i, fi, sv, en in con.execute("SELECT indicator_id, name_fi, name_sv, name_en FROM indicators").fetchall()
    }
    return Vocabulary.build(code_lists, regions, indicators)


def _has_table(con, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = $name", {"name": name}
        ).fetchone()[0]
    )


def report_date_range(con) -> tuple[dt.date | None, dt.date | None]:
    first, last = con.execute("SELECT min(submitted_on), max(submitted_on) FROM reports").fetchone()
    return first, last


def counties_with_reports(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT DISTINCT county_code FROM reports ORDER BY 1").fetchall()]


def is_synthetic(con) -> bool:
    """True when any loaded data is the synthetic demo."""
    return bool(con.execute("SELECT count(*) FROM loads WHERE synthetic").fetchone()[0])
