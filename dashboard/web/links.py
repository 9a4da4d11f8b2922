"""Links between pages: one way to set a link's language, for the Dash views
and the Flask pages alike. Pure: no Dash, no Flask."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode


def with_lang(target: str, lang: str) -> str:
    """A same-site path (with or without a query string) with its ``lang``
    parameter set to ``lang`` (Finnish, the default, needs none)."""
    path, _, query = target.partition("?")
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "lang"]
    if lang != "fi":
        pairs.append(("lang", lang))
    return path + ("?" + urlencode(pairs) if pairs else "")
