"""The counts of a filter change from the reports' columns in memory (``queries.columnar``) are
exactly what the SQL queries give: every part of the view's counts, the summary, the trend, a
dimension's counts and a page of the reading pane, over many filters (every kind of filter the
columns answer, alone and combined), and a new database version brings new columns."""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest

from dashboard.core.filters import ReportFilter
from queries import codes, columnar
from queries import reports as q

PERIODS = ((dt.date(2023, 9, 1), dt.date(2023, 12, 31)), (dt.date(2024, 9, 1), dt.date(2024, 12, 31)))


@pytest.fixture(scope="module")
def data(con):
    return columnar.load(con)


def _filters(con) -> list[str]:
    """Hand-picked filters and 60 drawn at random (fixed seed) from the codes in use."""
    used = {
        "county": "SELECT DISTINCT county_code FROM reports",
        "municipality": "SELECT DISTINCT area_code FROM report_areas",
        "target_group": "SELECT DISTINCT target_group FROM report_target_groups",
        "theme": "SELECT DISTINCT theme FROM report_themes",
        "type": "SELECT DISTINCT observation_type FROM reports",
        "unit": "SELECT DISTINCT service_unit FROM reports",
        "status": "SELECT DISTINCT followup_status FROM reports",
    }
    values = {param: sorted(r[0] for r in con.execute(sql).fetchall()) for param, sql in used.items()}
    dates = [("2021-01-01", "2021-06-30"), ("2024-09-01", "2024-12-31"), ("2023-03-15", ""), ("", "2022-05-02")]
    picked = [
        "",
        "county=09",
        "county=09&from=2024-09-01&to=2024-12-31",
        "county=09&from=2024-09-01&to=2024-12-31&target_group=working_age",
        "county=20&theme=housing&type=negative",
        "voice=1",
        "voice=1&county=09&from=2024-09-01&to=2024-12-31",
        "county=17&municipality=205",
        "from=2023-01-01",
        "from=2030-01-01",  # nothing
        "county=09&county=20&theme=housing&theme=livelihood",
    ]
    rng = random.Random(17)
    for _ in range(60):
        parts = []
        for param in rng.sample(sorted(values), rng.randint(1, 4)):
            parts += [f"{param}={v}" for v in rng.sample(values[param], min(len(values[param]), rng.randint(1, 3)))]
        start, end = rng.choice(dates + [("", "")] * 3)
        parts += [f"from={start}"] if start else []
        parts += [f"to={end}"] if end else []
        parts += ["voice=1"] if rng.random() < 0.2 else []
        picked.append("&".join(parts))
    return picked


def _same_summary(a: q.Summary, b: q.Summary) -> None:
    assert (a.total, a.unpublished) == (b.total, b.unpublished)
    assert list(a.counts) == list(b.counts)
    for name in a.counts:
        pd.testing.assert_frame_equal(a.counts[name], b.counts[name])


def test_the_columns_count_what_sql_counts_over_many_filters(con, data, vocab):
    queries = _filters(con)
    assert len(queries) > 70
    counted = 0
    dimensions = ("theme", "area", "target_group", "observation_type")
    for i, query in enumerate(queries):
        flt = ReportFilter.from_query(query, vocab)
        assert not flt.problems, (query, flt.problems)
        assert columnar.supports(flt)
        # The whole view's counts with one comparison dimension per filter, in turn (each dimension
        # over ~18 filters; the SQL statement is the test's cost), and every dimension's counts.
        compared = dimensions[i % len(dimensions)]
        sql, memory = (
            q.view_counts(con, flt, PERIODS, compared),
            columnar.view_counts(data, flt, PERIODS, compared),
        )
        _same_summary(sql.summary, memory.summary)
        pd.testing.assert_frame_equal(sql.trend, memory.trend)
        assert len(sql.periods) == len(memory.periods) == 2
        for (n_sql, f_sql), (n_mem, f_mem) in zip(sql.periods, memory.periods, strict=True):
            assert n_sql == n_mem
            pd.testing.assert_frame_equal(f_sql, f_mem)
        for dimension in dimensions:
            total, frame = columnar.dimension_counts(data, flt, dimension)
            total_sql, frame_sql = q.dimension_counts(con, flt, dimension)
            assert total == total_sql
            pd.testing.assert_frame_equal(frame, frame_sql)
        summary = q.summary(con, flt)
        _same_summary(summary, columnar.summary(data, flt))
        pd.testing.assert_frame_equal(q.trend(con, flt.whole_time), columnar.trend(data, flt.whole_time))
        counted += summary.total > 0
    assert counted > 40  # most of the filters keep some reports: the comparison compares numbers


