"""The deterministic demo: synthetic reports and indicators for Päijät-Häme,
Kainuu and Etelä-Savo, 2021–2025.

The generator writes the same files a county would import (the reports
template CSV and the indicator CSVs), and :func:`build_demo` builds the
database through the same import code, so the demo exercises the real path.
The same inputs give byte-identical files every run.

Published figures reproduced exactly (../shared/DOMAIN.md):
Päijät-Häme 1.9.–31.12.2024: 40 reports with the published type, area,
target-group and theme counts; Kainuu 1–6/2021: 17 reports; Essote
(Etelä-Savo) 9–12/2021: 10 reports. The Essote 2021 and Sirkkulanpuisto 2021
client-data figures and Päijät-Häme's outreach work in 2024 are real
published figures, loaded as local indicators with their source and n.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math
import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from queries import codes
from queries.db import write_new_version

from ..core.config import CODES_DIR, DEMO_DIR
from ..imports.codes import load_code_lists
from ..imports.indicators import parse_indicator_files, store_indicators
from ..imports.reports import TEMPLATE_COLUMNS, Resolver, read_reports_file, store_reports
from . import autumn2024, national, texts

SEED = 20241231
SCALES = ("demo", "national")
NATIONAL_REPORTS = 100_000
REPORT_FILES = {"09": "raportit_paijat-hame.csv", "20": "raportit_kainuu.csv", "12": "raportit_etela-savo.csv"}
TEMPLATE_HEADER = list(TEMPLATE_COLUMNS)
TYPE_NAMES = {"negative": "kielteinen", "positive": "myönteinen", "neutral": "neutraali"}
STATUS_NAMES = {
    "new": "käsittelemättä",
    "handled": "käsitelty",
    "forwarded": "välitetty",
    "action": "toimenpide",
    "closed": "päättynyt",
}

# Rough synthetic resident counts for the demo counties' municipalities (not official
# figures); the other municipalities get a synthetic share of their county (``population``).
DEMO_POPULATION = {
    "016": 8000,
    "081": 2600,
    "098": 23500,
    "111": 18500,
    "142": 6500,
    "316": 4300,
    "398": 121000,
    "560": 15900,
    "576": 2900,
    "781": 3500,
    "046": 1300,
    "097": 2100,
    "178": 5700,
    "213": 5000,
    "491": 51000,
    "507": 5600,
    "593": 17300,
    "623": 2200,
    "681": 3300,
    "740": 31500,
    "768": 2500,
    "105": 2000,
    "205": 36000,
    "290": 7900,
    "578": 3100,
    "620": 2400,
    "697": 1200,
    "765": 10100,
    "777": 7400,
}
COUNTY_POPULATION = {
    "01": 98000,
    "02": 203000,
    "03": 480000,
    "04": 280000,
    "05": 485000,
    "06": 212000,
    "07": 170000,
    "08": 530000,
    "09": 206000,
    "10": 160000,
    "11": 126000,
    "12": 128000,
    "13": 248000,
    "14": 162000,
    "15": 275000,
    "16": 190000,
    "17": 176000,
    "18": 77000,
    "19": 416000,
    "20": 70000,
    "21": 176000,
    "90": 665000,
    "91": 30000,
}

# The published Päijät-Häme autumn 2024 figures (seed 001).
PH_AUTUMN_2024 = {
    "n": 40,
    "types": {"negative": 31, "positive": 4, "neutral": 5},
    "areas": {"09": 16, "398": 13, "national": 2, "098": 2, "016": 2, "560": 2, "111": 8, "576": 1, "316": 1},
    "target_groups": {"working_age": 21, "children_families": 20, "disabled": 10, "older_people": 7, "substance": 7},
    # The six published themes, then the county's other themes (demo values).
    "themes": {
        "service_availability": 6,
        "child_wellbeing": 5,
        "functional_capacity": 4,
        "working_practices": 6,
        "social_exclusion": 3,
        "authority_cooperation": 3,
        "livelihood": 7,
        "mental_health": 8,
        "family_support": 6,
        "housing": 3,
        "digital_exclusion": 3,
        "substance_use": 2,
    },
    "publishable": 34,
}

UNIT_FOR_GROUP = {
    "working_age": "working_age_services",
    "children_families": "family_services",
    "disabled": "disability_services",
    "older_people": "older_people_services",
    "substance": "mental_health_substance",
}


@dataclass(frozen=True)
class Batch:
    county: str
    start: dt.date
    end: dt.date
    n: int
    prefix: str
    fixed: dict | None = None
    units: tuple[str, ...] | None = None


def _read_codes(name: str) -> list[dict[str, str]]:
    with open(CODES_DIR / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _stable_rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, (SEED, *parts))).encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def _demo_batches() -> list[Batch]:
    batches: list[Batch] = []
    for year in range(2021, 2026):
        # Päijät-Häme: half-years; autumn 2024 is the published period.
        ph = _stable_rng("ph", year)
        batches.append(Batch("09", dt.date(year, 1, 1), dt.date(year, 6, 30), ph.randint(24, 36), "PH"))
        if year == 2024:
            batches.append(Batch("09", dt.date(2024, 7, 1), dt.date(2024, 8, 31), 6, "PH"))
            batches.append(Batch("09", dt.date(2024, 9, 1), dt.date(2024, 12, 31), 40, "PH", fixed=PH_AUTUMN_2024))
        else:
            batches.append(Batch("09", dt.date(year, 7, 1), dt.date(year, 12, 31), ph.randint(30, 44), "PH"))
        # Kainuu: in use in all service tasks since 1/2021; the first report held 17.
        ka = _stable_rng("ka", year)
        batches.append(
            Batch("20", dt.date(year, 1, 1), dt.date(year, 6, 30), 17 if year == 2021 else ka.randint(14, 24), "KA")
        )
        batches.append(Batch("20", dt.date(year, 7, 1), dt.date(year, 12, 31), ka.randint(13, 22), "KA"))
        # Etelä-Savo: Essote's trial from 9/2021 in working-age and mental health and substance work.
        es = _stable_rng("es", year)
        if year == 2021:
            batches.append(
                Batch(
                    "12",
                    dt.date(2021, 9, 1),
                    dt.date(2021, 12, 31),
                    10,
                    "ES",
                    units=("working_age_services", "mental_health_substance"),
                )
            )
        else:
            units = None if year >= 2023 else ("working_age_services", "mental_health_substance")
            batches.append(Batch("12", dt.date(year, 1, 1), dt.date(year, 6, 30), es.randint(9, 18), "ES", units=units))
            batches.append(
                Batch("12", dt.date(year, 7, 1), dt.date(year, 12, 31), es.randint(10, 20), "ES", units=units)
            )
    return batches


def _national_batches(demo: list[Batch]) -> list[Batch]:
    """Half-year batches for every other wellbeing county and Helsinki, 2021–2025,
    sized by population and growing as reporting spreads, so that with the demo
    counties' own batches the whole country holds exactly ``NATIONAL_REPORTS``."""
    counties = [c for c in COUNTY_POPULATION if c not in REPORT_FILES and c != "91"]  # Åland: no wellbeing county
    weights: list[tuple[str, int, int, float]] = []
    for county in counties:
        rng = _stable_rng("national", county)
        for year in range(2021, 2026):
            for half in (1, 2):
                weights.append(
                    (
                        county,
                        year,
                        half,
                        COUNTY_POPULATION[county] * (1 + 0.15 * (year - 2021)) * rng.uniform(0.85, 1.15),
                    )
                )
    target = NATIONAL_REPORTS - sum(b.n for b in demo)
    total = sum(w for *_, w in weights)
    exact = [target * w / total for *_, w in weights]
    sizes = [math.floor(x) for x in exact]
    # Largest remainders get the rest, so the total is exact.
    for i in sorted(range(len(exact)), key=lambda i: (sizes[i] - exact[i], i))[: target - sum(sizes)]:
        sizes[i] += 1
    return [
        Batch(
            county,
            dt.date(year, 1, 1) if half == 1 else dt.date(year, 7, 1),
            dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31),
            n,
            f"HVA{county}",
        )
        for (county, year, half, _), n in zip(weights, sizes)
    ]


