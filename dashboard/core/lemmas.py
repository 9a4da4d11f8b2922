"""Lemmas of Finnish (and Swedish, English) text: the one lemmatiser that the
text search, the theme suggestions and the grouping of reports share.

simplemma's dictionaries (pip, no network) give the base form of an inflected
word: ``asumisen`` -> ``asuminen``, ``kouluakäymättömyyteen`` ->
``kouluakäymättömyys``, ``päihteiden`` -> ``päihde``. Its Finnish dictionary
is large (about 400 MB as a Python dict), so it is read through a marisa trie
kept on disk (about 20 MB in memory, opened in milliseconds once built; the
first build takes some seconds and is done at install by ``make``).

Voikko (Debian ``python3-libvoikko voikko-fi``; optional) analyses Finnish
morphologically where it is installed: :func:`base_forms` adds its base forms
to simplemma's, and :func:`compound_parts` takes a compound's parts from its
analysis (``mielen|terveys|palvelu``). The Debian package installs into the
system's ``dist-packages``, which a virtual environment does not see, so the
module is loaded from there by its path (:data:`VOIKKO_MODULES`); without it
everything works on simplemma alone.

Compounds without Voikko: a Finnish lemma of eight letters or more is also
indexed by its last part when that part is a known base form of four letters
or more and the first part is a known base form, a genitive (``lasten``) or
the ``-s`` stem of a ``-nen`` word (``asumis``), and by that first part's
lemma (``mielenterveyspalvelu`` -> ``palvelu``, ``mielenterveys``), so a
search for ``palvelu`` finds ``mielenterveyspalvelujen``. A word no dictionary
knows is lemmatised by its known last part (``kouluakäymättömyyttä`` ->
``koulua`` + ``käymättömyys``) or, for an -(U)Us noun, by its ending.

Pure functions apart from the lazily opened dictionaries; nothing is opened
at import.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("fi", "sv", "en")
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)  # a word that may hold digits (75-vuotiaat)
MIN_PART = 4  # letters in a compound's part that is indexed on its own
MIN_VOIKKO_PART = 3  # Voikko's parts are real ones, so shorter ones count (sosiaali|työ)
MIN_COMPOUND = 8
WORDS_CACHED = 32_768  # per lookup kind and process: a web worker that imports a file keeps this much
MAX_LETTERS = 60  # a longer "word" is not analysed: no Finnish word is, and analysis grows with length
# Where Debian's python3-libvoikko puts its one module (outside any virtual environment).
VOIKKO_MODULES = (Path("/usr/lib/python3/dist-packages/libvoikko.py"),)

_lock = threading.RLock()


def cache_dir() -> Path:
    """Where the tries live: inside the virtual environment (written at install)."""
    return Path(sys.prefix) / "var" / "simplemma"


@lru_cache(maxsize=1)
def _lookup():
    """simplemma's dictionary lookup over on-disk tries (built on first use)."""
    # simplemma takes ~0.3 s to import: only a process that lemmatises pays for it.
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
    # Imported here for the same reason as in _lookup.
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy  # lazily, as above

    factory, _ = _lookup()
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))


@lru_cache(maxsize=1)
def _voikko():
    """Voikko's Finnish analyser, or None where it is not installed."""
    try:
        # Optional: importable where the environment sees the system's packages.
        import libvoikko as module
    except ImportError:
        path = next((p for p in VOIKKO_MODULES if p.is_file()), None)
        spec = importlib.util.spec_from_file_location("libvoikko", path) if path else None
        if spec is None or spec.loader is None:
            return None
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except (OSError, ImportError):
            return None
    try:
        return module.Voikko("fi")
    except (OSError, module.VoikkoException):  # the library or the Finnish dictionary is missing
        return None


def has_voikko() -> bool:
    """Whether Voikko's analysis is in use."""
    return _voikko() is not None


def voikko_analyze(word: str) -> list[dict]:
    """Voikko's raw analyses of a word (BASEFORM, CLASS, STRUCTURE, …); [] without
    Voikko. One analyser per process, used by one thread at a time."""
    voikko = _voikko()
    if voikko is None or not word or len(word) > MAX_LETTERS:
        return []
    with _lock:
        return list(voikko.analyze(word))


