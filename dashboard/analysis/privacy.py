"""Privacy screening of free texts before anything is published.

Finds what could identify a person: a Finnish personal identity code
(henkilötunnus, its date, century sign incl. the signs of 2023, and its check
character), phone numbers, e-mail addresses, street addresses (a street name
with a house number, or a postal code with a town) and person names. Each hit
has its span in the text for highlighting and a stable id, so a coordinator's
"not personal data" decision sticks to it.

Names: with Voikko installed (``libvoikko`` and its Finnish dictionary), its
morphological analysis says which words are first names or surnames. Without
it, a rule over the shared lemmatiser (:mod:`dashboard.core.lemmas`): a word
written with a capital inside a sentence is a possible name when the dictionary
does not know it, when it is a common Finnish first name or surname, or when
it stands next to another such word ("Matti Virtanen"). Sentence starts,
acronyms, place names of the regions table, the county's allowed terms and a
short list of services and organisations (Kela, Teams, ...) are never flagged.
It is a screen for a person to look at, not a guarantee: the coordinator
decides, and an override is recorded with who, when and why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..core import lemmas

KINDS = ("personal_id", "phone", "email", "address", "name")
FIELDS = ("observation", "client_voice", "proposal")

# ---- identity code -------------------------------------------------------------------

CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# The century signs: '+' 1800s; '-' and, since 2023, Y X W V U the 1900s; A and, since 2023, B C D E F the 2000s.
CENTURY = {"+": 1800, "-": 1900, **dict.fromkeys("YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}
PERSONAL_ID = re.compile(r"(?<![\w+\-])(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Za-z])(?![\w\-])", re.IGNORECASE)


def personal_id_check(code: str) -> tuple[bool, bool]:
    """(looks like an identity code with a real date, its check character matches)."""
    m = PERSONAL_ID.fullmatch(code.strip())
    if not m:
        return False, False
    day, month, year, sign, individual, check = m.groups()
    century = CENTURY.get(sign.upper())
    if century is None:
        return False, False
    try:
        dt.date(century + int(year), int(month), int(day))
    except ValueError:
        return False, False
    if int(individual) < 2:
        return False, False
    expected = CHECK_CHARS[int(day + month + year + individual) % 31]
    return True, check.upper() == expected


# ---- phone, e-mail, address ---------------------------------------------------------------

PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)358[\s-]?\(?0?\)?[\s-]?\d{1,3}(?:[\s-]?\d){4,8}(?!\d)"
    r"|(?<![\w.,/])0\d{1,3}[\s-]?\d{2,4}(?:[\s-]?\d{2,4}){1,2}(?!\d|[.,/]\d)"
)
# Every part is bounded (a local part of at most 64 characters, labels of 63, at most 8 of them, as
# RFC 5321 allows), so a match is tried in bounded time wherever it starts: with unbounded parts a
# 20 000-character word took seconds and 170 000 characters over a minute (every position started a
# match that ran to the end of the word).
EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[^\W\d_]{2,24}", re.UNICODE)
STREET = re.compile(
    r"\b[A-ZÅÄÖ][\wåäö-]{0,60}?"  # bounded: "A-A-A-…" no longer starts a match running to the end
    r"(?:katu|kadu[a-zäö]*|tie(?:llä|ltä|lle|n|tä)?|kuja[a-zäö]*|polku|polu[a-zäö]*|väylä[a-zäö]*|raitti|raiti[a-zäö]*"
    r"|kaari|kaare[a-zäö]*|rinne|rintee[a-zäö]*|ranta|ranna[a-zäö]*|tori[a-zäö]*|aukio[a-zäö]*|puistikko"
    r"|gatan|vägen|gränd|stigen|torget|backen)"
    r"\s+\d{1,4}(?:\s?[A-Za-z]\b)?(?:\s?[A-Za-z]?\s?\d{1,3})?"
)
POSTAL = re.compile(r"(?<!\d)\d{5}\s+[A-ZÅÄÖ][a-zåäö]+")
DIGIT = re.compile(r"\d")

# ---- names ----------------------------------------------------------------------------------

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
SENTENCE_END = ".!?:;…\n\r"
OPENERS = " \t\"'”“’‘«»([{•*–—-"
# Services, organisations and tools a report names all the time: not persons.
KNOWN_TERMS = frozenset(
    """kela thl stm teams omakanta kanta omaolo hyte sote verso webropol forms microsoft wilma sotkanet finlex
    te-palvelut te-toimisto a-klinikka a-kilta tuulensuoja suomi suomen ruotsi eu yk whatsapp instagram tiktok
    facebook google youtube snapchat discord telegram signal android iphone mielenterveystalo nuorten
    ohjaamo ohjaamossa sininauha hdl vates sosped mieli ehyt kirkko seurakunta diakonia punainen risti
    sprn mll mannerheimin lastensuojeluliitto""".split()
)
# Common Finnish first names and surnames (the dictionary knows them as words, so
# without Voikko they are listed). A screen, not a register: extend freely.
COMMON_NAMES = frozenset(
    """aada aino aleksi anna anne anneli anni anja antti ari arja arto eero eija eila elina elisa ella emilia
    emma erkki esa eveliina harri heikki heli helena helmi henna henri hilkka ilkka ilona irma jaana jani
    janne jari jarmo jenni jere jesse johanna joni jonna jorma jouni juha juhani jukka jussi jyrki kaarina
    kai kaisa kalle kari katja kati kimmo kirsi kristiina kaija lauri laura leena leo liisa lotta maija
    maria marja marjatta markku marko matias matti merja mika mikael mikko milla minna mirja mirjami
    niina niko noora oliver onni outi paavo pasi pauliina pekka pentti petri pia pirjo raija raimo reijo
    riikka riitta risto ritva saara sami sanna sari satu seppo simo sinikka sirpa sofia suvi taina tanja
    tapani tapio teemu terhi timo tiina toni topias tuomas tuula tuulikki ulla veera veikko vesa ville
    viivi väinö aatu eino elias lenni leevi niilo oskari valtteri venla pihla ronja iida
    korhonen virtanen mäkinen nieminen mäkelä hämäläinen laine heikkinen koskinen järvinen lehtonen
    lehtinen saarinen salminen heinonen niemi heikkilä kinnunen salonen turunen salo laitinen tuominen
    rantanen karjalainen jokinen mattila savolainen lahtinen ahonen""".split()
)
PERSON_CUES = frozenset("asiakas asiakkaan nimeltä rouva herra äiti isä poika tytär tyttö sisko veli".split())


@dataclass(frozen=True)
class Hit:
    field: str
    start: int
    end: int
    kind: str  # one of KINDS
    text: str
    reason: str  # why: 'check_ok', 'check_mismatch', 'voikko', 'unknown_word', 'common_name', 'full_name', ...
    hit_id: str


@dataclass(frozen=True)
class Context:
    """What the name rule must not flag: place names (casefolded, lemmas) and the
    county's allowed terms."""

    places: frozenset[str] = frozenset()
    allowed: frozenset[str] = frozenset()
    lang: str = "fi"


