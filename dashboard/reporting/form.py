"""The reporting form's fields, its choices and its checks.

The form's fields are the import template's columns (``pvm``, ``palvelutehtava``,
``alue``, ``kohderyhma``, ``teema``, ``havainnon_tyyppi``, ``havainto``,
``asiakkaan_aani``, ``ratkaisuehdotus``), named so in the HTML too. Its choices
come from the code tables (a county's own lists show up without code). What a
reporter typed is checked by the import's own parser
(:func:`dashboard.imports.reports.parse_reports`, one row): the same reasons as a
file import, put beside the field they are about and worded for a form; plus the
one check a file cannot need, that a choice is one the form offered.

The privacy screen (:mod:`dashboard.analysis.privacy`, the coordinator's) gives
warnings, not errors: the reporter confirms having checked them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..analysis import privacy
from ..core.formatting import fmt_number
from ..core.i18n import LazyText, render, t
from ..core.vocabulary import NATIONAL, Vocabulary
from ..imports.reports import MAX_TEXT, REPORT_COLUMNS, Resolver, parse_reports
from ..imports.tables import Table, clean_cell

TEXT_FIELDS = ("havainto", "asiakkaan_aani", "ratkaisuehdotus")
ONE_OF = ("palvelutehtava", "havainnon_tyyppi")
MANY_OF = ("alue", "kohderyhma", "teema")
FIELDS = ("pvm", "palvelutehtava", "alue", "kohderyhma", "havainnon_tyyppi", *TEXT_FIELDS, "teema")
# The template row a submission is stored as (and imported from): the report's id is given at intake.
ROW_COLUMNS = REPORT_COLUMNS
MAX_CHOICES = 500  # values read of one multiple choice (a county has at most a few dozen)
MAX_CHOICE_LENGTH = 100
MAX_BODY = 512 * 1024  # one posted form: three texts of MAX_TEXT characters fit with room to spare
# Characters a report never needs and that only hide or disguise text: C0/C1 controls but line
# breaks and tabs, Unicode noncharacters, and the bidirectional overrides that reorder what is shown.
HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\u202a-\u202e\u2066-\u2069"
    "\U0001fffe\U0001ffff\U0010fffe\U0010ffff]"
)


@dataclass(frozen=True)
class Choices:
    """What the form offers for one county, in one language: (code, label) pairs in the code lists' order."""

    county: str
    county_label: str
    service_units: tuple[tuple[str, str], ...]
    areas: tuple[tuple[str, str], ...]  # the whole county, a national phenomenon, then its municipalities
    target_groups: tuple[tuple[str, str], ...]
    themes: tuple[tuple[str, str], ...]
    observation_types: tuple[tuple[str, str], ...]

    def of(self, name: str) -> tuple[tuple[str, str], ...]:
        return {
            "palvelutehtava": self.service_units,
            "alue": self.areas,
            "kohderyhma": self.target_groups,
            "teema": self.themes,
            "havainnon_tyyppi": self.observation_types,
        }[name]

    def codes(self, name: str) -> set[str]:
        return {code for code, _ in self.of(name)}


def choices(vocab: Vocabulary, county: str, lang: str) -> Choices:
    """The form's choices for ``county`` from the code tables."""

    def pairs(dimension: str) -> tuple[tuple[str, str], ...]:
        return tuple((code, vocab.label(dimension, code, lang)) for code in vocab.codes(dimension))

    municipalities = sorted(
        (
            (code, vocab.label("region", code, lang))
            for code in vocab.codes("municipality_county")
            if vocab.county_of(code) == county
        ),
        key=lambda pair: pair[1].casefold(),
    )
    return Choices(
        county=county,
        county_label=vocab.label("county", county, lang),
        service_units=pairs("service_unit"),
        areas=((county, t("report.area.whole", lang)), (NATIONAL, t("report.area.national", lang)), *municipalities),
        target_groups=pairs("target_group"),
        themes=pairs("theme"),
        observation_types=pairs("observation_type"),
    )


