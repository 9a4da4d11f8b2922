"""What the indicator view opens on and shows, decided from the data (no browser):
the most relevant indicator for a region, the years and sexes that have data,
the units in each language, the phenomenon timeline's time axis."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest

from dashboard.charts.indicators import ranking_rows
from dashboard.charts.phenomena import Panel, timeline, year_position, year_span
from dashboard.charts.style import ChartText
from dashboard.core.config import CODES_DIR
from dashboard.core.filters import IndicatorChoices, IndicatorFilter
from dashboard.demo.generator import LOCAL_INDICATORS, LOCAL_NAMES_SV, SYNTHETIC_INDICATORS
from dashboard.views.indicators import relevance_order, with_unit
from queries import indicators as q

PARENTS = {"398": "09", "111": "09", "09": "FI", "12": "FI", "491": "12"}


def choices(**extra) -> IndicatorChoices:
    base = dict(
        indicators=("thl-county-only", "local-one", "synthetic-full"),
        years={"thl-county-only": (2020, 2021, 2022), "local-one": (2021,), "synthetic-full": tuple(range(2015, 2025))},
        regions={
            "thl-county-only": frozenset({"09", "FI"}),
            "local-one": frozenset({"12"}),
            "synthetic-full": frozenset({"09", "12", "398", "111", "491", "FI"}),
        },
        default_region="09",
        trends={
            "thl-county-only": frozenset({"09", "FI"}),
            "synthetic-full": frozenset({"09", "12", "398", "111", "491", "FI"}),
        },
        sexes={
            "thl-county-only": frozenset({"total", "male", "female"}),
            "local-one": frozenset({"total"}),
            "synthetic-full": frozenset({"total"}),
        },
        parents=PARENTS,
    )
    return IndicatorChoices(**{**base, **extra})


def test_opens_on_an_indicator_with_every_chart_filled_for_the_county():
    # THL's indicator comes first, but has no municipalities: the full one wins for a county view.
    assert IndicatorFilter().resolve(choices()).indicator == ("synthetic-full",)
    assert IndicatorFilter(region=("12",)).resolve(choices()).indicator == ("synthetic-full",)
    # With municipal values THL's comes first.
    more = choices(regions={**choices().regions, "thl-county-only": frozenset({"09", "398", "FI"})})
    assert IndicatorFilter(region=("09",)).resolve(more).indicator == ("thl-county-only",)
    # Where only a single figure exists, it is shown rather than nothing.
    only = choices(indicators=("local-one",))
    assert IndicatorFilter(region=("12",)).resolve(only).indicator == ("local-one",)


def test_a_year_or_sex_without_data_is_replaced_and_a_region_without_data_moves():
    flt = IndicatorFilter(indicator=("synthetic-full",), region=("398",), year=(2012,), sex=("female",))
    resolved = flt.resolve(choices())
    assert resolved.year == (2024,) and resolved.sex == ("total",) and resolved.region == ("398",)
    assert IndicatorFilter(indicator=("thl-county-only",), year=(2021,), sex=("male",)).resolve(choices()).sex == (
        "male",
    )
    # Lahti's county has THL's values: Lahti stays (the series shows the county and the country).
    assert IndicatorFilter(indicator=("thl-county-only",), region=("398",)).resolve(choices()).region == ("398",)
    # Etelä-Savo's own figure, asked for Päijät-Häme: shown where it exists.
    moved = IndicatorFilter(indicator=("local-one",), region=("09",), year=(2024,)).resolve(choices())
    assert moved.region == ("12",) and moved.year == (2021,)


def test_linked_indicators_come_first_within_their_kind():
    kinds = {
        "thl-county-only": "sotkanet",
        "local-one": "local",
        "synthetic-full": "synthetic",
        "synthetic-b": "synthetic",
    }
    base = choices(indicators=("thl-county-only", "local-one", "synthetic-b", "synthetic-full"))
    ordered = relevance_order(base, ["synthetic-full", "local-one"], kinds)
    assert ordered.indicators == ("thl-county-only", "local-one", "synthetic-full", "synthetic-b")


def test_choices_from_the_demo(con):
    found = q.choices(con)
    assert found.trends["demo-toimeentulotuki"] >= {"09", "398", "FI"}
    assert found.has_split("demo-pitkaaikaistyottomat") and not found.has_split("demo-toimeentulotuki")
    assert found.years["local-ph-2024-outreach-visits"] == (2024,)
    assert found.parents["398"] == "09" and found.parents["09"] == "FI"


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("fi", {"%": "%", "per 1000": "/1 000 as.", "henkilöä": "henkilöä", "kohtaamista": "kohtaamista"}),
        ("sv", {"%": "%", "per 1000": "/1 000 inv.", "henkilöä": "personer", "kohtaamista": "möten"}),
        ("en", {"%": "%", "per 1000": "per 1,000 inhabitants", "henkilöä": "persons", "kohtaamista": "encounters"}),
    ],
)
def test_units_are_labelled_from_the_code_list(con, lang, expected):
    frame = q.indicator_list(con)
    assert frame["indicator_id"].is_unique
    labels = dict(zip(frame["unit_code"], frame[f"unit_{lang}"]))
    assert {code: labels[code] for code in expected} == expected


def test_every_demo_unit_has_labels_and_every_local_figure_a_swedish_name():
    with open(CODES_DIR / "units.csv", encoding="utf-8") as f:
        units = {row["code"]: row for row in csv.DictReader(f)}
    used = {row[4] for row in SYNTHETIC_INDICATORS} | {row[3] for row in LOCAL_INDICATORS}
    assert used <= set(units)
    assert all(units[u]["name_fi"] and units[u]["name_sv"] and units[u]["name_en"] for u in used)
    assert set(LOCAL_NAMES_SV) == {row[0] for row in LOCAL_INDICATORS}


def test_unit_is_named_once():
    assert with_unit("Toimeentulotukea saaneet henkilöt, % asukkaista", "%") == (
        "Toimeentulotukea saaneet henkilöt, % asukkaista"
    )
    assert (
        with_unit("Asunnottomat yksinäiset / 1000 asukasta", "/1 000 as.") == "Asunnottomat yksinäiset / 1000 asukasta"
    )
    assert with_unit("Väkiluku", "henkilöä") == "Väkiluku (henkilöä)"


def test_ranking_puts_county_and_country_among_the_municipalities():
    df = pd.DataFrame(
        {
            "region_code": ["398", "111", "016", "09", "FI"],
            "name": ["Lahti", "Heinola", "Asikkala", "Päijät-Häme", "Koko maa"],
            "level": ["municipality"] * 3 + ["county", "country"],
            "value": [14.5, None, 7.2, 11.0, 7.6],
            "suppressed": [False, True, False, False, False],
        }
    )
    assert list(ranking_rows(df)["name"]) == ["Lahti", "Päijät-Häme", "Koko maa", "Asikkala", "Heinola"]


def test_timeline_shares_one_year_axis_and_shades_the_period():
    trend = pd.DataFrame(
        {
            "year": [2021, 2024, 2024],
            "half": [2, 1, 2],
            "observation_type": ["negative"] * 3,
            "count": [3, 2, 7],
            "period": ["7–12/2021", "1–6/2024", "7–12/2024"],
        }
    )
    line = pd.DataFrame({"year": list(range(2012, 2025)), "value": [5.0] * 13, "suppressed": [False] * 13})
    panel = Panel("Toimeentulotuki, %", "%", 1, (("Päijät-Häme", line),))
    assert year_span(trend, [panel]) == (2018, 2024)  # indicators from three years before the first report
    assert year_position(dt.date(2024, 1, 1)) == 2023.5 and year_position(dt.date(2024, 12, 31), end=True) == 2024.5
    figure = timeline(
        trend,
        [panel],
        ChartText("T", "C", "Lähde: x"),
        "fi",
        {"negative": "Kielteinen"},
        "Raportit",
        "Valittu jakso",
        "< 5",
        "Ei raportteja",
        mark=(dt.date(2024, 9, 1), dt.date(2024, 12, 31)),
    )
    layout = figure["layout"]
    assert {trace["xaxis"] for trace in figure["data"]} == {"x"}
    assert {trace["yaxis"] for trace in figure["data"]} == {"y", "y2"}
    assert layout["xaxis"]["range"] == [2017.5, 2024.5]
    (shade,) = layout["shapes"]
    assert 2024.1 < shade["x0"] < 2024.2 and shade["x1"] == 2024.5 and shade["showlegend"]
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"][0]
    assert bars["x"] == [2021.25, 2023.75, 2024.25] and bars["marker"]["pattern"]["fillmode"] == "overlay"
