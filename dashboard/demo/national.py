"""The national-scale demo's extra indicators: 200 synthetic survey-style
indicators (20 topics x 10 age groups) for every region, 2000–2024, by sex:
about five million values, written as the same two CSV files a county
imports (``indicators.csv`` and ``indicator_values.csv`` format).

Values are drawn with numpy from generators seeded by the indicator's id, so
the files are byte-identical on every run; the CSV is written by DuckDB.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

YEARS = range(2000, 2025)
SEXES = ("total", "male", "female")
SOURCE = "Synteettinen demoaineisto (alueellisen terveys- ja hyvinvointitutkimuksen mallinen)"

# id, fi, sv, en, level in 2015 (%), change a year, spread between regions, men / women ratio
TOPICS = [
    (
        "koettu-terveys",
        "Terveytensä keskitasoiseksi tai huonoksi kokevat",
        "Upplever sin hälsa som medelmåttig eller dålig",
        "Self-rated health moderate or poor",
        32.0,
        0.1,
        0.12,
        1.0,
    ),
    ("yksinaisyys", "Itsensä yksinäiseksi tuntevat", "Känner sig ensamma", "Feeling lonely", 10.0, 0.15, 0.2, 1.05),
    (
        "psyykkinen-kuormitus",
        "Psyykkisesti merkittävästi kuormittuneet",
        "Betydande psykisk belastning",
        "Significant psychological distress",
        12.0,
        0.2,
        0.18,
        0.8,
    ),
    (
        "alkoholi-riski",
        "Alkoholia riskitasolla käyttävät",
        "Riskbruk av alkohol",
        "Hazardous alcohol use",
        22.0,
        -0.3,
        0.15,
        1.6,
    ),
    ("tupakointi", "Päivittäin tupakoivat", "Röker dagligen", "Daily smokers", 16.0, -0.5, 0.2, 1.2),
    (
        "liikkumattomuus",
        "Vapaa-ajan liikuntaa harrastamattomat",
        "Motionerar inte på fritiden",
        "Physically inactive in leisure time",
        24.0,
        -0.1,
        0.15,
        1.1,
    ),
    (
        "lihavuus",
        "Lihavat (painoindeksi vähintään 30)",
        "Personer med fetma (BMI minst 30)",
        "Obese (BMI 30 or more)",
        21.0,
        0.25,
        0.15,
        1.0,
    ),
    (
        "toimeentulovaikeus",
        "Toimeentulossaan vaikeuksia kokevat",
        "Svårt att klara sig på sina inkomster",
        "Difficulties in making ends meet",
        15.0,
        0.1,
        0.2,
        0.95,
    ),
    (
        "ruoasta-tinkineet",
        "Rahan puutteen vuoksi ruoasta tinkineet",
        "Har dragit ned på mat på grund av penningbrist",
        "Cut back on food for lack of money",
        7.0,
        0.1,
        0.25,
        0.9,
    ),
    (
        "digiesteet",
        "Sähköisen asioinnin esteitä kokevat",
        "Upplever hinder för e-tjänster",
        "Barriers to using e-services",
        15.0,
        0.2,
        0.2,
        1.0,
    ),
    (
        "sosiaalipalvelut-riittamattomat",
        "Sosiaalipalveluja riittämättömästi saaneet",
        "Har fått otillräckligt med socialservice",
        "Received insufficient social services",
        30.0,
        0.3,
        0.2,
        1.0,
    ),
    (
        "elamanlaatu-hyva",
        "Elämänlaatunsa hyväksi kokevat",
        "Upplever sin livskvalitet som god",
        "Quality of life good",
        60.0,
        -0.1,
        0.06,
        0.98,
    ),
    ("unettomuus", "Unettomuudesta kärsivät", "Lider av sömnlöshet", "Suffering from insomnia", 14.0, 0.1, 0.15, 0.85),
    (
        "turvattomuus",
        "Asuinalueellaan turvattomuutta kokevat",
        "Känner sig otrygga i sitt bostadsområde",
        "Feeling unsafe in their neighbourhood",
        9.0,
        0.05,
        0.3,
        0.6,
    ),
    (
        "osallisuus-heikko",
        "Heikon osallisuuden kokemus",
        "Svag upplevelse av delaktighet",
        "Weak sense of inclusion",
        12.0,
        0.1,
        0.2,
        1.05,
    ),
    (
        "laheisen-paihdehaitat",
        "Läheisen päihteiden käytöstä haittaa kokeneet",
        "Har upplevt skada av en närståendes substansbruk",
        "Harmed by a close person's substance use",
        13.0,
        0.0,
        0.2,
        0.7,
    ),
    (
        "vakivalta",
        "Väkivaltaa viimeisen vuoden aikana kokeneet",
        "Har upplevt våld under det senaste året",
        "Experienced violence in the past year",
        5.0,
        0.0,
        0.25,
        1.1,
    ),
    (
        "hammashoito-riittamaton",
        "Hammaslääkäripalveluja riittämättömästi saaneet",
        "Har fått otillräckligt med tandläkartjänster",
        "Received insufficient dental services",
        25.0,
        0.2,
        0.2,
        1.0,
    ),
    (
        "omaishoiva",
        "Omaistaan tai läheistään auttavat tai hoitavat",
        "Hjälper eller vårdar en anhörig eller närstående",
        "Helping or caring for a relative or close person",
        18.0,
        0.2,
        0.15,
        0.75,
    ),
    (
        "tyokyky-heikentynyt",
        "Työkykynsä heikentyneeksi arvioivat",
        "Bedömer sin arbetsförmåga som nedsatt",
        "Self-rated work ability reduced",
        19.0,
        0.15,
        0.15,
        0.95,
    ),
]
# id, fi, sv, en, share of the population, effect on the level
AGE_GROUPS = [
    ("20-29", "20–29-vuotiaat", "20–29 år", "aged 20–29", 0.12, 0.9),
    ("30-39", "30–39-vuotiaat", "30–39 år", "aged 30–39", 0.12, 0.9),
    ("40-49", "40–49-vuotiaat", "40–49 år", "aged 40–49", 0.12, 0.95),
    ("50-59", "50–59-vuotiaat", "50–59 år", "aged 50–59", 0.13, 1.05),
    ("60-69", "60–69-vuotiaat", "60–69 år", "aged 60–69", 0.13, 1.1),
    ("70-79", "70–79-vuotiaat", "70–79 år", "aged 70–79", 0.1, 1.15),
    ("80plus", "80 vuotta täyttäneet", "80 år och äldre", "aged 80 and over", 0.06, 1.25),
    ("20-64", "20–64-vuotiaat", "20–64 år", "aged 20–64", 0.56, 0.98),
    ("65plus", "65 vuotta täyttäneet", "65 år och äldre", "aged 65 and over", 0.23, 1.12),
    ("20plus", "20 vuotta täyttäneet", "20 år och äldre", "aged 20 and over", 0.79, 1.0),
]


def indicator_ids() -> list[str]:
    return [f"demo-n-{topic[0]}-{age[0]}" for topic in TOPICS for age in AGE_GROUPS]


def meta_rows() -> list[dict]:
    rows = []
    for topic_id, fi, sv, en, *_ in TOPICS:
        for age_id, age_fi, age_sv, age_en, *_ in AGE_GROUPS:
            rows.append(
                {
                    "indicator_id": f"demo-n-{topic_id}-{age_id}",
                    "source": SOURCE,
                    "name_fi": f"{fi}, % ({age_fi})",
                    "name_sv": f"{sv}, % ({age_sv})",
                    "name_en": f"{en}, % ({age_en})",
                    "unit": "%",
                    "decimals": 1,
                    "licence": "CC BY 4.0 (demo)",
                    "data_updated": "2025-06-30",
                    "description": "Synteettiset arvot kansallisen mittakaavan demoa varten; eivät ole THL:n tilastoja.",
                    "kind": "synthetic",
                    "synthetic": "true",
                }
            )
    return rows


def _generator(*parts: object) -> np.random.Generator:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "big"))


def values_table(regions: list[str], parents: list[str | None], residents: list[int], seed: int) -> pa.Table:
    """Every indicator x region x year x sex, in that order."""
    n_regions, years = len(regions), np.array(YEARS)
    index = {code: i for i, code in enumerate(regions)}
    parent_index = np.array([index.get(p, -1) if p else -1 for p in parents])
    growth = 1 + 0.004 * (2020 - years)  # population a year, relative to 2020
    people = np.outer(np.array(residents, dtype=float), growth)  # regions x years
    chunks: dict[str, list] = {name: [] for name in ("indicator_id", "value", "abs_value")}
    for topic_id, _, _, _, base, slope, spread, ratio in TOPICS:
        for age_id, _, _, _, share, age_effect in AGE_GROUPS:
            ind = f"demo-n-{topic_id}-{age_id}"
            rng = _generator(seed, "national-indicator", ind)
            factor = np.exp(rng.normal(0, spread, n_regions))
            factor[regions.index("FI")] = 1.0
            has_parent = parent_index >= 0
            factor[has_parent] *= factor[parent_index[has_parent]] ** 0.7
            trend = (base + slope * (years - 2015)) * age_effect
            level = np.maximum(0.1, np.outer(factor, trend) * (1 + rng.normal(0, 0.03, (n_regions, len(years)))))
            men = level * 2 * ratio / (1 + ratio) * (1 + rng.normal(0, 0.02, level.shape))
            women = level * 2 / (1 + ratio) * (1 + rng.normal(0, 0.02, level.shape))
            by_sex = np.stack([level, men, women], axis=-1).clip(max=100)  # regions x years x sexes
            counts = by_sex / 100 * (people * share)[:, :, None] / np.array([1, 2, 2])
            chunks["value"].append(np.round(by_sex, 1).ravel())
            chunks["abs_value"].append(np.round(counts).ravel())
            chunks["indicator_id"].append(np.full(by_sex.size, ind, dtype=object))
    per_indicator = n_regions * len(years) * len(SEXES)
    count = per_indicator * len(chunks["value"])
    return pa.table(
        {
            "indicator_id": pa.array(np.concatenate(chunks["indicator_id"]), pa.string()).dictionary_encode(),
            "region_code": pa.array(
                np.tile(np.repeat(np.array(regions, dtype=object), len(years) * len(SEXES)), len(chunks["value"])),
                pa.string(),
            ).dictionary_encode(),
            "year": pa.array(np.tile(np.repeat(years, len(SEXES)), count // (len(years) * len(SEXES))), pa.int32()),
            "sex": pa.array(
                np.tile(np.array(SEXES, dtype=object), count // len(SEXES)), pa.string()
            ).dictionary_encode(),
            "value": pa.array(np.concatenate(chunks["value"])),
            "abs_value": pa.array(np.concatenate(chunks["abs_value"])),
            "n": pa.nulls(count, pa.int32()),
        }
    )


def write_values(path: Path, table: pa.Table) -> None:
    """The values as a semicolon CSV in the import format (no quotes needed: codes and numbers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        con.register("national_values", table)
        con.execute(
            "COPY (SELECT * REPLACE (CAST(abs_value AS BIGINT) AS abs_value) FROM national_values) "
            f"TO '{_sql_path(path)}' (HEADER, DELIMITER ';')"
        )
    finally:
        con.close()


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
