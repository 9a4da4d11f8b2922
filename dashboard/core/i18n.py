"""The one translation layer for UI strings, read from the gettext catalogues in
``dashboard/locale/`` (see :mod:`dashboard.core.messages`). Finnish is the source; Swedish
and English are complete (the test suite checks it). Labels of codes (themes, regions, ...)
are not here: they come from the data tables' name_fi/name_sv/name_en columns.

``t(key, lang, **values)`` gives a message, ``tn(key, n, lang, **values)`` the form of a
plural message for the count ``n`` (``{n}`` is filled with the count in the language's
number format unless ``values`` gives it). A key is the message's ``msgctxt``.

The catalogues are read on first use: each language's ``.mo`` (``make`` compiles them at
install) or, when it is missing or older than its ``.po`` (a fresh checkout, an edited
catalogue), the ``.po`` compiled in memory.
"""

from __future__ import annotations

import gettext
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from .config import LANGUAGES
from .formatting import fmt_number
from .messages import LOCALE_DIR, SOURCE_LANGUAGE, mo_path, po_path, read_catalogue

Text = str | tuple[str, ...]


@dataclass(frozen=True)
class Texts:
    """One language's messages by key, and its plural rule."""

    messages: dict[str, Text]
    plural: Callable[[int], int]


def _read(lang: str, locale_dir: Path) -> Texts:
    po, mo = po_path(lang, locale_dir), mo_path(lang, locale_dir)
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        return _read_mo(mo)
    if po.exists():
        return _read_po(po, lang)
    return Texts({}, _one_other)


def _one_other(n: int) -> int:
    return int(n != 1)


def _read_mo(path: Path) -> Texts:
    """A compiled catalogue, read with the standard library's gettext (Babel's mo reader
    drops messages that share a msgid under different contexts)."""
    with path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    messages: dict[str, Text] = {}
    plurals: dict[str, dict[int, str]] = {}
    # The parsed .mo, stable since Python 2; typeshed leaves the private dict out.
    for entry, string in compiled._catalog.items():  # type: ignore[attr-defined]  # noqa: SLF001
        if isinstance(entry, tuple):
            msgid, index = entry
            key, sep, _ = msgid.partition("\x04")
            if sep:
                plurals.setdefault(key, {})[index] = string
        else:
            key, sep, _ = entry.partition("\x04")
            if sep and string:
                messages[key] = string
    for key, forms in plurals.items():
        messages[key] = tuple(forms[i] for i in sorted(forms))
    return Texts(messages, getattr(compiled, "plural", _one_other))


def _read_po(path: Path, lang: str) -> Texts:
    """A catalogue compiled in memory (a fresh checkout, or a .po newer than its .mo)."""
    catalog = read_catalogue(path, lang)
    messages: dict[str, Text] = {}
    for message in catalog:
        if not message.id or not message.context or message.fuzzy:
            continue  # a fuzzy translation is stale (its Finnish changed): Finnish is shown instead
        string = message.string
        if isinstance(string, (tuple, list)):
            if all(string):
                messages[message.context] = tuple(string)
        elif string:
            messages[message.context] = string
    return Texts(messages, gettext.c2py(catalog.plural_expr or "(n != 1)"))


_lock = threading.Lock()
_loaded: dict[str, Texts] = {}


def _texts(lang: str) -> Texts:
    texts = _loaded.get(lang)
    if texts is None:
        with _lock:
            texts = _loaded.get(lang)
            if texts is None:
                texts = _loaded[lang] = _read(lang, LOCALE_DIR)
    return texts


def reload() -> None:
    """Forget the catalogues read so far (after ``messages set`` in the same process)."""
    with _lock:
        _loaded.clear()


def _lookup(key: str, lang: str) -> tuple[Text | None, Texts]:
    texts = _texts(lang if lang in LANGUAGES else SOURCE_LANGUAGE)
    text = texts.messages.get(key)
    if text is None and lang != SOURCE_LANGUAGE:
        texts = _texts(SOURCE_LANGUAGE)
        text = texts.messages.get(key)
    return text, texts


