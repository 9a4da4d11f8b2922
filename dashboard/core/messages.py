"""The gettext catalogues of the UI: reading, changing, checking and compiling them.

``dashboard/locale/messages.pot`` holds the Finnish source text of every message; each
``{fi,sv,en}/LC_MESSAGES/messages.po`` its translation. A message's identity is its
symbolic key, kept as ``msgctxt``; the ``msgid`` is the Finnish text. So when the Finnish
text of a key changes, the Swedish and English entries of that key keep their old
translation but are marked ``fuzzy`` (with the old Finnish as ``#| msgid``), and
:func:`problems` (and the test suite) refuses the catalogues until they are translated
again. Plural messages have a ``msgid_plural`` and one ``msgstr[i]`` per plural form of
the language (``Plural-Forms``).

``python -m dashboard messages set KEY --fi … --sv … --en …`` adds or changes a message;
see README "Adding a string". :mod:`dashboard.core.i18n` reads the catalogues at run time.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from .config import LANGUAGES

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "fi"
# Fixed header dates: a rewrite of a catalogue changes only the messages that changed (no merge noise).
HEADER_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HEADER_COMMENT = (
    "# Tilannekuva's UI messages. msgctxt is the message's key, msgid its Finnish text.\n"
    "# Change them with: python -m dashboard messages set KEY --fi ... --sv ... --en ...\n"
    '# (README, "Adding a string").'
)
PLACEHOLDER = re.compile(r"(?<!\{)\{(\w*)[^{}]*\}(?!\})")

# A message's text as Babel holds it: one string, or the singular and plural forms (tuple or list).
Text = str | tuple[str, ...] | list[str]


def template_path(locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / f"{DOMAIN}.pot"


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def placeholders(text: Text) -> set[str]:
    """The ``{name}`` fields of a text (of every form of a plural text)."""
    forms = (text,) if isinstance(text, str) else text
    return {name for form in forms for name in PLACEHOLDER.findall(form)}


# ---- reading and writing ----------------------------------------------------------------


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def new_catalogue(lang: str | None) -> Catalog:
    return Catalog(
        locale=lang,
        domain=DOMAIN,
        project="Tilannekuva",
        version="1",
        copyright_holder="Tilannekuva",
        header_comment=HEADER_COMMENT,
        creation_date=HEADER_DATE,
        revision_date=HEADER_DATE,
        last_translator="Tilannekuva",
        language_team=f"{lang}" if lang else "",
        fuzzy=False,
    )


def write_catalogue(catalog: Catalog, path: Path) -> None:
    """Write a catalogue sorted by key, one line per string (no wrapping: a change is one diff line)."""
    ordered = new_catalogue(None if path.suffix == ".pot" else str(catalog.locale))
    for message in sorted((m for m in catalog if m.id), key=lambda m: (m.context or "", _first(m.id))):
        # Babel guesses %-format flags from "12 %"; the texts use {name} fields only.
        message.flags.discard("python-format")
        ordered[message.id] = message
    buffer = io.BytesIO()
    write_po(buffer, ordered, width=0, include_previous=True, no_location=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != buffer.getvalue():
        path.write_bytes(buffer.getvalue())


def _first(msgid: Text) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def compile_catalogue(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Write each language's ``.mo`` beside its ``.po`` (``make`` runs this at install)."""
    written = []
    for lang in LANGUAGES:
        target = mo_path(lang, locale_dir)
        target.write_bytes(compile_catalogue(read_catalogue(po_path(lang, locale_dir), lang)))
        written.append(target)
    return written


# ---- the messages as a whole ----------------------------------------------------------


