"""What the report pages share: the context a layout is built from."""

from __future__ import annotations

from dataclasses import dataclass

from ..filters import ReportFilter, Vocabulary
from ..periods import Preset, preset_key


@dataclass(frozen=True)
class PageContext:
    flt: ReportFilter
    vocab: Vocabulary
    presets: list[Preset]
    counties: list[str]   # counties that have reports
    lang: str
    demo: bool

    @property
    def county_options(self) -> list[dict]:
        """Counties with reports, plus any the link asks for (a dropdown drops
        values it has no option for, which would silently widen the view)."""
        codes = self.counties + [code for code in self.flt.county if code not in self.counties]
        return [{"label": self.vocab.label("county", code, self.lang), "value": code} for code in codes]

    @property
    def preset_value(self) -> str:
        return preset_key(self.flt.date_from, self.flt.date_to, self.presets)
