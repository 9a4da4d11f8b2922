"""Mapping a form tool's own columns to the import template, in the browser.

A Webropol or Microsoft Forms export has its own headers ("Mitä kuntaa tai
aluetta havainto koskee?", Forms' ``ID, Start time, Completion time, Email,
Name, …``) in any order. :func:`inspect_table` looks at the headers and the
values of a file and suggests the template column of each: by the header's
words (lemmatised, so "kuntaa" is "kunta" and "Kohderyhmät" holds "ryhmä") and
by its values (names of the code tables, dates, long texts, short unique ids).
The coordinator confirms or changes the choice; the choice is kept as the TOML
mapping the command line already reads (``[columns]`` export header ->
template column), saved under a name in the ``mappings/`` folder beside the
database (0700, files 0600) with the headers it was made for, so the next file
with the same headers is imported with it and no TOML at all.

No Flask here: the pages are in ``web.routes.coordinator``; the work on a
file runs in the import's child process (``jobs``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..core import lemmas
from .reports import (
    EXCEL_SERIAL,
    MULTI_VALUED,
    NO,
    TEMPLATE_COLUMNS,
    YES,
    Mapping,
    Resolver,
    _parse_report_date,
    _split,
    norm,
    slash_order,
)
from .tables import Table, clean_cell, normalise_header

SAMPLE_ROWS = 3  # rows shown under each header
LOOK_AT_ROWS = 500  # rows whose values the suggestions look at
MAX_SHOWN = 120  # characters of a cell shown on the page
MAX_SAVED = 200  # saved mappings kept in the folder
MAX_NAME = 80
IGNORE = ""  # the choice "not imported"

# Words of a header (base forms, fi/sv/en) that point to a template column: (word, weight).
# Words that name many columns ("havainto" is in most questions of a form) weigh little.
HEADER_WORDS: dict[str, dict[str, float]] = {
    "raportin_tunniste": {"id": 2, "tunniste": 2, "tunnus": 2, "vastausnumero": 2, "nro": 1, "numero": 1, "nummer": 1},
    "pvm": {
        "pvm": 2,
        "päivämäärä": 2,
        "päivä": 1,
        "completion": 2,
        "completio": 2,
        "valmistumisaika": 2,
        "valmistuminen": 2,
        "lähetetty": 2,
        "submitted": 2,
        "datum": 2,
        "date": 2,
        "aika": 0.5,
        "time": 0.5,
        "start": -1,
        "aloitus": -1,
        "aloitusaika": -1,
        "modified": -2,
        "muokattu": -2,
    },
    "hyvinvointialue": {"hyvinvointialue": 2, "välfärdsområde": 2, "county": 2, "hva": 2},
    "palvelutehtava": {
        "palvelutehtävä": 2,
        "tulosyksikkö": 2,
        "yksikkö": 1,
        "tehtävä": 1,
        "palvelu": 0.5,
        "serviceuppgift": 2,
        "enhet": 1,
        "unit": 1,
        "service": 0.5,
    },
    "alue": {"kunta": 2, "alue": 1, "kaupunki": 1, "kommun": 2, "område": 1, "municipality": 2, "area": 1},
    "kohderyhma": {"kohderyhmä": 2, "asiakasryhmä": 2, "ryhmä": 1, "målgrupp": 2, "target": 1, "group": 1},
    "teema": {"teema": 2, "aihe": 1, "aihealue": 2, "tema": 2, "theme": 2, "topic": 1},
    "havainnon_tyyppi": {
        "tyyppi": 1,
        "luonne": 1,
        "laatu": 1,
        "kielteinen": 1,
        "myönteinen": 1,
        "typ": 1,
        "type": 1,
    },
    "havainto": {"havainto": 0.5, "kuvaus": 1, "kuvata": 1, "kuva": 0.5, "iakttagelse": 1, "observation": 1},
    "asiakkaan_aani": {"asiakas": 1, "ääni": 2, "kokemus": 1, "lainaus": 1, "röst": 2, "voice": 2, "klient": 1},
    "ratkaisuehdotus": {
        "ratkaisuehdotus": 2,
        "ratkaisu": 1,
        "ehdotus": 1,
        "kehittämisidea": 2,
        "idea": 1,
        "lösning": 1,
        "förslag": 1,
        "proposal": 2,
        "solution": 1,
    },
    "julkaistava": {"julkaista": 2, "julkaistava": 2, "julkinen": 1, "publicera": 2, "publish": 2, "lupa": 0.5},
    "nosto": {"nosto": 2, "nostaa": 1, "highlight": 2, "lyfta": 1},
    "kasitelty": {"käsitellä": 1, "käsitelty": 2, "handled": 2, "behandla": 1},
    "valitetty": {"välittää": 1, "välitetty": 2, "forwarded": 2, "vidarebefordra": 1},
    "toimenpide": {"toimenpide": 2, "action": 1, "åtgärd": 2},
    "seurannan_tila": {"seuranta": 1, "tila": 1, "status": 1},
}
# Headers a form tool adds that are never a template column.
NOT_IMPORTED = {"email", "sahkoposti", "name", "nimi", "last_modified_time", "viimeksi_muokattu", "e_post", "namn"}
# Template column -> the code table its values name (Resolver's dimensions).
CODED = {
    "hyvinvointialue": "county",
    "palvelutehtava": "service_unit",
    "kohderyhma": "target_group",
    "teema": "theme",
    "havainnon_tyyppi": "observation_type",
    "seurannan_tila": "followup_status",
}
TEXTS = ("havainto", "asiakkaan_aani", "ratkaisuehdotus", "kasitelty", "valitetty", "toimenpide")
MIN_SCORE = 1.5  # a suggestion needs at least this much evidence


@dataclass
class ColumnGuess:
    header: str
    samples: list[str]
    target: str  # a template column, or IGNORE
    basis: str  # "saved", "template", "header", "values", "header_values" or "" (no suggestion)


@dataclass
class Inspection:
    """A file's columns, what they look like, and the suggested template column of each."""

    source: str
    kind: str
    rows: int
    columns: list[ColumnGuess]
    signature: str
    saved: str | None = None  # the saved mapping the suggestions came from
    missing: list[str] = field(default_factory=list)  # required template columns no column is chosen for

    def choices(self) -> dict[int, str]:
        return {i: c.target for i, c in enumerate(self.columns)}


