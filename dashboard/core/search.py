"""The forgiving text search: inflected Finnish forms find each other.

Chosen: Snowball stemmers (PyStemmer; Finnish, Swedish and English) on the
*query*, plus Finnish consonant gradation, matched as word prefixes in a
normalised copy of the report's texts (``reports.search_text``, written at
import). Snowball alone does not join ``asunto`` and ``asunnon`` (nt/nn
gradation) or ``asunnottomuus`` (a derivation); prefixes of the stem and its
gradation partner do: ``asunto`` -> ``asunt``, ``asunn`` -> ``asuntoja``,
``asunnon``, ``asunnottomuus``, ``vuokra-asunto``. Candidates of five letters or
more match inside words too (Finnish compounds); shorter ones only at the
start of a word. Several query words must all match.
Pure functions: the SQL text is built here, never run here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

from .visibility import text_visible

WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
MIN_PREFIX = 3
ANYWHERE = 5  # a candidate this long also matches inside compounds (vuokra-asunto, vuokravelkojen)
MAX_WORDS = 8
VOWELS = "aeiouyäö"
# Finnish consonant gradation: strong -> weak. Two-letter clusters anywhere after
# the first letters; single consonants only between vowels.
CLUSTERS = {"nt": "nn", "nk": "ng", "mp": "mm", "lt": "ll", "rt": "rr", "ht": "hd", "tt": "t", "kk": "k", "pp": "p"}
SINGLE = {"t": "d", "p": "v"}


@lru_cache(maxsize=3)
def _stemmer(language: str):
    return Stemmer.Stemmer(language)


def normalise(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").casefold()


def index_text(*texts: str | None) -> str:
    """The searchable copy of a report's texts: lower-case words, each preceded by a space."""
    words = WORD.findall(normalise(" ".join(t for t in texts if isinstance(t, str))))
    return " " + " ".join(words) if words else ""


def _grade_pair(word: str) -> set[str]:
    """Both grades of the gradating consonant in the word's last syllable, as
    prefixes that end with it: asunto, asunnon -> {asunt, asunn}; päihde -> {päiht, päihd}."""
    candidates = [(s, w) for s, w in CLUSTERS.items()] + [(w, s) for s, w in CLUSTERS.items() if len(w) == 2]
    candidates += list(SINGLE.items()) + [(w, s) for s, w in SINGLE.items()]
    best: tuple[int, str, str] | None = None
    for a, b in candidates:
        i = word.rfind(a)
        tail = word[i + len(a) :]
        if i < 2 or len(tail) > 2:  # gradation happens in the last syllable
            continue
        if len(a) == 1 and not (word[i - 1] in VOWELS and tail[:1] and tail[0] in VOWELS):
            continue  # a single consonant grades only between vowels
        if (
            best is None
            or i + len(a) > best[0] + len(best[1])
            or (i + len(a) == best[0] + len(best[1]) and len(a) > len(best[1]))
        ):
            best = (i, a, b)
    if best is None:
        return set()
    i, a, b = best
    return {word[:i] + a, word[:i] + b}


def prefixes(word: str) -> list[str]:
    """The word parts that count as a match for one query word."""
    word = normalise(word)
    if len(word) < MIN_PREFIX:
        return [word]
    stem = _stemmer("finnish").stemWord(word)
    found = {stem if len(stem) >= MIN_PREFIX else word}
    found |= {p for p in _grade_pair(word) | _grade_pair(stem) if len(p) >= 4}
    for language in ("swedish", "english"):
        other = _stemmer(language).stemWord(word)
        if len(other) >= 4:
            found.add(other)

    # A candidate that contains (or, when short, extends) another adds nothing.
    def covered(p: str, q: str) -> bool:
        return p != q and (q in p if len(q) >= ANYWHERE else p.startswith(q))

    return sorted(p for p in found if not any(covered(p, q) for q in found))


def query_words(query: str) -> list[str]:
    return WORD.findall(normalise(query))[:MAX_WORDS]


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_clause(query: str, alias: str = "r") -> tuple[str, dict[str, object]]:
    """SQL over ``reports AS {alias}``: the report id contains the query, or
    (reports whose texts leadership may read only) every query word matches a word of the texts."""
    params: dict[str, object] = {"q_id": "%" + _like(normalise(query)) + "%"}
    words = []
    for i, word in enumerate(query_words(query)):
        alternatives = []
        for j, prefix in enumerate(prefixes(word)):
            key = f"q_{i}_{j}"
            params[key] = ("%" if len(prefix) >= ANYWHERE else "% ") + _like(prefix) + "%"
            alternatives.append(f"{alias}.search_text LIKE ${key} ESCAPE '\\'")
        words.append("(" + " OR ".join(alternatives) + ")")
    text = f"({text_visible(alias)} AND {' AND '.join(words)})" if words else "FALSE"
    return f"(lower({alias}.report_id) LIKE $q_id ESCAPE '\\' OR {text})", params


def highlight_pattern(query: str) -> re.Pattern | None:
    """A regex that finds the matched words in a text (for <mark>)."""
    found = [p for w in query_words(query) for p in prefixes(w)]
    if not found:
        return None
    inside = "|".join(re.escape(p) for p in sorted({p for p in found if len(p) >= ANYWHERE}, key=len, reverse=True))
    start = "|".join(re.escape(p) for p in sorted({p for p in found if len(p) < ANYWHERE}, key=len, reverse=True))
    parts = ([rf"[^\W_]*(?:{inside})[^\W_]*"] if inside else []) + (
        [rf"(?<![^\W_])(?:{start})[^\W_]*"] if start else []
    )
    return re.compile("(" + "|".join(parts) + ")", re.IGNORECASE)