def _batches(scale: str = "demo") -> list[Batch]:
    demo = _demo_batches()
    return demo if scale == "demo" else demo + _national_batches(demo)


def _assign_exact(rng: random.Random, n: int, counts: dict[str, int], at_least_one: bool = True) -> list[list[str]]:
    """Labels for n reports so that label L is on exactly counts[L] reports and
    (when possible) every report has at least one label."""
    labels = [code for code, k in counts.items() for _ in range(k)]
    rng.shuffle(labels)
    assigned: list[list[str]] = [[] for _ in range(n)]
    pending: list[str] = []
    if at_least_one:
        order = list(range(n))
        rng.shuffle(order)
        for i, label in zip(order, labels):
            assigned[i].append(label)
        pending = labels[n:]
    else:
        pending = labels
    for label in pending:
        candidates = [i for i in range(n) if label not in assigned[i]]
        candidates.sort(key=lambda i: (len(assigned[i]), rng.random()))
        assigned[candidates[0]].append(label)
    return assigned


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    total = sum(weights.values())
    x = rng.random() * total
    for key, w in weights.items():
        x -= w
        if x <= 0:
            return key
    return key


def _theme_weights(year: int) -> dict[str, float]:
    trend = year - 2021
    return {
        "service_availability": 1.2,
        "child_wellbeing": 0.8,
        "functional_capacity": 0.8,
        "working_practices": 0.7,
        "social_exclusion": 0.6,
        "authority_cooperation": 0.6,
        "livelihood": 0.5 + 0.35 * trend,
        "mental_health": 1.2,
        "family_support": 0.6 + 0.1 * trend,
        "housing": 0.35 + 0.1 * trend,
        "digital_exclusion": 0.3 + 0.1 * trend,
        "substance_use": 0.5,
    }


