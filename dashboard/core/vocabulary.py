"""The codes a filter may hold and their labels in fi/sv/en, as read from the
code tables (``queries.codes.vocabulary`` reads them, :meth:`Vocabulary.build`
names the places). Every label a view shows for a code comes from here, in
memory, so the queries return codes and no query depends on the language.
Pure data: no SQL here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .config import LANGUAGES
from .i18n import t

NATIONAL = "national"  # the area code of a "national phenomenon"
Names = tuple[str, str, str]  # fi, sv, en


@dataclass(frozen=True)
class Vocabulary:
    """dimension -> code -> (fi, sv, en). Dimensions: county, area, region,
    target_group, theme, observation_type, service_unit, followup_status,
    indicator, and municipality_county (municipality -> its county code)."""

    labels: Mapping[str, Mapping[str, Names]]

    @classmethod
    def build(
        cls,
        code_lists: Mapping[str, Mapping[str, Names]],
        regions: list[tuple[str, str, str, str, str, str | None]],
        indicators: Mapping[str, Names],
    ) -> Vocabulary:
        """From the code lists (dimension -> code -> names), the regions (code,
        level, fi, sv, en, parent, in the order of their Finnish names) and the
        indicators' names. An area is a municipality, a whole county ("Koko
        hyvinvointialue: Päijät-Häme") or a national phenomenon."""
        labels: dict[str, Mapping[str, Names]] = dict(code_lists)
        labels["county"] = {c: (fi, sv, en) for c, level, fi, sv, en, _ in regions if level == "county"}
        area: dict[str, Names] = {c: (fi, sv, en) for c, level, fi, sv, en, _ in regions if level == "municipality"}
        for code, (fi, sv, en) in labels["county"].items():
            area[code] = (
                t("filter.whole_county", "fi", name=fi),
                t("filter.whole_county", "sv", name=sv),
                t("filter.whole_county", "en", name=en),
            )
        area[NATIONAL] = (t("filter.national", "fi"), t("filter.national", "sv"), t("filter.national", "en"))
        labels["area"] = area
        labels["region"] = {c: (fi, sv, en) for c, _, fi, sv, en, _ in regions}
        labels["indicator"] = dict(indicators)
        # A municipality whose county is not known (one a Sotkanet load added) maps to "".
        labels["municipality_county"] = {
            c: (p or "", p or "", p or "") for c, level, _, _, _, p in regions if level == "municipality"
        }
        return cls(labels=labels)

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
        return (names[0] or None) if names else None

    def options(self, dimension: str, lang: str, codes: list[str] | None = None) -> list[dict]:
        """Dropdown options (label in ``lang``, value = code) in the code list's order."""
        codes = self.codes(dimension) if codes is None else codes
        return [{"label": self.label(dimension, code, lang), "value": code} for code in codes]
