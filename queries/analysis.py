"""Queries of the half-year analysis.

For leadership (:func:`published`, :func:`reports_for`, :func:`analysed_periods`,
:func:`support_need_counts`): only what the coordinator published, read from
the DuckDB database; drafts live in the workspace file and never reach these.
A phenomenon's supporting reports are given only when they are publishable and
their texts are the ones the privacy screen cleared at publishing (an unresolved
hit, or a text changed since, keeps a report out), so "n raporttia" opens
exactly those reports.

For the coordinator's workbench (:func:`period_reports`, :func:`county_reports`,
:func:`published_draft`): every report of a period with its texts, labels and
published review.

No Dash and no Flask here, and no labels: sections and counts carry codes, which
the views label from the vocabulary in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from . import visibility

KINDS = ("key_theme", "observation", "good_practice", "proposal")
SECTION_KINDS = ("observation", "good_practice", "proposal")
TEXT_FIELDS = ("observation", "client_voice", "proposal")
# The texts a privacy clearance is for, and what "cleared" means: one definition in
# queries.visibility, shared with every leadership output.
TEXT_HASH_SQL = visibility.TEXT_HASH
CLEARED_SQL = visibility.cleared("{r}", "rv")


def text_hash_sql(alias: str = "r") -> str:
    return visibility.text_hash(alias)


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


# ---- leadership ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A key theme or a phenomenon as leadership reads it."""

    phenomenon_id: str
    kind: str
    title: str
    body: str
    target_groups: tuple[str, ...]
    themes: tuple[str, ...]
    support_needs: tuple[str, ...]
    service_unit: str | None
    report_keys: tuple[int, ...]  # the supporting reports leadership may open (publishable, cleared)
    n_supporting: int  # every supporting report, including those that are not publishable

    @property
    def bullets(self) -> list[str]:
        """A key theme's body is its bullets, one per line."""
        return [line.strip(" •-\t") for line in self.body.splitlines() if line.strip(" •-\t")]


@dataclass(frozen=True)
class Quote:
    report_key: int
    text: str


@dataclass(frozen=True)
class Section:
    """A target group's (or a service unit's, e.g. outreach) part of the analysis."""

    dimension: str  # 'target_group' or 'service_unit' (the vocabulary's dimension of its label)
    code: str
    observations: tuple[Item, ...]
    good_practices: tuple[Item, ...]
    proposals: tuple[Item, ...]
    quotes: tuple[Quote, ...]

    def items(self) -> tuple[Item, ...]:
        return self.observations + self.good_practices + self.proposals


@dataclass(frozen=True)
class PublishedAnalysis:
    county_code: str
    period_from: dt.date
    period_to: dt.date
    revision: int
    title: str
    intro: str
    published_at: dt.datetime
    published_by: str
    key_themes: tuple[Item, ...]
    sections: tuple[Section, ...]

    def items(self) -> tuple[Item, ...]:
        return self.key_themes + tuple(i for s in self.sections for i in s.items())

    def report_keys(self) -> set[int]:
        return {k for i in self.items() for k in i.report_keys}


def _has_analysis_tables(con) -> bool:
    try:
        con.execute("SELECT 1 FROM analyses LIMIT 0")
        return True
    except Exception:  # a database built before the analysis tables existed
        return False


def analysed_periods(con, county: str | None = None) -> pd.DataFrame:
    """county_code, period_from, period_to, revision, published_at, published_by of every published analysis."""
    if not _has_analysis_tables(con):
        return pd.DataFrame(
            columns=["county_code", "period_from", "period_to", "revision", "published_at", "published_by"]
        )
    sql = "SELECT county_code, period_from, period_to, revision, published_at, published_by FROM analyses"
    params: dict = {}
    if county:
        sql += " WHERE county_code = $county"
        params["county"] = county
    return con.execute(sql + " ORDER BY county_code, period_from DESC, period_to", params).df()


