"""The UI messages: gettext catalogues complete and consistent, every key the code uses in
them, plural forms, and the workflow that keeps Swedish and English from going stale."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from dashboard.core import i18n, messages
from dashboard.core.i18n import dropdown_labels, t, tn

from .support import run_cli

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "dashboard" / "locale"
CALL = re.compile(r"""\b(?:lazy_)?(tn?)\(\s*["']([a-zA-Z0-9_.]+)["']""")


def source_messages():
    with (LOCALE / "messages.pot").open("rb") as handle:
        return {m.context: m for m in read_po(handle) if m.id}


def code_files():
    for package in ("dashboard", "queries"):
        yield from (ROOT / package).rglob("*.py")
    yield from (ROOT / "dashboard" / "web" / "templates").rglob("*.html")


def test_the_catalogues_are_complete_and_consistent():
    """Every message has fi, sv and en, none fuzzy or untranslated, the {fields} agree between
    languages, and plural messages have all their forms."""
    found = messages.problems()
    assert not found, "\n".join(map(str, found))
    source = source_messages()
    assert len(source) >= 330
    for lang in ("fi", "sv", "en"):
        with messages.po_path(lang).open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        assert catalog.num_plurals == 2 and catalog.plural_expr == "(n != 1)", lang
        translated = {m.context: m for m in catalog if m.id and m.string and not m.fuzzy}
        assert set(translated) == set(source), lang


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_gnu_msgfmt_accepts_every_catalogue():
    for lang in ("fi", "sv", "en"):
        result = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(messages.po_path(lang))],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert f"{len(source_messages())} translated messages." in result.stderr, result.stderr


def test_every_key_used_in_the_code_exists_with_the_right_number_of_forms():
    source = source_messages()
    used: dict[str, set[str]] = {"t": set(), "tn": set()}
    for path in code_files():
        for func, key in CALL.findall(path.read_text(encoding="utf-8")):
            used[func].add(key)
    assert len(used["t"]) > 200
    missing = sorted(k for k in used["t"] | used["tn"] if k not in source)
    assert not missing, missing
    plural = {key for key, m in source.items() if not isinstance(m.id, str)}
    assert not sorted(used["t"] & plural), "plural messages go through tn(key, n, lang)"
    assert not sorted(used["tn"] - plural), "tn() needs a plural message (msgid_plural)"


def test_every_message_is_used_somewhere():
    """A message no code names is dead weight for translators: remove it (messages remove KEY).
    A key built at run time counts by its literal prefix (f"kpi.short.{key}")."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in code_files())
    prefixes = set(re.findall(r"""f["']([a-z_.]+\.)\{""", text))
    unused = [
        key
        for key in source_messages()
        if f'"{key}"' not in text and f"'{key}'" not in text and not key.startswith(tuple(prefixes))
    ]
    assert not unused, unused


def test_plural_forms_follow_the_count():
    assert [tn("caption.reports", n, "fi") for n in (0, 1, 2, 1234)] == [
        "0 raporttia",
        "1 raportti",
        "2 raporttia",
        "1\xa0234 raporttia",
    ]
    assert [tn("caption.reports", n, "sv") for n in (1, 5)] == ["1 rapport", "5 rapporter"]
    assert [tn("caption.reports", n, "en") for n in (1, 5)] == ["1 report", "5 reports"]


def test_fallback_is_finnish_and_an_unknown_key_shows_itself():
    assert t("nav.reports", "de") == "Raportit"
    assert t("nav.reports", "sv") == "Rapporter"
    assert t("no.such.key", "sv") == "no.such.key"
    assert t("filter.whole_county", "en", name="Kainuu") == "Whole county: Kainuu"


def test_dropdown_labels_leave_dashs_own_field():
    assert dropdown_labels("sv")["selected_count"] == "{num_selected} valda"
    assert dropdown_labels("fi")["select_all"] == "Valitse kaikki"


@pytest.fixture
def locale_copy(tmp_path):
    target = tmp_path / "locale"
    shutil.copytree(LOCALE, target, ignore=shutil.ignore_patterns("*.mo"))
    return target