def test_a_page_of_the_reading_pane_is_the_one_sql_gives(con, data, vocab):
    # The view's first page for each filter, and one other page (a later one, a small one, with or
    # without the highlights first) per filter in turn: each shape over ten filters.
    others = ((50, 0, True), (10, 20, True), (5, 3, False), (10, 20, False))
    for i, query in enumerate(_filters(con)[:40]):
        flt = ReportFilter.from_query(query, vocab)
        for limit, offset, highlights_first in ((50, 0, False), others[i % len(others)]):
            frame, total = q.reading_pane(con, flt, limit, offset, highlights_first)
            keys, links, total_mem = columnar.page(data, flt, limit, offset, highlights_first)
            assert total_mem == total
            pd.testing.assert_frame_equal(q.reading_rows(con, keys, links, highlights_first), frame)


def test_free_text_and_evidence_stay_in_sql(vocab, data):
    for query in ("q=asuminen", "county=09&q=asuminen", "evidence=some-phenomenon"):
        flt = ReportFilter.from_query(query, vocab)
        assert not columnar.supports(flt)
        with pytest.raises(ValueError):
            columnar.mask(data, flt)


def test_a_new_database_version_brings_new_columns(db_copy):
    """A report made unpublishable in a new version (as a coordinator's decision is) counts as
    unpublished at once: the columns are per version."""
    import duckdb

    from dashboard.views.reports import ReportContext
    from queries import access
    from queries.db import write_new_version

    flt_query = "county=09&from=2024-09-01&to=2024-12-31"
    before = ReportContext.from_query(flt_query)
    assert before.in_memory
    first = access.columns()
    unpublished = before.summary.unpublished
    with duckdb.connect(str(db_copy), read_only=True) as con:
        key = con.execute(
            "SELECT report_key FROM reports WHERE county_code = '09' AND publishable "
            "AND submitted_on BETWEEN DATE '2024-09-01' AND DATE '2024-12-31' ORDER BY report_key LIMIT 1"
        ).fetchone()[0]
    write_new_version(
        db_copy, lambda w: w.execute("UPDATE reports SET publishable = FALSE WHERE report_key = ?", [key])
    )
    after = ReportContext.from_query(flt_query)
    assert after.summary.unpublished == unpublished + 1
    assert access.columns() is not first
    with duckdb.connect(str(db_copy), read_only=True) as con:
        vocab = codes.vocabulary(con)
        assert after.summary.unpublished == q.summary(con, ReportFilter.from_query(flt_query, vocab)).unpublished


def test_the_reading_pane_draws_the_same_cards_from_records(con, app_env):
    """The cards the reading pane draws from the page's records (no frame) are the ones it drew
    from the page's frame, in every language, for the first page and a longer one."""
    from dashboard.views.reports import ReportContext
    from dashboard.web.layouts.reading import report_card
    from queries import access

    access.reset()
    shown = 0
    for query in _filters(con)[:30]:
        for lang in ("fi", "sv", "en"):
            ctx = ReportContext.from_query(f"{query}&lang={lang}" if query else f"lang={lang}")
            for limit in (50, 150):
                frame, total = ctx.reading(limit)
                records, total_records = ctx.reading_records(limit)
                assert total_records == total
                old = [report_card(row, ctx) for row in frame.to_dict("records")]
                assert [report_card(row, ctx) for row in records] == old
                shown += len(old)
    assert shown > 500
