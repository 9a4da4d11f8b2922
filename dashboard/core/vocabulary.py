"""The codes a filter may hold and their labels in fi/sv/en, as read from the
code tables (``queries.codes.vocabulary`` builds it). Pure data: no SQL here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .config import LANGUAGES

NATIONAL = "national"  # the area code of a "national phenomenon"


@dataclass(frozen=True)
class Vocabulary:
    """dimension -> code -> (fi, sv, en). Dimensions: county, area, region,
    target_group, theme, observation_type, service_unit, followup_status,
    indicator, and municipality_county (municipality -> its county code)."""

    labels: Mapping[str, Mapping[str, tuple[str, str, str]]]

    def knows(self, dimension: str, code: str) -> bool:
        return code in self.labels.get(dimension, {})

    def label(self, dimension: str, code: str, lang: str = "fi") -> str:
        names = self.labels.get(dimension, {}).get(code)
        if names is None:
            return code
        return names[LANGUAGES.index(lang) if lang in LANGUAGES else 0]

    def codes(self, dimension: str) -> list[str]:
        return list(self.labels.get(dimension, {}))

    def county_of(self, municipality: str) -> str | None:
        names = self.labels.get("municipality_county", {}).get(municipality)
        return names[0] if names else None

    def options(self, dimension: str, lang: str, codes: list[str] | None = None) -> list[dict]:
        """Dropdown options (label in ``lang``, value = code) in the code list's order."""
        codes = self.codes(dimension) if codes is None else codes
        return [{"label": self.label(dimension, code, lang), "value": code} for code in codes]