def signature(header: list[str]) -> str:
    """The headers of a file regardless of their order: how a saved mapping finds its next file."""
    names = sorted({normalise_header(h) for h in header if h.strip()})
    return "|".join(names)


def _words(header: str) -> set[str]:
    found = set(lemmas.words(header))
    for lang in ("fi", "sv"):
        found.update(lemmas.lemmas(header, lang))
    return found


def _header_score(header: str) -> dict[str, float]:
    words = _words(header)
    return {
        target: sum(weight for word, weight in table.items() if word in words) for target, table in HEADER_WORDS.items()
    }


def _values_score(values: list[str], resolver: Resolver, county: str | None) -> dict[str, float]:
    """How well a column's values fit each template column, 0..3."""
    filled = [v for v in values if v.strip()]
    if not filled:
        return {}
    scores: dict[str, float] = {}
    distinct = list(dict.fromkeys(filled))[:200]
    parts = list(dict.fromkeys(p for v in distinct for p in _split(v)))[:300]

    def share(items: list[str], resolve) -> float:
        return sum(resolve(item) is not None for item in items) / len(items) if items else 0.0

    for target, dimension in CODED.items():
        items = parts if target in MULTI_VALUED else distinct
        scores[target] = 3 * share(items, lambda v, d=dimension: resolver.one(d, v))
    scores["alue"] = 3 * share(parts, lambda v: resolver.area(v, county))
    order = slash_order(distinct).order
    scores["pvm"] = 3 * share(
        distinct, lambda v: _parse_report_date(v, order) if not EXCEL_SERIAL.fullmatch(v) else None
    )
    if all(EXCEL_SERIAL.fullmatch(v.strip()) for v in distinct):
        # Whole numbers of five digits: Excel's day numbers (45570) when they fall in this century.
        days = [_parse_report_date(v.strip()) for v in distinct]
        if all(d and dt.date(2000, 1, 1) <= d <= dt.date.today() for d in days):
            scores["pvm"] = 3.0
    yes_no = sum(norm(v) in YES or norm(v) in NO for v in distinct) / len(distinct)
    scores["julkaistava"] = scores["nosto"] = 1.5 * yes_no
    mean = sum(map(len, filled)) / len(filled)
    coded = max(scores.values())
    if mean >= 25 and coded < 1.5:
        for target in TEXTS:
            scores[target] = 1.0
        scores["havainto"] = 1.5 if mean >= 40 else 1.0
    if len(set(filled)) == len(filled) and mean <= 20 and coded < 1.5 and not any(" " in v.strip() for v in filled):
        scores["raportin_tunniste"] = 1.0
    return scores


