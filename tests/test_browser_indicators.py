"""The indicator and phenomenon views in Chromium, checked against values the
test reads itself from the recorded Sotkanet fixture."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from dashboard.core.formatting import fmt_number

from .browser import choose

pytestmark = pytest.mark.browser
FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "sotkanet" / "data-3225.json").read_text())


def expected(region_id: int, year: int, gender: str = "total") -> str:
    value = next(
        r["value"] for r in FIXTURE if r["region"] == region_id and r["year"] == year and r["gender"] == gender
    )
    return fmt_number(value, "fi", 1)


def caption(page, text: str):
    from playwright.sync_api import expect

    expect(page.locator("#ind-caption")).to_have_text(text)


def table_text(page, chart: str) -> str:
    card = page.locator(f'[id=\'{{"name":"{chart}","type":"ind-chart"}}\']').locator("xpath=..")
    details = card.locator("details")
    details.locator("summary").click()
    # The table is drawn by the same answer as the chart, which may come after the caption's.
    from playwright.sync_api import expect

    expect(details.locator("table tbody tr").first).to_be_visible()
    return details.inner_text()


def test_time_series_against_county_and_country(page, sotkanet_server):
    page.goto(f"{sotkanet_server.url}/indicators?indicator=sotkanet-3225&region=398&year=2023")
    caption(page, "Lahti · 2023 · Yhteensä")
    text = table_text(page, "series-0")
    row_2023 = next(line for line in text.splitlines() if line.startswith("2023"))
    header = next(line for line in text.splitlines() if line.startswith("Vuosi"))
    assert header.split("\t") == ["Vuosi", "Päijät-Häme", "Lahti", "Koko maa"]
    assert row_2023.split("\t")[1:] == [expected(1021, 2023), expected(52, 2023), expected(658, 2023)]
    ranking = table_text(page, "ranking")
    assert f"Lahti\t{expected(52, 2023)}" in ranking
    assert f"Asikkala\t{expected(301, 2023)}" in ranking
    assert f"Heinola\t{expected(120, 2023)}" in ranking


def test_choosing_a_region_updates_view_and_url(page, sotkanet_server):
    page.goto(f"{sotkanet_server.url}/indicators?indicator=sotkanet-3225&region=398&year=2023")
    caption(page, "Lahti · 2023 · Yhteensä")
    choose(page, "region", "Heinola (Päijät-Häme)", kind="ind-filter")
    caption(page, "Heinola · 2023 · Yhteensä")
    assert "region=111" in page.url
    page.go_back()
    caption(page, "Lahti · 2023 · Yhteensä")


def test_small_values_show_as_placeholder(page, sotkanet_server):
    page.goto(f"{sotkanet_server.url}/indicators?indicator=sotkanet-3225&region=016&year=2023")
    caption(page, "Asikkala · 2023 · Yhteensä")
    text = table_text(page, "sex")
    row = next(line for line in text.splitlines() if line.startswith("2023"))
    # Women: 3 persons ("alle 5 henkilöä"); men hidden so that the women cannot be worked out from the total ("..").
    assert row.split("\t")[1:] == ["..", "alle 5 henkilöä"]
    assert "0,1" not in text and "4,9" not in text


def test_every_chart_names_its_source_and_licence(page, sotkanet_server):
    page.goto(f"{sotkanet_server.url}/indicators?indicator=sotkanet-3225&region=398&year=2023")
    caption(page, "Lahti · 2023 · Yhteensä")
    annotations = page.locator('[id=\'{"name":"series-0","type":"ind-chart"}\'] .annotation-text')
    annotations.first.wait_for()
    graph = [a.replace("\xa0", " ") for a in annotations.all_text_contents()]
    assert any("THL, Sotkanet" in a and "CC BY 4.0" in a and "15.5.2024" in a for a in graph), graph


def test_indicator_download(page, sotkanet_server, tmp_path):
    page.goto(f"{sotkanet_server.url}/indicators?indicator=sotkanet-3225&region=398&year=2023")
    caption(page, "Lahti · 2023 · Yhteensä")
    page.get_by_role("button", name="Lataa").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Indikaattoritaulukko (CSV)").click()
    path = tmp_path / "i.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))
    lahti = {(r["Vuosi"], r["Sukupuoli"]): r["Arvo"] for r in rows if r["Aluekoodi"] == "398"}
    assert lahti[("2023", "Yhteensä")] == expected(52, 2023)
    # The download holds what the charts show: the series (Lahti, Päijät-Häme, the whole
    # country, every year), the ranking of Päijät-Häme's municipalities and the county map.
    codes = {r["Aluekoodi"] for r in rows}
    assert {"398", "09", "FI", "111", "016"} <= codes and "20" in codes
    assert {r["Vuosi"] for r in rows if r["Aluekoodi"] == "398" and r["Sukupuoli"] == "Yhteensä"} == {
        str(y) for y in range(2020, 2024)
    }
    assert "091" not in codes  # Helsinki is in no chart of Lahti's view


def test_phenomenon_view_puts_reports_and_indicators_side_by_side(page, sotkanet_server):
    page.goto(f"{sotkanet_server.url}/phenomena?theme=livelihood&county=09&from=2024-09-01&to=2024-12-31")
    caption_text = "Päijät-Häme · taloudellinen tilanne ja toimeentulo · syksy 2024 (1.9.–31.12.2024) · 7 raporttia"
    from playwright.sync_api import expect

    expect(page.locator("#phen-caption")).to_have_text(caption_text)
    indicators = page.locator("#phen-indicators")
    indicators.get_by_text("Toimeentulotukea saaneet henkilöt, % asukkaista").first.wait_for()
    assert page.locator("#phen-proposals li").count() >= 1
    choose(page, "theme", "Asuminen")
    expect(page.locator("#phen-caption")).to_contain_text("asuminen")
    assert "theme=housing" in page.url