@dataclass
class Catalogues:
    """The template and every language's catalogue, by key."""

    template: Catalog
    languages: dict[str, Catalog]
    locale_dir: Path = LOCALE_DIR

    @classmethod
    def load(cls, locale_dir: Path = LOCALE_DIR) -> Catalogues:
        template = read_catalogue(template_path(locale_dir))
        languages = {}
        for lang in LANGUAGES:
            path = po_path(lang, locale_dir)
            languages[lang] = read_catalogue(path, lang) if path.exists() else new_catalogue(lang)
        return cls(template, languages, locale_dir)

    def save(self) -> None:
        write_catalogue(self.template, template_path(self.locale_dir))
        for lang, catalog in self.languages.items():
            write_catalogue(catalog, po_path(lang, self.locale_dir))

    def source(self, key: str) -> Message | None:
        return _by_key(self.template).get(key)

    def keys(self) -> list[str]:
        return sorted(_by_key(self.template))

    def set(
        self,
        key: str,
        texts: dict[str, Text],
        comment: str | None = None,
    ) -> list[str]:
        """Add or change the message ``key``. ``texts`` maps a language to its text (a tuple of
        forms for a plural message). A new or changed Finnish text marks the other languages'
        existing translations fuzzy unless this call gives them too. Returns what happened."""
        if not re.fullmatch(r"[a-z0-9_]+(\.[a-zA-Z0-9_]+)+", key):
            raise ValueError(f"a key is dotted lower-case words, e.g. coord.upload_done: {key!r}")
        done: list[str] = []
        old = self.source(key)
        fi = texts.get(SOURCE_LANGUAGE)
        if fi is None and old is None:
            raise ValueError(f"{key} is a new message: give its Finnish text (--fi)")
        if fi is not None:
            plural = not isinstance(fi, str)
            if plural and len(fi) != 2:
                raise ValueError("a plural Finnish text has two forms: the singular and the plural")
            if old is None or old.id != fi:
                self._set_source(key, fi, comment)
                done.append(f"{key}: Finnish {'added' if old is None else 'changed'}")
            elif comment is not None:
                old.auto_comments = [comment]
        elif comment is not None and old is not None:
            old.auto_comments = [comment]
        source = self.source(key)
        assert source is not None
        self.update()
        for lang, text in texts.items():
            if lang == SOURCE_LANGUAGE:
                continue
            if isinstance(source.id, str) != isinstance(text, str):
                raise ValueError(
                    f"{key}: give {lang} as {'one text' if isinstance(source.id, str) else 'plural forms'}"
                )
            message = _by_key(self.languages[lang])[key]
            message.string = text
            message.flags.discard("fuzzy")
            message.previous_id = []
            done.append(f"{key}: {lang} set")
        return done

    def remove(self, key: str) -> bool:
        message = self.source(key)
        if message is None:
            return False
        self.template.delete(message.id, context=key)
        self.update()
        return True

    def _set_source(self, key: str, msgid: Text, comment: str | None) -> None:
        old = self.source(key)
        comments = [comment] if comment is not None else (old.auto_comments if old is not None else [])
        if old is not None:
            self.template.delete(old.id, context=key)
        empty: Text = "" if isinstance(msgid, str) else ("",) * len(msgid)
        self.template.add(msgid, empty, context=key, auto_comments=comments)

    def update(self) -> None:
        """Bring every language's catalogue in line with the template, by key: a new key is
        added untranslated, a removed key is dropped, and a key whose Finnish text changed keeps
        its translation marked fuzzy. Finnish is the source, so its msgstr is its msgid."""
        for lang, catalog in self.languages.items():
            existing = _by_key(catalog)
            updated = new_catalogue(lang)
            updated.mime_headers = catalog.mime_headers
            for key, source in _by_key(self.template).items():
                old = existing.get(key)
                plural = not isinstance(source.id, str)
                forms = updated.num_plurals if plural else 1
                if lang == SOURCE_LANGUAGE:
                    string: Text | None = _plural_forms(source.id, forms) if plural else source.id
                    flags: set[str] = set()
                    previous: Text = ()
                elif old is None or (isinstance(old.id, str) != isinstance(source.id, str)):
                    string, flags, previous = ("",) * forms if plural else "", set(), ()
                else:
                    string = old.string
                    flags = set(old.flags) - {"python-format"}
                    previous = old.previous_id
                    if old.id != source.id:
                        flags.add("fuzzy")
                        if "fuzzy" not in old.flags:
                            previous = (old.id,) if isinstance(old.id, str) else old.id
                updated.add(
                    source.id,
                    string,
                    context=key,
                    auto_comments=source.auto_comments,
                    user_comments=old.user_comments if old is not None else (),
                    flags=flags,
                    previous_id=previous,
                )
            self.languages[lang] = updated


def _plural_forms(msgid: Text, forms: int) -> tuple[str, ...]:
    """Finnish's own plural forms: the singular, then the plural for every other form."""
    singular, plural = msgid[0], msgid[1]
    return (singular,) + (plural,) * (forms - 1)


