"""Explore without surprises, in Chromium: a bar clicked on the overview shows as a chip
that removes it; clearing the filters keeps the county and the period (as the menu does);
the report table's full texts are readable from the keyboard; the indicator view offers
only sources with data and says how to load one; a local collection reads as one table."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .browser import OPEN, Server, caption, click_largest_bar, control

pytestmark = pytest.mark.browser
AUTUMN = "county=09&from=2024-09-01&to=2024-12-31"
WAIT = 60_000  # a filter change on a loaded machine


@pytest.fixture(scope="module")
def server(demo_server):
    return demo_server  # the session's demo server (conftest)


def test_a_bar_clicked_on_the_overview_shows_and_can_be_removed(page, server):
    page.goto(f"{server.url}/?{AUTUMN}")
    caption(page, "Päijät-Häme · syksy 2024 (1.9.–31.12.2024) · 40 raporttia")
    expect(page.locator("#filter-chips [data-chip]")).to_have_count(0)
    click_largest_bar(page, "theme")  # the largest theme of autumn 2024: mental health (8 reports)
    chip = page.get_by_role("button", name="Poista rajaus Teema: Mielenterveys")
    expect(chip).to_be_visible(timeout=WAIT)
    assert "theme=mental_health" in page.url
    caption(page, "Päijät-Häme · mielenterveys · syksy 2024 (1.9.–31.12.2024) · 8 raporttia")
    expect(page.locator("#filter-chips")).to_contain_text("Rajattu myös:")
    # The chart's text alternative says where the filter went (the overview has no menu for it).
    summary = page.locator(".chart-summary").first
    expect(summary).to_contain_text("kohdassa ”Rajattu myös”, josta sen voi poistaa", timeout=WAIT)
    expect(summary).not_to_contain_text("vasemman reunan valikoista")
    # From the keyboard: the chip is a button; Enter removes the filter and focus stays in the view.
    chip.focus()
    page.keyboard.press("Enter")
    caption(page, "Päijät-Häme · syksy 2024 (1.9.–31.12.2024) · 40 raporttia")
    assert "theme=" not in page.url
    expect(page.locator("#filter-chips [data-chip]")).to_have_count(0)
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")


def test_a_shared_links_filters_show_on_the_overview(page, server):
    page.goto(f"{server.url}/?{AUTUMN}&target_group=working_age&type=negative&lang=sv")
    chips = page.locator("#filter-chips [data-chip]")
    expect(chips).to_have_count(2)
    assert [" ".join(text.split()) for text in chips.all_inner_texts()] == [
        "Målgrupp: Personer i arbetsför ålder ×",
        "Typ av observation: Negativ ×",
    ]
    chips.first.click()
    expect(chips).to_have_count(1, timeout=WAIT)
    assert "target_group" not in page.url and "type=negative" in page.url
    page.wait_for_function("document.activeElement && document.activeElement.dataset.chip === '1'")


def test_clearing_the_filters_keeps_the_county_and_the_period(page, server):
    page.goto(f"{server.url}/reports?{AUTUMN}&target_group=working_age&theme=housing&q=asuminen")
    expect(page.locator("#caption")).to_contain_text("työikäiset", timeout=WAIT)
    page.get_by_role("button", name="Tyhjennä rajaukset").click()
    caption(page, "Päijät-Häme · syksy 2024 (1.9.–31.12.2024) · 40 raporttia")
    assert page.url.endswith(f"/reports?{AUTUMN}")
    assert "Päijät-Häme" in control(page, "county").inner_text()
    assert "Syksy 2024" in control(page, "period").inner_text()
    expect(control(page, "target_group")).to_contain_text("Kaikki")


def test_the_report_tables_full_texts_are_read_from_the_keyboard(page, server, con):
    page.goto(f"{server.url}/reports?{AUTUMN}")
    page.locator("#grid-heading").scroll_into_view_if_needed()  # the grid's script loads when it comes near
    rows = page.locator("#report-grid .ag-center-cols-container .ag-row")
    # The rows hold data (an infinite grid first draws placeholder rows that have cells but no report).
    expect(rows.first.locator("[col-id='report_id']")).to_have_text(re.compile(r"\S"), timeout=WAIT)
    expect(page.locator("#report-detail")).to_contain_text("Valitse taulukosta rivi")
    # Into the grid from the keyboard: focus its first cell, move down a row, Enter chooses it. Each
    # key waits until the grid shows the focus where the user would see it.
    focused_row = "() => { const r = document.activeElement && document.activeElement.closest('#report-grid .ag-row'); return r && r.getAttribute('row-index'); }"
    rows.first.locator(".ag-cell").first.focus()
    page.wait_for_function(f"() => ({focused_row})() === '0'")
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"() => ({focused_row})() === '1'")
    page.keyboard.press("Enter")
    detail = page.locator("#report-detail")
    expect(detail).to_contain_text("Havainto:", timeout=WAIT)
    chosen = page.locator("#report-grid .ag-row-selected").first
    report_id = chosen.locator("[col-id='report_id']").inner_text().strip()
    assert report_id in detail.inner_text()
    # The panel holds the report's whole texts as the database has them (it is publishable or it says so).
    observation, voice, proposal, publishable = con.execute(
        "SELECT observation, client_voice, proposal, publishable FROM reports WHERE county_code = '09' AND report_id = ?",
        [report_id],
    ).fetchone()
    text = " ".join(detail.inner_text().split())
    if publishable:
        assert " ".join(observation.split()) in text
        assert not proposal or " ".join(proposal.split()) in text
        assert not voice or " ".join(voice.split()) in text
    else:
        assert "(ei julkaistava)" in text and (not observation or observation not in text)
    # A long text is cut in its cell (the row is one height) and whole in the panel: the longest
    # publishable observation of the table's first page (it is ordered by date).
    long_id, long_text = con.execute(
        """WITH page AS (SELECT report_id, observation, publishable FROM reports WHERE county_code = '09'
                         AND submitted_on BETWEEN '2024-09-01' AND '2024-12-31' ORDER BY submitted_on, report_key
                         LIMIT 20)
           SELECT report_id, observation FROM page WHERE publishable ORDER BY length(observation) DESC LIMIT 1"""
    ).fetchone()
    row = rows.filter(has=page.locator("[col-id='report_id']", has_text=long_id))
    cell = row.locator("[col-id='observation']")
    cell.scroll_into_view_if_needed()
    clipped = """e => { const v = e.matches('.ag-cell-value') ? e : e.querySelector('.ag-cell-value');
                        return v.scrollHeight > v.clientHeight + 2; }"""
    assert cell.evaluate(clipped)  # two lines and an ellipsis
    row.locator("[col-id='report_id']").click()
    expect(detail).to_contain_text(long_id, timeout=WAIT)
    assert " ".join(long_text.split()) in " ".join(detail.inner_text().split())


def source_options(page) -> list[str]:
    page.locator("#ind-source").click()
    options = page.locator(".dash-dropdown-option").all_inner_texts()
    page.keyboard.press("Escape")
    return [o.strip() for o in options]


def test_the_indicator_sources_are_those_with_data_and_a_collection_reads_as_one_table(page, server, con):
    page.goto(f"{server.url}/indicators?indicator=demo-toimeentulotuki&region=09")
    caption_locator = page.locator("#ind-caption")
    expect(caption_locator).to_have_text("Päijät-Häme · 2024 · Yhteensä", timeout=WAIT)
    # The demo has no Sotkanet data: it is not offered, and the panel says how to load it.
    assert source_options(page) == ["Kaikki lähteet", "Oma asiakastietokooste", "Synteettinen demo"]
    note = page.locator("#ind-source-note")
    expect(note).to_contain_text("Lähteestä THL Sotkanet ei ole ladattu indikaattoreita")
    expect(note).to_contain_text("python -m dashboard import-sotkanet --indicator")
    # Choosing a source shows one of its indicators, not the demo indicator still on screen.
    page.locator("#ind-source").click()
    page.locator(".dash-dropdown-option", has_text="Oma asiakastietokooste").click()
    page.wait_for_url(re.compile(r"indicator=local-"), timeout=WAIT)
    # A local collection's figure comes with the whole collection as one table: value, n, region, year.
    page.goto(f"{server.url}/indicators?indicator=local-essote-2021-women")
    profile = page.locator("#ind-profile")
    expect(profile).to_contain_text("Koosteen kaikki luvut", timeout=WAIT)
    figures = con.execute(
        """SELECT i.name_fi, v.n FROM indicators i JOIN indicator_values v USING (indicator_id)
           WHERE i.source LIKE 'Essote:%' AND v.sex = 'total' ORDER BY i.name_fi"""
    ).fetchall()
    rows = profile.locator("tbody tr")
    expect(rows).to_have_count(len(figures))
    assert len(figures) >= 24
    cells = {r.split("\t")[0]: r.split("\t")[1:] for r in rows.all_inner_texts()}
    assert cells["Naisia aikuissosiaalityön asiakkaista"] == ["35 %", "707", "Etelä-Savo", "2021"]
    assert cells["Asiakkaiden keski-ikä"][0] == "43 vuotta"
    for name, n in figures:
        assert cells[name][1] == (str(int(n)) if n is not None else "–"), name
    assert "Essote: sosiaalityön palvelutarpeen arvioinnit (n=707)" in profile.locator("caption").inner_text()
    # A synthetic indicator has no collection table.
    page.goto(f"{server.url}/indicators?indicator=demo-toimeentulotuki&region=09")
    expect(caption_locator).to_have_text("Päijät-Häme · 2024 · Yhteensä", timeout=WAIT)
    expect(page.locator("#ind-profile")).to_have_count(0)


def test_sotkanet_is_offered_once_loaded(page, sotkanet_server):
    page.goto(f"{sotkanet_server.url}/indicators?indicator=sotkanet-3225&region=09")
    expect(page.locator("#ind-caption")).to_contain_text("Päijät-Häme", timeout=WAIT)
    assert "THL Sotkanet" in source_options(page)
    expect(page.locator("#ind-source-note")).to_have_count(0)


@pytest.fixture()
def no_indicators_db(demo_db, tmp_path):
    import shutil

    import duckdb

    path = tmp_path / "no-indicators.duckdb"
    shutil.copyfile(demo_db, path)
    with duckdb.connect(str(path)) as db:
        db.execute("DELETE FROM indicator_values")
        db.execute("DELETE FROM indicators")
    return path


def test_with_no_indicators_the_view_says_how_to_load_them(page, no_indicators_db):
    with Server(no_indicators_db, OPEN, workers=1) as server:
        page.goto(f"{server.url}/indicators")
        empty = page.locator("#ind-empty")
        expect(empty).to_contain_text("Indikaattoreita ei ole vielä ladattu", timeout=WAIT)
        expect(empty).to_contain_text("python -m dashboard import-sotkanet --indicator 3225")
        expect(empty).to_contain_text("indicator_values.csv")
        expect(page.locator(".js-plotly-plot")).to_have_count(0)
        # Nothing to present, download or protect yet.
        expect(page.get_by_role("link", name="Esitä")).to_have_count(0)
        expect(page.get_by_text("Alle 5 henkilön luvut")).to_have_count(0)
        assert source_options(page) == ["Kaikki lähteet"]
