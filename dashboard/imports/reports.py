"""Importing social reports from the form tool's export.

The default format is the documented template with Finnish headers (see
``TEMPLATE_COLUMNS``); a TOML mapping file renames other exports' columns and
values to it. Every input row ends up either loaded or rejected with its row
number and every reason; loaded + rejected = rows read, always.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import time
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from queries.analysis import text_hash_sql
from queries.schema import LINKED

from ..analysis import screening
from ..core.config import LANGUAGES
from ..core.filters import parse_date
from ..core.formatting import fmt_date
from ..core.i18n import LazyText, lazy_t, lazy_tn, render_all
from ..core.search import index_text
from ..core.vocabulary import NATIONAL, Vocabulary
from .records import record_load
from .tables import ImportFileError, Table, bulk, clean_cell, normalise_header, read_table

# template column -> (required, its note in the template, in the reader's language)
TEMPLATE_COLUMNS: dict[str, tuple[bool, LazyText]] = {
    "raportin_tunniste": (True, lazy_t("template.help.raportin_tunniste")),
    "pvm": (True, lazy_t("template.help.pvm")),
    "hyvinvointialue": (False, lazy_t("template.help.hyvinvointialue")),
    "palvelutehtava": (True, lazy_t("template.help.palvelutehtava")),
    "alue": (True, lazy_t("template.help.alue")),
    "kohderyhma": (True, lazy_t("template.help.kohderyhma")),
    "teema": (False, lazy_t("template.help.teema")),
    "havainnon_tyyppi": (True, lazy_t("template.help.havainnon_tyyppi")),
    "havainto": (True, lazy_t("template.help.havainto")),
    "asiakkaan_aani": (False, lazy_t("template.help.asiakkaan_aani")),
    "ratkaisuehdotus": (False, lazy_t("template.help.ratkaisuehdotus")),
    "julkaistava": (False, lazy_t("template.help.julkaistava")),
    "nosto": (False, lazy_t("template.help.nosto")),
    "kasitelty": (False, lazy_t("template.help.kasitelty")),
    "valitetty": (False, lazy_t("template.help.valitetty")),
    "toimenpide": (False, lazy_t("template.help.toimenpide")),
    "seurannan_tila": (False, lazy_t("template.help.seurannan_tila")),
}
# The report's own columns (what the reporting form stores a submission as) and the coordinator's
# follow-up columns after them, in the template's order.
FOLLOWUP_COLUMNS = ("nosto", "kasitelty", "valitetty", "toimenpide", "seurannan_tila")
REPORT_COLUMNS = tuple(column for column in TEMPLATE_COLUMNS if column not in FOLLOWUP_COLUMNS)
MULTI_SPLIT = re.compile(r"[;\n\r]+")
YES = {"kyllä", "kylla", "k", "yes", "y", "ja", "true", "1", "x"}
NO = {"ei", "e", "no", "n", "nej", "false", "0", ""}
WHOLE_COUNTY = {
    "koko hyvinvointialue",
    "koko alue",
    "koko hva",
    "hela välfärdsområdet",
    "whole county",
    "the whole wellbeing county",
}
NATIONAL_NAMES = {
    "valtakunnallinen ilmiö",
    "valtakunnallinen",
    "national",
    "national phenomenon",
    "nationellt fenomen",
    "koko suomi",
    "koko maa",
}
MAX_TEXT = 20_000
MAX_MAPPING_BYTES = 64 * 1024  # a mapping file names a few dozen columns and values
EARLIEST = dt.date(2000, 1, 1)
MULTI_VALUED = ("alue", "kohderyhma", "teema")  # columns that take several values
# The names of the two areas that are not places, per language (the template's list shows these).
AREA_NAMES = {
    "fi": ("Koko hyvinvointialue", "Valtakunnallinen ilmiö"),
    "sv": ("Hela välfärdsområdet", "Nationellt fenomen"),
    "en": ("Whole county", "National phenomenon"),
}


SPACES = re.compile(r"\s+")
WORDS = re.compile(r"\w+")
SUGGEST_SECONDS = 5.0  # looking up the nearest valid names for a file's unknown names, in all
MAX_SKIPPED_COUNTED = 100_000


@lru_cache(maxsize=65_536)  # the same few names on every row of a file
def norm(text: str) -> str:
    """Forgiving comparison key: case and extra spaces."""
    text = unicodedata.normalize("NFC", str(text)).casefold().strip()
    return SPACES.sub(" ", text)


@dataclass
class Resolver:
    """Turns names or codes into codes, forgivingly and then exactly.

    An unknown name gets the nearest valid names, looked up once per distinct
    value and within ``suggest_seconds`` for the whole file: a file of
    100 000 different unknown names costs seconds, not minutes; the values
    past the budget are rejected with their reason but without a guess
    (``skipped`` counts them)."""

    maps: dict[str, dict[str, str]]
    county_of: dict[str, str]  # municipality code -> county code
    labels: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # dimension -> code -> (fi, sv, en)
    suggest_seconds: float = SUGGEST_SECONDS
    _suggested: dict[tuple[str, str], list[tuple]] = field(default_factory=dict, repr=False)
    _candidates: dict[str, tuple[dict[str, tuple], dict[str, frozenset[str]]]] = field(default_factory=dict, repr=False)
    _spent: float = field(default=0.0, repr=False)
    _skipped: set[int] = field(default_factory=set, repr=False)

    @property
    def skipped(self) -> int:
        """How many distinct unknown values got no suggestion (the budget was spent; counted up to
        MAX_SKIPPED_COUNTED)."""
        return len(self._skipped)

    @property
    def looked_up(self) -> int:
        """How many distinct unknown values the nearest names were looked up for."""
        return len(self._suggested)

    @classmethod
    def from_database(cls, con: duckdb.DuckDBPyConnection) -> Resolver:
        maps: dict[str, dict[str, str]] = {}
        labels: dict[str, dict[str, tuple[str, ...]]] = {}
        for dimension, table in (
            ("target_group", "target_groups"),
            ("theme", "themes"),
            ("observation_type", "observation_types"),
            ("service_unit", "service_units"),
            ("followup_status", "followup_statuses"),
        ):
            mapping: dict[str, str] = {}
            for code, fi, sv, en, aliases in con.execute(
                f"SELECT code, name_fi, name_sv, name_en, coalesce(aliases, '') FROM {table}"
            ).fetchall():
                for name in (code, fi, sv, en, *[a for a in aliases.split("|") if a]):
                    mapping.setdefault(norm(name), code)
                labels.setdefault(dimension, {})[code] = (fi, sv, en)
            maps[dimension] = mapping
        counties: dict[str, str] = {}
        municipalities: dict[str, str] = {}
        county_of: dict[str, str] = {}
        for code, level, fi, sv, en, parent in con.execute(
            "SELECT code, level, name_fi, name_sv, name_en, parent_code FROM regions"
        ).fetchall():
            if level == "county":
                for name in (
                    code,
                    fi,
                    sv,
                    en,
                    f"{fi}n hyvinvointialue",
                    f"{fi} hyvinvointialue",
                    f"{en} wellbeing services county",
                ):
                    counties.setdefault(norm(name), code)
                labels.setdefault("county", {})[code] = (fi, sv, en)
            elif level == "municipality":
                county_of[code] = parent
                for name in (code, fi, sv, en):
                    municipalities.setdefault(norm(name), code)
                labels.setdefault("municipality", {})[code] = (fi, sv, en)
        # Genitive forms of county names ('Päijät-Hämeen hyvinvointialue', 'Kainuun ...').
        for fi, code in con.execute("SELECT name_fi, code FROM regions WHERE level = 'county'").fetchall():
            counties.setdefault(norm(fi + "en hyvinvointialue"), code)
            counties.setdefault(norm(fi + "n hyvinvointialue"), code)
        maps["county"] = counties
        maps["municipality"] = municipalities
        return cls(maps=maps, county_of=county_of, labels=labels)

    def one(self, dimension: str, value: str) -> str | None:
        return self.maps[dimension].get(norm(value))

    def _names(self, dimension: str) -> tuple[dict[str, tuple], dict[str, frozenset[str]]]:
        """The valid names of a dimension in every language (normalised name -> what it names:
        ``(dimension, code)``, or ``("area", i)`` for the i-th of AREA_NAMES) and their words, built once."""
        if dimension not in self._candidates:
            dimensions = ("municipality", "county") if dimension == "area" else (dimension,)
            names: dict[str, tuple] = {}
            for dim in dimensions:
                for name, code in self.maps.get(dim, {}).items():
                    names.setdefault(name, (dim, code))
            if dimension == "area":
                for lang in LANGUAGES:
                    names.update({norm(n): ("area", i) for i, n in enumerate(AREA_NAMES.get(lang, AREA_NAMES["fi"]))})
            words = {name: frozenset(WORDS.findall(name)) for name in names}
            self._candidates[dimension] = (names, words)
        return self._candidates[dimension]

    def _label(self, target: tuple, lang: str) -> str:
        kind, what = target
        if kind == "area":
            return AREA_NAMES.get(lang, AREA_NAMES["fi"])[what]
        labels = self.labels.get(kind, {})
        return labels[what][LANGUAGES.index(lang) if lang in LANGUAGES else 0] if what in labels else what

    def suggest(self, dimension: str, value: str, limit: int = 3, lang: str = "fi") -> list[str]:
        """The valid names nearest to an unknown ``value`` ('Nuoret' ->
        'Lapset, nuoret ja perheet'; 'Lahtti' -> 'Lahti'): names that hold
        every word of it, then names that are spelt alike (difflib); in ``lang``."""
        key = norm(value)[:100]
        if not key:
            return []
        return [self._label(target, lang) for target in self._targets(dimension, key, limit)]

    def _targets(self, dimension: str, key: str, limit: int = 3) -> list[tuple]:
        names, words_of = self._names(dimension)
        words = set(WORDS.findall(key))
        holding = [n for n, w in words_of.items() if words and words <= w and n != key]
        alike = difflib.get_close_matches(key, list(names), n=limit * 3, cutoff=0.75)
        found: list[tuple] = []
        labels: set[str] = set()  # Helsinki the municipality and Helsinki the county: one suggestion
        for name in sorted(holding, key=len) + alike:
            target = names[name]
            label = self._label(target, "fi")
            if label not in labels:
                labels.add(label)
                found.append(target)
        return found[:limit]

    def nearest(self, dimension: str, value: str) -> list[tuple]:
        """What the nearest valid names name, once per distinct value and within the file's budget."""
        key = (dimension, norm(value)[:100])
        if key in self._suggested:
            return self._suggested[key]
        if self._spent >= self.suggest_seconds:
            if len(self._skipped) < MAX_SKIPPED_COUNTED:
                self._skipped.add(hash(key))
            return []
        began = time.perf_counter()
        near = self._suggested[key] = self._targets(dimension, key[1]) if key[1] else []
        self._spent += time.perf_counter() - began
        return near

    def unknown(self, dimension: str, label: str, value: str) -> LazyText:
        """The reason for an unknown value in the template column ``label``, with the nearest
        valid names in the reader's language."""
        targets = self.nearest(dimension, value)
        column = lazy_t(f"import.field.{label}")
        shown = value if len(value) <= 200 else value[:200] + "…"
        if targets:
            near = {lang: " / ".join(self._label(t, lang) for t in targets) for lang in LANGUAGES}
            return lazy_t("import.unknown_value_near", field=column, value=shown, near=near)
        return lazy_t("import.unknown_value", field=column, value=shown)

    def outside(self, area: str | None, county: str | None) -> bool:
        """Whether an area code names a place outside ``county`` (a municipality of
        another county, or another county); the whole country never is."""
        if not area or not county or area in (NATIONAL, county):
            return False
        return self.county_of.get(area, area) != county

    def county_name(self, county: str | None, lang: str = "fi") -> str:
        names = self.labels.get("county", {}).get(county or "")
        return names[LANGUAGES.index(lang) if lang in LANGUAGES else 0] if names else (county or "")

    def area(self, value: str, county: str | None) -> str | None:
        key = norm(value)
        if key in NATIONAL_NAMES:
            return NATIONAL
        if key in WHOLE_COUNTY or key.startswith("koko ") and self.maps["county"].get(key[5:]):
            return county if key in WHOLE_COUNTY else self.maps["county"][key[5:]]
        return self.maps["municipality"].get(key) or self.maps["county"].get(key)