def _by_key(catalog: Catalog) -> dict[str, Message]:
    return {m.context: m for m in catalog if m.id and m.context}


# ---- porting a branch's strings from the old STRINGS dict ----------------------------------


def strings_of(source: str) -> dict[str, tuple[str, ...]]:
    """The ``STRINGS`` dict of an old ``dashboard/core/i18n.py``'s text (read with ``ast``, never run)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        targets: list[ast.expr]
        value: ast.expr | None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(target, ast.Name) and target.id == "STRINGS" for target in targets) and value:
            return ast.literal_eval(value)
    raise ValueError("no STRINGS dict in that i18n.py")


def port(
    cats: Catalogues, branch: dict[str, tuple[str, ...]], base: dict[str, tuple[str, ...]]
) -> tuple[list[str], list[str]]:
    """Bring into the catalogues what a branch did to the old ``STRINGS`` dict since ``base`` (the
    dict it started from): a key it added or whose texts it changed gets the branch's fi, sv and
    en. Keys it did not touch are left as the catalogues have them (main may have made them plural
    or removed them). Returns (ported, conflicts): the keys set, and the keys the branch changed
    that are plural messages now, which a person must set by hand."""
    ported, conflicts = [], []
    for key, texts in branch.items():
        if base.get(key) == texts:
            continue
        source = cats.source(key)
        if source is not None and not isinstance(source.id, str):
            conflicts.append(key)
            continue
        cats.set(key, dict(zip(LANGUAGES, texts)))
        ported.append(key)
    return ported, conflicts


# ---- checking -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    lang: str
    key: str | None
    text: str

    def __str__(self) -> str:
        return f"{self.lang}: {self.key + ' ' if self.key else ''}{self.text}"


def problems(catalogues: Catalogues | None = None) -> list[Problem]:
    """Everything that keeps the catalogues from being complete and consistent: a message
    missing, untranslated or fuzzy in a language, a translation whose ``{fields}`` differ from
    the Finnish, a plural message without all its forms, a Finnish text that differs from the
    template, a message without a key."""
    cats = catalogues or Catalogues.load()
    found: list[Problem] = []
    source = _by_key(cats.template)
    keyless = [_first(m.id) for m in cats.template if m.id and not m.context]
    found += [Problem("template", None, f"a message without a key (msgctxt): {text!r}") for text in keyless]
    for lang, catalog in cats.languages.items():
        entries = _by_key(catalog)
        header = catalog.mime_headers and dict(catalog.mime_headers).get("Plural-Forms", "")
        if "nplurals=" not in (header or ""):
            found.append(Problem(lang, None, "no Plural-Forms header"))
        for key in sorted(set(entries) - set(source)):
            found.append(Problem(lang, key, "is not in the template (run: python -m dashboard messages update)"))
        for key, src in source.items():
            message = entries.get(key)
            if message is None:
                found.append(Problem(lang, key, "missing (run: python -m dashboard messages update)"))
                continue
            if message.id != src.id:
                found.append(Problem(lang, key, "has another Finnish text than the template"))
            if "fuzzy" in message.flags:
                found.append(Problem(lang, key, "is fuzzy: the Finnish text changed, check the translation"))
            plural = not isinstance(src.id, str)
            string = message.string
            if plural:
                forms = tuple(string) if isinstance(string, (tuple, list)) else (string,)
                if string is None or len(forms) != catalog.num_plurals or not all(forms):
                    found.append(Problem(lang, key, f"needs all {catalog.num_plurals} plural forms"))
                    continue
            elif not string:
                found.append(Problem(lang, key, "is untranslated"))
                continue
            if lang == SOURCE_LANGUAGE:
                expected = tuple(_plural_forms(src.id, catalog.num_plurals)) if plural else src.id
                if (tuple(string) if plural else string) != expected:
                    found.append(Problem(lang, key, "differs from its msgid: change Finnish with the messages command"))
            fields = placeholders(src.id)
            got = placeholders(string)
            if got != fields:
                found.append(Problem(lang, key, f"has fields {sorted(got)}, the Finnish has {sorted(fields)}"))
            if plural:
                # Every form but the singular stands for many counts and must show the count.
                for form in tuple(string)[1:]:
                    if "n" in fields and "{n}" not in form:
                        found.append(Problem(lang, key, f"a plural form without {{n}}: {form!r}"))
    return found
