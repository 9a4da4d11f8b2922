"""What a director notices first in the report views, tried in Chromium at
1280x720: filters that travel with the menu, a search that narrows every
number, the follow-up and client-voice filters, the first charts above the
fold with no label outside its chart, a short Tab order, a demo notice that
can be put away."""

from __future__ import annotations

import re

import duckdb
import pytest

from .browser import caption, choose, click_largest_bar, control, settled
from .chart_geometry import problems

pytestmark = pytest.mark.browser
AUTUMN = "county=09&from=2024-09-01&to=2024-12-31"
CAPTION_AUTUMN = "Päijät-Häme · syksy 2024 (1.9.–31.12.2024) · 40 raporttia"
WHERE_AUTUMN = "county_code = '09' AND submitted_on BETWEEN DATE '2024-09-01' AND DATE '2024-12-31'"
LANGS = ("fi", "sv", "en")
MENU = {
    "fi": ("Raportit", "Indikaattorit", "Ilmiöt"),
    "sv": ("Rapporter", "Indikatorer", "Fenomen"),
    "en": ("Reports", "Indicators", "Phenomena"),
}


def count(db, where: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        (found,) = con.execute(f"SELECT count(*) FROM reports WHERE {where}").fetchall()
        return found[0]


def kpi_total(page) -> int:
    text = page.locator("#kpis .kpi-total .kpi-value").inner_text()
    return int(re.sub(r"\D", "", text))


@pytest.mark.parametrize("lang", LANGS)
def test_the_menu_keeps_county_period_and_language(page, demo_server, lang):
    page.goto(f"{demo_server.url}/?{AUTUMN}&lang={lang}")
    page.locator("#kpis").wait_for()
    reports, indicators, phenomena = MENU[lang]
    nav = page.get_by_role("navigation").first
    nav.get_by_role("link", name=reports, exact=True).click()
    page.wait_for_url(re.compile(r"/reports\?"))
    page.locator("#caption").wait_for()
    for part in ("county=09", "from=2024-09-01", "to=2024-12-31", f"lang={lang}"):
        assert part in page.url, page.url
    if lang == "fi":
        caption(page, CAPTION_AUTUMN)
    # The region follows the county into the indicators; the period and language into the phenomena.
    nav.get_by_role("link", name=indicators, exact=True).click()
    page.wait_for_url(re.compile(r"/indicators\?"))
    assert "region=09" in page.url and f"lang={lang}" in page.url, page.url
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    nav.get_by_role("link", name=phenomena, exact=True).click()
    page.wait_for_url(re.compile(r"/phenomena\?"))
    assert "county=09" in page.url and f"lang={lang}" in page.url, page.url


def test_the_search_narrows_every_number(page, demo_server):
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    assert kpi_total(page) == 40
    search = control(page, "q", "filter-input")
    search.fill("jono")
    search.press("Enter")
    page.wait_for_url(re.compile(r"q=jono"))
    caption(page, re.compile(r"^Päijät-Häme · .*jono.* · syksy 2024 \(1\.9\.–31\.12\.2024\) · \d+ raporttia$"))
    found = int(re.search(r"(\d+) raporttia$", page.locator("#caption").inner_text()).group(1))
    assert 0 < found < 40
    page.wait_for_function(
        f"() => document.querySelector('#kpis .kpi-total .kpi-value').innerText.trim() === '{found}'"
    )
    # The charts count the same reports: the observation types add up to the searched total.
    types = page.locator('[id=\'{"name":"observation_type","type":"chart"}\'] .bartext').all_text_contents()
    assert sum(int(re.match(r"\d+", x.strip()).group()) for x in types if x.strip()) == found


def test_followup_status_and_client_voice_filter(page, demo_server, demo_db):
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    control(page, "voice", "filter-input").check()
    page.wait_for_url(re.compile(r"voice=1"))
    with_voice = count(demo_db, f"{WHERE_AUTUMN} AND publishable AND coalesce(client_voice, '') <> ''")
    assert 0 < with_voice < 40
    caption(page, re.compile(rf" · {with_voice} raporttia$"))

    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    choose(page, "followup_status", "Käsitelty työryhmässä")
    handled = count(demo_db, f"{WHERE_AUTUMN} AND followup_status = 'handled'")
    caption(page, re.compile(rf"käsitelty työryhmässä · .* · {handled} raporttia$", re.IGNORECASE))
    assert "status=handled" in page.url


def test_clicking_a_followup_bar_filters_the_view(page, demo_server, demo_db):
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    click_largest_bar(page, "followup_status")
    page.wait_for_url(re.compile(r"status="))
    status = re.search(r"status=([a-z_]+)", page.url).group(1)
    caption(page, re.compile(rf" · {count(demo_db, f'{WHERE_AUTUMN} AND followup_status = {status!r}')} raporttia$"))


@pytest.mark.parametrize("lang", LANGS)
def test_first_two_charts_above_the_fold_and_every_label_inside(page, demo_server, lang):
    page.goto(f"{demo_server.url}/reports?{AUTUMN}&lang={lang}")
    charts = page.locator("#main .js-plotly-plot")
    charts.nth(1).locator(".main-svg").first.wait_for()
    settled(page)
    for i in (0, 1):
        box = charts.nth(i).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 720, (i, box)
    assert problems(page) == []


def test_the_tab_order_is_short(page, demo_server):
    """From the top of the page to the search box, and from there to the first chart's table."""
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    caption(page, CAPTION_AUTUMN)
    page.locator("#main .js-plotly-plot .main-svg").first.wait_for()
    stops = 0
    while not page.evaluate("document.activeElement.id.includes('\"q\"')"):
        page.keyboard.press("Tab")
        stops += 1
        assert stops <= 30, "more than 30 stops from the top of the page to the search box"
    stops = 0
    while page.evaluate("!document.activeElement.closest('details')"):
        page.keyboard.press("Tab")
        stops += 1
        assert stops <= 25, "more than 25 stops from the search box to the first chart's table"


def test_the_demo_notice_can_be_put_away_for_the_session(browser, demo_server):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        page.goto(f"{demo_server.url}/reports?{AUTUMN}")
        notice = page.locator("#demo-notice")
        notice.wait_for()
        assert "Demoaineisto" in notice.inner_text()
        notice.get_by_role("button").click()
        assert not notice.is_visible()
        page.reload()
        page.locator("#caption").wait_for()
        assert not page.locator("#demo-notice").is_visible()
        # The charts' sources still say the data is synthetic.
        source = page.locator("#main .js-plotly-plot .annotation-text").filter(has_text=re.compile("[Dd]emo"))
        source.first.wait_for()
    finally:
        context.close()
    fresh = browser.new_context()
    try:
        page = fresh.new_page()
        page.goto(f"{demo_server.url}/reports")
        page.locator("#demo-notice").wait_for()
        assert page.locator("#demo-notice").is_visible()
    finally:
        fresh.close()


def test_a_csv_says_its_charset_once(page, demo_server):
    response = page.request.get(f"{demo_server.url}/download/reports.csv?{AUTUMN}")
    assert response.status == 200
    content_type = response.headers["content-type"]
    assert content_type.lower().count("charset") == 1, content_type
    assert "utf-8" in content_type.lower()