@dataclass
class Mapping:
    """A TOML mapping: [columns] export header -> template column;
    [values.<template column>] exported value -> template value."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | str | None) -> Mapping:
        if path is None:
            return cls()
        try:
            return cls.from_bytes(Path(path).read_bytes(), Path(path).name)
        except OSError as exc:
            raise ImportFileError(
                lazy_t("import.file.mapping_unreadable", name=Path(path).name, error=str(exc))
            ) from exc

    @classmethod
    def from_bytes(cls, raw: bytes, name: str = "mapping.toml") -> Mapping:
        if len(raw) > MAX_MAPPING_BYTES:
            raise ImportFileError(lazy_t("import.file.mapping_too_large", name=name, max=MAX_MAPPING_BYTES // 1024))
        try:
            data = tomllib.loads(raw.decode("utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ImportFileError(lazy_t("import.file.mapping_unreadable", name=name, error=str(exc))) from exc
        except (RecursionError, MemoryError) as exc:  # arrays or tables nested thousands deep
            raise ImportFileError(lazy_t("import.file.mapping_nested", name=name)) from exc
        columns_in, values_in = data.get("columns", {}), data.get("values", {})
        scalar = (str, int, float, bool)
        if not isinstance(columns_in, dict) or not all(isinstance(v, str) for v in columns_in.values()):
            raise ImportFileError(lazy_t("import.file.mapping_shape", name=name, section="[columns]"))
        if not isinstance(values_in, dict) or not all(
            isinstance(m, dict) and all(isinstance(v, scalar) for v in m.values()) for m in values_in.values()
        ):
            raise ImportFileError(lazy_t("import.file.mapping_shape", name=name, section="[values]"))
        columns = {normalise_header(k): normalise_header(v) for k, v in columns_in.items()}
        unknown = sorted(set(columns.values()) - set(TEMPLATE_COLUMNS))
        if unknown:
            raise ImportFileError(lazy_t("import.file.mapping_columns", columns=", ".join(unknown)))
        values = {
            normalise_header(col): {norm(k): str(v) for k, v in mapping.items()} for col, mapping in values_in.items()
        }
        return cls(columns=columns, values=values)


@dataclass
class ParsedReports:
    source: str
    rows_read: int
    reports: pd.DataFrame
    areas: pd.DataFrame
    target_groups: pd.DataFrame
    themes: pd.DataFrame
    rejected: pd.DataFrame  # original cells + 'rivi' + 'virheet' (the reasons in the reader's language)
    present_columns: set[str]
    kind: str = "csv"  # the file read: "csv" or "xlsx"
    notes: list[LazyText] = field(default_factory=list)  # what the import converted or guessed, for the whole file
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (row, what to check) of loaded rows, in lang
    updated: int = 0  # of the loaded reports, those that were already in the database (set by store_reports)
    # Of the loaded reports marked publishable, those an unresolved privacy hit holds back (store_reports).
    held: int = 0
    screened: dict | None = None  # the texts' privacy hits, screened before the writer's lock (screening.prescreen)
    new_ids: int | None = None  # loaded reports not yet in the database, when known before the store (a preview)

    @property
    def added(self) -> int:
        return self.loaded - self.updated

    # Each rejected row's number and its reasons as messages (lazy_t; the reporting form puts
    # each beside its field, the intake keeps them in every language).
    reasons: list[tuple[int, list]] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        return len(self.reports)

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)


@lru_cache(maxsize=65_536)
def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in MULTI_SPLIT.split(value or "") if part.strip())


SLASH_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
EXCEL_SERIAL = re.compile(r"[0-9]{5}(?:[.,][0-9]+)?")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug makes day 60 the 29th of February)
MONTH_FIRST, DAY_FIRST = "mdy", "dmy"


@lru_cache(maxsize=65_536)  # a file holds a few hundred distinct days
def _parse_report_date(value: str, slash_order: str = MONTH_FIRST) -> dt.date | None:
    """A report's date: ``1.9.2024``, ``2024-09-01``, a form tool's timestamp
    (``2024-09-01 11:02``, ``10/9/2024 11:02``; the date part is kept), or an
    Excel serial day (``45570`` = 5.10.2024, a date cell saved as a plain
    number). A slash date is read in ``slash_order`` (see :func:`slash_order`)."""
    value = value.strip()
    if EXCEL_SERIAL.fullmatch(value):
        day = int(value.replace(",", ".").split(".")[0])
        return EXCEL_EPOCH + dt.timedelta(days=day) if day > 60 else None
    # Form tools often export a timestamp: keep the date part.
    value = re.split(r"[ T]", value, maxsplit=1)[0] if re.match(r"^\d", value) else value
    found = SLASH_DATE.fullmatch(value)
    if found:
        first, second, year = int(found[1]), int(found[2]), int(found[3])
        month, day = (first, second) if slash_order == MONTH_FIRST else (second, first)
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return parse_date(value)


@dataclass(frozen=True)
class SlashDates:
    """How a file's slash dates (``10/9/2024``) are read, and why."""

    order: str  # MONTH_FIRST or DAY_FIRST
    count: int  # slash dates in the file
    ambiguous: int  # of them, dates whose both first numbers are 12 or less
    decided: bool  # the file itself showed the order (a date like 25/9/2024 or 9/25/2024)
    example: str  # the first ambiguous date of the file (or the first slash date)


