"""The forgiving text search: a word finds its inflected forms and the
compounds it is part of.

Index (written at import into ``reports.search_text``): the words of a
report's texts as written, each word's base forms (:func:`lemmas.base_forms`:
simplemma's dictionaries, and Voikko's analysis where it is installed) and the
parts of a compound (:func:`lemmas.compound_parts`), each once, between
spaces: ``" asumisen asuminen asua … "``.

Query: each word of the query is lemmatised the same way; a report matches
the word when its index holds the word or one of its base forms, so every
form of a word finds the same reports (``asuminen``, ``asumisen`` and
``asumista`` alike: the index holds the base form of each). A word no dictionary knows
(a name, a word cut short) matches the start of an indexed word instead, from
its stem where the lemmatiser can guess one (``sirkkulan`` and
``sirkkulanpuistoon`` find ``Sirkkulanpuistossa``). Every word of the query must
match. The report id matches as a part of it.

Highlighting walks the text's words once (no backtracking regex), so it takes
time in proportion to the text however long a word is.

Pure functions: the SQL is built in ``queries.where``, never here.
"""

from __future__ import annotations

import os.path
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from . import lemmas

TOKEN = lemmas.TOKEN  # a word of a text or a query: letters and digits, hyphenated parts joined
MAX_WORDS = 8  # of a query
MIN_PREFIX = 3  # letters of an unknown word that match the start of a word


def normalise(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").casefold()


@lru_cache(maxsize=lemmas.WORDS_CACHED)
def terms(word: str) -> frozenset[str]:
    """What one (normalised) word of a text is found by: the word, its base forms
    and their compound parts. A word without letters or longer than any real word
    is found only as it is."""
    if len(word) > lemmas.MAX_LETTERS or not any(ch.isalpha() for ch in word):
        return frozenset((word,))
    found = {word}
    for base in lemmas.base_forms(word):
        found.add(base)
        found.update(lemmas.compound_parts(base))
    return frozenset(found)


@lru_cache(maxsize=2048)  # a demo and many real forms repeat texts ("Ei muuta.")
def _text_terms(text: str) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for word in TOKEN.findall(normalise(text)):
        out.update(dict.fromkeys(sorted(terms(word))))
    return tuple(out)


@lru_cache(maxsize=2048)
def index_text(*texts: str | None) -> str:
    """The searchable copy of a report's texts: every term of every word, once,
    each between spaces (``" asumisen asuminen asua "``); '' without words."""
    found: dict[str, None] = {}
    for text in texts:
        if isinstance(text, str) and text:
            found.update(dict.fromkeys(_text_terms(text)))
    return " " + " ".join(found) + " " if found else ""


@dataclass(frozen=True)
class QueryWord:
    """One word of a query: the forms a report's index must hold one of, and
    for a word no dictionary knows, the start of a word it may also match."""

    word: str
    forms: frozenset[str]
    prefix: str | None = None

    def matches(self, found: frozenset[str]) -> bool:
        """Whether a word with these ``terms`` matches (what highlighting asks)."""
        if self.forms & found:
            return True
        return self.prefix is not None and any(term.startswith(self.prefix) for term in found)


@lru_cache(maxsize=4096)
def query_word(word: str) -> QueryWord:
    if len(word) > lemmas.MAX_LETTERS or not any(ch.isalpha() for ch in word):
        return QueryWord(word, frozenset((word,)), word if len(word) >= MIN_PREFIX else None)
    if not lemmas.knows(word):
        # A name, a word cut short or a compound the dictionaries lack: the lemmatiser's
        # guess counts where it changes only the ending (kouluakäymättömyyteen ->
        # kouluakäymättömyys, not mielenterv -> mieli), and the word matches the start
        # of a word, from its stem where the guess is one (sirkkulanpuistoon -> sirkkulanpuisto).
        guesses = [b for b in lemmas.base_forms(word) if _only_the_ending(word, b)]
        stems = [b for b in guesses if word.startswith(b)]
        prefix = min([word, *stems], key=len)
        return QueryWord(word, frozenset((word, *guesses)), prefix if len(prefix) >= MIN_PREFIX else None)
    return QueryWord(word, frozenset((word, *lemmas.base_forms(word))))


def _only_the_ending(word: str, base: str) -> bool:
    """Whether ``base`` differs from ``word`` only in its last two letters and what follows."""
    common = len(os.path.commonprefix([word, base]))
    return len(base) >= MIN_PREFIX + 1 and 2 * len(base) > len(word) and common >= len(base) - 2


def query_words(query: str) -> list[QueryWord]:
    """The query's words (at most :data:`MAX_WORDS`), each lemmatised."""
    return [query_word(word) for word in TOKEN.findall(normalise(query))[:MAX_WORDS]]


def clear_caches() -> None:
    """Forget every word's terms and the lemmatiser's lookups (tests switch Voikko off)."""
    lemmas.clear_caches()
    for cached in (terms, _text_terms, index_text, query_word):
        cached.cache_clear()


def marked(text: str | None, query: str) -> list[tuple[str, bool]]:
    """The text in pieces, each with whether the search matched it: the words
    that match a word of the query (in any of their forms) are marked. One pass
    over the text's words."""
    if not text:
        return []
    words = query_words(query)
    if not words:
        return [(text, False)]
    pieces: list[tuple[str, bool]] = []
    done = 0
    for match in TOKEN.finditer(text):
        found = terms(normalise(match.group()))
        if any(word.matches(found) for word in words):
            if match.start() > done:
                pieces.append((text[done : match.start()], False))
            pieces.append((match.group(), True))
            done = match.end()
    if done < len(text):
        pieces.append((text[done:], False))
    return pieces


def marked_id(report_id: str | None, query: str) -> list[tuple[str, bool]]:
    """A report id with the part the query matched marked (the id search), else
    its words marked as in a text."""
    if not report_id:
        return []
    needle = normalise(query).strip()
    at = report_id.lower().find(needle) if needle and len(report_id.lower()) == len(report_id) else -1
    if at < 0:
        return marked(report_id, query)
    end = at + len(needle)
    pieces = [(report_id[:at], False), (report_id[at:end], True), (report_id[end:], False)]
    return [piece for piece in pieces if piece[0]]
