"""Locale-aware number, percent and date formatting (Babel).

Finnish: ``1 234``, ``12,5 %``, ``1.9.2024``. Babel uses a no-break space as
the thousands separator and before ``%`` so a figure never wraps mid-number.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal, format_percent

LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
DATE_PATTERNS = {"fi": "d.M.yyyy", "sv": "d.M.yyyy", "en": "d MMM yyyy"}


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, "fi_FI")


def fmt_number(value: float | int | None, lang: str = "fi", decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, int) and not isinstance(value, bool) and decimals == 0:
        return _fmt_int(value, lang)  # counts: the same few thousand numbers again and again
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=locale_of(lang))


@lru_cache(maxsize=8192)
def _fmt_int(value: int, lang: str) -> str:
    return format_decimal(value, format="#,##0", locale=locale_of(lang))


def fmt_percent(share: float | None, lang: str = "fi", decimals: int = 0) -> str:
    """``share`` is a fraction: 0.125 -> '12,5 %' (decimals=1)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return _fmt_percent(float(share), lang, decimals)


@lru_cache(maxsize=8192)
def _fmt_percent(share: float, lang: str, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + " %"
    return format_percent(share, format=pattern, locale=locale_of(lang))


def fmt_share(share: float | None, lang: str = "fi", decimals: int = 1) -> str:
    """A share of reports rounded half up (as Excel and the published summaries do) to at most
    ``decimals``; a share that is a whole percent shows whole. One decimal: 31 of 40 ->
    '77,5 %', 20 of 40 -> '50 %'; none: 31 of 40 -> '78 %', 21 of 40 -> '53 %'."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return _fmt_share(float(share), lang, max(0, min(3, decimals)))


@lru_cache(maxsize=8192)
def _fmt_share(share: float, lang: str, decimals: int) -> str:
    pct = (Decimal(repr(share)) * 100).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if pct == pct.to_integral_value():
        decimals = 0
    return _fmt_percent(float(pct) / 100, lang, decimals)


def fmt_date(value: dt.date | None, lang: str = "fi") -> str:
    if value is None:
        return ""
    return _babel_date(value, DATE_PATTERNS.get(lang, "d.M.yyyy"), locale=locale_of(lang))


def fmt_date_range(start: dt.date | None, end: dt.date | None, lang: str = "fi") -> str:
    """'1.9.–31.12.2024' within one year, '1.9.2023–31.12.2024' across years."""
    if start is None and end is None:
        return ""
    if start is None:
        return "– " + fmt_date(end, lang)
    if end is None:
        return fmt_date(start, lang) + " –"
    if lang in ("fi", "sv") and start.year == end.year:
        return f"{start.day}.{start.month}.–{fmt_date(end, lang)}"
    return f"{fmt_date(start, lang)}–{fmt_date(end, lang)}"
