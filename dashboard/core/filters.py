"""The filter objects: one for the report views, one for the indicator view.

Each is parsed from the URL query string, serialises back to it (a copied
link reopens the same view) and renders the caption that goes on every
chart, table, slide and download; ``queries.where`` renders its WHERE clause
from the one table map. Unknown or malformed values are dropped and reported
as :class:`Problem`s; they never reach SQL. No SQL here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from .config import LANGUAGES, default_language
from .i18n import t, tn
from .periods import period_text
from .vocabulary import NATIONAL, Vocabulary

MAX_VALUES = 400  # per parameter; more is a hostile or broken link
MAX_VALUE_LENGTH = 200  # characters in one value
MAX_QUERY_LENGTH = 20_000  # characters in the whole query string
YEARS = (1900, 2100)

__all__ = ["NATIONAL", "Vocabulary", "ReportFilter", "IndicatorFilter", "IndicatorChoices", "Problem", "parse_date"]

# Filter field -> (URL parameter, vocabulary dimension). Order is the URL order. Where a
# dimension lives in the database is queries.schema's business.
LIST_PARAMS: dict[str, tuple[str, str]] = {
    "county": ("county", "county"),
    "municipality": ("municipality", "area"),
    "target_group": ("target_group", "target_group"),
    "theme": ("theme", "theme"),
    "observation_type": ("type", "observation_type"),
    "service_unit": ("unit", "service_unit"),
    "followup_status": ("status", "followup_status"),
}
OTHER_PARAMS = ("from", "to", "q", "voice", "evidence", "lang")
# A published phenomenon's id (``evidence``: the reports behind one bullet of the analysis).
EVIDENCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,119}")


@dataclass(frozen=True)
class Problem:
    """Something in the query string that could not be used (a translation key + values)."""

    key: str
    values: tuple[tuple[str, str], ...] = ()

    def message(self, lang: str = "fi") -> str:
        return t(self.key, lang, **dict(self.values))


def parse_date(text: str) -> dt.date | None:
    """'2024-09-01' or Finnish '1.9.2024'; None when neither (ASCII digits only)."""
    text = text.strip()
    try:
        m = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})", text)
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def parse_year(text: object) -> int | None:
    """A year as ASCII digits within 1900–2100 (``'²'`` passes ``str.isdigit`` but is no year)."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        value = text
    elif isinstance(text, str) and re.fullmatch(r"[0-9]{4}", text.strip()):
        value = int(text.strip())
    else:
        return None
    return value if YEARS[0] <= value <= YEARS[1] else None


def _lower_first(text: str, lang: str) -> str:
    if lang == "en" or not text:
        return text
    return text[0].lower() + text[1:]


def _clean_text(value: str) -> str:
    """A free-text parameter without control characters."""
    return "".join(ch for ch in value if unicodedata.category(ch)[0] != "C").strip()


def _collect(parsed: Mapping[str, list[str]], param: str, known, problems: list[Problem]) -> tuple[str, ...]:
    """Valid, de-duplicated values of ``param``; every dropped value becomes a Problem."""
    raw = parsed.get(param, [])
    if len(raw) > MAX_VALUES:
        problems.append(Problem("warning.too_many", (("param", param), ("max", str(MAX_VALUES)))))
        raw = raw[:MAX_VALUES]
    kept: list[str] = []
    for value in raw:
        value = str(value).strip()
        if len(value) > MAX_VALUE_LENGTH:
            problems.append(Problem("warning.too_long", (("param", param),)))
        elif known(value):
            if value not in kept:
                kept.append(value)
        elif value:
            problems.append(Problem("warning.unknown_value", (("param", param), ("value", _clean_text(value)[:40]))))
    return tuple(kept)


def parse_query(
    query: str | Mapping[str, list[str]] | None, allowed: set[str], problems: list[Problem]
) -> dict[str, list[str]]:
    """The query string as name -> values, capped in length; unknown names become Problems."""
    if isinstance(query, Mapping):
        parsed = {str(k): [str(v) for v in (vs if isinstance(vs, (list, tuple)) else [vs])] for k, vs in query.items()}
    else:
        query = (query if isinstance(query, str) else "").lstrip("?")
        if len(query) > MAX_QUERY_LENGTH:
            problems.append(Problem("warning.too_long", (("param", "?"),)))
            query = query[:MAX_QUERY_LENGTH].rsplit("&", 1)[0]
        parsed = parse_qs(query, keep_blank_values=False)
    for name in parsed:
        if name not in allowed:
            problems.append(Problem("warning.unknown_param", (("param", _clean_text(name)[:40]),)))
    return parsed