def slash_order(values: list[str]) -> SlashDates:
    """The order of a file's slash dates, decided for the whole column, never row by row.

    The rule: a date whose first number is over 12 (``25/9/2024``) shows the
    file writes the day first; one whose second number is over 12
    (``9/25/2024``) shows the month first; the order shown by more dates wins.
    When no date shows it (every date like ``10/9/2024``), the month comes
    first, as in Microsoft Forms' export (its ``Start time`` and ``Completion
    time`` are written m/d/yyyy), and the result says so. A date the chosen
    order cannot read is rejected with its row."""
    day_first = month_first = ambiguous = count = 0
    first_seen = first_ambiguous = ""
    for value in values:
        found = SLASH_DATE.match(value.strip())
        if not found:
            continue
        count += 1
        first_seen = first_seen or value.strip()
        first, second = int(found[1]), int(found[2])
        if first > 12:
            day_first += 1
        elif second > 12:
            month_first += 1
        else:
            ambiguous += 1
            first_ambiguous = first_ambiguous or value.strip()
    order = DAY_FIRST if day_first > month_first else MONTH_FIRST
    return SlashDates(order, count, ambiguous, bool(day_first or month_first), first_ambiguous or first_seen)


def parse_reports(
    table: Table,
    resolver: Resolver,
    county: str | None = None,
    mapping: Mapping | None = None,
    lang: str = "fi",
) -> ParsedReports:
    """Check every row; a row is loaded or rejected with its row number and every reason
    (in ``lang``, the language of whoever reads them)."""
    with bulk():
        return _parse_reports(table, resolver, county, mapping, lang)