def _random_labels(rng: random.Random, batch: Batch, area_weights: dict[str, float]) -> dict:
    otype = _weighted(rng, {"negative": 0.72, "positive": 0.12, "neutral": 0.16})
    groups = [
        _weighted(
            rng, {"working_age": 4, "children_families": 3.5, "disabled": 1.5, "older_people": 1.4, "substance": 1.3}
        )
    ]
    if rng.random() < 0.45:
        extra = _weighted(
            rng, {"working_age": 2, "children_families": 2, "disabled": 1, "older_people": 1, "substance": 1.5}
        )
        if extra not in groups:
            groups.append(extra)
    if batch.units:
        groups = [g for g in groups if g in ("working_age", "substance")] or ["working_age"]
    themes: list[str] = []
    for _ in range(1 + (rng.random() < 0.5) + (rng.random() < 0.15)):
        th = _weighted(rng, _theme_weights(batch.start.year))
        if th not in themes:
            themes.append(th)
    if otype == "positive" and "working_practices" not in themes:
        themes[0] = "working_practices"
    areas: list[str] = []
    roll = rng.random()
    if roll < 0.3:
        areas.append(batch.county)
    elif roll < 0.35:
        areas.append("national")
    else:
        areas.append(_weighted(rng, area_weights))
        if rng.random() < 0.2:
            other = _weighted(rng, area_weights)
            if other not in areas:
                areas.append(other)
    return {"type": otype, "groups": groups, "themes": themes, "areas": areas}


def _fixed_labels(rng: random.Random, fixed: dict) -> list[dict]:
    n = fixed["n"]
    types = [t for t, k in fixed["types"].items() for _ in range(k)]
    rng.shuffle(types)
    groups = _assign_exact(rng, n, fixed["target_groups"])
    areas = _assign_exact(rng, n, fixed["areas"])
    themes = _assign_exact(rng, n, fixed["themes"])
    return [{"type": types[i], "groups": groups[i], "themes": themes[i], "areas": areas[i]} for i in range(n)]


def _dates(rng: random.Random, batch: Batch) -> list[dt.date]:
    span = (batch.end - batch.start).days
    return sorted(batch.start + dt.timedelta(days=rng.randint(0, span)) for _ in range(batch.n))


def report_file(county: str, name_fi: str) -> str:
    """The file a county's reports are written to: raportit_paijat-hame.csv."""
    if county in REPORT_FILES:
        return REPORT_FILES[county]
    slug = unicodedata.normalize("NFKD", name_fi.casefold())
    slug = "".join(c for c in slug if not unicodedata.combining(c))
    return "raportit_" + re.sub(r"[^a-z0-9]+", "-", slug).strip("-") + ".csv"


def _texts_for(report_id: str, county: str, labels: dict) -> tuple[str, str, str]:
    """Observation, client voice and proposal that fit the report's type, first
    theme and target groups (:mod:`texts`), from a generator of their own."""
    rng = _stable_rng("texts", county, report_id)
    theme = labels["themes"][0] if labels["themes"] else "service_availability"
    key = (labels["type"], theme, labels["groups"])
    observation = rng.choice(texts.fitting("observation", *key))
    voices = texts.fitting("client_voice", *key)
    voice = rng.choice(voices) if voices and rng.random() < 0.4 else ""
    proposals = texts.fitting("proposal", *key)
    proposal = rng.choice(proposals) if proposals and rng.random() < 0.8 else ""
    return observation, voice, proposal


