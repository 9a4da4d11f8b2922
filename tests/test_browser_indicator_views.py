"""The indicator and phenomenon views as a county director meets them in
Chromium at 1280x720: they open with data, say plainly when a choice has no
data, keep every label inside its chart, translate units and notes, and the
phenomenon view shows the reports and the indicators together above the fold."""

from __future__ import annotations

import csv
import io
import re

import duckdb
import pytest
from openpyxl import load_workbook

from .browser import choose, control, next_frames, settled
from .chart_geometry import pattern_problems, problems

pytestmark = pytest.mark.browser
LANGS = ("fi", "sv", "en")
NAV = {"fi": "Indikaattorit", "sv": "Indikatorer", "en": "Indicators"}


@pytest.fixture(scope="module")
def counties(sotkanet_db) -> dict[str, dict[str, str]]:
    """The counties with reports and their names in each language, read from the data."""
    with duckdb.connect(str(sotkanet_db), read_only=True) as con:
        rows = con.execute("""SELECT DISTINCT r.county_code, g.name_fi, g.name_sv, g.name_en FROM reports r
                              JOIN regions g ON g.code = r.county_code ORDER BY 1""").fetchall()
    return {code: dict(zip(LANGS, names)) for code, *names in rows}


def chart(page, name: str):
    return page.locator(f'[id=\'{{"name":"{name}","type":"ind-chart"}}\']')


def caption(page):
    return page.locator("#ind-caption")


def wait_for_charts(page):
    page.locator("#ind-content .js-plotly-plot").first.wait_for()
    settled(page)


@pytest.mark.parametrize("lang", LANGS)
def test_menu_from_each_county_opens_an_indicator_with_data(page, sotkanet_server, counties, lang):
    """Each county in one of the languages, in turn (09 in Finnish, 12 in Swedish, 20 in English): what
    opens depends on the county, the words on the language (every county's name in every language
    is test_tiles_name_every_county_in_each_language's)."""
    from playwright.sync_api import expect

    assert set(counties) >= {"09", "12", "20"}
    mine = list(counties.items())[LANGS.index(lang) :: len(LANGS)]
    assert mine
    for code, names in mine:
        page.goto(f"{sotkanet_server.url}/reports?county={code}&lang={lang}")
        page.locator("#caption").wait_for()
        page.get_by_role("link", name=NAV[lang], exact=True).click()
        expect(caption(page)).to_contain_text(names[lang])
        assert f"region={code}" in page.url
        wait_for_charts(page)
        series = chart(page, "series-0")
        # A time series with the county's own line, not a message.
        assert series.locator(".scatterlayer .trace").count() >= 2, (code, lang)
        assert series.locator(".legendtext", has_text=names[lang]).count() == 1
        # The county's municipalities and the counties have values too.
        assert chart(page, "ranking").locator(".barlayer .point").count() >= 3
        assert chart(page, "map").locator(".textpoint").count() == 23
        text = page.locator("#ind-content").inner_text()
        assert not re.search(
            r"Ei raportteja|Inga rapporter|No reports|ei ole tietoa|inga uppgifter|no data for", text
        ), (code, lang)