def published(con, county: str, date_from, date_to, quotes_per_section: int = 2):
    """The published analysis of a county and period, or None (then the views fall back to today's slides)."""
    if not _has_analysis_tables(con):
        return None
    start, end = _date(date_from), _date(date_to)
    key = {"county": county, "start": start, "end": end}
    head = con.execute(
        "SELECT revision, title, intro, published_at, published_by FROM analyses "
        "WHERE county_code = $county AND period_from = $start AND period_to = $end",
        key,
    ).fetchone()
    if head is None:
        return None
    revision, title, intro, published_at, published_by = head
    rows = con.execute(
        "SELECT phenomenon_id, kind, title, body, service_unit, position FROM analysis_phenomena "
        "WHERE county_code = $county AND period_from = $start AND period_to = $end ORDER BY position, phenomenon_id",
        key,
    ).fetchall()
    labels: dict[str, dict[str, list[str]]] = {}
    for pid, dimension, code in con.execute(
        "SELECT l.phenomenon_id, l.dimension, l.code FROM analysis_phenomenon_labels l "
        "JOIN analysis_phenomena p USING (phenomenon_id) "
        "WHERE p.county_code = $county AND p.period_from = $start AND p.period_to = $end "
        "ORDER BY l.phenomenon_id, l.dimension, l.code",
        key,
    ).fetchall():
        labels.setdefault(pid, {}).setdefault(dimension, []).append(code)
    support: dict[str, list[tuple[int, bool, bool, str | None]]] = {}
    for pid, report_key, quoted, cleared, voice in con.execute(
        "SELECT pr.phenomenon_id, pr.report_key, pr.quoted, coalesce(" + CLEARED_SQL.format(r="r") + ", FALSE), "
        "r.client_voice FROM analysis_phenomenon_reports pr JOIN analysis_phenomena p USING (phenomenon_id) "
        "JOIN reports r ON r.report_key = pr.report_key LEFT JOIN report_reviews rv ON rv.report_key = r.report_key "
        "WHERE p.county_code = $county AND p.period_from = $start AND p.period_to = $end "
        "ORDER BY pr.phenomenon_id, r.submitted_on, r.report_key",
        key,
    ).fetchall():
        support.setdefault(pid, []).append((report_key, bool(quoted), bool(cleared), voice))

    items: list[Item] = []
    for pid, kind, p_title, body, unit, _position in rows:
        lab = labels.get(pid, {})
        reports = support.get(pid, [])
        items.append(
            Item(
                pid,
                kind,
                p_title,
                body,
                tuple(lab.get("target_group", [])),
                tuple(lab.get("theme", [])),
                tuple(lab.get("support_need", [])),
                unit,
                tuple(k for k, _q, cleared, _v in reports if cleared),
                len(reports),
            )
        )
    group_codes = _codes(con, "target_groups")
    unit_codes = _codes(con, "service_units")
    sections: list[Section] = []
    used_quotes: set[str] = set()

    def section(dimension: str, code: str, members: list[Item]) -> Section | None:
        if not members:
            return None
        quotes: list[Quote] = []
        chosen = [
            (k, v) for m in members for k, q, cleared, v in support.get(m.phenomenon_id, []) if q and cleared and v
        ]
        others = [
            (k, v) for m in members for k, q, cleared, v in support.get(m.phenomenon_id, []) if not q and cleared and v
        ]
        for k, voice in chosen + others:
            text = voice.strip()
            if len(quotes) >= quotes_per_section or text in used_quotes:
                continue
            used_quotes.add(text)
            quotes.append(Quote(k, text))
        return Section(
            dimension,
            code,
            tuple(m for m in members if m.kind == "observation"),
            tuple(m for m in members if m.kind == "good_practice"),
            tuple(m for m in members if m.kind == "proposal"),
            tuple(quotes),
        )

    in_sections = [i for i in items if i.kind != "key_theme"]
    for code in group_codes:
        made = section("target_group", code, [i for i in in_sections if not i.service_unit and code in i.target_groups])
        if made:
            sections.append(made)
    for code in unit_codes:
        made = section("service_unit", code, [i for i in in_sections if i.service_unit == code])
        if made:
            sections.append(made)
    return PublishedAnalysis(
        county,
        start,
        end,
        revision,
        title,
        intro,
        published_at,
        published_by,
        tuple(i for i in items if i.kind == "key_theme"),
        tuple(sections),
    )