def _parse_reports(
    table: Table, resolver: Resolver, county: str | None, mapping: Mapping | None, lang: str = "fi"
) -> ParsedReports:
    mapping = mapping or Mapping()
    columns = [mapping.columns.get(normalise_header(h), normalise_header(h)) for h in table.header]
    present = {c for c in columns if c in TEMPLATE_COLUMNS}
    missing: list[object] = [c for c, (required, _) in TEMPLATE_COLUMNS.items() if required and c not in present]
    if "hyvinvointialue" not in present and not county:
        missing.append(lazy_t("import.file.county_column"))
    if missing:
        raise ImportFileError(
            lazy_t(
                "import.file.missing_columns",
                missing={lang: render_all(missing, lang, ", ") for lang in LANGUAGES},
                found=", ".join(h for h in table.header if h.strip()),
            )
        )
    county_code = None
    if county:
        county_code = resolver.one("county", county)
        if county_code is None:
            raise ImportFileError(
                lazy_t("import.unknown_value", field=lazy_t("import.field.hyvinvointialue"), value=county)
            )

    position: dict[str, int] = {}  # the first column of each template name
    for i, name in enumerate(columns):
        if name in TEMPLATE_COLUMNS:
            position.setdefault(name, i)
    value_maps = {name: mapping.values[name] for name in position if mapping.values.get(name)}
    width = len(columns)
    latest = dt.date.today() + dt.timedelta(days=1)
    date_at = position["pvm"]
    raw_dates = [clean_cell(cells[date_at]) if date_at < len(cells) else "" for _, cells in table.rows]
    slashes = slash_order(raw_dates)
    serials = [v.strip() for v in raw_dates if EXCEL_SERIAL.fullmatch(v.strip())]
    notes = _date_notes(slashes, serials)
    warnings: list[tuple[int, str]] = []

    reports: list[tuple] = []
    areas: list[tuple[str, str, str]] = []
    groups: list[tuple[str, str, str]] = []
    themes: list[tuple[str, str, str]] = []
    rejected: list[dict] = []
    reasons: list[tuple[int, list]] = []
    first_row_of_id: dict[tuple[str | None, str], int] = {}
    for number, cells in table.rows:
        if len(cells) < width:
            cells = list(cells) + [""] * (width - len(cells))
        record: dict[str, str] = {}
        for name, i in position.items():
            value = clean_cell(cells[i]).strip()
            if name in value_maps:
                value = value_maps[name].get(norm(value), value)
            record[name] = value
        errors: list[object] = []  # reasons: lazy_t(...) messages, shown in the reader's language

        def need(name: str, label: str) -> str:
            value = record.get(name, "")
            if not value:
                errors.append(lazy_t("import.missing_value", field=lazy_t(f"import.field.{label}")))
            return value

        report_id = need("raportin_tunniste", "raportin_tunniste")
        if len(report_id) > 100:
            errors.append(lazy_t("import.id_too_long", max=100))

        raw_date = need("pvm", "pvm")
        submitted = _parse_report_date(raw_date, slashes.order) if raw_date else None
        if raw_date and submitted is None:
            errors.append(lazy_t("import.bad_date", value=raw_date))
        elif submitted and not (EARLIEST <= submitted <= latest):
            errors.append(lazy_t("import.impossible_date", value=raw_date))

        row_county = county_code
        raw_county = record.get("hyvinvointialue", "")
        if raw_county:
            found = resolver.one("county", raw_county)
            if found is None:
                errors.append(resolver.unknown("county", "hyvinvointialue", raw_county))
            elif county_code and found != county_code:
                errors.append(lazy_t("import.county_mismatch", value=raw_county, county=county))
            else:
                row_county = found
        elif not county_code:
            errors.append(lazy_t("import.missing_value", field=lazy_t("import.field.hyvinvointialue")))
        if report_id and row_county:
            # Form tools number answers 1, 2, 3...: an id is unique within its county.
            if (row_county, report_id) in first_row_of_id:
                errors.append(lazy_t("import.duplicate_id", row=first_row_of_id[(row_county, report_id)]))
            else:
                first_row_of_id[(row_county, report_id)] = number

        def coded(name: str, dimension: str, label: str, required: bool = True) -> str | None:
            raw = need(name, label) if required else record.get(name, "")
            if not raw:
                return None
            code = resolver.one(dimension, raw)
            if code is None:
                errors.append(resolver.unknown(dimension, label, raw))
            return code

        unit = coded("palvelutehtava", "service_unit", "palvelutehtava")
        otype = coded("havainnon_tyyppi", "observation_type", "havainnon_tyyppi")
        status = coded("seurannan_tila", "followup_status", "seurannan_tila", required=False)

        def many(name: str, label: str, dimension: str, resolve, required: bool) -> list[str]:
            raw = record.get(name, "")
            parts = _split(raw)
            if required and not parts:
                errors.append(lazy_t("import.missing_value", field=lazy_t(f"import.field.{label}")))
            codes: list[str] = []
            for part in parts:
                code = resolve(part)
                if code is None:
                    errors.append(_comma_hint(part, label, resolve) or resolver.unknown(dimension, label, part))
                elif code not in codes:
                    codes.append(code)
            return codes

        area_codes = many("alue", "alue", "area", lambda v: resolver.area(v, row_county), True)
        group_codes = many("kohderyhma", "kohderyhma", "target_group", lambda v: resolver.one("target_group", v), True)
        theme_codes = many("teema", "teema", "theme", lambda v: resolver.one("theme", v), False)

        observation = need("havainto", "havainto")
        flags = {}
        for name in ("julkaistava", "nosto"):
            raw_flag = norm(record.get(name, ""))
            flags[name] = raw_flag in YES
            if raw_flag not in YES and raw_flag not in NO:
                errors.append(lazy_t("import.not_yes_no", column=name, value=record.get(name)))
        for name, value in record.items():  # every column: texts, follow-up notes and lists of names alike
            if len(value) > MAX_TEXT:
                errors.append(lazy_t("import.text_too_long", column=name, max=MAX_TEXT))

        if errors:
            rejected.append({"rivi": number, "virheet": render_all(errors, lang), **dict(zip(table.header, cells))})
            reasons.append((number, errors))
            continue
        assert row_county is not None  # no error: the upload or the row named the county
        outside = [
            part
            for part in _split(record.get("alue", ""))
            if resolver.outside(resolver.area(part, row_county), row_county)
        ]
        if outside:
            county_names = {lang_: resolver.county_name(row_county, lang_) for lang_ in LANGUAGES}
            text = lazy_t("import.warn.area_outside", areas=", ".join(outside), county=county_names)
            warnings.append((number, text.message(lang)))
        reports.append(
            (
                report_id,
                row_county,
                submitted,
                unit,
                otype,
                observation,
                record.get("asiakkaan_aani") or None,
                record.get("ratkaisuehdotus") or None,
                flags["julkaistava"],
                flags["nosto"],
                status or "new",
                record.get("kasitelty") or None,
                record.get("valitetty") or None,
                record.get("toimenpide") or None,
            )
        )
        areas.extend((row_county, report_id, c) for c in area_codes)
        groups.extend((row_county, report_id, c) for c in group_codes)
        themes.extend((row_county, report_id, c) for c in theme_codes)

    def frame(rows: list[tuple], cols: list[str]) -> pd.DataFrame:
        """Rows of tuples to a DataFrame through Arrow (much faster than pandas' own
        conversion for 100 000 rows of text)."""
        types = {"submitted_on": pa.date32(), "publishable": pa.bool_(), "highlight": pa.bool_()}
        columns = list(zip(*rows)) if rows else [()] * len(cols)
        return pa.table(
            {name: pa.array(values, types.get(name, pa.string())) for name, values in zip(cols, columns)}
        ).to_pandas()

    return ParsedReports(
        source=table.source,
        rows_read=len(table.rows),
        reports=frame(reports, REPORT_FIELDS),
        areas=frame(areas, ["county_code", "report_id", "area_code"]),
        target_groups=frame(groups, ["county_code", "report_id", "target_group"]),
        themes=frame(themes, ["county_code", "report_id", "theme"]),
        rejected=pd.DataFrame(rejected, columns=["rivi", "virheet", *table.header]),
        present_columns=present,
        kind=table.kind,
        notes=notes,
        warnings=warnings,
        reasons=reasons,
    )