def lang_of(parsed: Mapping[str, list[str]] | str | None, problems: list[Problem] | None = None) -> str:
    """The ``lang`` parameter (the default language, ``DASHBOARD_LANG``, when missing or unknown)."""
    if not isinstance(parsed, Mapping):
        parsed = parse_qs((parsed if isinstance(parsed, str) else "").lstrip("?"))
    lang = (parsed.get("lang") or [""])[-1]
    if lang not in LANGUAGES:
        if lang and problems is not None:
            problems.append(Problem("warning.unknown_value", (("param", "lang"), ("value", _clean_text(lang)[:10]))))
        return default_language()
    return lang


@dataclass(frozen=True)
class ReportFilter:
    county: tuple[str, ...] = ()
    municipality: tuple[str, ...] = ()
    target_group: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()
    observation_type: tuple[str, ...] = ()
    service_unit: tuple[str, ...] = ()
    followup_status: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    client_voice: bool = False
    text: str = ""
    evidence: str = ""  # a published phenomenon: only the cleared reports that support it
    lang: str = "fi"
    problems: tuple[Problem, ...] = field(default=(), compare=False)

    # ---- parsing and serialising -------------------------------------------------
    @classmethod
    def from_query(cls, query: str | Mapping[str, list[str]] | None, vocab: Vocabulary) -> ReportFilter:
        problems: list[Problem] = []
        parsed = parse_query(query, {p for p, _ in LIST_PARAMS.values()} | set(OTHER_PARAMS), problems)
        values: dict[str, tuple[str, ...]] = {
            attr: _collect(parsed, param, lambda v, d=dimension: vocab.knows(d, v), problems)
            for attr, (param, dimension) in LIST_PARAMS.items()
        }

        dates: dict[str, dt.date | None] = {}
        for param in ("from", "to"):
            raw = (parsed.get(param) or [""])[-1].strip()
            parsed_date = parse_date(raw) if raw and len(raw) <= MAX_VALUE_LENGTH else None
            if raw and parsed_date is None:
                problems.append(Problem("warning.bad_date", (("param", param), ("value", _clean_text(raw)[:40]))))
            dates[param] = parsed_date
        if dates["from"] and dates["to"] and dates["from"] > dates["to"]:
            problems.append(
                Problem("warning.reversed", (("start", dates["from"].isoformat()), ("end", dates["to"].isoformat())))
            )
            dates = {"from": None, "to": None}

        voice = (parsed.get("voice") or [""])[-1].strip()
        if voice not in ("", "1"):
            problems.append(Problem("warning.unknown_value", (("param", "voice"), ("value", _clean_text(voice)[:10]))))
        text = _clean_text((parsed.get("q") or [""])[-1])
        if len(text) > MAX_VALUE_LENGTH:
            problems.append(Problem("warning.too_long", (("param", "q"),)))
            text = ""
        evidence = (parsed.get("evidence") or [""])[-1].strip()
        if evidence and not EVIDENCE_ID.fullmatch(evidence):
            problems.append(
                Problem("warning.unknown_value", (("param", "evidence"), ("value", _clean_text(evidence)[:40])))
            )
            evidence = ""
        lang = lang_of(parsed, problems)
        return cls(
            date_from=dates["from"],
            date_to=dates["to"],
            client_voice=voice == "1",
            text=text,
            evidence=evidence,
            lang=lang,
            problems=tuple(problems),
            **values,
        )

    def to_params(self, include_lang: bool = True) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for attr, (param, _) in LIST_PARAMS.items():
            pairs.extend((param, v) for v in getattr(self, attr))
        if self.date_from:
            pairs.append(("from", self.date_from.isoformat()))
        if self.date_to:
            pairs.append(("to", self.date_to.isoformat()))
        if self.client_voice:
            pairs.append(("voice", "1"))
        if self.text:
            pairs.append(("q", self.text))
        if self.evidence:
            pairs.append(("evidence", self.evidence))
        if include_lang and self.lang != default_language():
            pairs.append(("lang", self.lang))
        return pairs

    def to_query(self, include_lang: bool = True) -> str:
        """The canonical query string, with a leading '?' (or '' when empty)."""
        encoded = urlencode(self.to_params(include_lang))
        return "?" + encoded if encoded else ""

    @property
    def key(self) -> str:
        """What the data depends on (not the language): the key of cached results."""
        return self.to_query(include_lang=False)

    def with_values(self, **changes: Any) -> ReportFilter:
        return replace(self, problems=(), **changes)

    def toggled(self, attr: str, code: str) -> ReportFilter:
        """The filter with ``code`` added to (or removed from) ``attr``."""
        current = getattr(self, attr)
        new = tuple(c for c in current if c != code) if code in current else (*current, code)
        return self.with_values(**{attr: new})

    @property
    def whole_time(self) -> ReportFilter:
        """The same filter over all time (the trend shows every half-year for context)."""
        return self.with_values(date_from=None, date_to=None)

    # ---- caption ------------------------------------------------------------------
    def caption_parts(self, vocab: Vocabulary, lang: str | None = None) -> list[str]:
        lang = lang or self.lang
        parts: list[str] = []

        def joined(dimension: str, codes: tuple[str, ...], lower: bool) -> str:
            labels = [vocab.label(dimension, c, lang) for c in codes]
            if lower:
                labels = [_lower_first(label, lang) for label in labels]
            if len(labels) > 3:
                labels = [*labels[:3], f"+{len(labels) - 3}"]
            return ", ".join(labels)

        parts.append(joined("county", self.county, False) if self.county else t("caption.all_counties", lang))
        if self.municipality:
            parts.append(joined("area", self.municipality, False))
        for attr, dimension in (
            ("target_group", "target_group"),
            ("theme", "theme"),
            ("observation_type", "observation_type"),
            ("service_unit", "service_unit"),
            ("followup_status", "followup_status"),
        ):
            codes = getattr(self, attr)
            if codes:
                parts.append(joined(dimension, codes, True))
        if self.client_voice:
            parts.append(t("caption.client_voice", lang))
        if self.text:
            parts.append(t("caption.search", lang, text=self.text))
        if self.evidence:
            parts.append(t("caption.evidence", lang))
        period = period_text(self.date_from, self.date_to, lang)
        parts.append(period or t("caption.all_time", lang))
        return parts

    def caption(self, vocab: Vocabulary, n_reports: int | None = None, lang: str | None = None) -> str:
        lang = lang or self.lang
        parts = self.caption_parts(vocab, lang)
        if n_reports is not None:
            parts.append(reports_phrase(n_reports, lang))
        return " · ".join(parts)


