"""How the controls of a report view change its filter. Pure: the callbacks
pass in what Dash gives them and get the next filter back. Every value the
browser sends goes through the same checks as a link, so a hostile request
never gets further than a link would."""

from __future__ import annotations

import datetime as dt

from dash import no_update

from ...core.config import LANGUAGES
from ...core.filters import LIST_PARAMS, ReportFilter, parse_date
from ...core.periods import ALL, Preset, preset_by_key
from ...core.vocabulary import Vocabulary
from ...views.registry import VIEWS
from .. import components as c
from ..links import with_lang

MAX_TEXT = 200


def text(value, default: str = "") -> str:
    """A value the browser should have sent as text (a path, a query string), or ``default``."""
    return value if isinstance(value, str) and len(value) <= 20_000 else default


def nav_hrefs(nav_ids, query: str) -> list:
    """The menu links for the view's filter; an id the menu does not have gets no_update."""
    links = {view.path: view.link(query) for view in VIEWS.menu()}
    return [links.get(n["name"], no_update) if isinstance(n["name"], str) else no_update for n in nav_ids or []]


def link_hrefs(nav_ids, lang_ids, pathname: str, query: str) -> dict[str, str]:
    """DOM id -> href of the menu's and the language switch's links on the page, for the view's filter
    (as :func:`nav_hrefs` and :func:`lang_hrefs`; ids the page does not have are left out)."""
    pairs = [
        *zip(nav_ids or [], nav_hrefs(nav_ids, query)),
        *zip(lang_ids or [], lang_hrefs(lang_ids, pathname, query)),
    ]
    return {c.dom_id(i): href for i, href in pairs if isinstance(href, str)}


def lang_hrefs(lang_ids, pathname: str, query: str) -> list:
    return [
        with_lang((pathname or "/") + query, n["name"]) if n["name"] in LANGUAGES else no_update for n in lang_ids or []
    ]


def _codes(vocab: Vocabulary, dimension: str, values) -> tuple[str, ...]:
    if not isinstance(values, (list, tuple)):
        values = [values] if isinstance(values, str) else []
    out: list[str] = []
    for value in values[:400]:
        if isinstance(value, str) and vocab.knows(dimension, value) and value not in out:
            out.append(value)
    return tuple(out)


def _date(value) -> dt.date | None:
    return parse_date(value) if isinstance(value, str) and len(value) <= 20 else None


def half_year(custom) -> tuple[dt.date, dt.date] | None:
    """A trend bar's customdata [type, '1–6/2024'] as the half-year's first and last day."""
    if not isinstance(custom, (list, tuple)) or len(custom) != 2 or not isinstance(custom[1], str):
        return None
    half, _, year = custom[1].partition("/")
    if not year.isascii() or not year.isdigit() or not 1900 <= int(year) <= 2100:
        return None
    y = int(year)
    if half.startswith("1"):
        return dt.date(y, 1, 1), dt.date(y, 6, 30)
    if half.startswith("7"):
        return dt.date(y, 7, 1), dt.date(y, 12, 31)
    return None


def dropped(flt: ReportFilter, name: str) -> ReportFilter:
    """The filter without what a chip's button ``drop:<field>:<code>`` names (q and voice
    have no code); anything else leaves it as it is."""
    _, _, rest = name.partition(":")
    field, _, code = rest.partition(":")
    if field == "q":
        return flt.with_values(text="")
    if field == "voice":
        return flt.with_values(client_voice=False)
    if field in LIST_PARAMS and code in getattr(flt, field):
        return flt.toggled(field, code)
    return flt


def clicked(flt: ReportFilter, vocab: Vocabulary, field: str | None, click) -> ReportFilter:
    """The filter after a click on a chart whose bars toggle ``field``."""
    if not isinstance(click, dict) or not isinstance(click.get("points"), list) or not click["points"]:
        return flt
    point = click["points"][0]
    custom = point.get("customdata") if isinstance(point, dict) else None
    if field == "period":
        span = half_year(custom)
        return flt.with_values(date_from=span[0], date_to=span[1]) if span else flt
    if field and field in LIST_PARAMS and isinstance(custom, str) and vocab.knows(LIST_PARAMS[field][1], custom):
        return flt.toggled(field, custom)
    return flt


def from_controls(
    flt: ReportFilter, vocab: Vocabulary, presets: list[Preset], trigger: str | None, controls: dict, inputs: dict
) -> ReportFilter:
    """The filter after a control changed (``trigger`` names it)."""
    changes: dict = {}
    for field, (_, dimension) in LIST_PARAMS.items():
        if field in controls:
            changes[field] = _codes(vocab, dimension, controls[field])
    if trigger == "county" and "municipality" in controls and changes.get("county") != flt.county:
        # Keep only the areas that belong to the chosen counties.
        allowed = {o["value"] for o in c.area_options(vocab, changes.get("county", ()), flt.lang)}
        changes["municipality"] = tuple(v for v in changes.get("municipality", ()) if v in allowed)
    if trigger == "period":
        key = controls.get("period")
        preset = preset_by_key(key, presets) if isinstance(key, str) else None
        if key == ALL:
            changes.update(date_from=None, date_to=None)
        elif preset:
            changes.update(date_from=preset.start, date_to=preset.end)
    elif trigger in ("from", "to"):
        start = _date(inputs.get("from")) if "from" in inputs else flt.date_from
        end = _date(inputs.get("to")) if "to" in inputs else flt.date_to
        if start and end and start > end:
            start, end = end, start
        changes.update(date_from=start, date_to=end)
    if "q" in inputs:
        text = inputs.get("q")
        changes["text"] = ReportFilter.from_query({"q": [text]}, vocab).text if isinstance(text, str) else ""
    if "voice" in inputs:
        changes["client_voice"] = inputs["voice"] is True
    return flt.with_values(**changes)
