"""Links between pages: one way to set a link's language, for the Dash views
and the Flask pages alike. Pure: no Dash, no Flask."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from ..core.config import default_language


def with_lang(target: str, lang: str) -> str:
    """A same-site path (with or without a query string) with its ``lang``
    parameter set to ``lang`` (the default language, ``DASHBOARD_LANG``, needs none)."""
    path, _, query = target.partition("?")
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "lang"]
    if lang != default_language():
        pairs.append(("lang", lang))
    return path + ("?" + urlencode(pairs) if pairs else "")
