"""The phenomenon view: for a theme, its reports per half-year and by area
next to the trends of the indicators linked to the theme in
``data/theme_indicators.csv`` (a file the coordinator edits; read on every
request, so an edit shows at once). Its charts are the report and indicator
catalogues' own entries."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..core.config import DATA_DIR
from ..core.filters import IndicatorFilter
from .catalogue import Catalogue
from .indicators import INDICATORS, IndicatorContext
from .reports import REPORTS, ReportContext

LINKS_FILE = DATA_DIR / "theme_indicators.csv"
MAX_LINKED = 6

PHENOMENA = Catalogue("phenomena", [REPORTS["trend"].but(title="phen.trend"), REPORTS["area"].but(max_bars=12)])
LINKED = INDICATORS["series"]


def theme_links(path: Path = LINKS_FILE) -> dict[str, list[str]]:
    """theme -> indicator ids, read from the coordinator's file on every call (it is small)."""
    links: dict[str, list[str]] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                theme, indicator = (row.get("theme") or "").strip(), (row.get("indicator_id") or "").strip()
                if theme and indicator and indicator not in links.setdefault(theme, []):
                    links[theme].append(indicator)
    except FileNotFoundError:
        pass
    return links


@dataclass
class PhenomenonContext:
    reports: ReportContext

    @classmethod
    def from_query(cls, query: str | None) -> PhenomenonContext:
        return cls(reports=ReportContext.from_query(query))

    @property
    def flt(self):
        return self.reports.flt

    @cached_property
    def linked(self) -> tuple[list[str], list[str]]:
        """(linked indicators that are loaded, linked ids that are not)."""
        links = theme_links()
        loaded, missing = [], []
        for theme in self.flt.theme:
            for indicator in links.get(theme, []):
                target = loaded if self.reports.vocab.knows("indicator", indicator) else missing
                if indicator not in target:
                    target.append(indicator)
        return loaded[:MAX_LINKED], missing

    @property
    def region(self) -> str:
        return self.flt.county[0] if self.flt.county else "FI"

    @cached_property
    def indicators(self) -> IndicatorContext | None:
        loaded, _ = self.linked
        if not loaded:
            return None
        flt = IndicatorFilter(indicator=tuple(loaded), region=(self.region,), sex=("total",), lang=self.flt.lang)
        span = None
        if self.flt.date_from or self.flt.date_to:
            first = (self.flt.date_from or self.flt.date_to).year
            last = (self.flt.date_to or self.flt.date_from).year
            span = (first, last)
        return IndicatorContext(given=flt, flt=flt, vocab=self.reports.vocab, mark=span)
