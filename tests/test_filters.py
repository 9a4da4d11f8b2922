"""The one filter object: URL in, SQL and caption out; bad input reported, never used."""

import datetime as dt

from dashboard.core.filters import MAX_VALUES, ReportFilter
from queries import reports as q
from queries.where import report_where


def test_round_trip_through_the_url(vocab):
    query = (
        "county=09&municipality=398&municipality=111&target_group=working_age&theme=housing&type=negative"
        "&unit=outreach&from=2024-09-01&to=2024-12-31&lang=sv"
    )
    flt = ReportFilter.from_query(query, vocab)
    assert not flt.problems
    assert flt.municipality == ("398", "111")
    assert ReportFilter.from_query(flt.to_query(), vocab) == flt
    assert flt.to_query().startswith("?county=09&municipality=398")


def test_finnish_dates_are_understood(vocab):
    flt = ReportFilter.from_query("from=1.9.2024&to=31.12.2024", vocab)
    assert (flt.date_from, flt.date_to) == (dt.date(2024, 9, 1), dt.date(2024, 12, 31))


def test_caption_in_finnish(vocab):
    flt = ReportFilter.from_query("county=09&target_group=working_age&from=2024-09-01&to=2024-12-31", vocab)
    assert flt.caption(vocab, 21) == "Päijät-Häme · työikäiset · syksy 2024 (1.9.–31.12.2024) · 21 raporttia"
    assert ReportFilter().caption(vocab, 1) == "Kaikki hyvinvointialueet · koko aika · 1 raportti"


def test_caption_in_swedish_and_english(vocab):
    flt = ReportFilter.from_query("county=09&from=2024-09-01&to=2024-12-31", vocab)
    assert flt.caption(vocab, 40, "sv") == "Päijänne-Tavastland · hösten 2024 (1.9.–31.12.2024) · 40 rapporter"
    assert flt.caption(vocab, 1234, "en").endswith("1,234 reports")


def test_unknown_values_are_dropped_and_reported(vocab):
    flt = ReportFilter.from_query("county=09&county=99&theme=nonsense&colour=red", vocab)
    assert flt.county == ("09",)
    assert flt.theme == ()
    messages = [p.message("fi") for p in flt.problems]
    assert any("county=99" in m for m in messages)
    assert any("theme=nonsense" in m for m in messages)
    assert any("colour" in m for m in messages)


def test_sql_in_a_value_never_reaches_sql(con, vocab):
    flt = ReportFilter.from_query("county=09' OR '1'='1&theme=x%27%3B%20DROP%20TABLE%20reports%3B--", vocab)
    assert flt.county == () and flt.theme == ()
    assert len(flt.problems) == 2
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] > 0


def test_reversed_dates_are_reported_and_ignored(vocab):
    flt = ReportFilter.from_query("from=2024-12-31&to=2024-01-01", vocab)
    assert flt.date_from is None and flt.date_to is None
    assert flt.problems[0].key == "warning.reversed"


def test_bad_dates_are_reported(vocab):
    flt = ReportFilter.from_query("from=2024-02-30&to=yesterday", vocab)
    assert flt.date_from is None and flt.date_to is None
    assert [p.key for p in flt.problems] == ["warning.bad_date", "warning.bad_date"]


def test_huge_value_lists_are_capped(vocab):
    query = "&".join(["theme=housing"] * (MAX_VALUES + 50))
    flt = ReportFilter.from_query(query, vocab)
    assert flt.theme == ("housing",)
    assert any(p.key == "warning.too_many" for p in flt.problems)
    enormous = ReportFilter.from_query("q=" + "x" * 100_000, vocab)
    assert enormous.problems


def test_where_clause_is_parameterised(vocab):
    flt = ReportFilter.from_query("county=09&theme=housing&from=2024-01-01", vocab)
    sql, params = report_where(flt)
    assert "09" not in sql and "housing" not in sql
    assert params == {"county_0": "09", "theme_0": "housing", "date_from": dt.date(2024, 1, 1)}


def test_values_within_a_dimension_are_alternatives(con, vocab):
    lahti = q.count_reports(con, ReportFilter.from_query("municipality=398", vocab))
    heinola = q.count_reports(con, ReportFilter.from_query("municipality=111", vocab))
    both = q.count_reports(con, ReportFilter.from_query("municipality=398&municipality=111", vocab))
    assert max(lahti, heinola) < both <= lahti + heinola


def test_text_search_sees_only_publishable_texts(con, vocab):
    flt = ReportFilter.from_query("q=jono", vocab)
    frame, total = q.reading_pane(con, flt)
    assert total > 0
    texts = frame[["observation", "client_voice", "proposal"]].fillna("").agg(" ".join, axis=1)
    assert texts.str.contains("jono", case=False).all()
    unpublished_hits = con.execute(
        "SELECT count(*) FROM reports WHERE NOT publishable AND observation ILIKE '%jono%'"
    ).fetchone()[0]
    assert unpublished_hits > 0  # there is something to hide...
    ids = set(frame["report_id"])
    hidden = {r[0] for r in con.execute("SELECT report_id FROM reports WHERE NOT publishable").fetchall()}
    assert not ids & hidden  # ...and it stays hidden