def _codes(con, table: str) -> list[str]:
    """A code list's codes in its order."""
    return [r[0] for r in con.execute(f"SELECT code FROM {table} ORDER BY sort_order, code").fetchall()]


def reports_for(con, report_keys) -> pd.DataFrame:
    """The reports behind "n raporttia", for the reading pane: only publishable ones
    whose texts the privacy screen cleared (any other key asked for is left out)."""
    keys = sorted({int(k) for k in report_keys})
    columns = (
        "r.report_key, r.report_id, r.county_code, r.submitted_on, r.service_unit, r.observation_type, "
        "r.observation, r.client_voice, r.proposal, "
        "(SELECT list(theme ORDER BY theme) FROM report_themes t WHERE t.report_key = r.report_key) AS themes, "
        "(SELECT list(target_group ORDER BY target_group) FROM report_target_groups g "
        "WHERE g.report_key = r.report_key) AS target_groups, "
        "(SELECT list(area_code ORDER BY area_code) FROM report_areas a WHERE a.report_key = r.report_key) AS areas"
    )
    if not keys or not _has_analysis_tables(con):
        return con.execute(f"SELECT {columns} FROM reports r WHERE FALSE").df()
    return con.execute(
        f"SELECT {columns} FROM reports r JOIN report_reviews rv ON rv.report_key = r.report_key "
        f"WHERE r.report_key IN (SELECT unnest($keys)) AND {CLEARED_SQL.format(r='r')} "
        "ORDER BY r.submitted_on, r.report_key",
        {"keys": keys},
    ).df()


def published_phenomenon(con, phenomenon_id: str) -> dict | None:
    """A published phenomenon's title, kind, county and period (the "n raporttia" link names it), or None."""
    if not _has_analysis_tables(con):
        return None
    row = con.execute(
        "SELECT phenomenon_id, kind, title, county_code, period_from, period_to FROM analysis_phenomena "
        "WHERE phenomenon_id = $id",
        {"id": phenomenon_id},
    ).fetchone()
    if row is None:
        return None
    return dict(zip(("phenomenon_id", "kind", "title", "county_code", "period_from", "period_to"), row))


def report_ids(con, report_keys) -> dict[int, str]:
    """report_key -> the form tool's report id (for the keys leadership may open)."""
    keys = sorted({int(k) for k in report_keys})
    if not keys:
        return {}
    return dict(
        con.execute(
            "SELECT report_key, report_id FROM reports WHERE report_key IN (SELECT unnest($keys))", {"keys": keys}
        ).fetchall()
    )


def support_need_counts(con, county: str, date_from, date_to) -> pd.DataFrame:
    """Reports per support need of sosiaalihuoltolaki 11 § (code, count; label them with
    the vocabulary's ``support_need``): the confirmed support needs of a report, else
    those its themes map to."""
    return con.execute(
        """
        WITH period AS (
            SELECT report_key FROM reports
            WHERE county_code = $county AND submitted_on BETWEEN $start AND $end
        ), confirmed AS (
            SELECT s.report_key, s.support_need FROM report_support_needs s JOIN period USING (report_key)
        ), mapped AS (
            SELECT DISTINCT t.report_key, trim(m.need) AS support_need
            FROM report_themes t JOIN period USING (report_key) JOIN themes th ON th.code = t.theme,
                 unnest(string_split(coalesce(th.support_needs, ''), '|')) AS m(need)
            WHERE trim(m.need) <> '' AND t.report_key NOT IN (SELECT report_key FROM confirmed)
        ), every AS (SELECT * FROM confirmed UNION SELECT * FROM mapped)
        SELECT n.code, count(e.report_key) AS count
        FROM support_needs n LEFT JOIN every e ON e.support_need = n.code
        GROUP BY n.code, n.sort_order ORDER BY n.sort_order
        """,
        {"county": county, "start": _date(date_from), "end": _date(date_to)},
    ).df()