def clean(text: object) -> str:
    """A text as the form keeps it: line breaks as ``\\n``, without the characters ``HIDDEN`` names
    (the import's own cleaning, :func:`clean_cell`, then the rest)."""
    return HIDDEN.sub("", clean_cell(text if isinstance(text, str) else ""))


@dataclass
class Entry:
    """What the reporter typed, cleaned of hidden characters and bounded (never shortened:
    a text that is too long is an error beside its field, with the text kept)."""

    pvm: str = ""
    palvelutehtava: str = ""
    alue: list[str] = field(default_factory=list)
    kohderyhma: list[str] = field(default_factory=list)
    teema: list[str] = field(default_factory=list)
    havainnon_tyyppi: str = ""
    havainto: str = ""
    asiakkaan_aani: str = ""
    ratkaisuehdotus: str = ""

    @classmethod
    def from_form(cls, form) -> Entry:
        """From a posted form (``get`` and ``getlist``, e.g. Werkzeug's MultiDict)."""

        def one(name: str) -> str:
            value = form.get(name)
            return clean(value).strip()[:MAX_CHOICE_LENGTH] if isinstance(value, str) else ""

        def many(name: str) -> list[str]:
            values = form.getlist(name)[:MAX_CHOICES]
            out = [clean(v).strip()[:MAX_CHOICE_LENGTH] for v in values if isinstance(v, str)]
            return list(dict.fromkeys(v for v in out if v))

        def text(name: str) -> str:
            value = form.get(name)
            return clean(value) if isinstance(value, str) else ""

        return cls(
            pvm=one("pvm"),
            palvelutehtava=one("palvelutehtava"),
            alue=many("alue"),
            kohderyhma=many("kohderyhma"),
            teema=many("teema"),
            havainnon_tyyppi=one("havainnon_tyyppi"),
            havainto=text("havainto"),
            asiakkaan_aani=text("asiakkaan_aani"),
            ratkaisuehdotus=text("ratkaisuehdotus"),
        )

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> Entry:
        """Back from a stored template row (:meth:`row`)."""

        def split(name: str) -> list[str]:
            return [v for v in (row.get(name) or "").split(";") if v]

        return cls(
            pvm=row.get("pvm", ""),
            palvelutehtava=row.get("palvelutehtava", ""),
            alue=split("alue"),
            kohderyhma=split("kohderyhma"),
            teema=split("teema"),
            havainnon_tyyppi=row.get("havainnon_tyyppi", ""),
            havainto=row.get("havainto", ""),
            asiakkaan_aani=row.get("asiakkaan_aani", ""),
            ratkaisuehdotus=row.get("ratkaisuehdotus", ""),
        )

    def row(self, county: str, report_id: str = "") -> dict[str, str]:
        """The import template's row of this report (codes; several values joined by ``;``):
        what is stored and what the intake imports. A reporter never marks a report publishable."""
        return {
            "raportin_tunniste": report_id,
            "pvm": self.pvm,
            "hyvinvointialue": county,
            "palvelutehtava": self.palvelutehtava,
            "alue": ";".join(self.alue),
            "kohderyhma": ";".join(self.kohderyhma),
            "teema": ";".join(self.teema),
            "havainnon_tyyppi": self.havainnon_tyyppi,
            "havainto": self.havainto.strip(),
            "asiakkaan_aani": self.asiakkaan_aani.strip(),
            "ratkaisuehdotus": self.ratkaisuehdotus.strip(),
            "julkaistava": "ei",
        }

    def texts(self) -> dict[str, str | None]:
        return {"observation": self.havainto, "client_voice": self.asiakkaan_aani, "proposal": self.ratkaisuehdotus}


def table_of(rows: list[tuple[int, Mapping[str, str]]], source: str = "lomake") -> Table:
    """Template rows as the table a file import reads (numbered as given)."""
    return Table(list(ROW_COLUMNS), [(number, [row.get(c, "") for c in ROW_COLUMNS]) for number, row in rows], source)


