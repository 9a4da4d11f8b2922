"""Small counts stay hidden when their sums are published beside them.

Two additive count indicators are planted for every real region (308
municipalities, the wellbeing counties, the whole country), three years, by
sex, adding up exactly: county = sum of its municipalities, country = sum of
the counties, total = men + women. One is additive by its unit (persons, no
abs_value), the other by its values (value = abs_value, as Sotkanet's
absolute-number indicators). A differencing attacker then takes everything
the query layer publishes and forms every linear combination of the sums
(exact rank test over the rationals, done modulo a large prime) and every
single sum with the bounds the labels give ("< 5" is 0-4, ".." at least 5):
it finds no hidden cell. Run against primary suppression alone, the same
attacker recovers hidden cells, so it can fail.
"""

from __future__ import annotations

import csv
import io
import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from dashboard.core.filters import IndicatorFilter

BY_UNIT = "test-lastensuojelu-asiakkaat"  # unit 'henkilöä', no abs_value
BY_VALUES = "sotkanet-99001"  # unit 'lukumäärä' is not needed: value = abs_value
YEARS = (2021, 2022, 2023)
SEXES = ("total", "male", "female")
THRESHOLD = 5
PRIME = 2_147_483_647


def _plant(con, regions: list[tuple[str, str, str | None]]) -> None:
    gen = np.random.default_rng(21)
    children: dict[str, list[str]] = {}
    for code, _, parent in regions:
        if parent:
            children.setdefault(parent, []).append(code)
    municipalities = [code for code, level, _ in regions if level == "municipality"]
    size = dict(zip(municipalities, gen.lognormal(1.8, 1.4, len(municipalities))))  # many small ones
    rows = []
    for indicator, with_abs in ((BY_UNIT, False), (BY_VALUES, True)):
        for year in YEARS:
            value: dict[tuple[str, str], int] = {}
            for code in municipalities:
                for sex in ("male", "female"):
                    value[(code, sex)] = int(gen.poisson(size[code]))
                value[(code, "total")] = value[(code, "male")] + value[(code, "female")]

            def summed(code: str, sex: str, value=value) -> int:
                if (code, sex) not in value:
                    value[(code, sex)] = sum(summed(kid, sex) for kid in children.get(code, []))
                return value[(code, sex)]

            for code, _, _ in regions:
                for sex in SEXES:
                    summed(code, sex)
            for (code, sex), v in value.items():
                rows.append((indicator, code, year, sex, float(v), float(v) if with_abs else None, None))
    con.execute(
        "INSERT INTO indicators (indicator_id, source, name_fi, name_sv, name_en, unit, decimals, kind, synthetic) "
        "VALUES (?, 'Testi', 'Lastensuojelun asiakkaat', 'Barnskyddets klienter', 'Child welfare clients', "
        "'henkilöä', 0, 'synthetic', TRUE), (?, 'THL, Sotkanet (testi)', 'Asiakkaat, lukumäärä', 'Klienter', "
        "'Clients', 'absolute', 0, 'sotkanet', FALSE)",
        [BY_UNIT, BY_VALUES],
    )
    con.executemany("INSERT INTO indicator_values VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


@pytest.fixture(scope="module")
def counts_db(demo_db, tmp_path_factory):
    from queries.db import write_new_version

    path = tmp_path_factory.mktemp("counts") / "dashboard.duckdb"
    shutil.copyfile(demo_db, path)

    def work(con):
        regions = con.execute("SELECT code, level, parent_code FROM regions ORDER BY code").fetchall()
        _plant(con, regions)

    write_new_version(path, work)
    return path


@pytest.fixture(scope="module")
def world(counts_db):
    """The truth, the hierarchy and what the query layer publishes, per indicator."""
    from queries import indicators as q

    with duckdb.connect(str(counts_db), read_only=True) as con:
        children: dict[str, list[str]] = {}
        for code, parent in con.execute(
            "SELECT code, parent_code FROM regions WHERE parent_code IS NOT NULL"
        ).fetchall():
            children.setdefault(parent, []).append(code)
        truth = {
            (i, r, y, s): v
            for i, r, y, s, v in con.execute(
                "SELECT indicator_id, region_code, year, sex, value FROM indicator_values WHERE indicator_id IN (?, ?)",
                [BY_UNIT, BY_VALUES],
            ).fetchall()
        }
        published = {
            indicator: q.table(con, IndicatorFilter(indicator=(indicator,)), THRESHOLD)
            for indicator in (BY_UNIT, BY_VALUES)
        }
        additive = q.additive_indicators(con)
    return {"children": children, "truth": truth, "published": published, "additive": additive}


# ---- the attacker -------------------------------------------------------------------


def sums(children: dict[str, list[str]], regions: set[str]) -> list[tuple[tuple[str, str], list[tuple[str, str]]]]:
    """(aggregate, parts) of every sum a user can form: parent = its children for each
    sex, and total = men + women for each region."""
    out = []
    for parent, kids in sorted(children.items()):
        for sex in SEXES:
            out.append(((parent, sex), [(kid, sex) for kid in sorted(kids)]))
    for region in sorted(regions):
        out.append(((region, "total"), [(region, "male"), (region, "female")]))
    return out


def linear_recoveries(
    shown: dict[tuple[str, str], float], hidden: set[tuple[str, str]], equations
) -> dict[tuple[str, str], float]:
    """Every hidden cell that some linear combination of the published figures gives
    exactly, with the value it gives: row-reduce [A_hidden | b] (exact, mod a prime) and
    read the rows with a single hidden cell left."""
    columns = sorted(hidden)
    index = {cell: j for j, cell in enumerate(columns)}
    rows = []
    for aggregate, parts in equations:
        cells = [(aggregate, 1)] + [(p, -1) for p in parts]
        if not any(c in index for c, _ in cells):
            continue
        row = np.zeros(len(columns) + 1, dtype=np.int64)
        for cell, coefficient in cells:
            if cell in index:
                row[index[cell]] = (row[index[cell]] + coefficient) % PRIME
            else:  # published (a missing cell counts as zero)
                row[-1] = (row[-1] - coefficient * int(shown.get(cell, 0))) % PRIME
        rows.append(row)
    if not rows:
        return {}
    m = np.array(rows, dtype=object) % PRIME  # Python ints: no overflow
    pivot_row = 0
    pivots = []
    for col in range(len(columns)):
        found = next((r for r in range(pivot_row, len(m)) if m[r, col] % PRIME), None)
        if found is None:
            continue
        m[[pivot_row, found]] = m[[found, pivot_row]]
        m[pivot_row] = (m[pivot_row] * pow(int(m[pivot_row, col]), PRIME - 2, PRIME)) % PRIME
        for r in range(len(m)):
            if r != pivot_row and m[r, col] % PRIME:
                m[r] = (m[r] - m[r, col] * m[pivot_row]) % PRIME
        pivots.append((pivot_row, col))
        pivot_row += 1
        if pivot_row == len(m):
            break
    out: dict[tuple[str, str], float] = {}
    for r, col in pivots:
        if not any(m[r, j] % PRIME for j in range(len(columns)) if j != col):
            value = int(m[r, -1])
            out[columns[col]] = value if value < PRIME // 2 else value - PRIME
    return out


def interval_recoveries(shown, hidden: dict[tuple[str, str], str], equations) -> dict[tuple[str, str], int]:
    """Hidden cells that one sum pins to a single integer with the bounds the labels
    give: "< 5" is 0..4, ".." (a complement) at least 5."""
    bounds = {
        cell: ((0, THRESHOLD - 1) if label == "primary" else (THRESHOLD, float("inf")))
        for cell, label in hidden.items()
    }
    out = {}
    for aggregate, parts in equations:
        cells = [(aggregate, 1)] + [(p, -1) for p in parts]
        unknown = [(c, a) for c, a in cells if c in hidden]
        if not unknown:
            continue
        known = -sum(a * shown.get(c, 0) for c, a in cells if c not in hidden)
        for cell, a in unknown:
            low = high = 0.0
            for other, b in unknown:
                if other != cell:
                    lo, hi = bounds[other]
                    low += b * lo if b > 0 else b * hi
                    high += b * hi if b > 0 else b * lo
            ends = sorted(((known - low) / a, (known - high) / a))
            lo, hi = max(bounds[cell][0], ends[0]), min(bounds[cell][1], ends[1])
            if np.floor(hi) - np.ceil(lo) < 1:
                out[cell] = int(np.ceil(lo))
    return out


def attack(world, indicator: str, published: pd.DataFrame | None = None):
    """Every recovery, per year: (year, cell, how, value)."""
    frame = world["published"][indicator] if published is None else published
    found = []
    for year in YEARS:
        part = frame[frame["year"] == year]
        shown = {(r.region_code, r.sex): float(r.value) for r in part.itertuples() if not r.suppressed}
        hidden = {
            (r.region_code, r.sex): ("secondary" if r.secondary else "primary")
            for r in part.itertuples()
            if r.suppressed
        }
        equations = sums(world["children"], {r for r, _ in shown} | {r for r, _ in hidden})
        for cell, value in linear_recoveries(shown, set(hidden), equations).items():
            found.append((year, cell, "linear", value))
        for cell, value in interval_recoveries(shown, hidden, equations).items():
            found.append((year, cell, "bounds", value))
    return found


# ---- the tests ------------------------------------------------------------------------


def test_both_planted_indicators_are_additive_and_the_rates_are_not(world):
    additive = set(world["additive"])
    assert {BY_UNIT, BY_VALUES} <= additive
    # The demo's population count (persons, value = abs_value) is additive; its rates are not.
    assert "demo-vakiluku" in additive
    assert not {"demo-toimeentulotuki", "demo-nuorisotyottomat", "local-essote-2021-women"} & additive


@pytest.mark.parametrize("indicator", [BY_UNIT, BY_VALUES])
def test_the_differencing_attacker_recovers_no_hidden_cell(world, indicator):
    frame = world["published"][indicator]
    primary = frame[frame["suppressed"] & ~frame["secondary"]]
    assert len(primary) > 100, "the fixture must hide many small counts to mean anything"
    assert attack(world, indicator) == []


def test_the_attacker_would_recover_cells_from_primary_suppression_alone(world):
    """The same attacker against the old per-row suppression (a small count and the
    other sex hidden, nothing across regions): it finds the hidden cells, exactly."""
    frame = world["published"][BY_UNIT].copy()
    truth = world["truth"]
    value = [truth[(BY_UNIT, r, y, s)] for r, y, s in zip(frame["region_code"], frame["year"], frame["sex"])]
    frame["value"] = value
    small = frame["value"] < THRESHOLD
    pair = (
        frame.assign(small=small & (frame["sex"] != "total")).groupby(["region_code", "year"])["small"].transform("any")
    )
    frame["suppressed"] = small | (pair & (frame["sex"] != "total"))
    frame["secondary"] = frame["suppressed"] & ~small
    found = attack(world, BY_UNIT, frame)
    assert len(found) > 50
    for year, (region, sex), how, got in found:
        if how == "linear":
            assert got == truth[(BY_UNIT, region, year, sex)]  # exact recovery: 955 - 952 = 3


@pytest.mark.parametrize("indicator", [BY_UNIT, BY_VALUES])
def test_small_counts_are_hidden_and_the_rest_unchanged_but_the_complements(world, indicator):
    frame = world["published"][indicator]
    truth = world["truth"]
    for r in frame.itertuples():
        real = truth[(indicator, r.region_code, r.year, r.sex)]
        if real < THRESHOLD:
            assert r.suppressed and not r.secondary and pd_isna(r.value) and pd_isna(r.n)
        elif r.suppressed:
            assert r.secondary and pd_isna(r.value)  # a complement
        else:
            assert r.value == real
    complements = frame[frame["secondary"]]
    primary = frame[frame["suppressed"] & ~frame["secondary"]]
    # Complements are few (well under two per hidden small count) and mostly small municipalities.
    assert len(complements) < 2 * len(primary)
    regions = set(complements["region_code"])
    assert "FI" not in regions


def pd_isna(value) -> bool:
    return value is None or pd.isna(value)


def test_the_choice_is_deterministic(counts_db, world):
    from queries import indicators as q

    q._SOLVED.clear()  # solve again from scratch
    with duckdb.connect(str(counts_db), read_only=True) as con:
        again = q.table(con, IndicatorFilter(indicator=(BY_UNIT,)), THRESHOLD)
    before = world["published"][BY_UNIT]
    assert again[["region_code", "year", "sex", "suppressed", "secondary"]].equals(
        before[["region_code", "year", "sex", "suppressed", "secondary"]]
    )


def test_every_query_agrees_with_the_table(counts_db, world):
    """The views' queries (series, ranking, counties, sex split) hide the same cells."""
    from queries import indicators as q

    frame = world["published"][BY_UNIT].set_index(["region_code", "year", "sex"])
    with duckdb.connect(str(counts_db), read_only=True) as con:
        county = "09"
        for sex in SEXES:
            rank = q.ranking(con, BY_UNIT, county, 2023, sex, THRESHOLD)
            for r in rank.itertuples():
                row = frame.loc[(r.region_code, 2023, sex)]
                assert bool(r.suppressed) == bool(row["suppressed"]) and bool(r.secondary) == bool(row["secondary"])
            counties = q.county_values(con, BY_UNIT, 2022, sex, THRESHOLD)
            for r in counties.itertuples():
                assert bool(r.suppressed) == bool(frame.loc[(r.region_code, 2022, sex)]["suppressed"])
        hidden = frame[frame["suppressed"]].reset_index()
        region = hidden[hidden["region_code"].str.len() == 3]["region_code"].iloc[0]
        split = q.by_sex(con, BY_UNIT, region, THRESHOLD)
        for r in split.itertuples():
            assert bool(r.suppressed) == bool(frame.loc[(region, r.year, r.sex)]["suppressed"])
        series = q.series(con, BY_UNIT, [region, "FI"], "total", THRESHOLD)
        for r in series.itertuples():
            assert bool(r.suppressed) == bool(frame.loc[(r.region_code, r.year, "total")]["suppressed"])


# ---- the outputs: CSV, XLSX, the deck's embedded chart data ---------------------------


@pytest.fixture()
def client(counts_db, monkeypatch):
    from dashboard.web.app_factory import create_app
    from queries import access

    monkeypatch.setenv("DASHBOARD_DB", str(counts_db))
    access.reset()
    yield create_app().server.test_client()
    access.reset()


def _a_county_with_a_hidden_municipality(world) -> tuple[str, int, str]:
    frame = world["published"][BY_UNIT]
    hidden = frame[frame["suppressed"] & ~frame["secondary"] & (frame["region_code"].str.len() == 3)]
    row = hidden.iloc[0]
    parent = next(p for p, kids in world["children"].items() if row["region_code"] in kids)
    return parent, int(row["year"]), row["sex"]


def test_the_downloads_hold_what_the_query_layer_publishes(client, world):
    county, year, sex = _a_county_with_a_hidden_municipality(world)
    query = f"indicator={BY_UNIT}&region={county}&year={year}&sex={sex}"
    frame = world["published"][BY_UNIT].set_index(["region_code", "year", "sex"])
    sex_fi = {"total": "Yhteensä", "male": "Miehet", "female": "Naiset"}
    response = client.get(f"/download/indicators.csv?{query}")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) > 10
    small = "alle 5 henkilöä"  # what a small value says (not '< 5', read as 'under 5 %')
    seen = {small: 0, "..": 0}
    for r in rows:
        sex_code = {v: k for k, v in sex_fi.items()}[r["Sukupuoli"]]
        expected = frame.loc[(r["Aluekoodi"], int(r["Vuosi"]), sex_code)]
        if expected["suppressed"]:
            label = ".." if expected["secondary"] else small
            assert r["Arvo"] == label and r["n"] == ""
            seen[label] += 1
        else:
            assert r["Arvo"] == str(int(expected["value"]))
    assert seen[small] and seen[".."]
    book = load_workbook(io.BytesIO(client.get(f"/download/indicators.xlsx?{query}").data))
    values = [row[10].value for row in book.worksheets[0].iter_rows(min_row=2)]
    assert values.count(small) == seen[small] and values.count("..") == seen[".."]


