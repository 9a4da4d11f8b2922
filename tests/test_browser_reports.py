"""Drive the real app in headless Chromium, as a HYTE group member would."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from .browser import PAGE_OPTIONS, caption, choose, click_largest_bar, control, settled

pytestmark = pytest.mark.browser
AUTUMN = "county=09&from=2024-09-01&to=2024-12-31"
CAPTION_AUTUMN = "Päijät-Häme · syksy 2024 (1.9.–31.12.2024) · 40 raporttia"


def test_overview_shows_the_published_figures(page, demo_server):
    page.goto(f"{demo_server.url}/?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    # Each key figure in its own card, as a reader sees it.
    card = {key: page.locator(f"#kpis .kpi-{key}") for key in ("total", "negative")}
    assert card["total"].locator(".kpi-value").inner_text() == "40"
    assert card["negative"].locator(".kpi-value").inner_text() == "31"
    assert card["negative"].locator(".kpi-share").inner_text() == "77,5 %"
    assert "Demoaineisto" in page.locator("#demo-notice").inner_text()
    assert page.locator("html").get_attribute("lang") == "fi"


def test_choose_filters_and_the_url_follows(page, demo_server):
    page.goto(f"{demo_server.url}/reports")
    caption(page, re.compile(r"^Kaikki hyvinvointialueet · koko aika · \d+ raporttia$"))
    choose(page, "county", "Päijät-Häme")
    # The view follows before the next choice (a faster second choice can lose the first: reported).
    caption(page, re.compile(r"^Päijät-Häme · koko aika · \d+ raporttia$"))
    choose(page, "period", "Syksy 2024 (1.9.–31.12.)")
    caption(page, CAPTION_AUTUMN)
    assert page.url.endswith("/reports?" + AUTUMN)
    choose(page, "target_group", "Työikäiset")
    caption(page, "Päijät-Häme · työikäiset · syksy 2024 (1.9.–31.12.2024) · 21 raporttia")
    # The back button restores the previous view.
    page.go_back()
    caption(page, CAPTION_AUTUMN)


def test_a_quick_second_choice_keeps_the_first(page, demo_server):
    """The period chosen while the county's answer is still on its way stays chosen: the answer
    to a control's change never sets the controls the user set, so a late one cannot undo them."""
    for _ in range(3):
        page.goto(f"{demo_server.url}/reports")
        caption(page, re.compile(r"^Kaikki hyvinvointialueet · koko aika · \d+ raporttia$"))
        choose(page, "county", "Päijät-Häme")
        choose(page, "period", "Syksy 2024 (1.9.–31.12.)")  # without waiting for the view
        caption(page, CAPTION_AUTUMN)
        settled(page)
        caption(page, CAPTION_AUTUMN)
        assert page.url.endswith("/reports?" + AUTUMN)
        assert "Syksy 2024" in control(page, "period").inner_text()
        assert "Päijät-Häme" in control(page, "county").inner_text()


def test_the_reading_pane_below_the_charts_follows_quick_choices(page, demo_server):
    """The reading pane, far below the charts (its markup is set after them), shows the reports of
    the filter chosen last, also when the second choice comes before the first one's answer: the
    same as the page opened at that address."""
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    settled(page)
    count, cards = page.locator("#reading-count").inner_text(), page.locator("#reading-list").inner_text()
    page.goto(f"{demo_server.url}/reports")
    caption(page, re.compile(r"^Kaikki hyvinvointialueet · koko aika · \d+ raporttia$"))
    settled(page)
    choose(page, "county", "Päijät-Häme")
    choose(page, "period", "Syksy 2024 (1.9.–31.12.)")  # without waiting for the view
    caption(page, CAPTION_AUTUMN)
    settled(page)
    expect(page.locator("#reading-count")).to_have_text(count)
    assert page.locator("#reading-list").inner_text() == cards


