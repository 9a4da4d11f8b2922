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
    def preset_value(self) -> str:
        return preset_key(self.flt.date_from, self.flt.date_to, self.presets)