def test_the_deck_embeds_no_hidden_value(client, world, counts_db):
    county, year, sex = _a_county_with_a_hidden_municipality(world)
    response = client.get(f"/download/deck-indicators.pptx?indicator={BY_UNIT}&region={county}&year={year}&sex={sex}")
    assert response.status_code == 200
    deck = Presentation(io.BytesIO(response.data))
    with duckdb.connect(str(counts_db), read_only=True) as con:
        code_of = dict(con.execute("SELECT name_fi, code FROM regions").fetchall())
    frame = world["published"][BY_UNIT]
    shown = frame[(frame["year"] == year) & (frame["sex"] == sex)].set_index("region_code")
    ranking = None
    for slide in deck.slides:
        for shape in slide.shapes:
            if not shape.has_chart:
                continue
            chart = shape.chart
            # The workbook embedded in the chart (what "Edit data" opens) holds what the chart draws.
            # A ranking draws its first rows (the largest and the chosen region) and embeds every row:
            # what it draws is the start of what it embeds, and everything embedded counts as published.
            workbook = load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob))
            rows = [[c.value for c in row] for row in workbook.worksheets[0].iter_rows(min_row=2)]
            plot = chart.plots[0]
            drawn = len(plot.categories)
            for i, series in enumerate(plot.series):
                assert list(series.values) == [row[1 + i] for row in rows[:drawn]]
            categories = [str(row[0]) for row in rows]
            if categories and all(c in code_of for c in categories) and county in {code_of[c] for c in categories}:
                if any(code_of[c] != county and len(code_of[c]) == 3 for c in categories):
                    ranking = {code_of[c]: row[1] for c, row in zip(categories, rows)}
    assert ranking, "the deck has the ranking of the county's municipalities"
    for code, value in ranking.items():
        if shown.loc[code, "suppressed"]:
            assert value is None
        else:
            assert value == shown.loc[code, "value"]
    # One file, one sum: the county and its municipalities pin no hidden municipality.
    municipalities = sorted(world["children"][county])
    published = {(code, sex): v for code, v in ranking.items() if v is not None}
    hidden = {(code, sex) for code in municipalities if (code, sex) not in published}
    assert hidden
    assert linear_recoveries(published, hidden, [((county, sex), [(m, sex) for m in municipalities])]) == {}