def test_a_chart_table_shows_markup_characters_as_text(page, demo_server):
    """The tables travel as one HTML string: a search with braces, '&', '<' and '"' is shown as
    typed in the table's caption (escaped, never read as markup), the rows under it."""
    page.goto(f"{demo_server.url}/reports?county=09&q=%7Bjono%7D%20%26%20%3C%20%22")
    caption(page, 'Päijät-Häme · haku ”{jono} & < "” · koko aika · 39 raporttia')
    details = page.locator('[id=\'{"name":"theme","type":"chart-summary"}\'] details')
    details.locator("summary").click()
    assert (
        details.locator("caption")
        .inner_text()
        .startswith('Teemat · Päijät-Häme · haku ”{jono} & < "” · koko aika · 39 raporttia')
    )
    assert details.locator("tbody tr").count() > 3 and details.locator("script, b").count() == 0


def test_clicking_a_bar_filters_the_view(page, demo_server):
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    click_largest_bar(page, "area")  # the largest bar is on top: the whole county (16 reports)
    caption(page, "Päijät-Häme · Koko hyvinvointialue: Päijät-Häme · syksy 2024 (1.9.–31.12.2024) · 16 raporttia")
    assert "municipality=09" in page.url
    assert "Koko hyvinvointialue: Päijät-Häme" in control(page, "municipality").inner_text()


def test_text_search_and_reading_pane(page, demo_server):
    page.goto(f"{demo_server.url}/reports?county=09")
    search = page.locator('[id=\'{"name":"q","type":"filter-input"}\']')
    search.fill("jono")
    search.press("Enter")
    page.wait_for_url(re.compile(r"q=jono"))
    marks = page.locator("#reading-list mark")
    marks.first.wait_for()
    # The search is forgiving: inflected forms (jonot, jonossa) and compounds (ruokajonoihin) are found and marked.
    assert all("jono" in m.lower() for m in marks.all_inner_texts())
    count = page.locator("#reading-count").inner_text()
    assert re.search(r"Näytetään \d+ / \d+ julkaistavaa raporttia", count)


def test_every_form_of_a_word_finds_the_same_reports(page, demo_server):
    """The forms the issue names: the base form and an inflected one find the same
    reports, and the reading pane marks the forms it found (whatever their ending)."""
    from dashboard.core.search import query_word, terms

    page.goto(f"{demo_server.url}/reports")
    search = control(page, "q", "filter-input")
    for forms in (("asuminen", "asumisen"), ("mielenterveys", "mielenterveyden"), ("ikääntyneet", "ikääntynyt")):
        found = []
        for form in forms:
            search.fill(form)
            search.press("Enter")
            page.wait_for_url(lambda url, form=form: parse_qs(urlsplit(url).query).get("q") == [form])
            page.wait_for_function(
                "text => document.querySelector('#caption').innerText.includes(text)", arg=f"”{form}”"
            )
            found.append(int(re.search(r"(\d+) raporttia$", page.locator("#caption").inner_text()).group(1)))
            marks = page.locator("#reading-list mark")
            marks.first.wait_for()
            word = query_word(form)
            assert all(word.matches(terms(m.lower())) for m in marks.all_inner_texts())
        assert found[0] == found[1] > 0, forms


def test_a_copied_link_reopens_the_same_view(page, demo_server, browser):
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    choose(page, "theme", "Asuminen")
    caption(page, "Päijät-Häme · asuminen · syksy 2024 (1.9.–31.12.2024) · 3 raporttia")
    url = page.url
    other = browser.new_page()
    other.goto(url)
    caption(other, "Päijät-Häme · asuminen · syksy 2024 (1.9.–31.12.2024) · 3 raporttia")
    assert "Asuminen" in control(other, "theme").inner_text()
    other.close()


def test_downloads_match_the_view(page, demo_server, tmp_path):
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    page.get_by_role("button", name="Lataa").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Raportit (CSV)").click()
    path = tmp_path / "r.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 40
    assert sum(r["Havainnon tyyppi"] == "Kielteinen" for r in rows) == 31
    assert sum("Työikäiset" in r["Kohderyhmät"].split("; ") for r in rows) == 21
    assert sum("Lahti" in r["Alueet"].split("; ") for r in rows) == 13
    page.get_by_role("button", name="Lataa").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Raportit (Excel)").click()
    xlsx = tmp_path / "r.xlsx"
    info.value.save_as(xlsx)
    workbook = load_workbook(xlsx)
    assert workbook.worksheets[0].max_row == 41
    assert workbook.worksheets[1]["B1"].value == CAPTION_AUTUMN


