"""Period presets: the published half-year periods ('syksy 2024' =
1.9.–31.12.), calendar half-years and years."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .i18n import t

ALL = "all"
CUSTOM = "custom"


@dataclass(frozen=True)
class Preset:
    key: str
    start: dt.date
    end: dt.date

    def label(self, lang: str = "fi") -> str:
        kind, year = self.key.split("-")
        return t(f"period.{kind}", lang, year=year)


def presets(first: dt.date | None, last: dt.date | None) -> list[Preset]:
    """Presets for the years with data, newest first."""
    if first is None or last is None:
        return []
    out: list[Preset] = []
    for year in range(last.year, first.year - 1, -1):
        out.extend(
            [
                Preset(f"autumn-{year}", dt.date(year, 9, 1), dt.date(year, 12, 31)),
                Preset(f"h2-{year}", dt.date(year, 7, 1), dt.date(year, 12, 31)),
                Preset(f"h1-{year}", dt.date(year, 1, 1), dt.date(year, 6, 30)),
                Preset(f"year-{year}", dt.date(year, 1, 1), dt.date(year, 12, 31)),
            ]
        )
    return out


def preset_key(start: dt.date | None, end: dt.date | None, available: list[Preset]) -> str:
    if start is None and end is None:
        return ALL
    for preset in available:
        if preset.start == start and preset.end == end:
            return preset.key
    return CUSTOM


def preset_by_key(key: str, available: list[Preset]) -> Preset | None:
    return next((p for p in available if p.key == key), None)


def overlapping_half_years(df, start: dt.date | None, end: dt.date | None) -> tuple[str, ...]:
    """The trend's half-year labels (``df`` has year, half, period) that overlap start..end."""
    if start is None and end is None:
        return ()
    out = []
    for year, half, period in df[["year", "half", "period"]].drop_duplicates().itertuples(index=False):
        first = dt.date(int(year), 1 if half == 1 else 7, 1)
        last = dt.date(int(year), 6, 30) if half == 1 else dt.date(int(year), 12, 31)
        if (start or dt.date.min) <= last and (end or dt.date.max) >= first:
            out.append(period)
    return tuple(out)