# ---- the algorithm on its own ----------------------------------------------------------


def test_the_worked_example_of_the_issue():
    """A county of three municipalities, one of them with 3 (2 women, 1 man): without
    complements 955 - 952 = 3 and 472 - 470 = 2. The complement is the smallest other
    municipality, for the sex that needs it, and the published figures stay as they were."""
    from queries.suppression import complements

    children = {"C": ["a", "b", "c"]}
    values = {
        ("a", "total"): 3, ("a", "male"): 1, ("a", "female"): 2,
        ("b", "total"): 900, ("b", "male"): 450, ("b", "female"): 450,
        ("c", "total"): 52, ("c", "male"): 32, ("c", "female"): 20,
        ("C", "total"): 955, ("C", "male"): 483, ("C", "female"): 472,
    }  # fmt: skip
    primary = {cell for cell, v in values.items() if v < 5}
    hidden = complements(values, primary, children, 5)
    # c, the smallest sibling, is hidden with a; b and the county stay published.
    assert hidden == {("c", "male"), ("c", "female"), ("c", "total")}
    shown = {cell: v for cell, v in values.items() if cell not in primary | hidden}
    equations = sums(children, {"a", "b", "c", "C"})
    assert linear_recoveries(shown, primary | hidden, equations) == {}
    labels = {cell: "primary" for cell in primary} | {cell: "secondary" for cell in hidden}
    assert interval_recoveries(shown, labels, equations) == {}