def test_hostile_query_string_gets_a_clear_message(page, demo_server):
    page.goto(f"{demo_server.url}/reports?county=09&theme=x%27%3BDROP%20TABLE%20reports&from=2024-12-31&to=2024-01-01")
    warnings = page.locator("#filter-warnings")
    warnings.get_by_text("Tuntematon arvo theme=").wait_for()
    assert "Alkupäivä" in warnings.inner_text()
    caption(page, re.compile(r"^Päijät-Häme · koko aika · \d+ raporttia$"))


def test_language_switch_keeps_the_filters(page, demo_server):
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    page.locator(".lang-switch a", has_text="SV").click()
    caption(page, "Päijänne-Tavastland · hösten 2024 (1.9.–31.12.2024) · 40 rapporter")
    assert page.locator("html").get_attribute("lang") == "sv"


def test_period_comparison(page, demo_server):
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    table = page.locator("#compare-table")
    table.wait_for()
    header = table.locator("thead").inner_text()
    assert "Syksy 2023" in header and "Syksy 2024" in header
    assert "Mielenterveys" in table.inner_text()


@pytest.mark.parametrize(
    "path, caption_id",
    [
        # More values than a link may carry (400), within what the server reads of a request line (8 190 bytes).
        ("/reports?county=%ZZ&lang=xx&municipality=" + "&municipality=".join(["398"] * 450), "#caption"),
        ("/?from=9999-99-99&to=0&type=negative&type=%00", "#caption"),
        ("/indicators?indicator=x&year=abc&region=%00&sex=both", "#ind-caption"),
        ("/phenomena?theme=nope&q=%27%20OR%201%3D1&county=09", "#phen-caption"),
    ],
)
def test_malformed_links_never_break_a_view(page, demo_server, path, caption_id):
    page.goto(demo_server.url + path)
    page.locator(caption_id).filter(has_text="·").wait_for()
    page.get_by_text("Kaikkia rajauksia ei voitu käyttää").first.wait_for()


def test_filters_work_from_the_keyboard(page, demo_server):
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    # Tab from the type filter's predecessor into it, open it and choose with the keyboard.
    control(page, "theme").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == '{"name":"observation_type","type":"filter"}'
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.classList.contains('dash-dropdown-search')")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("document.activeElement.closest('[role=option]') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("type=negative"))
    page.keyboard.press("Escape")
    caption(page, "Päijät-Häme · kielteinen · syksy 2024 (1.9.–31.12.2024) · 31 raporttia")


def test_a_link_to_an_empty_county_stays_empty(page, demo_server):
    # Pohjanmaa has no reports in the demo; the view must say 0, not quietly show every county.
    page.goto(f"{demo_server.url}/reports?county=17&municipality=205")
    caption(page, "Pohjanmaa · Kajaani · koko aika · 0 raporttia")
    assert "county=17" in page.url and "municipality=205" in page.url


def test_report_table_follows_the_filters(page, demo_server):
    page.goto(f"{demo_server.url}/reports?{AUTUMN}&type=positive")
    caption(page, "Päijät-Häme · myönteinen · syksy 2024 (1.9.–31.12.2024) · 4 raporttia")
    grid = page.locator("#report-grid")
    grid.scroll_into_view_if_needed()  # the grid's script loads when the grid comes near the screen
    grid.locator(".ag-center-cols-container .ag-row[row-index='3'] [col-id='observation_type']").wait_for()
    assert grid.locator(".ag-center-cols-container .ag-row").count() == 4
    assert {t.strip() for t in grid.locator("[col-id='observation_type'].ag-cell").all_text_contents()} == {
        "Myönteinen"
    }
    assert (
        page.locator("#report-grid-note").inner_text()
        == "Päijät-Häme · myönteinen · syksy 2024 (1.9.–31.12.2024) · 4 raporttia"
    )