def run_messages(locale_dir, *args, child: bool = False):
    """``python -m dashboard messages ARGS`` on ``locale_dir`` (``tests.support.run_cli``)."""
    return run_cli("messages", *args, "--locale-dir", str(locale_dir), child=child)


def test_a_changed_finnish_text_leaves_swedish_and_english_fuzzy_until_translated(locale_copy):
    changed = run_messages(locale_copy, "set", "nav.reports", "--fi", "Raporttinäkymä", child=True)
    assert changed.returncode == 1
    assert "sv: nav.reports is fuzzy" in changed.stderr and "en: nav.reports is fuzzy" in changed.stderr
    cats = messages.Catalogues.load(locale_copy)
    assert {str(p) for p in messages.problems(cats)} == {
        "sv: nav.reports is fuzzy: the Finnish text changed, check the translation",
        "en: nav.reports is fuzzy: the Finnish text changed, check the translation",
    }
    sv = messages.po_path("sv", locale_copy).read_text(encoding="utf-8")
    # The old Finnish stays beside the stale translation for the translator.
    assert '#, fuzzy\n#| msgid "Raportit"\nmsgctxt "nav.reports"\nmsgid "Raporttinäkymä"\nmsgstr "Rapporter"' in sv
    # A fuzzy (stale) translation is never shown: the page falls back to the new Finnish.
    assert i18n._read("sv", locale_copy).messages.get("nav.reports") is None
    done = run_messages(locale_copy, "set", "nav.reports", "--sv", "Rapportvy", "--en", "Report view")
    assert done.returncode == 0, done.stderr
    assert messages.problems(messages.Catalogues.load(locale_copy)) == []
    assert i18n._read("sv", locale_copy).messages["nav.reports"] == "Rapportvy"


def test_a_new_message_needs_every_language_and_matching_fields(locale_copy):
    half = run_messages(
        locale_copy, "set", "coord.example", "--fi", "Tuotu {n} riviä", "--sv", "Importerade rader", child=True
    )
    assert half.returncode == 1
    assert "en: coord.example is untranslated" in half.stderr
    assert "sv: coord.example has fields [], the Finnish has ['n']" in half.stderr
    plural = run_messages(
        locale_copy,
        "set",
        "coord.example",
        "--fi",
        "{n} rivi tuotu",
        "{n} riviä tuotu",
        "--sv",
        "{n} rad importerad",
        "{n} rader importerade",
        "--en",
        "{n} row loaded",
        "{n} rows loaded",
    )
    assert plural.returncode == 0, plural.stderr
    assert i18n._read("en", locale_copy).messages["coord.example"] == ("{n} row loaded", "{n} rows loaded")
    assert run_messages(locale_copy, "check").returncode == 0
    assert run_messages(locale_copy, "remove", "coord.example").returncode == 0
    assert "coord.example" not in messages.template_path(locale_copy).read_text(encoding="utf-8")


def test_the_po_is_read_when_the_mo_is_missing_or_older(locale_copy):
    po = messages.po_path("sv", locale_copy)
    mo = messages.mo_path("sv", locale_copy)
    assert not mo.exists()
    assert i18n._read("sv", locale_copy).messages["nav.reports"] == "Rapporter"  # compiled in memory
    messages.compile_all(locale_copy)
    assert mo.exists()
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Rapporter"', 'msgstr "X"'), encoding="utf-8")
    os.utime(mo, (po.stat().st_mtime + 10,) * 2)
    assert i18n._read("sv", locale_copy).messages["nav.reports"] == "Rapporter"  # the .mo is newer: read it
    os.utime(po, (mo.stat().st_mtime + 10,) * 2)
    assert i18n._read("sv", locale_copy).messages["nav.reports"] == "X"  # the .po is newer: read it


def test_the_catalogues_are_written_as_they_are_read(tmp_path):
    """A rewrite changes nothing: merges of two branches' strings conflict only where both changed."""
    cats = messages.Catalogues.load()
    cats.update()
    cats.locale_dir = tmp_path
    cats.save()
    before = {p.relative_to(LOCALE): p.read_bytes() for p in LOCALE.rglob("*.po*")}
    after = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*.po*")}
    assert len(before) == 4 and after == before


