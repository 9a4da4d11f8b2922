"""What the reporting form's receipt reads: one report by its county and id,
its dated follow-up, and the published phenomena it supports. Nothing else of
the database (never another report, never a draft). No Dash and no Flask."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ReportState:
    report_key: int
    submitted_on: dt.date
    service_unit: str
    observation_type: str
    followup_status: str
    handled_in: str | None
    forwarded_to: str | None
    followup_action: str | None
    target_groups: tuple[str, ...]
    areas: tuple[str, ...]


@dataclass(frozen=True)
class FollowupEvent:
    changed_at: dt.datetime
    followup_status: str | None
    handled_in: str | None
    forwarded_to: str | None
    followup_action: str | None


@dataclass(frozen=True)
class Supported:
    """A published phenomenon (or key theme) the report is one of the supporting reports of."""

    kind: str
    title: str
    body: str
    period_from: dt.date
    period_to: dt.date
    published_at: dt.datetime


def _has(con, table: str) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = $t", {"t": table}).fetchone()[0]
    )


def report_state(con, county: str, report_id: str) -> ReportState | None:
    row = con.execute(
        "SELECT report_key, submitted_on, service_unit, observation_type, followup_status, handled_in, forwarded_to, "
        "followup_action, "
        "coalesce((SELECT list(target_group ORDER BY target_group) FROM report_target_groups g "
        "          WHERE g.report_key = r.report_key), []), "
        "coalesce((SELECT list(area_code ORDER BY area_code) FROM report_areas a WHERE a.report_key = r.report_key), []) "
        "FROM reports r WHERE county_code = $county AND report_id = $id",
        {"county": county, "id": report_id},
    ).fetchone()
    if row is None:
        return None
    return ReportState(
        int(row[0]), row[1], row[2], row[3], row[4], row[5], row[6], row[7], tuple(row[8]), tuple(row[9])
    )


def followup_events(con, report_key: int) -> list[FollowupEvent]:
    """The report's follow-up changes, oldest first (none in a database made before they were recorded)."""
    if not _has(con, "report_followup_events"):
        return []
    rows = con.execute(
        "SELECT changed_at, followup_status, handled_in, forwarded_to, followup_action FROM report_followup_events "
        "WHERE report_key = $key ORDER BY changed_at, load_id",
        {"key": report_key},
    ).fetchall()
    return [FollowupEvent(*row) for row in rows]


def supported_phenomena(con, report_key: int) -> list[Supported]:
    """The published phenomena the report supports, newest period first (published analyses only)."""
    if not _has(con, "analysis_phenomenon_reports"):
        return []
    rows = con.execute(
        "SELECT p.kind, p.title, p.body, a.period_from, a.period_to, a.published_at "
        "FROM analysis_phenomenon_reports pr JOIN analysis_phenomena p USING (phenomenon_id) "
        "JOIN analyses a ON a.county_code = p.county_code AND a.period_from = p.period_from "
        "AND a.period_to = p.period_to WHERE pr.report_key = $key ORDER BY a.period_from DESC, p.position",
        {"key": report_key},
    ).fetchall()
    return [Supported(*row) for row in rows]


def existing_reports(con, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (county, report id) pairs are in the database."""
    if not keys:
        return set()
    rows = con.execute(
        "SELECT county_code, report_id FROM reports WHERE report_id IN (SELECT unnest($ids))",
        {"ids": sorted({r for _, r in keys})},
    ).fetchall()
    return {(c, r) for c, r in rows} & set(keys)


def followup_statuses(con) -> list[str]:
    """The follow-up statuses' codes in their order (käsittelemättä -> ... -> toimenpide); the labels
    come from the vocabulary, at the edge."""
    return [code for (code,) in con.execute("SELECT code FROM followup_statuses ORDER BY sort_order, code").fetchall()]