def reports_phrase(n: int, lang: str) -> str:
    """'40 raporttia', '1 raportti'."""
    return tn("caption.reports", n, lang)


SEXES = ("total", "male", "female")
INDICATOR_PARAMS = ("indicator", "region", "year", "sex", "lang")
MAX_INDICATORS = 4


@dataclass(frozen=True)
class IndicatorChoices:
    """What the indicator view can show, read from the data once per database
    version (``queries.indicators.choices``): the indicators in order of
    relevance, and for each the years and regions that have values."""

    indicators: tuple[str, ...]
    years: Mapping[str, tuple[int, ...]]
    regions: Mapping[str, frozenset[str]]
    default_region: str = "FI"
    trends: Mapping[str, frozenset[str]] = field(default_factory=dict)  # regions with values in 2+ years
    sexes: Mapping[str, frozenset[str]] = field(default_factory=dict)  # sexes with values
    parents: Mapping[str, str] = field(default_factory=dict)  # region -> its county / the country

    def lineage(self, region: str) -> list[str]:
        """The region, its county and the whole country."""
        out = [region]
        while out[-1] in self.parents and self.parents[out[-1]] not in out:
            out.append(self.parents[out[-1]])
        return out

    def covers(self, indicator: str, region: str) -> bool:
        """Whether the indicator has values for the region, its county or the whole country."""
        have = self.regions.get(indicator, frozenset())
        return any(code in have for code in self.lineage(region))

    def home(self, indicator: str) -> str | None:
        """Where to show an indicator that has no values near the chosen region: the
        default region if it has values there, else the widest area that has."""
        have = self.regions.get(indicator, frozenset())
        if not have:
            return None
        if self.covers(indicator, self.default_region):
            return self.default_region
        return min(have, key=lambda code: (len(self.lineage(code)), code))

    def most_relevant(self, region: str) -> str | None:
        """The first indicator (in order of relevance) with a time series for the
        region and values for its county's municipalities (every chart of the
        view has data), else with a time series for the region, else with any
        value for it, else with values for its county or the country."""
        lineage = self.lineage(region)
        county = lineage[-2] if len(lineage) > 1 else None
        municipalities = {code for code, parent in self.parents.items() if parent == county} if county else set()
        tests = (
            lambda i: region in self.trends.get(i, ()) and bool(municipalities & self.regions.get(i, set())),
            lambda i: region in self.trends.get(i, ()),
            lambda i: region in self.regions.get(i, ()),
            lambda i: self.covers(i, region),
        )
        for test in tests:
            found = next((i for i in self.indicators if test(i)), None)
            if found:
                return found
        return self.indicators[0] if self.indicators else None

    def has_split(self, indicator: str) -> bool:
        return bool(self.sexes.get(indicator, frozenset()) & {"male", "female"})