# ---- the coordinator's workbench ------------------------------------------------------------------


REPORT_COLUMNS = """
    r.report_key, r.report_id, r.county_code, r.submitted_on, r.service_unit, r.observation_type,
    r.observation, r.client_voice, r.proposal, r.publishable, r.highlight,
    coalesce((SELECT list(theme ORDER BY theme) FROM report_themes t WHERE t.report_key = r.report_key), [])
        AS themes,
    coalesce((SELECT list(target_group ORDER BY target_group) FROM report_target_groups g
              WHERE g.report_key = r.report_key), []) AS target_groups,
    coalesce((SELECT list(area_code ORDER BY area_code) FROM report_areas a WHERE a.report_key = r.report_key), [])
        AS areas,
    coalesce((SELECT list(support_need ORDER BY support_need) FROM report_support_needs s
              WHERE s.report_key = r.report_key), []) AS support_needs
"""


def period_reports(con, county: str, date_from, date_to) -> pd.DataFrame:
    """Every report of the period with its texts and labels (coordinator only: the
    texts of non-publishable reports are here)."""
    return con.execute(
        f"SELECT {REPORT_COLUMNS} FROM reports r WHERE r.county_code = $county "
        "AND r.submitted_on BETWEEN $start AND $end ORDER BY r.submitted_on, r.report_id",
        {"county": county, "start": _date(date_from), "end": _date(date_to)},
    ).df()


def county_reports(con, county: str) -> pd.DataFrame:
    """Every report of a county with texts and labels (the suggestions' training data)."""
    return con.execute(
        f"SELECT {REPORT_COLUMNS}, coalesce(rv.reviewed, FALSE) AS reviewed FROM reports r "
        "LEFT JOIN report_reviews rv ON rv.report_key = r.report_key "
        "WHERE r.county_code = $county ORDER BY r.submitted_on, r.report_id",
        {"county": county},
    ).df()


def code_keywords(con, table: str = "themes") -> dict[str, str]:
    """code -> keywords cell ('|'-separated lemmas) of themes or support_needs."""
    if table not in ("themes", "support_needs"):
        raise ValueError(table)
    try:
        rows = con.execute(f"SELECT code, coalesce(keywords, '') FROM {table} ORDER BY sort_order, code").fetchall()
    except Exception:  # a database built before the keywords column
        rows = con.execute(f"SELECT code, '' FROM {table} ORDER BY sort_order, code").fetchall()
    return dict(rows)


def theme_support_needs(con) -> dict[str, list[str]]:
    """theme -> the support needs of sosiaalihuoltolaki 11 § it maps to."""
    try:
        rows = con.execute("SELECT code, coalesce(support_needs, '') FROM themes").fetchall()
    except Exception:  # a database built before the mapping
        return {}
    return {code: [s for s in cell.split("|") if s] for code, cell in rows}


def place_names(con) -> list[str]:
    return [n for row in con.execute("SELECT name_fi, name_sv FROM regions").fetchall() for n in row if n]


@dataclass
class PublishedItem:
    phenomenon_id: str
    kind: str
    title: str
    body: str
    service_unit: str | None
    position: float
    target_groups: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    support_needs: list[str] = field(default_factory=list)
    report_ids: list[str] = field(default_factory=list)
    quoted_report_ids: list[str] = field(default_factory=list)


@dataclass
class PublishedReview:
    report_id: str
    reviewed: bool
    reviewed_by: str | None
    reviewed_at: str | None
    publishable: bool | None
    publishable_by: str | None
    publishable_at: str | None
    override_reason: str | None
    override_hits: list[str]
    override_by: str | None
    override_at: str | None