def places_from(names: Iterable[str]) -> frozenset[str]:
    """Place names (fi/sv names of the regions table) as the name rule compares them."""
    out: set[str] = set()
    for name in names:
        if not name:
            continue
        folded = lemmas.normalise(name)
        out.add(folded)
        out.update(p for p in re.split(r"[\s-]+", folded) if len(p) >= 3)
    return frozenset(out)


@lru_cache(maxsize=1)
def _voikko():
    """Voikko's analyser when libvoikko and a Finnish dictionary are installed, else None."""
    try:
        # Optional: Voikko is a system library (apt install voikko-fi python3-libvoikko).
        import libvoikko

        return libvoikko.Voikko("fi")
    except Exception:  # not installed, or no dictionary: the rule below is used
        return None


def has_voikko() -> bool:
    return _voikko() is not None


def _voikko_classes(word: str) -> set[str]:
    analyser = _voikko()
    if analyser is None:
        return set()
    return {a.get("CLASS", "") for a in analyser.analyze(word)}


def _hit_id(field: str, kind: str, text: str, occurrence: int) -> str:
    raw = f"{field}|{kind}|{lemmas.normalise(text)}|{occurrence}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def _sentence_start(text: str, start: int) -> bool:
    """The word at ``start`` begins a sentence. Looks back over the openers only (a copy of the
    text before each word made the name rule quadratic in the length of the text)."""
    i = start
    while i > 0 and text[i - 1] in OPENERS:
        i -= 1
    return i == 0 or text[i - 1] in SENTENCE_END


