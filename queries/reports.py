"""Queries over the social reports. Every function takes the same
:class:`~dashboard.filters.ReportFilter`, so charts, tables and downloads
always show the same reports."""

from __future__ import annotations

import pandas as pd

from dashboard.filters import ReportFilter, Vocabulary
from dashboard.i18n import label_column

MAX_ROWS = 100_000  # cap on anything a user can download

LINK_TABLES = {
    "theme": ("report_themes", "theme"),
    "target_group": ("report_target_groups", "target_group"),
    "area": ("report_areas", "area_code"),
}
COLUMN_DIMENSIONS = {"observation_type": "observation_type", "service_unit": "service_unit", "followup_status": "followup_status"}


def _filtered(flt: ReportFilter) -> tuple[str, dict]:
    where, params = flt.where("r")
    return f"SELECT r.* FROM reports r WHERE {where}", params


def count_reports(con, flt: ReportFilter) -> int:
    sql, params = _filtered(flt)
    return int(con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])


def counts_by(con, flt: ReportFilter, dimension: str, vocab: Vocabulary, lang: str = "fi") -> pd.DataFrame:
    """code, label, count (reports carrying the value), share (of all filtered reports).

    For multi-valued dimensions (theme, target group, area) a report counts once
    for each of its values, so counts can sum to more than the number of reports.
    """
    sql, params = _filtered(flt)
    if dimension in LINK_TABLES:
        table, column = LINK_TABLES[dimension]
        query = (
            f"WITH f AS ({sql}) SELECT x.{column} AS code, count(DISTINCT f.report_id) AS count "
            f"FROM f JOIN {table} x ON x.report_id = f.report_id GROUP BY 1"
        )
    elif dimension in COLUMN_DIMENSIONS:
        query = f"WITH f AS ({sql}) SELECT f.{COLUMN_DIMENSIONS[dimension]} AS code, count(*) AS count FROM f GROUP BY 1"
    else:
        raise ValueError(f"unknown dimension {dimension}")
    frame = con.execute(query, params).df()
    total = count_reports(con, flt)
    vocab_dim = "area" if dimension == "area" else dimension
    order = {code: i for i, code in enumerate(vocab.codes(vocab_dim))}
    frame["label"] = [vocab.label(vocab_dim, c, lang) for c in frame["code"]]
    frame["share"] = frame["count"] / total if total else 0.0
    frame["order"] = [order.get(c, len(order)) for c in frame["code"]]
    frame = frame.sort_values(["count", "order"], ascending=[False, True]).reset_index(drop=True)
    frame["count"] = frame["count"].astype("int64")
    return frame[["code", "label", "count", "share"]]


def trend_by_half_year(con, flt: ReportFilter, vocab: Vocabulary, lang: str = "fi") -> pd.DataFrame:
    """period ('1–6/2024'), year, half, observation_type, label, count: reports per calendar half-year."""
    sql, params = _filtered(flt)
    frame = con.execute(
        f"""
        WITH f AS ({sql})
        SELECT year(submitted_on) AS year,
               CASE WHEN month(submitted_on) <= 6 THEN 1 ELSE 2 END AS half,
               observation_type, count(*) AS count
        FROM f GROUP BY ALL ORDER BY year, half, observation_type
        """,
        params,
    ).df()
    frame["period"] = [f"{'1–6' if h == 1 else '7–12'}/{y}" for y, h in zip(frame["year"], frame["half"])]
    frame["label"] = [vocab.label("observation_type", c, lang) for c in frame["observation_type"]]
    frame["count"] = frame["count"].astype("int64")
    return frame


