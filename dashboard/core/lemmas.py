"""Lemmas of Finnish (and Swedish, English) text: the one lemmatiser that the
text search, the theme suggestions and the grouping of reports share.

simplemma's dictionaries (pip, no network) give the base form of an inflected
word: ``asumisen`` -> ``asuminen``, ``kouluakäymättömyyteen`` ->
``kouluakäymättömyys``, ``päihteiden`` -> ``päihde``. Its Finnish dictionary
is large (about 400 MB as a Python dict), so it is read through a marisa trie
kept on disk (about 20 MB in memory, opened in milliseconds once built; the
first build takes some seconds and is done at install by ``make``).

Compounds: a Finnish lemma of eight letters or more is also indexed by its
last part when that part is a known word of four letters or more
(``mielenterveyspalvelu`` -> ``palvelu``) and by its first part when the rest
is known (``mielenterveys``), so a search for ``palvelu`` finds
``mielenterveyspalvelujen``. Pure functions apart from the lazily opened
dictionaries; nothing is opened at import.
"""

from __future__ import annotations

import re
import sys
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("fi", "sv", "en")
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
MIN_PART = 4  # letters in a compound's part that is indexed on its own
MIN_COMPOUND = 8

_lock = threading.RLock()


def cache_dir() -> Path:
    """Where the tries live: inside the virtual environment (written at install)."""
    return Path(sys.prefix) / "var" / "simplemma"


@lru_cache(maxsize=1)
def _lookup():
    """simplemma's dictionary lookup over on-disk tries (built on first use)."""
    # simplemma is imported when first needed: importing this module opens nothing
    from simplemma.strategies import DictionaryLookupStrategy
    from simplemma.strategies.dictionaries import TrieDictionaryFactory  # lazily, as above

    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        factory = TrieDictionaryFactory(use_disk_cache=True, disk_cache_dir=str(folder))
    except OSError:  # a read-only install: the user's cache folder
        factory = TrieDictionaryFactory(use_disk_cache=True)
    return factory, DictionaryLookupStrategy(dictionary_factory=factory)


@lru_cache(maxsize=1)
def _lemmatizer():
    # imported when first needed, as above
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy  # lazily, as above

    factory, _ = _lookup()
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))


def warm(languages: tuple[str, ...] = LANGUAGES) -> None:
    """Build (or open) the tries now, e.g. at install or before workers fork."""
    with _lock:
        for lang in languages:
            lemma("talo", lang)


def normalise(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").casefold()


def words(text: str | None) -> list[str]:
    """The words of a text, lower-case (hyphenated compounds as one word)."""
    return WORD.findall(normalise(text))


@lru_cache(maxsize=65536)
def lemma(word: str, lang: str = "fi") -> str:
    """The base form of one (lower-case) word; the word itself when unknown."""
    lang = lang if lang in LANGUAGES else "fi"
    if len(word) < 2:
        return word
    with _lock:
        found = _lemmatizer().lemmatize(word, lang)
    return normalise(found) or word


@lru_cache(maxsize=65536)
def is_known(word: str, lang: str = "fi") -> bool:
    """Whether the dictionary knows ``word`` as a form of some lemma."""
    lang = lang if lang in LANGUAGES else "fi"
    with _lock:
        return _lookup()[1].get_lemma(word, lang) is not None


@lru_cache(maxsize=65536)
def compound_parts(base: str, lang: str = "fi") -> tuple[str, ...]:
    """The indexed parts of a compound lemma: each known last part of four
    letters or more after a known first part, and that first part (Finnish; a hyphenated word
    in any language by its parts): ``mielenterveyspalvelu`` -> ``palvelu``,
    ``mielenterveys``, ``terveyspalvelu``."""
    if "-" in base:
        return tuple(dict.fromkeys(lemma(p, lang) for p in base.split("-") if len(p) >= MIN_PART))
    if lang != "fi" or len(base) < MIN_COMPOUND:
        return ()
    out: list[str] = []
    for cut in range(3, len(base) - MIN_PART + 1):
        tail = base[cut:]
        head = base[:cut]
        head_known = is_known(head, lang)
        # asumis|tuki: a -nen word stands as -s in a compound (asuminen)
        if not head_known and head.endswith("s") and is_known(head[:-1] + "nen", lang):
            head, head_known = head[:-1] + "nen", True
        if head_known and is_known(tail, lang) and lemma(tail, lang) == tail:
            out.append(tail)
            if len(head) >= MIN_PART:
                out.append(lemma(head, lang))
    return tuple(dict.fromkeys(p for p in out if p != base))


def lemmas(text: str | None, lang: str = "fi", compounds: bool = True) -> list[str]:
    """The lemmas of a text in order (with compound parts after their word)."""
    out: list[str] = []
    for word in words(text):
        base = lemma(word, lang)
        out.append(base)
        if compounds:
            out.extend(compound_parts(base, lang))
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m dashboard.core.lemmas [words…]``: build the tries (at install), or show lemmas."""
    args = sys.argv[1:] if argv is None else argv
    warm()
    for word in args:
        print(word, " ".join(lemmas(word)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