def _comma_hint(value: str, label: str, resolve) -> LazyText | None:
    """'Lahti, Heinola' is two names written with a comma: the reason says to use ';'
    (a comma cannot split values itself: 'Lapset, nuoret ja perheet' is one name)."""
    if "," not in value:
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if len(parts) < 2 or any(resolve(p) is None for p in parts):
        return None
    return lazy_t("import.use_semicolon", field=lazy_t(f"import.field.{label}"), value=value, fixed="; ".join(parts))


def _date_notes(slashes: SlashDates, serials: list[str]) -> list[LazyText]:
    """What the file's dates were read as, when they were not 1.9.2024 or 2024-09-01."""
    notes: list[LazyText] = []
    if slashes.count:
        read = _parse_report_date(slashes.example, slashes.order)
        shown = {lang: fmt_date(read, lang) if read else "?" for lang in LANGUAGES}
        if slashes.order == DAY_FIRST:
            notes.append(lazy_t("import.note.slash_dmy", example=slashes.example, date=shown))
        elif slashes.decided:
            notes.append(lazy_t("import.note.slash_mdy", example=slashes.example, date=shown))
        else:
            notes.append(lazy_tn("import.note.slash_guess", slashes.ambiguous, example=slashes.example, date=shown))
    if serials:
        read = _parse_report_date(serials[0])
        shown = {lang: fmt_date(read, lang) if read else "?" for lang in LANGUAGES}
        notes.append(lazy_tn("import.note.excel_dates", len(serials), example=serials[0], date=shown))
    return notes