def test_a_filter_change_keeps_the_report_table_and_refreshes_its_rows(page, demo_server):
    """One grid for the page's life: a filter change gives the same grid element new rows
    (the grid is not built anew on every click), and its caption follows."""
    page.goto(f"{demo_server.url}/reports?{AUTUMN}&type=positive")
    caption(page, "Päijät-Häme · myönteinen · syksy 2024 (1.9.–31.12.2024) · 4 raporttia")
    grid = page.locator("#report-grid")
    grid.scroll_into_view_if_needed()
    rows = grid.locator(".ag-center-cols-container .ag-row")
    grid.locator(".ag-center-cols-container .ag-row[row-index='3'] [col-id='observation_type']").wait_for()
    page.evaluate("window.__grid = document.querySelector('#report-grid .ag-root-wrapper')")
    choose(page, "observation_type", "Neutraali")
    expect(page.locator("#caption")).to_contain_text("neutraali")
    total = int(re.search(r"(\d+) raporttia", page.locator("#caption").inner_text()).group(1))
    assert 4 < total <= 10  # one page of the table
    grid.locator(f".ag-center-cols-container .ag-row[row-index='{total - 1}'] [col-id='observation_type']").wait_for()
    assert rows.count() == total
    assert {t.strip() for t in grid.locator("[col-id='observation_type'].ag-cell").all_text_contents()} == {
        "Myönteinen",
        "Neutraali",
    }
    assert page.evaluate("document.querySelector('#report-grid .ag-root-wrapper') === window.__grid")
    assert page.locator("#report-grid-note").inner_text() == page.locator("#caption").inner_text()
    # The back button gives the previous filter's rows, in the same grid.
    page.go_back()
    caption(page, "Päijät-Häme · myönteinen · syksy 2024 (1.9.–31.12.2024) · 4 raporttia")
    expect(rows).to_have_count(4)
    assert page.evaluate("document.querySelector('#report-grid .ag-root-wrapper') === window.__grid")


# Counts each chart's draws (plotly_afterplot) by its name, and when the last draw was.
DRAW_PROBE = """
window.__draws = {}; window.__lastDraw = performance.now();
const watched = new WeakSet();
new MutationObserver(() => document.querySelectorAll('.js-plotly-plot').forEach(gd => {
  const holder = gd.closest('[id^="{"]');  // none for the copy plotly draws a PNG from
  if (watched.has(gd) || typeof gd.on !== 'function' || !holder) return;
  watched.add(gd);
  const name = JSON.parse(holder.id).name;
  gd.on('plotly_afterplot', () => {
    window.__draws[name] = (window.__draws[name] || 0) + 1; window.__lastDraw = performance.now();
  });
})).observe(document, {childList: true, subtree: true, attributes: true});
"""
QUIET = "performance.now() - window.__lastDraw > 700"  # no chart drawn for 0.7 s (a late resize has had its turn)