def field_of(reason: object) -> str | None:
    """The template column an import reason is about (None: the report as a whole)."""
    if not isinstance(reason, LazyText):
        return None
    values = dict(reason.values)
    named = values.get("field")
    if isinstance(named, LazyText) and named.key.startswith("import.field."):
        return named.key.removeprefix("import.field.")
    column = values.get("column")
    if isinstance(column, str):
        return column
    if reason.key in ("import.bad_date", "import.impossible_date"):
        return "pvm"
    if reason.key == "import.county_mismatch":
        return "hyvinvointialue"
    return None


def form_message(reason: object, column: str | None, entry: Entry, lang: str) -> str:
    """An import reason worded for a form field (the import's own words where the form has none)."""
    key = reason.key if isinstance(reason, LazyText) else ""
    if key == "import.missing_value" and column in MANY_OF:
        return t("report.error.choose_some", lang)
    if key == "import.missing_value" and column in ONE_OF:
        return t("report.error.choose_one", lang)
    if key == "import.missing_value" and column == "pvm":
        return t("report.error.date", lang)
    if key == "import.missing_value":
        return t("report.error.required", lang)
    if key in ("import.unknown_value", "import.unknown_value_near"):
        return t("report.error.choice", lang)
    if key == "import.bad_date":
        return t("report.error.date", lang)
    if key == "import.impossible_date":
        return t("report.error.date_range", lang)
    if key == "import.text_too_long" and column in TEXT_FIELDS:
        length = len(getattr(entry, column).strip())
        return t("report.error.too_long", lang, max=fmt_number(MAX_TEXT, lang), length=fmt_number(length, lang))
    return str(render(reason, lang))


def check(entry: Entry, offered: Choices, resolver: Resolver, lang: str) -> dict[str, list[str]]:
    """Field -> what is wrong with it, in ``lang`` (empty: the report can be stored). The key
    ``""`` holds what is not about one field. Runs the import's checks on the report's row."""
    errors: dict[str, list[str]] = {}
    for name in ONE_OF:
        value = getattr(entry, name)
        if value and value not in offered.codes(name):
            errors.setdefault(name, []).append(t("report.error.choice", lang))
    for name in MANY_OF:
        if any(v not in offered.codes(name) for v in getattr(entry, name)):
            errors.setdefault(name, []).append(t("report.error.choice", lang))
    parsed = parse_reports(table_of([(1, entry.row(offered.county, "lomake-tarkistus"))]), resolver, lang=lang)
    for _number, reasons in parsed.reasons:
        for reason in reasons:
            column = field_of(reason)
            name = column if column in FIELDS else ""
            if name and name in errors:
                continue  # the form's own message about this field says it already
            message = form_message(reason, column, entry, lang)
            if message not in errors.get(name, []):
                errors.setdefault(name, []).append(message)
    return {name: messages for name, messages in errors.items() if messages}


# ---- the privacy screen -------------------------------------------------------------------

PRIVACY_FIELDS = {"observation": "havainto", "client_voice": "asiakkaan_aani", "proposal": "ratkaisuehdotus"}


@dataclass(frozen=True)
class Warning:
    field: str  # the form's field: havainto, asiakkaan_aani, ratkaisuehdotus
    kind: str  # privacy.KINDS
    text: str  # what was found
    start: int
    end: int


def screen(entry: Entry, ctx: privacy.Context) -> list[Warning]:
    """What in the texts could identify a person (the coordinator's screen). A text longer than
    the form takes is not screened (its field says it is too long, and it is screened once it
    fits): a posted form may hold 512 kB, and screening that much for anyone who asks costs more
    than a request may. Not remembered either: what is being typed is screened once."""
    texts = {name: text if len(text or "") <= MAX_TEXT else "" for name, text in entry.texts().items()}
    hits = privacy.screen_report(texts, ctx, remember=False)
    return [Warning(PRIVACY_FIELDS[h.field], h.kind, h.text, h.start, h.end) for h in hits]


def digest(warnings: list[Warning]) -> str:
    """Names the warnings a reporter confirmed having checked: new findings need a new confirmation."""
    raw = "\x1f".join(sorted(f"{w.field}|{w.kind}|{w.text}" for w in warnings))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


def today() -> dt.date:
    return dt.date.today()
