"""Text that XML (and so XLSX, PPTX and DOCX) can hold.

XML 1.0 allows tab, line feed, carriage return and the characters from U+0020
up, except the surrogates U+D800–U+DFFF and U+FFFE/U+FFFF. A single such
character in a report would make every spreadsheet and deck that holds it
fail to write. The Unicode noncharacters (U+FDD0–U+FDEF and the last two code
points of every plane) are never text either, so they go too."""

from __future__ import annotations

import dataclasses
import re

_NONCHARACTERS = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff" + _NONCHARACTERS + "]")
# The same characters as an RE2 class, for SQL's regexp_replace (DuckDB's strings hold no surrogates).
XML_ILLEGAL_RE2 = (
    r"[\x00-\x08\x0B\x0C\x0E-\x1F\x{FDD0}-\x{FDEF}\x{FFFE}\x{FFFF}"
    + "".join(f"\\x{{{plane:X}FFFE}}\\x{{{plane:X}FFFF}}" for plane in range(1, 17))
    + "]"
)


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot hold (the usual text is returned as it is)."""
    if text.isprintable():  # every character above is non-printable: the common case costs one scan
        return text
    return XML_ILLEGAL.sub("", text)


def scrub(value):
    """A copy of ``value`` (strings, and tuples, lists, dicts and dataclasses
    of them, at any depth) with every string made :func:`xml_safe`. Anything
    else (numbers, frames, dates) is kept as it is."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, tuple):
        items = tuple(scrub(v) for v in value)
        return type(value)(*items) if hasattr(value, "_fields") else items
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: scrub(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value