@dataclass(frozen=True)
class IndicatorFilter:
    """The indicator view's selection; the same query string drives the view
    and ``/download/indicators.*``."""

    indicator: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    year: tuple[int, ...] = ()
    sex: tuple[str, ...] = ()
    lang: str = "fi"
    problems: tuple[Problem, ...] = field(default=(), compare=False)

    @classmethod
    def from_query(cls, query: str | Mapping[str, list[str]] | None, vocab: Vocabulary) -> IndicatorFilter:
        problems: list[Problem] = []
        parsed = parse_query(query, set(INDICATOR_PARAMS), problems)
        indicator = _collect(parsed, "indicator", lambda v: vocab.knows("indicator", v), problems)
        region = _collect(parsed, "region", lambda v: vocab.knows("region", v), problems)
        year = tuple(int(y) for y in _collect(parsed, "year", lambda v: parse_year(v) is not None, problems))
        sex = _collect(parsed, "sex", lambda v: v in SEXES, problems)
        lang = lang_of(parsed, problems)
        return cls(indicator=indicator, region=region, year=year, sex=sex, lang=lang, problems=tuple(problems))

    def to_query(self, include_lang: bool = True) -> str:
        pairs = [("indicator", v) for v in self.indicator] + [("region", v) for v in self.region]
        pairs += [("year", str(v)) for v in self.year] + [("sex", v) for v in self.sex]
        if include_lang and self.lang != default_language():
            pairs.append(("lang", self.lang))
        encoded = urlencode(pairs)
        return "?" + encoded if encoded else ""

    @property
    def key(self) -> str:
        return self.to_query(include_lang=False)

    def with_values(self, **changes: Any) -> IndicatorFilter:
        return replace(self, problems=(), **changes)

    # ---- defaults -------------------------------------------------------------------
    def resolve(self, choices: IndicatorChoices) -> IndicatorFilter:
        """The filter with its defaults filled in: what the view shows. One
        indicator (the most relevant one with data for the region, unless the link
        chose one), one region (the indicator's own when it has no values for the
        chosen one, its county or the country), one year (the latest with data
        unless the link chose one that has data), one sex (the total unless the
        indicator is split by sex)."""
        region = self.region[0] if self.region else choices.default_region
        indicators = tuple(self.indicator[:MAX_INDICATORS])
        if not indicators:
            best = choices.most_relevant(region)
            indicators = (best,) if best else ()
        first = indicators[0] if indicators else None
        if first and not choices.covers(first, region):
            region = choices.home(first) or region
        available = choices.years.get(first, ()) if first else ()
        year = self.year[0] if self.year and self.year[0] in available else (available[-1] if available else None)
        sex = self.sex[0] if self.sex else "total"
        if sex != "total" and first and not choices.has_split(first):
            sex = "total"
        return replace(self, indicator=indicators, region=(region,), year=(year,) if year else (), sex=(sex,))

    # ---- caption ------------------------------------------------------------------
    def caption(self, vocab: Vocabulary, lang: str | None = None) -> str:
        """'Lahti · 2023 · Yhteensä': the regions, years and sex."""
        lang = lang or self.lang
        parts = []
        if self.region:
            names = [vocab.label("region", r, lang) for r in self.region]
            parts.append(", ".join(names[:3] + ([f"+{len(names) - 3}"] if len(names) > 3 else [])))
        if self.year:
            parts.append(", ".join(str(y) for y in self.year))
        parts.append(", ".join(t(f"ind.sex.{s}", lang) for s in self.sex) if self.sex else t("ind.sex.all", lang))
        return " · ".join(parts)