def test_a_sex_without_a_split_says_so_and_shows_the_total(page, sotkanet_server):
    from playwright.sync_api import expect

    # A split indicator, women chosen; then an indicator that has no split by sex.
    page.goto(f"{sotkanet_server.url}/indicators?indicator=demo-pitkaaikaistyottomat&region=09")
    expect(caption(page)).to_have_text("Päijät-Häme · 2024 · Yhteensä")
    choose(page, "sex", "Naiset", kind="ind-filter")
    expect(caption(page)).to_have_text("Päijät-Häme · 2024 · Naiset")
    choose(page, "indicator", "Toimeentulotukea saaneet henkilöt, % asukkaista · Synteettinen demo", kind="ind-filter")
    notice = page.locator("#ind-warnings .ind-notices")
    expect(notice).to_contain_text("ei ole jaettu sukupuolen mukaan")
    expect(caption(page)).to_have_text("Päijät-Häme · 2024 · Yhteensä")
    assert "sex=total" in page.url
    wait_for_charts(page)
    assert chart(page, "series-0").locator(".scatterlayer .trace").count() >= 2
    assert chart(page, "sex").count() == 0  # no empty 'by sex' chart
    # The sex menu offers women and men only where the indicator is split, and says why.
    control(page, "sex", "ind-filter").click()
    women = page.locator(".dash-dropdown-option", has_text="Naiset (ei jakoa)")
    expect(women).to_be_visible()
    assert women.locator("input").is_disabled()
    # Clicking the disabled option changes nothing: no callback is asked for, the caption stays.
    updates: list[str] = []
    page.on("request", lambda r: updates.append(r.url) if "_dash-update-component" in r.url else None)
    women.click(force=True)
    page.keyboard.press("Escape")
    next_frames(page)
    settled(page)
    assert updates == []
    expect(caption(page)).to_have_text("Päijät-Häme · 2024 · Yhteensä")
    # A link that asks for a split the indicator does not have.
    page.goto(f"{sotkanet_server.url}/indicators?indicator=demo-toimeentulotuki&region=398&sex=male&lang=en")
    expect(caption(page)).to_have_text("Lahti · 2024 · Total")
    expect(page.locator("#ind-warnings .ind-notices")).to_contain_text("not split by sex")


def test_a_year_without_data_never_stays_selected(page, sotkanet_server):
    from playwright.sync_api import expect

    page.goto(f"{sotkanet_server.url}/indicators?indicator=demo-toimeentulotuki&region=09")
    expect(caption(page)).to_have_text("Päijät-Häme · 2024 · Yhteensä")
    choose(page, "year", "2016", kind="ind-filter")
    expect(caption(page)).to_have_text("Päijät-Häme · 2016 · Yhteensä")
    # Outreach work was published for 2024 only: the year follows the indicator.
    choose(
        page,
        "indicator",
        "Etsivän sosiaalityön jalkautumiset ruokajakeluihin (kertaa) · Oma asiakastietokooste",
        kind="ind-filter",
    )
    expect(caption(page)).to_have_text("Päijät-Häme · 2024 · Yhteensä")
    control(page, "year", "ind-filter").click()
    assert page.locator(".dash-dropdown-option").all_inner_texts() == ["2024"]
    page.keyboard.press("Escape")
    # One published figure: the number, its n and source; no empty series, ranking or map.
    figure = chart(page, "series-0")
    expect(figure.locator(".annotation-text").filter(has_text="26 kertaa")).to_have_count(1)
    assert figure.locator(".annotation-text").filter(has_text="Päijät-Hämeen hyvinvointialue").count() == 1
    assert chart(page, "ranking").count() == 0 and chart(page, "map").count() == 0
    # A link with a year the indicator has no data for.
    page.goto(f"{sotkanet_server.url}/indicators?indicator=demo-toimeentulotuki&region=09&year=2012&lang=sv")
    expect(caption(page)).to_have_text("Päijänne-Tavastland · 2024 · Totalt")
    expect(page.locator("#ind-warnings .ind-notices")).to_contain_text("inga uppgifter för 2012")


def test_a_figure_published_for_one_county_opens_there(page, sotkanet_server):
    from playwright.sync_api import expect

    # Essote's client figures are for Etelä-Savo only; a link from Päijät-Häme says so and shows them.
    page.goto(f"{sotkanet_server.url}/indicators?indicator=local-essote-2021-men&region=09")
    expect(caption(page)).to_have_text("Etelä-Savo · 2021 · Yhteensä")
    expect(page.locator("#ind-warnings .ind-notices")).to_contain_text("alueelta Päijät-Häme ei ole tietoa")
    expect(chart(page, "series-0").locator(".annotation-text").filter(has_text="65 %")).to_have_count(1)


VIEWS = [
    "/indicators?region=09",  # THL's indicator from the fixture
    "/indicators?indicator=demo-pitkaaikaistyottomat&region=398",  # a municipality; split by sex
    "/indicators?indicator=demo-vakiluku&region=08",  # large numbers; 23 municipalities
    "/indicators?indicator=demo-asunnottomat&region=10",  # Kymenlaakso highlighted
    "/indicators?indicator=local-sirkkula-2021-men&region=12",  # one published figure
    "/phenomena?theme=livelihood&county=09&from=2024-09-01&to=2024-12-31",
    "/phenomena?theme=housing&county=20",
]