def generate_report_rows(scale: str = "demo") -> dict[str, list[dict[str, str]]]:
    """Template rows per county file: the three demo counties, or at national
    scale every wellbeing county and Helsinki (the demo counties unchanged)."""
    regions = _read_codes("regions")
    names = {r["code"]: r["name_fi"] for r in regions}
    residents = population(regions)
    municipalities_of: dict[str, list[str]] = {}
    for r in regions:
        if r["level"] == "municipality":
            municipalities_of.setdefault(r["parent_code"], []).append(r["code"])
    area_weights = {
        county: {m: math.sqrt(residents[m]) for m in members} for county, members in municipalities_of.items()
    }
    group_names = {r["code"]: r["name_fi"] for r in _read_codes("target_groups")}
    theme_names = {r["code"]: r["name_fi"] for r in _read_codes("themes")}
    unit_names = {r["code"]: r["name_fi"] for r in _read_codes("service_units")}

    files: dict[str, list[dict[str, str]]] = {}
    sequence: dict[tuple[str, int], int] = {}
    for batch in _batches(scale):
        rows = files.setdefault(batch.county, [])
        digits = 3 if batch.county in REPORT_FILES else 4
        rng = _stable_rng(batch.county, batch.start, batch.end)
        # Päijät-Häme autumn 2024: the scripted reports behind the published analysis (autumn2024).
        scripted = autumn2024.REPORTS if batch.fixed is PH_AUTUMN_2024 else None
        if scripted:
            labels: list[dict] = [  # type, groups, themes and areas of each report
                {"type": r.type, "groups": list(r.groups), "themes": list(r.themes), "areas": list(r.areas)}
                for r in scripted
            ]
            publishable = {i for i, r in enumerate(scripted) if r.publishable}
        else:
            labels = (
                _fixed_labels(rng, batch.fixed)
                if batch.fixed
                else [_random_labels(rng, batch, area_weights[batch.county]) for _ in range(batch.n)]
            )
            publishable = (
                set(rng.sample(range(batch.n), batch.fixed["publishable"]))
                if batch.fixed
                else {i for i in range(batch.n) if rng.random() < 0.85}
            )
        for i, (day, lab) in enumerate(zip(_dates(rng, batch), labels)):
            key = (batch.prefix, day.year)
            sequence[key] = sequence.get(key, 0) + 1
            report_id = f"{batch.prefix}-{day.year}-{sequence[key]:0{digits}d}"
            if scripted:
                unit = scripted[i].service_unit
            elif batch.units:
                unit = batch.units[0] if "working_age" in lab["groups"] else batch.units[-1]
            elif "national" in lab["areas"] or (rng.random() < 0.08 and batch.county == "09"):
                unit = "outreach"
            else:
                unit = UNIT_FOR_GROUP[lab["groups"][0]]
            if scripted:
                observation, voice, proposal = scripted[i].observation, scripted[i].voice, scripted[i].proposal
            else:
                observation, voice, proposal = _texts_for(report_id, batch.county, lab)
            area_text = "\n".join(
                "Koko hyvinvointialue"
                if a == batch.county
                else "Valtakunnallinen ilmiö"
                if a == "national"
                else names[a]
                for a in lab["areas"]
            )
            age_days = (dt.date(2026, 1, 1) - day).days
            status = "new"
            if age_days > 120:
                status = _weighted(rng, {"handled": 3, "forwarded": 3, "action": 2, "closed": 2})
            elif age_days > 45:
                status = _weighted(rng, {"new": 2, "handled": 3, "forwarded": 1})
            rows.append(
                {
                    "raportin_tunniste": report_id,
                    "pvm": f"{day.day}.{day.month}.{day.year}",
                    "hyvinvointialue": names[batch.county],
                    "palvelutehtava": unit_names[unit],
                    "alue": area_text,
                    "kohderyhma": "; ".join(group_names[g] for g in lab["groups"]),
                    "teema": "; ".join(theme_names[t] for t in lab["themes"]),
                    "havainnon_tyyppi": TYPE_NAMES[lab["type"]],
                    "havainto": observation,
                    "asiakkaan_aani": voice,
                    "ratkaisuehdotus": proposal,
                    "julkaistava": "kyllä" if i in publishable else "ei",
                    # The coordinator's picks for the half-year deck (a generator of their own, so
                    # adding them changed nothing else in the demo).
                    "nosto": "kyllä"
                    if (
                        scripted[i].highlight
                        if scripted
                        else i in publishable and _stable_rng("nosto", report_id).random() < 0.15
                    )
                    else "ei",
                    "kasitelty": rng.choice(texts.FOLLOWUP_GROUPS) if status != "new" else "",
                    "valitetty": rng.choice(texts.FOLLOWUP_FORWARDED)
                    if status in ("forwarded", "action", "closed")
                    else "",
                    "toimenpide": rng.choice(texts.FOLLOWUP_ACTIONS) if status in ("action", "closed") else "",
                    "seurannan_tila": STATUS_NAMES[status],
                }
            )
    return files


# ---- indicators ------------------------------------------------------------------

SYNTHETIC_SOURCE = "Synteettinen demoaineisto (THL Sotkanet -indikaattorin mallinen)"
# id, name fi/sv/en, unit, decimals, national level 2015, yearly change, spread between regions,
# population share the value is computed over (for abs_value), by sex?
SYNTHETIC_INDICATORS = [
    (
        "demo-toimeentulotuki",
        "Toimeentulotukea saaneet henkilöt, % asukkaista",
        "Personer som fått utkomststöd, % av invånarna",
        "Recipients of social assistance, % of population",
        "%",
        1,
        6.9,
        0.05,
        0.25,
        1.0,
        False,
    ),
    (
        "demo-pitkaaikaistyottomat",
        "Pitkäaikaistyöttömät, % työvoimasta",
        "Långtidsarbetslösa, % av arbetskraften",
        "Long-term unemployed, % of labour force",
        "%",
        1,
        3.6,
        -0.05,
        0.3,
        0.5,
        True,
    ),
    (
        "demo-nuorisotyottomat",
        "Nuorisotyöttömät, % 18–24-vuotiaasta työvoimasta",
        "Ungdomsarbetslösa, % av arbetskraften 18–24 år",
        "Youth unemployment, % of labour force aged 18–24",
        "%",
        1,
        13.5,
        0.1,
        0.3,
        0.04,
        True,
    ),
    (
        "demo-koulutuksen-ulkopuolella",
        "Koulutuksen ulkopuolelle jääneet 17–24-vuotiaat, % vastaavanikäisestä väestöstä",
        "Personer i åldern 17–24 år utanför utbildning, % av befolkningen i samma ålder",
        "Young people aged 17–24 outside education, % of population of the same age",
        "%",
        1,
        8.6,
        -0.05,
        0.25,
        0.08,
        True,
    ),
    (
        "demo-sijoitetut-lapset",
        "Kodin ulkopuolelle sijoitetut 0–17-vuotiaat, % vastaavanikäisestä väestöstä",
        "Barn och unga 0–17 år placerade utom hemmet, % av befolkningen i samma ålder",
        "Children aged 0–17 placed outside the home, % of population of the same age",
        "%",
        1,
        1.4,
        0.02,
        0.3,
        0.18,
        False,
    ),
    (
        "demo-mielenterveys-sairauspaivarahat",
        "Mielenterveyden häiriöiden vuoksi sairauspäivärahaa saaneet 25–64-vuotiaat / 1000 vastaavanikäistä",
        "Sjukdagpenningtagare 25–64 år på grund av psykiska störningar / 1000 i samma ålder",
        "Recipients of sickness allowance for mental disorders aged 25–64 per 1000",
        "per 1000",
        1,
        17.0,
        1.1,
        0.2,
        0.52,
        True,
    ),
    (
        "demo-paihde-sairaalahoito",
        "Päihteiden vuoksi sairaaloiden ja terveyskeskusten vuodeosastoilla hoidetut potilaat / 10 000 asukasta",
        "Patienter som vårdats på sjukhus för rusmedel / 10 000 invånare",
        "Patients in hospital care due to substance use per 10 000 inhabitants",
        "per 10 000",
        1,
        48.0,
        -0.6,
        0.3,
        1.0,
        True,
    ),
    (
        "demo-yksin-asuvat-75",
        "Yksin asuvat 75 vuotta täyttäneet, % vastaavanikäisestä väestöstä",
        "Ensamboende 75 år fyllda, % av befolkningen i samma ålder",
        "People aged 75+ living alone, % of population of the same age",
        "%",
        1,
        47.0,
        -0.2,
        0.08,
        0.11,
        False,
    ),
    (
        "demo-asunnottomat",
        "Asunnottomat yksinäiset / 1000 asukasta",
        "Ensamstående bostadslösa / 1000 invånare",
        "Single homeless people per 1000 inhabitants",
        "per 1000",
        2,
        1.1,
        -0.04,
        0.5,
        1.0,
        False,
    ),
    ("demo-vakiluku", "Väkiluku", "Folkmängd", "Population", "henkilöä", 0, None, 0.0, 0.0, 1.0, False),
]

