"""Which indicators belong to which theme: ``data/theme_indicators.csv``, a file
the coordinator edits (read on every call, so an edit shows at once). The
phenomenon view draws a theme's linked indicators; the indicator view opens on
a linked indicator before others."""

from __future__ import annotations

import csv
from pathlib import Path

from ..core.config import DATA_DIR

LINKS_FILE = DATA_DIR / "theme_indicators.csv"


def theme_links(path: Path = LINKS_FILE) -> dict[str, list[str]]:
    """theme -> indicator ids, in the file's order."""
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


def linked_order(links: dict[str, list[str]]) -> list[str]:
    """Every linked indicator once, in the order the file first names it."""
    return list(dict.fromkeys(indicator for indicators in links.values() for indicator in indicators))