@pytest.mark.parametrize("lang", LANGS)
def test_every_label_stays_inside_its_chart(page, sotkanet_server, lang):
    """At 1280x720: no bar or tick label past its chart's plotting area or image,
    no text on another (the axis title and the source, the county and the value
    labels), every county's name inside its tile, every hatched bar coloured."""
    found = []
    for path in VIEWS:
        page.goto(f"{sotkanet_server.url}{path}&lang={lang}")
        page.locator(".js-plotly-plot .main-svg").first.wait_for()
        settled(page)  # no callback pending, every chart drawn (a network-idle wait only added 0.5 s)
        assert page.locator(".js-plotly-plot").count() >= 1
        found += [f"{path}: {p}" for p in problems(page) + pattern_problems(page)]
    assert not found, "\n".join(found)


def test_tiles_name_every_county_in_each_language(page, sotkanet_server, sotkanet_db):
    with duckdb.connect(str(sotkanet_db), read_only=True) as con:
        names = dict(
            con.execute("SELECT code, [name_fi, name_sv, name_en] FROM regions WHERE level = 'county'").fetchall()
        )
    for k, lang in enumerate(LANGS):
        page.goto(f"{sotkanet_server.url}/indicators?indicator=demo-toimeentulotuki&region=09&lang={lang}")
        chart(page, "map").locator(".textpoint").first.wait_for()
        tiles = (
            chart(page, "map")
            .locator(".js-plotly-plot")
            .evaluate("gd => gd.data.flatMap(t => t.customdata.map((code, i) => [code, t.text[i]]))")
        )
        assert sorted(code for code, _ in tiles) == sorted(names)
        for code, label in tiles:
            # The tile starts with the county's name in the view's language (or its usual short form).
            shown = re.sub(r"<[^>]+>|[\s\-–]", "", label.split("<br>")[0]).lower()
            full = re.sub(r"[\s\-–]", "", names[code][k]).lower()
            assert full.startswith(shown[:5]), (lang, names[code][k], label)


def download(page, server, query: str, fmt: str, tmp_path):
    page.goto(f"{server.url}/indicators?{query}")
    page.locator("#ind-content .js-plotly-plot").first.wait_for()
    page.locator("#ind-downloads").get_by_role("button").click()
    with page.expect_download() as info:
        page.locator("#ind-downloads").get_by_role("link").filter(has_text="CSV" if fmt == "csv" else "Excel").click()
    path = tmp_path / f"d.{fmt}"
    info.value.save_as(path)
    return path


def test_counts_download_as_integers_and_units_in_the_language(page, sotkanet_server, tmp_path):
    # CSV, Finnish: the count 2017 is '2017', one row (the one figure the view shows).
    path = download(page, sotkanet_server, "indicator=local-ph-2024-outreach-encounters&region=09", "csv", tmp_path)
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert [(r["Aluekoodi"], r["Vuosi"], r["Arvo"], r["Yksikkö"]) for r in rows] == [
        ("09", "2024", "2017", "kohtaamista")
    ]
    # XLSX, Swedish: an integer cell, the unit in Swedish.
    path = download(
        page, sotkanet_server, "indicator=local-ph-2024-outreach-encounters&region=09&lang=sv", "xlsx", tmp_path
    )
    sheet = load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    record = dict(zip(header, row))
    assert record["Värde"] == 2017 and isinstance(record["Värde"], int)
    assert record["Enhet"] == "möten"
    # English: the population as integers, 'persons' not 'henkilöä'.
    path = download(page, sotkanet_server, "indicator=demo-vakiluku&region=09&lang=en", "csv", tmp_path)
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert rows and all(re.fullmatch(r"\d+", r["Value"]) for r in rows if r["Value"])
    assert {r["Unit"] for r in rows} == {"persons"}


FINNISH_NOTES = (
    "Julkaistu luku",
    "asiakastietokooste",
    "(henkilöä)",
    "henkilöä",
    "Synteettiset arvot",
    "Synteettinen demoaineisto",
    "per 1000",
)