@lru_cache(maxsize=64)
def _stems(terms: frozenset[str]) -> tuple[frozenset[str], int]:
    """The beginnings an inflected form of a term starts with (a term of 5 or more letters without
    its last two, at least 4), and the longest of them."""
    stems = frozenset(p[: max(4, len(p) - 2)] for p in terms if len(p) >= 5)
    return stems, max((len(s) for s in stems), default=0)


def _in(folded: str, terms: frozenset[str], lang: str) -> bool:
    if folded in terms or lemmas.lemma(folded, lang) in terms:
        return True
    # An inflected form the dictionary does not know: Heinolassa, Padasjoella, Omakannassa.
    # Looked up by the word's own beginnings (a set lookup each), not by a scan over every term.
    stems, longest = _stems(terms)
    return any(folded[:n] in stems for n in range(4, min(longest, len(folded)) + 1))


def _is_place(word: str, ctx: Context) -> bool:
    return _in(lemmas.normalise(word), ctx.places, ctx.lang)


def _excluded(word: str, ctx: Context) -> bool:
    folded = lemmas.normalise(word)
    if len(word) < 2 or (word.isupper() and len(word) >= 2):
        return True  # a letter or an acronym (THL, HYTE)
    if "-" in folded:  # Teams-tapaamiset, Päijät-Häme: judged by the first part
        head = word.split("-", 1)[0]
        if head and (_excluded(head, ctx) or not head[0].isupper()):
            return True
    if _in(folded, KNOWN_TERMS | ctx.allowed, ctx.lang):
        return True
    return _is_place(word, ctx)


def _name_reason(word: str, ctx: Context) -> str | None:
    """Why this capitalised word could be a person's name, or None."""
    classes = _voikko_classes(word)
    if classes:
        if classes & {"etunimi", "sukunimi"} and "paikannimi" not in classes:
            return "voikko"
        return None
    folded = lemmas.normalise(word)
    base = lemmas.lemma(folded, ctx.lang)
    if folded in COMMON_NAMES or base in COMMON_NAMES:
        return "common_name"
    if not lemmas.is_known(folded, ctx.lang):
        return "unknown_word"
    return None


def _names(text: str, field: str, ctx: Context) -> list[tuple[int, int, str, str]]:
    tokens = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    candidates: list[tuple[int, int, str, bool]] = []  # start, end, word, sentence start
    for start, end, word in tokens:
        if word[0].isupper() and not _excluded(word, ctx):
            candidates.append((start, end, word, _sentence_start(text, start)))
    out: list[tuple[int, int, str, str]] = []
    for i, (start, end, word, at_start) in enumerate(candidates):
        reason = _name_reason(word, ctx)
        nxt = candidates[i + 1] if i + 1 < len(candidates) else None
        prev = candidates[i - 1] if i else None
        pair_next = nxt is not None and text[end : nxt[0]].strip() == "" and not nxt[3]
        pair_prev = prev is not None and text[prev[1] : start].strip() == "" and not at_start
        if at_start:
            # A sentence starts with a capital anyway: only a full name ("Matti Virtanen kertoi").
            if reason in ("voikko", "common_name") and nxt is not None and pair_next and _name_reason(nxt[2], ctx):
                out.append((start, end, word, "full_name"))
            continue
        if reason:
            out.append((start, end, word, reason))
        elif pair_next or pair_prev:
            partner = nxt if pair_next else prev
            if partner is not None and _name_reason(partner[2], ctx):
                out.append((start, end, word, "full_name"))
    return out