@lru_cache(maxsize=WORDS_CACHED)
def analyses(word: str) -> tuple[tuple[str, str], ...]:
    """Voikko's analyses of a Finnish word as (base form, structure) pairs; ()
    without Voikko or for a word it does not know. The structure marks where
    each part of a compound starts with ``=`` (``=pppppp=ppppppp``)."""
    out = []
    for analysis in voikko_analyze(word):
        base = normalise(analysis.get("BASEFORM"))
        if base and TOKEN.fullmatch(base):
            out.append((base, analysis.get("STRUCTURE", "")))
    return tuple(dict.fromkeys(out))


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


@lru_cache(maxsize=WORDS_CACHED)
def lemma(word: str, lang: str = "fi") -> str:
    """The base form of one (lower-case) word; the word itself when unknown."""
    lang = lang if lang in LANGUAGES else "fi"
    if len(word) < 2:
        return word
    with _lock:
        found = _lemmatizer().lemmatize(word, lang)
    return normalise(found) or word


@lru_cache(maxsize=WORDS_CACHED)
def is_known(word: str, lang: str = "fi") -> bool:
    """Whether the dictionary knows ``word`` as a form of some lemma."""
    lang = lang if lang in LANGUAGES else "fi"
    with _lock:
        return _lookup()[1].get_lemma(word, lang) is not None


@lru_cache(maxsize=WORDS_CACHED)
def base_forms(word: str, lang: str = "fi") -> tuple[str, ...]:
    """Every base form of one (lower-case) word, simplemma's lemma first: for
    Finnish also Voikko's base forms where Voikko is installed (``asumisen`` ->
    ``asuminen``, ``asua``), and a word neither knows as Finnish also by its
    Swedish or English lemma when those dictionaries know it (``barnen`` ->
    ``barn``). Only forms that are words (letters, digits, hyphens)."""
    lang = lang if lang in LANGUAGES else "fi"
    if len(word) > MAX_LETTERS:
        return (word,)
    found = [lemma(word, lang)]
    head, _, last = word.rpartition("-")
    if head and last and is_known(last, lang):  # ruoka-avun -> ruoka-apu: the last part inflects
        found.append(f"{head}-{lemma(last, lang)}")
    if lang == "fi":
        voikko = analyses(word)
        found += [base for base, _ in voikko]
        if not voikko and not is_known(word, "fi"):
            guessed = _compound_lemma(word) or _quality_noun(word)
            found += [guessed] if guessed else []
            found += [lemma(word, other) for other in ("sv", "en") if is_known(word, other)]
    return tuple(dict.fromkeys(f for f in found if TOKEN.fullmatch(f))) or (word,)


# The -(U)Us nouns of quality (yksinäisyys, kouluakäymättömyys) and their endings:
# the domain is full of them, and the dictionaries lack many of their compounds.
QUALITY_NOUN = re.compile(
    r"(.{3,}(?:yy|uu))(?:s|den|det|dessa|dessä|desta|destä|delle|della|dellä|delta|deltä|deksi|tta|ttä|teen|tena|tenä"
    r"|ksien|ksia|ksiä|ksista|ksistä|ksiin|ksissa|ksissä|ksille|ksilla|ksillä|ksina|ksinä)"
)


def _quality_noun(word: str) -> str | None:
    """The base form of an inflected -(U)Us noun the dictionaries lack
    (``kouluakäymättömyyttä`` -> ``kouluakäymättömyys``)."""
    match = QUALITY_NOUN.fullmatch(word)
    return match.group(1) + "s" if match else None