@pytest.mark.parametrize("lang, unit", [("fi", "/1 000 as."), ("sv", "/1 000 inv."), ("en", "per 1,000 inhabitants")])
def test_units_and_notes_are_in_the_view_language(page, sotkanet_server, lang, unit):
    from playwright.sync_api import expect

    def visible_text() -> str:
        texts = page.locator("#main").inner_text()
        return texts + " ".join(
            page.locator("#main .annotation-text, #main .g-ytitle, #main .g-xtitle").all_text_contents()
        )

    page.goto(f"{sotkanet_server.url}/indicators?indicator=demo-mielenterveys-sairauspaivarahat&region=09&lang={lang}")
    wait_for_charts(page)
    expect(chart(page, "series-0").locator(".g-ytitle")).to_have_text(unit)
    page.goto(f"{sotkanet_server.url}/indicators?indicator=local-sirkkula-2021-respondents&region=12&lang={lang}")
    wait_for_charts(page)
    text = visible_text()
    if lang == "fi":
        assert "27 henkilöä" in text and "Julkaistu luku" in text
    else:
        assert not [note for note in FINNISH_NOTES if note in text], text
        assert ("27 personer" if lang == "sv" else "27 persons") in text
    # The indicator menu lists units in the view's language.
    control(page, "indicator", "ind-filter").click()
    options = " ".join(page.locator(".dash-dropdown-option").all_inner_texts())
    page.keyboard.press("Escape")
    if lang != "fi":
        assert not [raw for raw in ("(henkilöä)", "(per 1000)", "(per 10 000)", "(vuotta)") if raw in options]


@pytest.mark.parametrize("lang", LANGS)
def test_phenomenon_shows_reports_and_indicators_together_above_the_fold(page, sotkanet_server, lang):
    from playwright.sync_api import expect

    page.goto(f"{sotkanet_server.url}/phenomena?theme=livelihood&county=09&from=2024-09-01&to=2024-12-31&lang={lang}")
    timeline = page.locator("#phen-trend .js-plotly-plot")
    timeline.locator(".main-svg").first.wait_for()
    settled(page)
    box = timeline.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 720, box  # the whole chart, without scrolling
    # The reports and three linked indicators share one year axis: one x axis, four panels.
    layout = page.evaluate(
        "() => { const l = document.querySelector('#phen-trend .js-plotly-plot')._fullLayout;"
        " return {x: l._subplots.xaxis, y: l._subplots.yaxis, range: l.xaxis.range}; }"
    )
    assert layout["x"] == ["x"] and len(layout["y"]) == 4, layout
    titles = timeline.locator(".annotation-text").all_text_contents()
    assert any("Toimeentulotukea" in t or "utkomststöd" in t or "social assistance" in t for t in titles)
    # The chosen period (autumn 2024) is shaded over every panel.
    shade = page.evaluate(
        "() => document.querySelector('#phen-trend .js-plotly-plot')._fullLayout.shapes.map(s => [s.x0, s.x1, s.yref])"
    )
    assert len(shade) == 1 and 2024 < shade[0][0] < shade[0][1] <= 2024.5 and shade[0][2] == "paper"
    # The proposals come after the chart.
    proposals = page.locator("#phen-proposals").bounding_box()
    assert proposals["y"] >= box["y"] + box["height"]
    expect(page.locator("#phen-indicators .linked-list li")).to_have_count(3)


@pytest.mark.parametrize(
    "lang, words",
    [
        ("fi", "koordinaattori lataa sen komennolla"),
        ("sv", "koordinatorn läser in den med kommandot"),
        ("en", "the coordinator loads it with"),
    ],
)
def test_a_linked_indicator_that_is_not_loaded_is_named_with_how_to_load_it(page, demo_server, lang, words):
    from playwright.sync_api import expect

    page.goto(f"{demo_server.url}/phenomena?theme=livelihood&county=09&lang={lang}")
    note = page.locator("#phen-indicators .alert")
    expect(note).to_contain_text("sotkanet-3225")
    expect(note).to_contain_text(words)
    expect(note.locator("code")).to_have_text("python -m dashboard import-sotkanet --indicator 3225")
    # The loaded ones are drawn and linked to the indicator view of the county.
    links = page.locator("#phen-indicators .linked-list a")
    expect(links).to_have_count(2)
    assert all("region=09" in (a.get_attribute("href") or "") for a in links.all())
