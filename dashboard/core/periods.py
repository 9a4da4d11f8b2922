"""Period presets and period names as counties write them: the published
autumn period ('syksy 2024' = 1.9.–31.12.), the calendar half-years
('tammi–kesäkuu 2024', 'heinä–joulukuu 2024') and years. A range that is one
of these is named so wherever a period is shown (the period menu, captions,
the trend's half-years, slides, downloads, the page title); any other range is
shown by its dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .formatting import fmt_date_range
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


def kind_of(start: dt.date | None, end: dt.date | None) -> tuple[str, int] | None:
    """('autumn' | 'h1' | 'h2' | 'year', year) when start..end is a named period, else None."""
    if start is None or end is None or start.year != end.year:
        return None
    year = start.year
    spans = {
        "autumn": (dt.date(year, 9, 1), dt.date(year, 12, 31)),
        "h1": (dt.date(year, 1, 1), dt.date(year, 6, 30)),
        "h2": (dt.date(year, 7, 1), dt.date(year, 12, 31)),
        "year": (dt.date(year, 1, 1), dt.date(year, 12, 31)),
    }
    return next(((kind, year) for kind, span in spans.items() if span == (start, end)), None)


def period_name(start: dt.date | None, end: dt.date | None, lang: str = "fi") -> str | None:
    """'syksy 2024', 'tammi–kesäkuu 2024', 'vuosi 2024' (in running text), or None for
    a range that is not a named period."""
    kind = kind_of(start, end)
    return t(f"period.name.{kind[0]}", lang, year=kind[1]) if kind else None


def period_text(start: dt.date | None, end: dt.date | None, lang: str = "fi") -> str:
    """A period as a caption says it: its name, with the dates where the name alone does not
    give them ('syksy 2024 (1.9.–31.12.2024)'); another range by its dates ('1.9.–15.10.2024');
    '' for no limit."""
    kind = kind_of(start, end)
    dates = fmt_date_range(start, end, lang)
    if kind is None:
        return dates
    name = t(f"period.name.{kind[0]}", lang, year=kind[1])
    return f"{name} ({dates})" if kind[0] == "autumn" else name


def half_year_name(year: int, half: int, lang: str = "fi") -> str:
    """A calendar half-year: 'tammi–kesäkuu 2024', 'heinä–joulukuu 2024'."""
    return t(f"period.name.h{1 if half == 1 else 2}", lang, year=year)


def half_year_tick(year: int, half: int, lang: str = "fi") -> str:
    """The same, short on two lines for a chart's axis: 'tammi–kesä<br>2024'."""
    return f"{t(f'period.tick.h{1 if half == 1 else 2}', lang)}<br>{year}"


def half_year_code(year: int, half: int) -> str:
    """A half-year's code, the same in every language: '1–6/2024', '7–12/2024'."""
    return f"{'1–6' if half == 1 else '7–12'}/{year}"


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


def preset_by_key(key: str | None, available: list[Preset]) -> Preset | None:
    return next((p for p in available if p.key == key), None)


def overlapping_half_years(df, start: dt.date | None, end: dt.date | None) -> tuple[str, ...]:
    """The trend's half-year labels (``df`` has year, half, period) that overlap start..end."""
    if start is None and end is None:
        return ()
    out = []
    # The distinct (year, half, period) in order of appearance, in plain Python (a few dozen rows).
    halves = dict.fromkeys(zip(df["year"].tolist(), df["half"].tolist(), df["period"].tolist()))
    for year, half, period in halves:
        first = dt.date(int(year), 1 if half == 1 else 7, 1)
        last = dt.date(int(year), 6, 30) if half == 1 else dt.date(int(year), 12, 31)
        if (start or dt.date.min) <= last and (end or dt.date.max) >= first:
            out.append(period)
    return tuple(out)
