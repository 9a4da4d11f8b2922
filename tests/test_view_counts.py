"""A filter change counts its view in one statement (``queries.reports.view_counts``): the
summary, the trend over all time and the comparison's periods. Each part must be exactly what
its own query gives (the small-number suppression downstream reads the same counts), and the
view must ask DuckDB fewer times than the parts would."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.core.filters import ReportFilter
from queries import codes
from queries import reports as q

PERIODS = ((dt.date(2023, 9, 1), dt.date(2023, 12, 31)), (dt.date(2024, 9, 1), dt.date(2024, 12, 31)))
FILTERS = (
    "",
    "county=09",
    "county=09&from=2024-09-01&to=2024-12-31",
    "county=09&from=2024-09-01&to=2024-12-31&target_group=working_age",
    "county=20&theme=housing&type=negative",
    "county=09&q=asuminen",
    "voice=1",
    "county=17&municipality=205",
    "from=2023-01-01",
)


@pytest.mark.parametrize("query", FILTERS)
def test_one_statement_counts_what_each_query_counts(con, query):
    flt = ReportFilter.from_query(query, codes.vocabulary(con))
    for dimension in ("theme", "area"):
        counts = q.view_counts(con, flt, PERIODS, dimension)
        alone = q.summary(con, flt)
        assert (counts.summary.total, counts.summary.unpublished) == (alone.total, alone.unpublished)
        assert counts.summary.counts.keys() == alone.counts.keys()
        for name, frame in alone.counts.items():
            pd.testing.assert_frame_equal(counts.summary.counts[name], frame)
        pd.testing.assert_frame_equal(counts.trend, q.trend(con, flt.whole_time))
        for (start, end), (total, frame) in zip(PERIODS, counts.periods, strict=True):
            total_alone, frame_alone = q.dimension_counts(con, flt.with_values(date_from=start, date_to=end), dimension)
            assert total == total_alone
            pd.testing.assert_frame_equal(frame, frame_alone)


def test_a_filter_change_asks_duckdb_twice(demo_db, monkeypatch):
    """The reports view's counts, trend and comparison come from one statement; the reading
    pane's page of texts is the other."""
    from dashboard.views.reports import ReportContext
    from dashboard.web.layouts import reports as layouts
    from queries import access

    from .support import app_client

    with app_client(demo_db):
        access.reset()
        asked: list[str] = []
        real = access.memo

        def counting(name, key, compute):
            return real(name, key, lambda cur: (asked.append(name), compute(cur))[1])

        monkeypatch.setattr(access, "memo", counting)
        primed = []
        real_prime = access.prime
        monkeypatch.setattr(access, "prime", lambda compute: (primed.append(1), real_prime(compute))[1])
        ctx = ReportContext.from_query("county=20&from=2024-09-01&to=2024-12-31&target_group=working_age")
        layouts.layout(ctx)
        assert primed == [1]
        # The published analysis is looked up once per database version and period ("analysis-of"
        # wraps the lookup, "analysis" its one statement), not per filter change.
        assert sorted(set(asked) - {"analysis-of", "analysis", "analysed-periods"}) == ["reading"], asked