def suggest(table: Table, resolver: Resolver, county: str | None = None) -> list[ColumnGuess]:
    """The template column each of the file's columns most likely is: each template
    column goes to at most one file column, the best evidence first."""
    rows = table.rows[:LOOK_AT_ROWS]
    candidates: list[tuple[float, int, str, str]] = []
    columns: list[ColumnGuess] = []
    for i, header in enumerate(table.header):
        values = [clean_cell(cells[i]).strip() if i < len(cells) else "" for _, cells in rows]
        samples = [v if len(v) <= MAX_SHOWN else v[: MAX_SHOWN - 1] + "…" for v in values[:SAMPLE_ROWS]]
        columns.append(ColumnGuess(header, samples, IGNORE, ""))
        name = normalise_header(header)
        if not name or name in NOT_IMPORTED:
            continue
        if name in TEMPLATE_COLUMNS:  # the template's own header
            candidates.append((100.0, i, name, "template"))
            continue
        by_header = _header_score(header)
        by_values = _values_score(values, resolver, county)
        for target in TEMPLATE_COLUMNS:
            header_part, values_part = by_header.get(target, 0.0), by_values.get(target, 0.0)
            score = header_part + values_part
            if score >= MIN_SCORE and (header_part > 0 or values_part >= MIN_SCORE):
                basis = (
                    "header_values" if header_part > 0 and values_part > 0 else "header" if header_part else "values"
                )
                candidates.append((score, i, target, basis))
    taken_columns: set[int] = set()
    taken_targets: set[str] = set()
    for _score, i, target, basis in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if i in taken_columns or target in taken_targets:
            continue
        columns[i].target, columns[i].basis = target, basis
        taken_columns.add(i)
        taken_targets.add(target)
    return columns


def missing_targets(targets: list[str], county: str | None) -> list[str]:
    """The required template columns not among ``targets``."""
    chosen = set(targets)
    missing = [c for c, (required, _) in TEMPLATE_COLUMNS.items() if required and c not in chosen]
    if "hyvinvointialue" not in chosen and not county:
        missing.append("hyvinvointialue")
    return missing


def table_targets(table: Table, mapping: Mapping) -> list[str]:
    return [mapping.columns.get(normalise_header(h), normalise_header(h)) for h in table.header]


def inspect_table(
    table: Table, resolver: Resolver, county: str | None = None, saved: SavedMapping | None = None
) -> Inspection:
    """The file's columns with their suggested targets (a saved mapping's choices first)."""
    columns = suggest(table, resolver, county)
    if saved is not None:
        for column in columns:
            target = saved.mapping.columns.get(normalise_header(column.header))
            if target is not None:
                column.target, column.basis = target, "saved"
    return Inspection(
        source=table.source,
        kind=table.kind,
        rows=len(table.rows),
        columns=columns,
        signature=signature(table.header),
        saved=saved.name if saved else None,
        missing=missing_targets([c.target for c in columns], county),
    )