def report_table(con, flt: ReportFilter, vocab: Vocabulary, lang: str = "fi", limit: int = MAX_ROWS) -> pd.DataFrame:
    """One row per report with its areas, target groups and themes joined by '; '.

    Free texts are included only for publishable reports.
    """
    sql, params = _filtered(flt)
    name = label_column(lang)
    params = {**params, "limit": limit}
    frame = con.execute(
        f"""
        WITH f AS ({sql}),
        areas AS (
            SELECT a.report_id, list(a.area_code) AS area_list
            FROM report_areas a WHERE a.report_id IN (SELECT report_id FROM f) GROUP BY 1),
        groups AS (
            SELECT x.report_id, string_agg(c.{name}, '; ' ORDER BY c.sort_order) AS target_groups
            FROM report_target_groups x JOIN target_groups c ON c.code = x.target_group
            WHERE x.report_id IN (SELECT report_id FROM f) GROUP BY 1),
        themes_ AS (
            SELECT x.report_id, string_agg(c.{name}, '; ' ORDER BY c.sort_order) AS themes
            FROM report_themes x JOIN themes c ON c.code = x.theme
            WHERE x.report_id IN (SELECT report_id FROM f) GROUP BY 1)
        SELECT f.report_id, f.submitted_on, county.{name} AS county, su.{name} AS service_unit,
               areas.area_list, groups.target_groups, themes_.themes,
               ot.{name} AS observation_type, f.observation_type AS observation_type_code,
               f.publishable,
               CASE WHEN f.publishable THEN f.observation END AS observation,
               CASE WHEN f.publishable THEN f.client_voice END AS client_voice,
               CASE WHEN f.publishable THEN f.proposal END AS proposal,
               fs.{name} AS followup_status, f.handled_in, f.forwarded_to, f.followup_action
        FROM f
        LEFT JOIN regions county ON county.code = f.county_code
        LEFT JOIN service_units su ON su.code = f.service_unit
        LEFT JOIN observation_types ot ON ot.code = f.observation_type
        LEFT JOIN followup_statuses fs ON fs.code = f.followup_status
        LEFT JOIN areas USING (report_id)
        LEFT JOIN groups USING (report_id)
        LEFT JOIN themes_ USING (report_id)
        ORDER BY f.submitted_on, f.report_id
        LIMIT $limit
        """,
        params,
    ).df()
    order = {code: i for i, code in enumerate(vocab.codes("area"))}
    areas = [sorted(codes, key=lambda c: order.get(c, 0)) if codes is not None else [] for codes in frame.pop("area_list")]
    frame.insert(4, "areas", ["; ".join(vocab.label("area", c, lang) for c in codes) for codes in areas])
    frame.insert(5, "area_codes", ["; ".join(codes) for codes in areas])
    return frame


def reading_pane(con, flt: ReportFilter, vocab: Vocabulary, lang: str = "fi", limit: int = 50,
                 offset: int = 0) -> tuple[pd.DataFrame, int]:
    """Publishable reports that pass the filters and the text search, newest
    first, with their texts; and how many match in all."""
    sql, params = _filtered(flt)
    text_clause, text_params = flt.text_where("f")
    params = {**params, **text_params}
    total = con.execute(
        f"WITH f AS ({sql}) SELECT count(*) FROM f WHERE f.publishable AND {text_clause}", params
    ).fetchone()[0]
    frame = con.execute(
        f"""
        WITH f AS ({sql})
        SELECT f.report_id, f.submitted_on, f.county_code, f.service_unit, f.observation_type,
               f.observation, f.client_voice, f.proposal, f.followup_status, f.handled_in,
               f.forwarded_to, f.followup_action,
               (SELECT list(area_code ORDER BY area_code) FROM report_areas a WHERE a.report_id = f.report_id) AS areas,
               (SELECT list(theme ORDER BY theme) FROM report_themes t WHERE t.report_id = f.report_id) AS themes,
               (SELECT list(target_group ORDER BY target_group) FROM report_target_groups g WHERE g.report_id = f.report_id) AS target_groups
        FROM f WHERE f.publishable AND {text_clause}
        ORDER BY f.submitted_on DESC, f.report_id DESC
        LIMIT $limit OFFSET $offset
        """,
        {**params, "limit": limit, "offset": offset},
    ).df()
    return frame, int(total)


def unpublished_count(con, flt: ReportFilter) -> int:
    sql, params = _filtered(flt)
    return int(con.execute(f"WITH f AS ({sql}) SELECT count(*) FROM f WHERE NOT f.publishable", params).fetchone()[0])