REPORT_FIELDS = [
    "report_id",
    "county_code",
    "submitted_on",
    "service_unit",
    "observation_type",
    "observation",
    "client_voice",
    "proposal",
    "publishable",
    "highlight",
    "followup_status",
    "handled_in",
    "forwarded_to",
    "followup_action",
]
# Columns kept from the database when the file does not carry them, so an
# export without follow-up columns (or without the client's voice, the
# proposal or the themes) never wipes what the database holds.
OPTIONAL_KEEP = {
    "asiakkaan_aani": ["client_voice"],
    "ratkaisuehdotus": ["proposal"],
    "julkaistava": ["publishable"],
    "nosto": ["highlight"],
    "kasitelty": ["handled_in"],
    "valitetty": ["forwarded_to"],
    "toimenpide": ["followup_action"],
    "seurannan_tila": ["followup_status"],
}
# (link table, ParsedReports attribute, code column): where the table map (queries.schema) puts them.
LINKS = tuple(
    (LINKED[dimension].table, attr, LINKED[dimension].column)
    for dimension, attr in (("area", "areas"), ("target_group", "target_groups"), ("theme", "themes"))
)
# Link tables whose column is optional in the file: without it a report keeps its links.
OPTIONAL_LINKS = {"report_themes": "teema"}
TEXT_FIELDS = ("observation", "client_voice", "proposal")  # what the search index is made of