def test_a_filter_change_draws_each_chart_once_with_its_labels_inside(page, demo_server):
    """A change draws every chart once (the bars' value axis is fitted to their labels before the
    draw, not by a second draw after it), in place (the chart's new PNG file name does not make
    plotly build the chart anew), as its answer arrives (assets/chart-answers.js, through Dash's
    request_post hook: before Dash applies the rest of the answer, so the page still has its old
    title as each chart draws), and every value label stays inside its plot."""
    page.add_init_script(DRAW_PROBE)
    page.add_init_script(
        "window.__titles = []; new MutationObserver(() => document.querySelectorAll('.js-plotly-plot')"
        ".forEach(gd => { if (gd.__titled || typeof gd.on !== 'function') return; gd.__titled = true;"
        " gd.on('plotly_afterplot', () => window.__titles.push(document.title)); }))"
        ".observe(document, {childList: true, subtree: true});"
    )
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    page.wait_for_function("Object.keys(window.__draws).length >= 7")
    settled(page)
    page.wait_for_function(QUIET)
    charts = sorted(page.evaluate("Object.keys(window.__draws)"))
    before = page.title()
    page.evaluate("window.__draws = {}; window.__titles = []")
    page.evaluate("window.__svgs = [...document.querySelectorAll('.js-plotly-plot .main-svg')]")
    choose(page, "target_group", "Työikäiset")
    caption(page, "Päijät-Häme · työikäiset · syksy 2024 (1.9.–31.12.2024) · 21 raporttia")
    settled(page)
    page.wait_for_function(f"Object.keys(window.__draws).length >= {len(charts)} && {QUIET}")
    assert page.evaluate("window.__draws") == {name: 1 for name in charts}
    assert page.evaluate("window.__titles") == [before] * len(charts)  # drawn before Dash set the title
    assert page.title() != before and "työikäiset" in page.title()
    # Redrawn in place: a whole new plot (plotly's answer to a changed config) would make new <svg>s.
    assert page.evaluate(
        "window.__svgs.length > 0 && window.__svgs.every(svg => svg.isConnected)"
        " && document.querySelectorAll('.js-plotly-plot .main-svg').length === window.__svgs.length"
    )
    # ... and the PNG a chart saves is still named after its own, new caption.
    chart = control(page, "theme", "chart")
    chart.hover()
    with page.expect_download() as info:
        chart.get_by_role("button", name="Tallenna kuvana (PNG)").click()
    assert info.value.suggested_filename == (
        "teemat-paijat-hame-tyoikaiset-syksy-2024-1-9-31-12-2024-21-raporttia-osuudet-yhden-desimaalin-tarkkuudella.png"
    )
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(gd => {
          const size = gd._fullLayout._size, right = gd.getBoundingClientRect().left + size.l + size.w;
          return [...gd.querySelectorAll('.barlayer .bartext')].map(t => t.getBoundingClientRect().right - right);
        })"""
    )
    assert overflow and max(overflow) <= 0, overflow


def test_an_overtaken_answer_that_arrives_last_draws_no_chart(page, demo_server):
    """The county's answer held back until the period chosen after it has been answered and drawn:
    when it finally arrives it draws nothing (Dash drops it, and so does the script that draws an
    answer's charts early); every chart shows what the page opened at the final address shows."""
    subtitles = "() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => gd._fullLayout.title.subtitle.text)"
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    settled(page)
    page.wait_for_function(f"({subtitles})().filter(text => text.includes('40 raporttia')).length === 6")
    expected = page.evaluate(subtitles)
    assert len(expected) == 7 and len(set(expected)) == 2, expected  # the trend chart keeps every period
    page.goto(f"{demo_server.url}/reports")
    caption(page, re.compile(r"^Kaikki hyvinvointialueet · koko aika · \d+ raporttia$"))
    settled(page)
    held = []

    def hold_the_first(route):
        body = route.request.post_data or ""
        if not held and '"county","type":"filter"},"property":"value","value":["09"]' in body:
            held.append(route)  # answered below, after the second choice's answer
        else:
            route.continue_()

    page.route("**/_dash-update-component*", hold_the_first)
    choose(page, "county", "Päijät-Häme")
    page.wait_for_timeout(300)
    assert held, "the county's request was not seen"
    choose(page, "period", "Syksy 2024 (1.9.–31.12.)")
    caption(page, CAPTION_AUTUMN)
    # (Dash counts the held request as pending: the view is not "settled" until it is answered.)
    page.wait_for_function(f"expected => JSON.stringify(({subtitles})()) === JSON.stringify(expected)", arg=expected)
    held[0].continue_()  # the county alone, all periods: overtaken
    settled(page)  # Dash counts the held request as pending until its answer is in
    caption(page, CAPTION_AUTUMN)
    assert page.evaluate(subtitles) == expected
    page.unroute("**/_dash-update-component*")


def test_the_report_table_asks_for_its_first_page_once(page, demo_server):
    """The grid's script loads when the table comes near the screen: one grid is built, and it asks
    for its first page once (a second grid, built when Dash drew the grid again with the loaded
    script's own component, asked again and its late answer cleared a row chosen in between)."""
    requests = []
    page.on("request", lambda r: requests.append(r) if "getRowsRequest" in (r.post_data or "") else None)
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    grid = page.locator("#report-grid")
    grid.scroll_into_view_if_needed()
    grid.locator(".ag-center-cols-container .ag-row").first.wait_for()
    page.evaluate("window.__grid = document.querySelector('#report-grid .ag-root-wrapper')")
    settled(page)
    assert len(requests) == 1, [r.post_data_json["inputs"] for r in requests]
    assert page.evaluate("document.querySelector('#report-grid .ag-root-wrapper') === window.__grid")
    # A filter change asks for the new filter's first page, once, in the same grid.
    choose(page, "target_group", "Työikäiset")
    caption(page, "Päijät-Häme · työikäiset · syksy 2024 (1.9.–31.12.2024) · 21 raporttia")
    expect(grid.locator(".ag-paging-row-summary-panel")).to_contain_text("21")
    settled(page)
    assert len(requests) == 2
    assert page.evaluate("document.querySelector('#report-grid .ag-root-wrapper') === window.__grid")


@pytest.fixture()
def first_visit(browser):
    """A page in a context of its own: nothing in its HTTP cache (the ``page`` tests share theirs)."""
    context = browser.new_context(**PAGE_OPTIONS)
    yield context.new_page()
    context.close()


def test_a_page_carries_only_the_scripts_it_uses_compressed(first_visit, demo_server):
    """The first load of /reports: every script and style compressed, plotly's basic
    bundle (not the 4.8 MB full one), no grid script until the grid comes near the
    screen; then the grid's script loads and the table draws its rows."""
    page = first_visit
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(f"{demo_server.url}/reports")
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    page.wait_for_load_state("networkidle")
    urls = [r.url for r in responses]
    assert any("/vendor/plotly/plotly-basic-" in u for u in urls), urls
    assert not any("package_data/plotly.min.js" in u for u in urls)
    assert not any("polyfill@" in u for u in urls), "Babel's polyfill (delivery.drop_polyfill)"
    assert not any("dash_ag_grid" in u for u in urls), "the grid's script loaded before any grid was near the screen"
    heavy = [r for r in responses if r.url.endswith((".js", ".css")) or ".js?" in r.url or ".css?" in r.url]
    assert heavy
    for r in heavy:
        headers = r.all_headers()
        assert headers.get("content-encoding") in ("br", "gzip"), (r.url, headers.get("content-encoding"))
        if re.search(r"\.v[0-9_]+m[0-9]+\.|[?&][mv]=|plotly-basic-[0-9.]+\.min\.js", r.url):  # fingerprinted
            assert "max-age=31536000" in headers.get("cache-control", ""), (r.url, headers.get("cache-control"))
        else:  # webpack's chunks keep their names across versions: revalidated
            assert headers.get("etag"), r.url
    page.locator("#report-grid").scroll_into_view_if_needed()
    page.locator("#report-grid .ag-row").first.wait_for()
    assert any("dash_ag_grid" in r.url for r in responses)


def test_a_filter_change_moves_the_links_and_is_one_small_answer(page, demo_server):
    """The links that carry the filter (the menu, the languages, Present, the downloads) follow every
    change and the back button, but none is an output of its own: the answer updates the URL, the
    charts' figures (their PNG names inside), the table's filter and one carrier of ready HTML, not
    one element per link, per chart config or per title (each is work for Dash's renderer)."""
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    settled(page)

    def links() -> dict[str, str]:
        return page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll(
                 '#present-link, [id^="downloads-"], .app-navbar a.nav-link[data-page-link], .lang-switch a')]
               .map(a => [a.id || a.textContent, a.getAttribute('href')]))"""
        )

    def check(search: str) -> None:
        hrefs = links()
        query = parse_qs(search.lstrip("?"))
        present = urlsplit(hrefs["present-link"])
        assert present.path == "/present" and parse_qs(present.query) == query
        downloads = [h for k, h in hrefs.items() if k.startswith("downloads-")]
        assert len(downloads) >= 3 and all(parse_qs(urlsplit(h).query) == query for h in downloads), hrefs
        # The menu carries the county and the period along (View.carry), every other filter stays behind.
        carried = {k: v for k, v in query.items() if k in ("county", "from", "to", "lang")}
        assert parse_qs(urlsplit(hrefs['{"name":"/reports","type":"nav-link"}']).query) == carried
        assert parse_qs(urlsplit(hrefs['{"name":"/","type":"nav-link"}']).query) == carried
        sv = parse_qs(urlsplit(hrefs['{"name":"sv","type":"lang-link"}']).query)
        assert sv == {**query, "lang": ["sv"]}

    check(AUTUMN)
    choose(page, "period", "Tammi–kesäkuu 2024")
    caption(page, re.compile("^Päijät-Häme · tammi–kesäkuu 2024 "))
    settled(page)
    spring = urlsplit(page.url).query
    check(spring)
    with page.expect_response(
        lambda r: "/_dash-update-component" in r.url and '"type":"chart"' in (r.request.post_data or "")
    ) as answer:
        choose(page, "target_group", "Työikäiset")
    caption(page, re.compile("^Päijät-Häme · työikäiset · tammi–kesäkuu 2024 "))
    settled(page)
    changed = urlsplit(page.url).query
    assert "target_group=working_age" in changed
    check(changed)
    expect(page).to_have_title(re.compile("^Raportit · Päijät-Häme · työikäiset · tammi–kesäkuu 2024 – Tilannekuva$"))
    update = answer.value.json()["response"]
    kinds = {json_type(k) for k in update}
    allowed = {"view-url", "filter", "filter-input", "chart", "report-grid", "html-parts", "compare", "more"}
    assert kinds <= allowed, kinds
    assert all(set(props) == {"figure"} for k, props in update.items() if json_type(k) == "chart")
    # The back button: the links follow the URL again.
    page.go_back()
    caption(page, re.compile("^Päijät-Häme · tammi–kesäkuu 2024 "))
    settled(page)
    check(spring)
    page.go_back()
    caption(page, CAPTION_AUTUMN)
    settled(page)
    check(AUTUMN)
    # The menu's link opens the overview within the page, with the county and period along.
    page.locator(".app-navbar a.nav-link", has_text="Yleiskuva").click()
    page.wait_for_url(re.compile(r"/\?"))
    assert parse_qs(urlsplit(page.url).query)["county"] == ["09"]


def json_type(dom_id: str) -> str:
    import json

    return json.loads(dom_id).get("type", "") if dom_id.startswith("{") else dom_id


def test_the_comparison_goes_back_to_its_defaults_when_the_filter_changes(page, demo_server):
    """The comparison's menus stay on the page; a filter change sets them back to the view's period
    and the same period a year before, by the themes, and its table follows (for a new period too)."""
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    table = page.locator("#compare-table")
    expect(table.locator("thead")).to_contain_text("Syksy 2024")
    choose(page, "dimension", "Kohderyhmät", kind="compare")
    expect(table.locator("tbody")).to_contain_text("Työikäiset")
    expect(table.locator("tbody")).not_to_contain_text("Mielenterveys")
    choose(page, "observation_type", "Kielteinen")
    caption(page, re.compile("kielteinen"))
    expect(table.locator("tbody")).to_contain_text("Mielenterveys")
    expect(control(page, "dimension", "compare")).to_contain_text("Teemat")
    choose(page, "period", "Tammi–kesäkuu 2024")
    caption(page, re.compile("tammi–kesäkuu 2024"))
    expect(table.locator("thead")).to_contain_text("Tammi–kesäkuu 2023")
    expect(table.locator("thead")).to_contain_text("Tammi–kesäkuu 2024")
    expect(control(page, "b", "compare")).to_contain_text("Tammi–kesäkuu 2024")