# Real published client-data figures (../shared/DOMAIN.md, seed 000 and seed 001).
ESSOTE_SOURCE = (
    "Essote: sosiaalityön palvelutarpeen arvioinnit (n=707) ja aktivointisuunnitelmat (n=675), 2021; "
    "rakenteellisen sosiaalityön tiedonkeruu"
)
SIRKKULA_SOURCE = "Sirkkulanpuiston Toimintayhdistys ry ja SOSRAKE-hanke: asiakaskysely kevät 2021 (n=27)"
OUTREACH_SOURCE = (
    "Päijät-Hämeen hyvinvointialue: etsivä sosiaalityö 2024 (sosiaalisen raportoinnin tulokset, syksy 2024)"
)
LOCAL_INDICATORS = [
    # id, name fi, name en, unit, value, n, region, year, source
    (
        "local-essote-2021-women",
        "Naisia aikuissosiaalityön asiakkaista",
        "Women among adult social work clients",
        "%",
        35,
        707,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-men",
        "Miehiä aikuissosiaalityön asiakkaista",
        "Men among adult social work clients",
        "%",
        65,
        707,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-mean-age",
        "Asiakkaiden keski-ikä",
        "Clients' mean age",
        "vuotta",
        43,
        707,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-mental-illness",
        "Asiakkaista psyykeen sairaus",
        "Clients with a mental illness",
        "%",
        52,
        707,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-substance",
        "Asiakkaista päihderiippuvuus",
        "Clients with substance dependence",
        "%",
        45,
        707,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-somatic",
        "Asiakkaista somaattinen sairaus",
        "Clients with a somatic illness",
        "%",
        37,
        707,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-no-health",
        "Asiakkaista ei mainintaa terveydellisistä haasteista",
        "Clients with no health challenge mentioned",
        "%",
        6,
        707,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    ("local-essote-2021-retired", "Asiakkaista eläkkeellä", "Clients retired", "%", 31, 707, "12", 2021, ESSOTE_SOURCE),
    (
        "local-essote-2021-unemployed",
        "Asiakkaista työttömänä",
        "Clients unemployed",
        "%",
        41,
        707,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-unemployed-5y",
        "Työttömistä asiakkaista yli 5 vuotta työttömänä",
        "Unemployed clients unemployed for over 5 years",
        "%",
        58,
        None,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-long-term",
        "Pitkäaikaiset asiakkuudet",
        "Long-term clients",
        "%",
        57,
        707,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-vocational",
        "Asiakkaista ammatillinen koulutus",
        "Clients with vocational education",
        "%",
        51,
        707,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-basic-only",
        "Asiakkaista vain peruskoulu",
        "Clients with basic education only",
        "%",
        28,
        707,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-special-support",
        "Erityisen tuen tarpeessa olevat asiakkaat",
        "Clients in need of special support",
        "%",
        57,
        707,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-special-support-young",
        "Erityisen tuen tarpeessa olevat nuoret aikuiset",
        "Young adult clients in need of special support",
        "%",
        72,
        None,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-support-education-work",
        "Tuen tarve koulutukseen tai työelämään",
        "Need for support towards education or work",
        "%",
        24,
        707,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-financial-support",
        "Taloudellisen tuen tarve",
        "Financial support needs",
        "%",
        59,
        707,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-income-covers",
        "Tulot riittävät hyvin elinkustannuksiin",
        "Income covers living costs well",
        "%",
        18,
        707,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-young-vocational",
        "Nuoret aikuiset (18–30): ammatillinen koulutus",
        "Young adults (18–30): vocational education",
        "%",
        30,
        None,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-young-interrupted",
        "Nuoret aikuiset (18–30): opinnot keskeytyneet",
        "Young adults (18–30): interrupted studies",
        "%",
        29,
        None,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-young-no-vocational",
        "Nuoret aikuiset (18–30): ei ammatillisia opintoja",
        "Young adults (18–30): no vocational studies",
        "%",
        32,
        None,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-young-mental",
        "Nuoret aikuiset (18–30): mielenterveyden haasteita",
        "Young adults (18–30): mental health challenges",
        "%",
        57,
        None,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-young-substance",
        "Nuoret aikuiset (18–30): päihderiippuvuus",
        "Young adults (18–30): substance dependence",
        "%",
        44,
        None,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-young-attention",
        "Nuoret aikuiset (18–30): tarkkaavaisuushäiriö",
        "Young adults (18–30): attention disorder",
        "%",
        26,
        None,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-essote-2021-young-no-work",
        "Nuoret aikuiset (18–30): ei palkkatyökokemusta",
        "Young adults (18–30): no paid work experience",
        "%",
        63,
        None,
        "12",
        2021,
        ESSOTE_SOURCE,
    ),
    (
        "local-sirkkula-2021-respondents",
        "Asiakaskyselyn vastaajat",
        "Client survey respondents",
        "henkilöä",
        27,
        27,
        "12",
        2021,
        SIRKKULA_SOURCE,
    ),
    (
        "local-sirkkula-2021-men",
        "Vastaajista miehiä",
        "Respondents: men",
        "henkilöä",
        16,
        27,
        "12",
        2021,
        SIRKKULA_SOURCE,
    ),
    (
        "local-sirkkula-2021-women",
        "Vastaajista naisia",
        "Respondents: women",
        "henkilöä",
        11,
        27,
        "12",
        2021,
        SIRKKULA_SOURCE,
    ),
    (
        "local-sirkkula-2021-basic-education",
        "Vastaajista perus- tai kansakoulu",
        "Respondents with basic education",
        "%",
        72,
        27,
        "12",
        2021,
        SIRKKULA_SOURCE,
    ),
    (
        "local-sirkkula-2021-vocational-school",
        "Vastaajista ammattikoulu",
        "Respondents with vocational school",
        "%",
        32,
        27,
        "12",
        2021,
        SIRKKULA_SOURCE,
    ),
    (
        "local-sirkkula-2021-upper-secondary",
        "Vastaajista lukio",
        "Respondents with upper secondary school",
        "%",
        8,
        27,
        "12",
        2021,
        SIRKKULA_SOURCE,
    ),
    (
        "local-sirkkula-2021-unemployed",
        "Vastaajista työttömiä",
        "Respondents unemployed",
        "%",
        48,
        27,
        "12",
        2021,
        SIRKKULA_SOURCE,
    ),
    (
        "local-sirkkula-2021-disability-pension",
        "Vastaajista työkyvyttömyyseläkkeellä",
        "Respondents on disability pension",
        "%",
        28,
        27,
        "12",
        2021,
        SIRKKULA_SOURCE,
    ),
    (
        "local-sirkkula-2021-old-age-pension",
        "Vastaajista vanhuuseläkkeellä",
        "Respondents on old-age pension",
        "%",
        16,
        27,
        "12",
        2021,
        SIRKKULA_SOURCE,
    ),
    (
        "local-ph-2024-outreach-visits",
        "Etsivän sosiaalityön jalkautumiset ruokajakeluihin",
        "Outreach visits to food distribution points",
        "kertaa",
        26,
        None,
        "09",
        2024,
        OUTREACH_SOURCE,
    ),
    (
        "local-ph-2024-outreach-encounters",
        "Etsivän sosiaalityön kohtaamiset",
        "Outreach social work encounters",
        "kohtaamista",
        2017,
        None,
        "09",
        2024,
        OUTREACH_SOURCE,
    ),
    (
        "local-ph-2024-outreach-guidance",
        "Henkilökohtaista ohjausta ja neuvontaa saaneet",
        "Persons given personal guidance",
        "henkilöä",
        41,
        41,
        "09",
        2024,
        OUTREACH_SOURCE,
    ),
]
COUNT_UNITS = {"henkilöä", "kertaa", "kohtaamista"}
# The local figures' names in Swedish (the published sources are Finnish).
LOCAL_NAMES_SV = {
    "local-essote-2021-women": "Kvinnor bland klienterna i socialt arbete för vuxna",
    "local-essote-2021-men": "Män bland klienterna i socialt arbete för vuxna",
    "local-essote-2021-mean-age": "Klienternas medelålder",
    "local-essote-2021-mental-illness": "Klienter med psykisk sjukdom",
    "local-essote-2021-substance": "Klienter med missbruksberoende",
    "local-essote-2021-somatic": "Klienter med somatisk sjukdom",
    "local-essote-2021-no-health": "Klienter utan nämnda hälsoutmaningar",
    "local-essote-2021-retired": "Klienter som är pensionerade",
    "local-essote-2021-unemployed": "Klienter som är arbetslösa",
    "local-essote-2021-unemployed-5y": "Arbetslösa klienter som varit arbetslösa i över 5 år",
    "local-essote-2021-long-term": "Långvariga klientrelationer",
    "local-essote-2021-vocational": "Klienter med yrkesutbildning",
    "local-essote-2021-basic-only": "Klienter med endast grundskola",
    "local-essote-2021-special-support": "Klienter i behov av särskilt stöd",
    "local-essote-2021-special-support-young": "Unga vuxna klienter i behov av särskilt stöd",
    "local-essote-2021-support-education-work": "Behov av stöd till utbildning eller arbete",
    "local-essote-2021-financial-support": "Behov av ekonomiskt stöd",
    "local-essote-2021-income-covers": "Inkomsterna räcker väl till levnadskostnaderna",
    "local-essote-2021-young-vocational": "Unga vuxna (18–30): yrkesutbildning",
    "local-essote-2021-young-interrupted": "Unga vuxna (18–30): avbrutna studier",
    "local-essote-2021-young-no-vocational": "Unga vuxna (18–30): inga yrkesstudier",
    "local-essote-2021-young-mental": "Unga vuxna (18–30): psykiska utmaningar",
    "local-essote-2021-young-substance": "Unga vuxna (18–30): missbruksberoende",
    "local-essote-2021-young-attention": "Unga vuxna (18–30): uppmärksamhetsstörning",
    "local-essote-2021-young-no-work": "Unga vuxna (18–30): ingen erfarenhet av avlönat arbete",
    "local-sirkkula-2021-respondents": "Svarande i klientenkäten",
    "local-sirkkula-2021-men": "Svarande: män",
    "local-sirkkula-2021-women": "Svarande: kvinnor",
    "local-sirkkula-2021-basic-education": "Svarande med grundskola eller folkskola",
    "local-sirkkula-2021-vocational-school": "Svarande med yrkesskola",
    "local-sirkkula-2021-upper-secondary": "Svarande med gymnasium",
    "local-sirkkula-2021-unemployed": "Svarande som är arbetslösa",
    "local-sirkkula-2021-disability-pension": "Svarande med sjukpension",
    "local-sirkkula-2021-old-age-pension": "Svarande med ålderspension",
    "local-ph-2024-outreach-visits": "Uppsökande socialt arbete: besök vid matutdelningar",
    "local-ph-2024-outreach-encounters": "Uppsökande socialt arbete: möten",
    "local-ph-2024-outreach-guidance": "Personer som fått personlig handledning och rådgivning",
}


def population(regions: list[dict[str, str]]) -> dict[str, int]:
    """Synthetic resident counts of every region: the demo municipalities' rough
    figures, and for the others their county's figure split by deterministic
    random weights."""
    out: dict[str, int] = {**COUNTY_POPULATION, "FI": 5_600_000}
    by_county: dict[str, list[str]] = {}
    for r in regions:
        if r["level"] == "municipality":
            by_county.setdefault(r["parent_code"], []).append(r["code"])
    for county, members in by_county.items():
        if all(m in DEMO_POPULATION for m in members):
            out.update({m: DEMO_POPULATION[m] for m in members})
            continue
        weights = {m: math.exp(_stable_rng("population", m).gauss(0, 0.9)) for m in members}
        total = sum(weights.values())
        out.update({m: int(max(100, round(COUNTY_POPULATION[county] * w / total, -2))) for m, w in weights.items()})
    return out


def _region_factor(indicator: str, region: str, spread: float) -> float:
    rng = _stable_rng("factor", indicator, region)
    return math.exp(rng.gauss(0, spread))


def generate_indicator_rows() -> tuple[list[dict], list[dict]]:
    regions = _read_codes("regions")
    meta: list[dict] = []
    values: list[dict] = []
    county_regions = [r["code"] for r in regions if r["level"] == "county"]
    municipalities = [r for r in regions if r["level"] == "municipality"]
    parent_of = {m["code"]: m["parent_code"] for m in municipalities}
    residents = population(regions)
    for ind, fi, sv, en, unit, decimals, base, slope, spread, pop_share, by_sex in SYNTHETIC_INDICATORS:
        meta.append(
            {
                "indicator_id": ind,
                "source": SYNTHETIC_SOURCE,
                "name_fi": fi,
                "name_sv": sv,
                "name_en": en,
                "unit": unit,
                "decimals": decimals,
                "licence": "CC BY 4.0 (demo)",
                "data_updated": "2025-06-30",
                "description": "Synteettiset arvot demoa varten; eivät ole THL:n tilastoja.",
                "kind": "synthetic",
                "synthetic": "true",
            }
        )
        for region in ["FI", *county_regions, *[m["code"] for m in municipalities]]:
            parent = parent_of.get(region)
            factor = 1.0 if region == "FI" else _region_factor(ind, region, spread)
            if parent:
                factor *= _region_factor(ind, parent, spread) ** 0.7
            rng = _stable_rng("values", ind, region)
            for year in range(2015, 2025):
                pop = residents[region] * (
                    1 + 0.004 * (2020 - year) * (1 if region in ("FI", "398", "491", "205") else 2)
                )
                rows: list[tuple[str, float, int]]  # (sex, value, persons)
                if base is None:  # population itself
                    rows = [("total", round(pop), round(pop))]
                else:
                    level = max(0.05, (base + slope * (year - 2015)) * factor * (1 + rng.gauss(0, 0.03)))
                    per = {"%": 100, "per 1000": 1000, "per 10 000": 10_000}[unit]
                    abs_total = level / per * pop * pop_share
                    rows = [("total", round(level, decimals), round(abs_total))]
                    if by_sex:
                        male = level * (1.12 + rng.gauss(0, 0.02))
                        female = level * (0.88 + rng.gauss(0, 0.02))
                        rows.append(("male", round(male, decimals), round(male / per * pop * pop_share / 2)))
                        rows.append(("female", round(female, decimals), round(female / per * pop * pop_share / 2)))
                for sex, value, abs_value in rows:
                    values.append(
                        {
                            "indicator_id": ind,
                            "region_code": region,
                            "year": year,
                            "sex": sex,
                            "value": value,
                            "abs_value": abs_value,
                            "n": "",
                        }
                    )
    for ind, fi, en, unit, value, n, region, year, source in LOCAL_INDICATORS:
        meta.append(
            {
                "indicator_id": ind,
                "source": source,
                "name_fi": fi,
                "name_sv": LOCAL_NAMES_SV.get(ind, fi),
                "name_en": en,
                "unit": unit,
                "decimals": 0,
                "licence": "",
                "data_updated": f"{year}-12-31" if year == 2021 else "2025-03-31",
                "description": "Julkaistu luku; paikallinen asiakastietokooste.",
                "kind": "local",
                "synthetic": "false",
            }
        )
        persons = value if unit in COUNT_UNITS else (round(value / 100 * n) if (n and unit == "%") else "")
        values.append(
            {
                "indicator_id": ind,
                "region_code": region,
                "year": year,
                "sex": "total",
                "value": value,
                "abs_value": persons,
                "n": n or "",
            }
        )
    return meta, values


# ---- writing the files --------------------------------------------------------------


def _write_csv(path: Path, header: list[str], rows: list[dict], delimiter: str = ";") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, header, delimiter=delimiter, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


def write_demo_files(folder: Path = DEMO_DIR, scale: str = "demo") -> dict[str, Path]:
    """Write the demo input files; returns name -> path. ``scale`` is 'demo'
    (three counties) or 'national' (every county and Helsinki, about 100 000
    reports and five million indicator values)."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; one of {', '.join(SCALES)}")
    regions = _read_codes("regions")
    names = {r["code"]: r["name_fi"] for r in regions}
    paths: dict[str, Path] = {}
    for county, rows in generate_report_rows(scale).items():
        path = folder / report_file(county, names[county])
        _write_csv(path, TEMPLATE_HEADER, rows)
        paths[f"reports_{county}"] = path
    meta, values = generate_indicator_rows()
    paths["indicators"] = folder / "indikaattorit.csv"
    _write_csv(paths["indicators"], list(meta[0]), meta)
    paths["indicator_values"] = folder / "indikaattoriarvot.csv"
    _write_csv(paths["indicator_values"], list(values[0]), values)
    if scale == "national":
        paths["national_indicators"] = folder / "indikaattorit_kansallinen.csv"
        extra = national.meta_rows()
        _write_csv(paths["national_indicators"], list(extra[0]), extra)
        codes_in_order = ["FI", *[r["code"] for r in regions if r["level"] != "country"]]
        parent = {r["code"]: r["parent_code"] or None for r in regions}
        residents = population(regions)
        table = national.values_table(
            codes_in_order, [parent[c] for c in codes_in_order], [residents[c] for c in codes_in_order], SEED
        )
        paths["national_indicator_values"] = folder / "indikaattoriarvot_kansallinen.csv"
        national.write_values(paths["national_indicator_values"], table)
    return paths


def build_demo(db_path: Path, folder: Path = DEMO_DIR, scale: str = "demo") -> dict[str, int]:
    """Generate the demo files and build a fresh database from them through
    the import code; the served file is replaced atomically at the end."""
    paths = write_demo_files(folder, scale)

    def work(con) -> dict[str, int]:
        summary = load_code_lists(con)
        resolver = Resolver.from_database(con)
        for key in [k for k in paths if k.startswith("reports_")]:
            parsed = read_reports_file(paths[key], resolver)
            if parsed.rejected_count:
                raise RuntimeError(f"demo file rejected rows: {parsed.rejected.to_dict('records')[:3]}")
            store_reports(con, parsed, loaded_by="build-demo", synthetic=True)
            summary[f"reports {key.removeprefix('reports_')}"] = parsed.loaded
        known = set(codes.regions(con)["code"])
        summary["indicator values"] = 0
        for meta_key, values_key in (
            ("indicators", "indicator_values"),
            ("national_indicators", "national_indicator_values"),
        ):
            if meta_key not in paths:
                continue
            parsed_ind = parse_indicator_files(paths[meta_key], paths[values_key], known)
            if len(parsed_ind.rejected):
                raise RuntimeError(f"demo indicator rows rejected: {parsed_ind.rejected.head(3).to_dict('records')}")
            store_indicators(con, parsed_ind, synthetic=True, loaded_by="build-demo")
            summary["indicator values"] += parsed_ind.loaded
        # The coordinator's published analysis of Päijät-Häme autumn 2024 (other periods stay unanalysed).
        published = autumn2024.publish_demo(con)
        summary["analysis phenomena"] = published.phenomena
        return summary

    return write_new_version(db_path, work, start_from_existing=False)