def store_reports(
    con: duckdb.DuckDBPyConnection,
    parsed: ParsedReports,
    loaded_by: str | None = None,
    synthetic: bool = False,
    resolutions: screening.Resolutions | None = None,
) -> int:
    """Upsert the parsed reports by (county, id) inside the caller's
    transaction; returns the load id. A report of another county with the
    same id is never touched; an existing report keeps its internal key.
    Every stored report's texts are privacy-screened (``screening``; the
    coordinator's decisions from ``resolutions``, none when None) and
    ``parsed.held`` says how many publishable ones a hit holds back."""
    load_id = record_load(
        con,
        kind="reports",
        what="sosiaaliset raportit",
        origin=parsed.source,
        rows_read=parsed.rows_read,
        rows_loaded=parsed.loaded,
        rows_rejected=parsed.rejected_count,
        loaded_by=loaded_by,
        synthetic=synthetic,
    )
    if parsed.reports.empty:
        return load_id
    incoming = parsed.reports[REPORT_FIELDS].copy()
    incoming["load_id"] = load_id
    keep = [col for name, cols in OPTIONAL_KEEP.items() if name not in parsed.present_columns for col in cols]
    kept_text = any(c in TEXT_FIELDS for c in keep)
    if not kept_text:  # the index from the file's texts (else from the texts as stored, below)
        with bulk():
            incoming["search_text"] = [
                index_text(*texts) for texts in zip(*(incoming[c].tolist() for c in TEXT_FIELDS))
            ]
    columns = ", ".join(incoming.columns)
    # A table typed like reports: an all-empty column of the file is still VARCHAR.
    con.execute("CREATE OR REPLACE TEMP TABLE incoming_reports AS SELECT * FROM reports LIMIT 0")
    con.register("incoming_frame", incoming)
    con.execute(f"INSERT INTO incoming_reports ({columns}) SELECT {columns} FROM incoming_frame")
    con.unregister("incoming_frame")
    base_row = con.execute("SELECT coalesce(max(report_key), 0) FROM reports").fetchone()
    updated_row = con.execute(
        "SELECT count(*) FROM incoming_reports JOIN reports USING (county_code, report_id)"
    ).fetchone()
    assert base_row is not None and updated_row is not None  # aggregates always give a row
    base, parsed.updated = base_row[0], updated_row[0]
    # Existing reports keep their key and, for the columns the file lacks, their values.
    keep_sql = "".join(f", coalesce(old.{c}, i.{c}) AS {c}" for c in keep)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE incoming_keyed AS
        SELECT i.* EXCLUDE (report_key{"".join(", " + c for c in keep)}) {keep_sql},
               coalesce(old.report_key, $base + row_number() OVER (PARTITION BY old.report_key IS NULL
                                                                    ORDER BY i.county_code, i.report_id))::INTEGER
               AS report_key
        FROM incoming_reports i LEFT JOIN reports old USING (county_code, report_id)""",
        {"base": base},
    )
    if kept_text:
        # A kept client's voice or proposal stays searchable: index the texts as they will be stored.
        texts = con.sql(f"SELECT report_key, {', '.join(TEXT_FIELDS)} FROM incoming_keyed").to_arrow_table()
        with bulk():
            index = [index_text(*row) for row in zip(*(texts.column(c).to_pylist() for c in TEXT_FIELDS))]
        con.register("incoming_index", pa.table({"report_key": texts.column("report_key"), "search_text": index}))
        con.execute(
            "UPDATE incoming_keyed k SET search_text = x.search_text FROM incoming_index x WHERE k.report_key = x.report_key"
        )
        con.unregister("incoming_index")
    recoded = _keep_published_decisions(con)
    for table, _, _ in LINKS:
        optional = OPTIONAL_LINKS.get(table)
        if optional is not None and optional not in parsed.present_columns:
            continue  # the file lacks the column: the reports keep their links
        kept = " AND report_key NOT IN (SELECT report_key FROM recoded_themes)" if recoded[table] else ""
        con.execute(f"DELETE FROM {table} WHERE report_key IN (SELECT report_key FROM incoming_keyed){kept}")
    con.execute("DELETE FROM reports WHERE report_key IN (SELECT report_key FROM incoming_keyed)")
    stored = ", ".join(c[1] for c in con.execute("PRAGMA table_info('reports')").fetchall())
    con.execute(f"INSERT INTO reports ({stored}) SELECT {stored} FROM incoming_keyed")
    for table, attr, column in LINKS:
        frame = getattr(parsed, attr)
        if not frame.empty:
            kept = " WHERE k.report_key NOT IN (SELECT report_key FROM recoded_themes)" if recoded[table] else ""
            con.register("incoming_links", frame)
            con.execute(
                f"INSERT INTO {table} (report_key, {column}) SELECT k.report_key, x.{column} "
                f"FROM incoming_links x JOIN incoming_keyed k USING (county_code, report_id){kept}"
            )
            con.unregister("incoming_links")
    con.execute("DROP TABLE IF EXISTS recoded_themes")
    # The privacy screen: what leadership may read of these reports (queries.visibility).
    incoming_keys = "SELECT report_key FROM incoming_keyed"
    screening.screen_stored(con, resolutions or screening.Resolutions(), incoming_keys, cache=parsed.screened)
    parsed.held = screening.held(con, incoming_keys)
    con.execute("DROP TABLE incoming_keyed")
    con.execute("DROP TABLE incoming_reports")
    return load_id


def _keep_published_decisions(con: duckdb.DuckDBPyConnection) -> dict[str, bool]:
    """What the coordinator published about a report (``dashboard.analysis.publish``) holds over the
    county's file when the report is loaded again: its publishable decision (also "not shown" for an
    unresolved privacy hit) stays while its texts are the ones screened, and a changed text is shown
    only if both the publication and the file allow it; its re-coded themes stay. Changes
    ``incoming_keyed`` and fills ``recoded_themes``; says per link table whether rows are kept."""
    tables = {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}
    kept = dict.fromkeys((table for table, _, _ in LINKS), False)
    if "report_reviews" not in tables:
        return kept
    con.execute(
        f"""
        UPDATE incoming_keyed AS i SET publishable = CASE
            WHEN {text_hash_sql("i")} = rv.screened_hash THEN old.publishable
            ELSE old.publishable AND i.publishable END
        FROM reports AS old, report_reviews AS rv
        WHERE old.report_key = i.report_key AND rv.report_key = i.report_key
          AND (rv.publishable_by IS NOT NULL OR rv.privacy_unresolved > 0)"""
    )
    columns = {c[1] for c in con.execute("PRAGMA table_info('report_reviews')").fetchall()}
    if "decided_labels" in columns:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE recoded_themes AS SELECT rv.report_key FROM report_reviews rv "
            "JOIN incoming_keyed USING (report_key) WHERE list_contains(string_split(rv.decided_labels, '|'), 'theme')"
        )
        kept[LINKED["theme"].table] = True
    return kept


def template_lists(vocab: Vocabulary, lang: str = "fi") -> dict[str, list[str]]:
    """The valid names of each template column that takes names, from the
    code tables, in ``lang`` (the import accepts fi, sv and en names)."""

    def names(dimension: str, codes: list[str] | None = None) -> list[str]:
        return [vocab.label(dimension, code, lang) for code in (vocab.codes(dimension) if codes is None else codes)]

    municipalities = sorted(
        (vocab.label("region", code, lang) for code in vocab.codes("municipality_county")), key=str.casefold
    )
    yes_no = {"sv": ["ja", "nej"], "en": ["yes", "no"]}.get(lang, ["kyllä", "ei"])
    return {
        "hyvinvointialue": names("county"),
        "palvelutehtava": names("service_unit"),
        "alue": [*AREA_NAMES.get(lang, AREA_NAMES["fi"]), *municipalities],
        "kohderyhma": names("target_group"),
        "teema": names("theme"),
        "havainnon_tyyppi": names("observation_type"),
        "julkaistava": yes_no,
        "nosto": yes_no,
        "seurannan_tila": names("followup_status"),
    }


def read_reports_file(
    path: Path | str,
    resolver: Resolver,
    county: str | None = None,
    mapping_path: Path | str | None = None,
    sheet: str | None = None,
    lang: str = "fi",
) -> ParsedReports:
    return parse_reports(
        read_table(path, sheet=sheet), resolver, county=county, mapping=Mapping.load(mapping_path), lang=lang
    )