@lru_cache(maxsize=WORDS_CACHED)
def _compound_lemma(word: str) -> str | None:
    """A Finnish compound the dictionary lacks, lemmatised by its last part: the
    longest known form at its end after a known first part
    (``kouluakäymättömyyttä`` -> ``koulua`` + ``käymättömyys``)."""
    if len(word) < MIN_COMPOUND:
        return None
    for cut in range(3, len(word) - MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        if is_known(tail, "fi") and is_known(head, "fi"):
            return head + lemma(tail, "fi")
    return None


@lru_cache(maxsize=WORDS_CACHED)
def knows(word: str) -> bool:
    """Whether a dictionary knows the word (simplemma's fi, sv or en, or Voikko;
    a hyphenated word by its last part): a word, not a name or a part of one."""
    head, _, last = word.rpartition("-")
    if head and last:
        return knows(last)
    if analyses(word) or any(is_known(word, lang) for lang in LANGUAGES):
        return True
    return _compound_lemma(word) is not None or _quality_noun(word) is not None


@lru_cache(maxsize=WORDS_CACHED)
def compound_parts(base: str, lang: str = "fi") -> tuple[str, ...]:
    """The indexed parts of a compound lemma: each last part after a first part,
    and that first part's lemma (Finnish; a hyphenated word in any language by
    its parts): ``mielenterveyspalvelu`` -> ``palvelu``, ``mielenterveys``,
    ``terveyspalvelu``, ``mieli``. Voikko's analysis gives the parts where it
    knows the word; else known words of four letters or more that join into it."""
    if "-" in base:
        return tuple(dict.fromkeys(lemma(p, lang) for p in base.split("-") if len(p) >= MIN_PART))
    if lang != "fi" or len(base) > MAX_LETTERS:
        return ()
    structure = next((s for b, s in analyses(base) if b == base), None)
    if structure is not None:
        return _voikko_parts(base, structure)
    if len(base) < MIN_COMPOUND:
        return ()
    out: list[str] = []
    for cut in range(3, len(base) - MIN_PART + 1):
        tail = base[cut:]
        head = _first_part(base[:cut], lang)
        if head and is_known(tail, lang) and lemma(tail, lang) == tail:
            out.append(tail)
            if len(head) >= MIN_PART:
                out.append(head)
    return tuple(dict.fromkeys(p for p in out if p != base))


def _first_part(head: str, lang: str) -> str | None:
    """The lemma of a compound's first part as it stands in the compound: a base
    form (lapsi|perhe), a genitive (lasten|suojelu) or the -s stem of a -nen word
    (asumis|tuki); None for anything else (yksinä|isyys is no compound)."""
    if is_known(head, lang):
        base = lemma(head, lang)
        if base == head or head.endswith("n"):
            return base
    # asumis|tuki: a -nen word stands as -s in a compound (asuminen)
    if head.endswith("s") and is_known(head[:-1] + "nen", lang):
        return head[:-1] + "nen"
    return None


def _voikko_parts(base: str, structure: str) -> tuple[str, ...]:
    """The parts of a compound where Voikko's structure puts them: each last part,
    and each first part's lemma (``mielen|terveys`` -> ``terveys``, ``mieli``)."""
    cuts, letters = [], 0
    for mark in structure:
        if mark == "=":
            if 0 < letters < len(base):
                cuts.append(letters)
        else:
            letters += 1
    out: list[str] = []
    for cut in cuts:
        tail, head = base[cut:], base[:cut]
        if len(tail) >= MIN_VOIKKO_PART:
            out.append(tail)
        head_base = _first_part(head, "fi") or next((b for b, _ in analyses(head)), head)
        if len(head_base) >= MIN_VOIKKO_PART:
            out.append(head_base)
    return tuple(dict.fromkeys(p for p in out if p != base and TOKEN.fullmatch(p)))


def lemmas(text: str | None, lang: str = "fi", compounds: bool = True) -> list[str]:
    """The lemmas of a text in order (with compound parts after their word)."""
    out: list[str] = []
    for word in words(text):
        base = lemma(word, lang)
        out.append(base)
        if compounds:
            out.extend(compound_parts(base, lang))
    return out


def clear_caches() -> None:
    """Forget every word looked up (and whether Voikko is there: tests switch it off)."""
    for cached in (_voikko, analyses, lemma, is_known, base_forms, _compound_lemma, knows, compound_parts):
        getattr(cached, "cache_clear", lambda: None)()  # a test may have put a plain function in its place


def main(argv: list[str] | None = None) -> int:
    """``python -m dashboard.core.lemmas [words…]``: build the tries (at install), or show lemmas."""
    args = sys.argv[1:] if argv is None else argv
    warm()
    for word in args:
        print(word, " ".join(lemmas(word)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
