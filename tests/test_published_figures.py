"""The demo reproduces the published figures (../shared/DOMAIN.md), checked
through the query layer that the charts use."""

import datetime as dt

from dashboard.core.filters import ReportFilter
from queries import reports as q

AUTUMN_2024 = "county=09&from=2024-09-01&to=2024-12-31"


def counts(con, vocab, query, dimension):
    frame = q.counts_by(con, ReportFilter.from_query(query, vocab), dimension)
    return dict(zip(frame["code"], frame["count"]))


def test_paijat_hame_autumn_2024_totals_and_types(con, vocab):
    flt = ReportFilter.from_query(AUTUMN_2024, vocab)
    assert q.count_reports(con, flt) == 40
    assert counts(con, vocab, AUTUMN_2024, "observation_type") == {"negative": 31, "positive": 4, "neutral": 5}
    by_type = q.counts_by(con, flt, "observation_type")
    assert round(float(by_type.set_index("code").loc["negative", "share"]) * 100, 1) == 77.5


def test_paijat_hame_autumn_2024_areas(con, vocab):
    assert counts(con, vocab, AUTUMN_2024, "area") == {
        "09": 16,
        "398": 13,
        "national": 2,
        "098": 2,
        "016": 2,
        "560": 2,
        "111": 8,
        "576": 1,
        "316": 1,
    }


def test_paijat_hame_autumn_2024_target_groups(con, vocab):
    got = counts(con, vocab, AUTUMN_2024, "target_group")
    assert got == {"working_age": 21, "children_families": 20, "disabled": 10, "older_people": 7, "substance": 7}
    frame = q.counts_by(con, ReportFilter.from_query(AUTUMN_2024, vocab), "target_group").set_index("code")
    assert float(frame.loc["working_age", "share"]) == 21 / 40


def test_paijat_hame_autumn_2024_published_themes(con, vocab):
    got = counts(con, vocab, AUTUMN_2024, "theme")
    published = {
        "service_availability": 6,
        "child_wellbeing": 5,
        "functional_capacity": 4,
        "working_practices": 6,
        "social_exclusion": 3,
        "authority_cooperation": 3,
    }
    assert {k: got[k] for k in published} == published


def test_kainuu_first_half_2021_and_essote_trial(con, vocab):
    assert q.count_reports(con, ReportFilter.from_query("county=20&from=2021-01-01&to=2021-06-30", vocab)) == 17
    essote = ReportFilter.from_query("county=12&from=2021-09-01&to=2021-12-31", vocab)
    assert q.count_reports(con, essote) == 10
    units = counts(con, vocab, "county=12&from=2021-09-01&to=2021-12-31", "service_unit")
    assert set(units) <= {"working_age_services", "mental_health_substance"}
    # Nothing before the trial started.
    assert q.count_reports(con, ReportFilter(county=("12",), date_to=dt.date(2021, 8, 31))) == 0


def test_demo_spans_three_counties_2021_to_2025(con):
    rows = con.execute(
        "SELECT county_code, min(submitted_on), max(submitted_on) FROM reports GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert [r[0] for r in rows] == ["09", "12", "20"]
    assert all(r[1].year == 2021 and r[2].year == 2025 for r in rows)


def test_local_client_data_indicators_keep_source_and_n(con):
    rows = dict(
        con.execute(
            "SELECT i.indicator_id, (v.value, v.n, i.source) FROM indicators i JOIN indicator_values v USING (indicator_id) "
            "WHERE i.kind = 'local'"
        ).fetchall()
    )
    assert rows["local-essote-2021-women"][:2] == (35.0, 707)
    assert rows["local-essote-2021-mental-illness"][0] == 52.0
    assert rows["local-essote-2021-income-covers"][0] == 18.0
    assert rows["local-sirkkula-2021-respondents"][:2] == (27.0, 27)
    assert rows["local-sirkkula-2021-unemployed"][0] == 48.0
    assert rows["local-ph-2024-outreach-encounters"][0] == 2017.0
    assert "n=707" in rows["local-essote-2021-women"][2]


def test_synthetic_indicators_are_labelled(con):
    sources = con.execute("SELECT DISTINCT source, synthetic FROM indicators WHERE kind = 'synthetic'").fetchall()
    assert sources and all("ynteettinen" in s and synthetic for s, synthetic in sources)
    levels = dict(
        con.execute(
            "SELECT g.level, count(DISTINCT v.region_code) FROM indicator_values v JOIN regions g ON g.code = v.region_code "
            "GROUP BY 1"
        ).fetchall()
    )
    # Like Sotkanet: every county and every municipality of the country has values.
    assert levels["country"] == 1 and levels["county"] == 23 and levels["municipality"] == 308


def test_every_load_is_recorded(con):
    kinds = {r[0] for r in con.execute("SELECT kind FROM loads").fetchall()}
    assert {"codes", "reports", "indicators"} <= kinds
    assert (
        con.execute("SELECT sum(rows_loaded) FROM loads WHERE kind = 'reports'").fetchone()[0]
        == con.execute("SELECT count(*) FROM reports").fetchone()[0]
    )