def texts_of(component) -> str:
    """Every string in a Dash layout tree, joined by spaces."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, (str, int, float)):
            out.append(str(node))
            return
        children = getattr(node, "children", node if isinstance(node, (list, tuple)) else None)
        for child in children if isinstance(children, (list, tuple)) else [children]:
            if child is not None:
                walk(child)

    walk(component)
    return " ".join(out)


@pytest.mark.parametrize(
    "lang, caption, kpi, unpublished, top",
    [
        ("fi", "1 raportti", "raportti", "1 raportti ei ole merkitty julkaistavaksi: se lasketaan", ", 1 raportti ("),
        ("sv", "1 rapport", "rapport", "1 rapport är inte märkt som publicerbar: den räknas", ", 1 rapport ("),
        ("en", "1 report", "report", "1 report is not marked publishable: it is counted", ", 1 report ("),
    ],
)
def test_one_report_is_said_in_the_singular(app_env, con, lang, caption, kpi, unpublished, top):
    """A day with one non-publishable report: the caption, the key figure, the reading pane and
    the charts' text summaries say one report, not "1 raporttia"."""
    from dashboard.views.reports import REPORTS, ReportContext, kpis
    from dashboard.web.components import kpi_html
    from dashboard.web.layouts.reading import reading_pane
    from queries import access

    day = con.execute(
        "SELECT submitted_on FROM reports WHERE county_code = '09' GROUP BY 1 "
        "HAVING count(*) = 1 AND bool_and(NOT publishable) ORDER BY 1 LIMIT 1"
    ).fetchone()[0]
    access.reset()
    ctx = ReportContext.from_query(f"county=09&from={day}&to={day}&lang={lang}")
    assert ctx.total == 1
    assert ctx.caption().endswith(" · " + caption)
    labels = re.findall(r'<div class="kpi-label" aria-hidden="true">(.*?)</div>', kpi_html(kpis(ctx), lang))
    assert labels[0] == kpi
    _, count = reading_pane(ctx)
    assert unpublished in count
    assert top in REPORTS["observation_type"].render(ctx).alt_text
    access.reset()


def test_porting_a_branchs_strings_takes_what_it_added_or_changed_and_nothing_else(locale_copy):
    """A branch that still has the old STRINGS dict merges main: the keys it added or changed come
    into the catalogues with its fi, sv and en; keys it did not touch stay as main has them."""
    cats = messages.Catalogues.load(locale_copy)
    base = {
        "nav.skip": ("Siirry sisältöön", "Hoppa till innehållet", "Skip to content"),
        "caption.reports": ("{n} raporttia", "{n} rapporter", "{n} reports"),
        "caption.report_one": ("1 raportti", "1 rapport", "1 report"),
        "kpi.short.total": ("raporttia", "rapporter", "reports"),
    }
    branch = {
        **base,
        "nav.skip": ("Siirry sisältöön nyt", "Hoppa till innehållet nu", "Skip to the content"),
        "kpi.short.total": ("raporttia yhteensä", "rapporter totalt", "reports in all"),
        "hard.too_long": (
            "teksti on liian pitkä (yli {max})",
            "texten är för lång (över {max})",
            "too long (over {max})",
        ),
    }
    ported, conflicts = messages.port(cats, branch, base)
    assert ported == ["nav.skip", "hard.too_long"] and conflicts == ["kpi.short.total"]
    cats.save()
    texts = i18n._read("sv", locale_copy).messages
    assert (
        texts["nav.skip"] == "Hoppa till innehållet nu" and texts["hard.too_long"] == "texten är för lång (över {max})"
    )
    assert texts["caption.reports"] == ("{n} rapport", "{n} rapporter")  # main's plural stays
    assert "caption.report_one" not in texts  # removed on main, untouched by the branch: stays removed
    assert messages.problems(messages.Catalogues.load(locale_copy)) == []