def screen_text(text: str | None, field: str = "text", ctx: Context | None = None, remember: bool = True) -> list[Hit]:
    """Every hit in one text, in the order of the text (overlaps resolved: the first
    pattern in KINDS order wins). ``remember=False`` for texts that are screened once (what a
    reporter is typing): they stay out of the cache, which would otherwise hold every text an
    anonymous client sends."""
    if not text:
        return []
    return list((_remembered if remember else _screen)(text, field, ctx or Context()))


def _screen(text: str, field: str, ctx: Context) -> tuple[Hit, ...]:
    found: list[tuple[int, int, str, str]] = []
    # Identity codes, phone numbers and addresses all carry digits and an e-mail address an '@':
    # most texts have neither, and the import screens every report (dashboard.analysis.screening).
    has_digits = DIGIT.search(text) is not None
    for m in PERSONAL_ID.finditer(text) if has_digits else ():
        plausible, check_ok = personal_id_check(m.group())
        if plausible:
            found.append((m.start(), m.end(), "personal_id", "check_ok" if check_ok else "check_mismatch"))
    for m in EMAIL.finditer(text) if "@" in text else ():
        found.append((m.start(), m.end(), "email", "pattern"))
    for m in PHONE.finditer(text) if has_digits else ():
        digits = sum(c.isdigit() for c in m.group())
        if 7 <= digits <= 13:
            found.append((m.start(), m.end(), "phone", "pattern"))
    for m in STREET.finditer(text) if has_digits else ():
        found.append((m.start(), m.end(), "address", "street"))
    for m in POSTAL.finditer(text) if has_digits else ():
        found.append((m.start(), m.end(), "address", "postal_code"))
    for start, end, _word, reason in _names(text, field, ctx):
        found.append((start, end, "name", reason))
    taken = bytearray(len(text))  # characters already in a hit: linear, however many hits there are
    hits: list[Hit] = []
    seen: dict[tuple[str, str], int] = {}
    for start, end, kind, reason in sorted(found, key=lambda f: (KINDS.index(f[2]), f[0])):
        if taken.find(1, start, end) >= 0:
            continue
        taken[start:end] = b"\x01" * (end - start)
        hits.append(Hit(field, start, end, kind, text[start:end], reason, ""))
    out = []
    for h in sorted(hits, key=lambda h: h.start):
        key = (h.kind, lemmas.normalise(h.text))
        seen[key] = seen.get(key, 0) + 1
        out.append(Hit(h.field, h.start, h.end, h.kind, h.text, h.reason, _hit_id(h.field, h.kind, h.text, seen[key])))
    return tuple(out)


# Remembered per text and context: the workbench screens a period's every report on each page (a few
# milliseconds per text, most of it the place-name rule).
_remembered = lru_cache(maxsize=8192)(_screen)


def screen_report(texts: dict[str, str | None], ctx: Context | None = None, remember: bool = True) -> list[Hit]:
    """Hits in a report's free texts (observation, client voice, proposal)."""
    out: list[Hit] = []
    for name, text in texts.items():
        out.extend(screen_text(text, name, ctx, remember))
    return out


def unresolved(hits: Iterable[Hit], dismissed: Iterable[str] = (), allowed: Iterable[str] = ()) -> list[Hit]:
    """The hits nobody has resolved: not dismissed one by one, and (for names) not
    a term the county allows."""
    dismissed, allowed = set(dismissed), {lemmas.normalise(a) for a in allowed}
    return [
        h for h in hits if h.hit_id not in dismissed and not (h.kind == "name" and lemmas.normalise(h.text) in allowed)
    ]


def highlight_spans(text: str, hits: Iterable[Hit]) -> list[tuple[str, Hit | None]]:
    """The text cut into (piece, hit or None) for the page to mark the hits."""
    out: list[tuple[str, Hit | None]] = []
    at = 0
    for h in sorted(hits, key=lambda h: h.start):
        if h.start < at:
            continue
        if h.start > at:
            out.append((text[at : h.start], None))
        out.append((text[h.start : h.end], h))
        at = h.end
    if at < len(text):
        out.append((text[at:], None))
    return out