def _choose(forms: tuple[str, ...], n: int, texts: Texts) -> str:
    index = texts.plural(n)
    return forms[index] if 0 <= index < len(forms) else forms[-1]


def t(key: str, /, lang: str = "fi", **values: object) -> str:
    """The UI string ``key`` in ``lang`` (falling back to Finnish, then to the key itself)."""
    text, texts = _lookup(key, lang)
    if text is None:
        return key
    if not isinstance(text, str):  # a plural message: tn() is the way; give a sensible form anyway
        n = values.get("n")
        text = _choose(text, n if isinstance(n, int) else 2, texts)
    return text.format(**values) if values else text


def tn(key: str, n: int, /, lang: str = "fi", **values: object) -> str:
    """The form of the plural message ``key`` for the count ``n`` in ``lang``:
    ``tn("caption.reports", 1, "fi") == "1 raportti"``, ``tn(…, 1234, "fi") == "1 234 raporttia"``."""
    text, texts = _lookup(key, lang)
    if text is None:
        return key
    chosen = text if isinstance(text, str) else _choose(text, n, texts)
    values.setdefault("n", fmt_number(n, lang))
    return chosen.format(**values)


@dataclass(frozen=True)
class LazyText:
    """A message whose language is not known where it is made (an import's rejection reason,
    an error raised deep in a reader): rendered with :meth:`message` where it is shown, in the
    reader's language. ``str()`` gives the Finnish. A value may itself be a ``LazyText`` (a
    column's name, say) or a mapping of language to text (names from the code lists)."""

    key: str
    values: tuple[tuple[str, object], ...] = ()
    n: int | None = None

    def message(self, lang: str = SOURCE_LANGUAGE) -> str:
        values = {name: render(value, lang) for name, value in self.values}
        return t(self.key, lang, **values) if self.n is None else tn(self.key, self.n, lang, **values)

    def __str__(self) -> str:
        return self.message(SOURCE_LANGUAGE)


def lazy_t(key: str, /, **values: object) -> LazyText:
    """``t(key, lang, **values)`` for a ``lang`` given later (``.message(lang)``)."""
    return LazyText(key, tuple(values.items()))


def lazy_tn(key: str, n: int, /, **values: object) -> LazyText:
    """``tn(key, n, lang, **values)`` for a ``lang`` given later."""
    return LazyText(key, tuple(values.items()), n)


def render(item: object, lang: str = SOURCE_LANGUAGE) -> object:
    """A message in ``lang``: a ``LazyText`` rendered, a ``{lang: text}`` mapping looked up
    (Finnish when ``lang`` is missing), anything else as it is (a plain string, a number)."""
    if isinstance(item, LazyText):
        return item.message(lang)
    if isinstance(item, dict):
        return item.get(lang, item.get(SOURCE_LANGUAGE, ""))
    return item


def render_all(items, lang: str = SOURCE_LANGUAGE, sep: str = "; ") -> str:
    """Several messages (a row's rejection reasons) as one text in ``lang``."""
    return sep.join(str(render(item, lang)) for item in items)


def translations(key: str) -> tuple[str, ...]:
    """The message ``key`` unformatted in every UI language, in the order of ``LANGUAGES``
    (for labels kept per language, such as the vocabulary's)."""
    return tuple(t(key, lang) for lang in LANGUAGES)


class DropdownLabels(TypedDict, total=False):
    """The ``labels`` of Dash's dropdown (the same keys as its own ``Dropdown.Labels``)."""

    select_all: str
    deselect_all: str
    selected_count: str
    search: str
    clear_search: str
    clear_selection: str
    no_options_found: str


def dropdown_labels(lang: str) -> DropdownLabels:
    """The texts Dash's dropdown shows itself (search box, select all, ...).
    Dash fills ``{num_selected}`` in itself, so the texts are given unformatted."""
    return DropdownLabels(
        select_all=t("dropdown.select_all", lang),
        deselect_all=t("dropdown.deselect_all", lang),
        selected_count=t("dropdown.selected_count", lang),
        search=t("dropdown.search", lang),
        clear_search=t("dropdown.clear_search", lang),
        clear_selection=t("dropdown.clear_selection", lang),
        no_options_found=t("dropdown.no_options_found", lang),
    )