@dataclass
class PublishedDraft:
    """A published analysis as the workspace opens it for revision (every supporting
    report, publishable or not: the coordinator sees them all)."""

    revision: int
    title: str
    intro: str
    phenomena: list[PublishedItem]
    reviews: list[PublishedReview]


def published_draft(con, county: str, date_from, date_to) -> PublishedDraft | None:
    if not _has_analysis_tables(con):
        return None
    start, end = _date(date_from), _date(date_to)
    key = {"county": county, "start": start, "end": end}
    head = con.execute(
        "SELECT revision, title, intro FROM analyses WHERE county_code = $county AND period_from = $start "
        "AND period_to = $end",
        key,
    ).fetchone()
    if head is None:
        return None
    items = {
        pid: PublishedItem(pid, kind, title, body, unit, position)
        for pid, kind, title, body, unit, position in con.execute(
            "SELECT phenomenon_id, kind, title, body, service_unit, position FROM analysis_phenomena "
            "WHERE county_code = $county AND period_from = $start AND period_to = $end ORDER BY position",
            key,
        ).fetchall()
    }
    attr = {"target_group": "target_groups", "theme": "themes", "support_need": "support_needs"}
    for pid, dimension, code in con.execute(
        "SELECT phenomenon_id, dimension, code FROM analysis_phenomenon_labels ORDER BY phenomenon_id, dimension, code"
    ).fetchall():
        if pid in items:
            getattr(items[pid], attr[dimension]).append(code)
    for pid, report_id, quoted in con.execute(
        "SELECT pr.phenomenon_id, r.report_id, pr.quoted FROM analysis_phenomenon_reports pr "
        "JOIN reports r USING (report_key) ORDER BY pr.phenomenon_id, r.submitted_on, r.report_id"
    ).fetchall():
        if pid in items:
            items[pid].report_ids.append(report_id)
            if quoted:
                items[pid].quoted_report_ids.append(report_id)
    reviews = [
        PublishedReview(
            row[0],
            bool(row[1]),
            row[2],
            None if row[3] is None else str(row[3]),
            row[4],
            row[5],
            None if row[6] is None else str(row[6]),
            row[7],
            [h for h in (row[8] or "").split("|") if h],
            row[9],
            None if row[10] is None else str(row[10]),
        )
        for row in con.execute(
            "SELECT r.report_id, rv.reviewed, rv.reviewed_by, rv.reviewed_at, "
            "CASE WHEN rv.publishable_by IS NULL THEN NULL ELSE r.publishable END, rv.publishable_by, "
            "rv.publishable_at, rv.override_reason, rv.override_hits, rv.override_by, rv.override_at "
            "FROM report_reviews rv JOIN reports r USING (report_key) "
            "WHERE r.county_code = $county AND r.submitted_on BETWEEN $start AND $end",
            key,
        ).fetchall()
    ]
    return PublishedDraft(head[0], head[1], head[2], list(items.values()), reviews)


def publications(con, county: str, date_from, date_to) -> pd.DataFrame:
    """Every publication of a county's period, newest first: revision, published_at, published_by,
    phenomena, reports_reviewed, draft_edit_id (the workspace journal's last edit it holds)."""
    columns = ["revision", "published_at", "published_by", "phenomena", "reports_reviewed", "draft_edit_id"]
    if not _has_analysis_tables(con):
        return pd.DataFrame(columns=columns)
    return con.execute(
        f"SELECT {', '.join(columns)} FROM analysis_publications WHERE county_code = $county "
        "AND period_from = $start AND period_to = $end ORDER BY revision DESC",
        {"county": county, "start": _date(date_from), "end": _date(date_to)},
    ).df()


def report_dates(con) -> pd.DataFrame:
    """county_code, submitted_on of every report (the workbench offers the periods that have reports), and
    ``held``: publishable in the file, but an unresolved privacy hit holds its texts back from leadership."""
    return con.execute(
        f"SELECT county_code, submitted_on, publishable AND report_key IN ({visibility.HELD}) AS held FROM reports"
    ).df()