def test_random_tables_are_protected_and_the_choice_repeats():
    """Many small random hierarchies: the attacker finds nothing, and solving twice
    chooses the same complements."""
    from queries.suppression import complements

    gen = np.random.default_rng(7)
    for _ in range(40):
        counties = {f"C{i}": [f"m{i}{j}" for j in range(gen.integers(1, 6))] for i in range(gen.integers(1, 4))}
        children = {"FI": sorted(counties), **counties}
        values = {}
        for kids in counties.values():
            for kid in kids:
                values[(kid, "male")], values[(kid, "female")] = (
                    int(v) for v in gen.poisson(gen.lognormal(1.5, 1.2), 2)
                )
                values[(kid, "total")] = values[(kid, "male")] + values[(kid, "female")]
        for parent in [*counties, "FI"]:
            for sex in SEXES:
                values[(parent, sex)] = sum(values[(kid, sex)] for kid in children[parent])
        primary = {cell for cell, v in values.items() if v < THRESHOLD}
        hidden = complements(values, primary, children, THRESHOLD)
        assert hidden == complements(dict(reversed(values.items())), primary, children, THRESHOLD)
        assert not hidden & primary
        shown = {cell: v for cell, v in values.items() if cell not in primary | hidden}
        equations = sums(children, {r for r, _ in values})
        assert linear_recoveries(shown, primary | hidden, equations) == {}
        labels = {cell: "primary" for cell in primary} | {cell: "secondary" for cell in hidden}
        assert interval_recoveries(shown, labels, equations) == {}