def mapping_toml(
    header: list[str], choices: dict[int, str], name: str = "", county: str | None = None, saved_by: str = ""
) -> bytes:
    """The TOML mapping of the chosen columns: ``[columns]`` file header -> template column,
    plus the headers it was made for (``headers``), its name, the county and who saved it."""

    def text(value: str) -> str:
        # A JSON string is a TOML basic string, but for DEL, which TOML wants escaped too (a header
        # with one made the mapping unreadable: the file could not be previewed or imported).
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")

    lines = ["# Tilannekuva: sarakkeiden vastaavuus / kolumnernas motsvarighet / column mapping"]
    if name:
        lines.append(f"name = {text(name)}")
    if county:
        lines.append(f"county = {text(county)}")
    if saved_by:
        lines.append(f"saved_by = {text(saved_by)}")
    lines.append(f"saved_at = {text(dt.datetime.now().isoformat(timespec='seconds'))}")
    lines.append("headers = [" + ", ".join(text(h) for h in header) + "]")
    lines.append("")
    lines.append("[columns]")
    for i, h in enumerate(header):
        target = choices.get(i, IGNORE)
        if target and target in TEMPLATE_COLUMNS and h.strip():
            lines.append(f"{text(h)} = {text(target)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def mapping_of(header: list[str], choices: dict[int, str]) -> Mapping:
    """The same choices as a Mapping (for a preview without saving)."""
    return Mapping.from_bytes(mapping_toml(header, choices))


# ---- saved mappings -------------------------------------------------------------------


@dataclass(frozen=True)
class SavedMapping:
    name: str
    path: Path
    signature: str
    county: str | None
    mapping: Mapping
    saved_at: str


def slug(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60] or "vastaavuus"


def clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", "".join(c for c in name if c.isprintable())).strip()[:MAX_NAME]


def saved_mappings(folder: Path | None) -> list[SavedMapping]:
    """The saved mappings, newest first; a file that is not a mapping is left out."""
    if folder is None or not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.toml"))[:MAX_SAVED]:
        try:
            raw = path.read_bytes()
            mapping = Mapping.from_bytes(raw, path.name)
            data = tomllib.loads(raw.decode("utf-8-sig"))
        except (OSError, ValueError):
            continue
        headers = data.get("headers")
        if not isinstance(headers, list) or not all(isinstance(h, str) for h in headers):
            continue
        county, name = data.get("county"), data.get("name")
        county = county if isinstance(county, str) else None
        name = name if isinstance(name, str) else path.stem
        saved_at = str(data.get("saved_at", ""))
        found.append(SavedMapping(name, path, signature(headers), county, mapping, saved_at))
    return sorted(found, key=lambda m: m.saved_at, reverse=True)


def find_saved(folder: Path | None, header: list[str]) -> SavedMapping | None:
    """The newest saved mapping made for exactly these headers (in any order)."""
    wanted = signature(header)
    return next((m for m in saved_mappings(folder) if m.signature == wanted), None)


def nearest_saved(folder: Path | None, header: list[str]) -> SavedMapping | None:
    """The saved mapping whose mapped headers the file has the most of (at least one)."""
    names = {normalise_header(h) for h in header}
    best, best_count = None, 0
    for saved in saved_mappings(folder):
        count = len(names & set(saved.mapping.columns))
        if count > best_count:
            best, best_count = saved, count
    return best


def save_mapping(folder: Path, name: str, data: bytes) -> Path:
    """Write a mapping under its name (the same name replaces the older one), privately and atomically."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / f"{slug(name)}.toml"
    temporary = folder / f".{target.name}.{os.getpid()}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.replace(temporary, target)
    return target
