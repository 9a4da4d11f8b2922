"""One filter object for the report views.

:class:`ReportFilter` is parsed from the URL query string, serialises back to
it (so a copied link reopens the same view), renders the WHERE clause and its
parameters for ``queries/``, and renders the caption that goes on every chart,
table and download. Unknown or malformed values are dropped and reported as
:class:`Problem`s; they never reach SQL.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from urllib.parse import parse_qs, urlencode

from .formatting import fmt_date_range, fmt_number
from .i18n import t

MAX_VALUES = 400          # per parameter; more is a hostile or broken link
MAX_VALUE_LENGTH = 200    # characters in one value
MAX_QUERY_LENGTH = 20_000  # characters in the whole query string
NATIONAL = "national"

# Filter field -> (URL parameter, vocabulary dimension). Order is the URL order.
LIST_PARAMS: dict[str, tuple[str, str]] = {
    "county": ("county", "county"),
    "municipality": ("municipality", "area"),
    "target_group": ("target_group", "target_group"),
    "theme": ("theme", "theme"),
    "observation_type": ("type", "observation_type"),
    "service_unit": ("unit", "service_unit"),
}
OTHER_PARAMS = ("from", "to", "q", "lang")
LANGS = ("fi", "sv", "en")


@dataclass(frozen=True)
class Problem:
    """Something in the query string that could not be used (a translation key + values)."""

    key: str
    values: tuple[tuple[str, str], ...] = ()

    def message(self, lang: str = "fi") -> str:
        return t(self.key, lang, **dict(self.values))


@dataclass(frozen=True)
class Vocabulary:
    """The codes a filter may hold, with their labels: dimension -> code -> (fi, sv, en)."""

    labels: Mapping[str, Mapping[str, tuple[str, str, str]]]

    def knows(self, dimension: str, code: str) -> bool:
        return code in self.labels.get(dimension, {})

    def label(self, dimension: str, code: str, lang: str = "fi") -> str:
        names = self.labels.get(dimension, {}).get(code)
        if names is None:
            return code
        return names[LANGS.index(lang) if lang in LANGS else 0]

    def codes(self, dimension: str) -> list[str]:
        return list(self.labels.get(dimension, {}))


def parse_date(text: str) -> dt.date | None:
    """'2024-09-01' or Finnish '1.9.2024'; None when neither."""
    text = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or None
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def _lower_first(text: str, lang: str) -> str:
    if lang == "en" or not text:
        return text
    return text[0].lower() + text[1:]


def _collect(parsed: Mapping[str, list[str]], param: str, known, problems: list[Problem]) -> tuple[str, ...]:
    """Valid, de-duplicated values of ``param``; every dropped value becomes a Problem."""
    raw = parsed.get(param, [])
    if len(raw) > MAX_VALUES:
        problems.append(Problem("warning.too_many", (("param", param), ("max", str(MAX_VALUES)))))
        raw = raw[:MAX_VALUES]
    kept: list[str] = []
    for value in raw:
        value = value.strip()
        if len(value) > MAX_VALUE_LENGTH:
            problems.append(Problem("warning.too_long", (("param", param),)))
        elif known(value):
            if value not in kept:
                kept.append(value)
        elif value:
            problems.append(Problem("warning.unknown_value", (("param", param), ("value", value[:40]))))
    return tuple(kept)


def _parse_query(query: str | Mapping[str, list[str]] | None, allowed: set[str],
                 problems: list[Problem]) -> dict[str, list[str]]:
    """The query string as name -> values, capped in length; unknown names become Problems."""
    if isinstance(query, Mapping):
        parsed = {k: list(v) for k, v in query.items()}
    else:
        query = (query or "").lstrip("?")
        if len(query) > MAX_QUERY_LENGTH:
            problems.append(Problem("warning.too_long", (("param", "?"),)))
            query = query[:MAX_QUERY_LENGTH].rsplit("&", 1)[0]
        parsed = parse_qs(query, keep_blank_values=False)
    for name in parsed:
        if name not in allowed:
            problems.append(Problem("warning.unknown_param", (("param", name[:40]),)))
    return parsed


def _lang_of(parsed: Mapping[str, list[str]], problems: list[Problem]) -> str:
    lang = (parsed.get("lang") or ["fi"])[-1]
    if lang not in LANGS:
        problems.append(Problem("warning.unknown_value", (("param", "lang"), ("value", lang[:10]))))
        return "fi"
    return lang


@dataclass(frozen=True)
class ReportFilter:
    county: tuple[str, ...] = ()
    municipality: tuple[str, ...] = ()
    target_group: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()
    observation_type: tuple[str, ...] = ()
    service_unit: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str = ""
    lang: str = "fi"
    problems: tuple[Problem, ...] = field(default=(), compare=False)

    # ---- parsing and serialising -------------------------------------------------
    @classmethod
    def from_query(cls, query: str | Mapping[str, list[str]] | None, vocab: Vocabulary) -> ReportFilter:
        problems: list[Problem] = []
        parsed = _parse_query(query, {p for p, _ in LIST_PARAMS.values()} | set(OTHER_PARAMS), problems)
        values: dict[str, object] = {
            attr: _collect(parsed, param, lambda v, d=dimension: vocab.knows(d, v), problems)
            for attr, (param, dimension) in LIST_PARAMS.items()
        }

        dates: dict[str, dt.date | None] = {}
        for param in ("from", "to"):
            raw = (parsed.get(param) or [""])[-1].strip()
            parsed_date = parse_date(raw) if raw and len(raw) <= MAX_VALUE_LENGTH else None
            if raw and parsed_date is None:
                problems.append(Problem("warning.bad_date", (("param", param), ("value", raw[:40]))))
            dates[param] = parsed_date
        if dates["from"] and dates["to"] and dates["from"] > dates["to"]:
            problems.append(
                Problem("warning.reversed", (("start", dates["from"].isoformat()), ("end", dates["to"].isoformat())))
            )
            dates = {"from": None, "to": None}

        text = (parsed.get("q") or [""])[-1].strip()
        if len(text) > MAX_VALUE_LENGTH:
            problems.append(Problem("warning.too_long", (("param", "q"),)))
            text = ""
        lang = _lang_of(parsed, problems)
        return cls(
            date_from=dates["from"],
            date_to=dates["to"],
            text=text,
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
        if self.text:
            pairs.append(("q", self.text))
        if include_lang and self.lang != "fi":
            pairs.append(("lang", self.lang))
        return pairs

    def to_query(self, include_lang: bool = True) -> str:
        """The canonical query string, with a leading '?' (or '' when empty)."""
        encoded = urlencode(self.to_params(include_lang))
        return "?" + encoded if encoded else ""

    def with_values(self, **changes: object) -> ReportFilter:
        return replace(self, problems=(), **changes)

    def toggled(self, attr: str, code: str) -> ReportFilter:
        """The filter with ``code`` added to (or removed from) ``attr``."""
        current = getattr(self, attr)
        new = tuple(c for c in current if c != code) if code in current else (*current, code)
        return self.with_values(**{attr: new})

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self) if f.name not in ("lang", "problems"))

    # ---- SQL ----------------------------------------------------------------------
    def where(self, alias: str = "r") -> tuple[str, dict[str, object]]:
        """A WHERE clause over ``reports AS {alias}`` and its named parameters.

        Within one dimension values are alternatives (OR); dimensions combine
        with AND. The text search is not part of it (see :meth:`text_where`).
        """
        clauses: list[str] = []
        params: dict[str, object] = {}

        def names(prefix: str, codes: tuple[str, ...]) -> str:
            keys = []
            for i, code in enumerate(codes):
                key = f"{prefix}_{i}"
                params[key] = code
                keys.append("$" + key)
            return ", ".join(keys)

        if self.county:
            clauses.append(f"{alias}.county_code IN ({names('county', self.county)})")
        if self.observation_type:
            clauses.append(f"{alias}.observation_type IN ({names('otype', self.observation_type)})")
        if self.service_unit:
            clauses.append(f"{alias}.service_unit IN ({names('unit', self.service_unit)})")
        for attr, table, column, prefix in (
            ("municipality", "report_areas", "area_code", "area"),
            ("target_group", "report_target_groups", "target_group", "tgroup"),
            ("theme", "report_themes", "theme", "theme"),
        ):
            codes = getattr(self, attr)
            if codes:
                clauses.append(
                    f"EXISTS (SELECT 1 FROM {table} x WHERE x.report_id = {alias}.report_id "
                    f"AND x.{column} IN ({names(prefix, codes)}))"
                )
        if self.date_from:
            clauses.append(f"{alias}.submitted_on >= $date_from")
            params["date_from"] = self.date_from
        if self.date_to:
            clauses.append(f"{alias}.submitted_on <= $date_to")
            params["date_to"] = self.date_to
        return (" AND ".join(clauses) or "TRUE"), params

    def text_where(self, alias: str = "r") -> tuple[str, dict[str, object]]:
        """The text search: only publishable reports' texts are searched, so a
        search never reveals anything about unpublished ones."""
        if not self.text:
            return "TRUE", {}
        pattern = "%" + self.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clause = (
            f"{alias}.publishable AND (concat_ws(' ', {alias}.observation, {alias}.client_voice, "
            f"{alias}.proposal) ILIKE $text ESCAPE '\\')"
        )
        return clause, {"text": pattern}

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
        ):
            codes = getattr(self, attr)
            if codes:
                parts.append(joined(dimension, codes, True))
        period = fmt_date_range(self.date_from, self.date_to, lang)
        parts.append(period or t("caption.all_time", lang))
        return parts

    def caption(self, vocab: Vocabulary, n_reports: int | None = None, lang: str | None = None) -> str:
        lang = lang or self.lang
        parts = self.caption_parts(vocab, lang)
        if n_reports is not None:
            parts.append(
                t("caption.report_one", lang)
                if n_reports == 1
                else t("caption.reports", lang, n=fmt_number(n_reports, lang))
            )
        return " · ".join(parts)


SEXES = ("total", "male", "female")
INDICATOR_PARAMS = ("indicator", "region", "year", "sex", "lang")


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
    def from_query(cls, query: str | None, vocab: Vocabulary) -> IndicatorFilter:
        problems: list[Problem] = []
        parsed = _parse_query(query, set(INDICATOR_PARAMS), problems)
        indicator = _collect(parsed, "indicator", lambda v: vocab.knows("indicator", v), problems)
        region = _collect(parsed, "region", lambda v: vocab.knows("region", v), problems)
        year = tuple(int(y) for y in _collect(parsed, "year", lambda v: v.isdigit() and 1900 <= int(v) <= 2100, problems))
        sex = _collect(parsed, "sex", lambda v: v in SEXES, problems)
        lang = _lang_of(parsed, problems)
        return cls(indicator=indicator, region=region, year=year, sex=sex, lang=lang, problems=tuple(problems))

    def to_query(self, include_lang: bool = True) -> str:
        pairs = [("indicator", v) for v in self.indicator] + [("region", v) for v in self.region]
        pairs += [("year", str(v)) for v in self.year] + [("sex", v) for v in self.sex]
        if include_lang and self.lang != "fi":
            pairs.append(("lang", self.lang))
        encoded = urlencode(pairs)
        return "?" + encoded if encoded else ""

    def with_values(self, **changes: object) -> IndicatorFilter:
        return replace(self, problems=(), **changes)
