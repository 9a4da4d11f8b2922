"""The text search knows Finnish: every form of a word finds the same reports
(on the demo database, and on planted texts where the demo lacks a word), a
word finds the compounds it is part of, the reading pane marks the forms it
found, and a 20 000-character word neither breaks nor slows it. With and
without Voikko's analysis (simplemma alone is what a machine without the
Debian package has)."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard.core import lemmas, search
from dashboard.core.filters import ReportFilter
from dashboard.imports.reports import Resolver, read_reports_file, store_reports
from queries import reports as q
from queries.codes import vocabulary
from queries.db import write_new_version

# (base form, an inflected form a user types, another form planted in a report's text)
PAIRS = [
    ("asuminen", "asumisen", "asumiseen"),
    ("mielenterveys", "mielenterveyden", "mielenterveyttä"),
    ("ikääntynyt", "ikääntyneet", "ikääntyneiden"),
    ("asumistuki", "asumistuen", "asumistukea"),
    ("toimeentulotuki", "toimeentulotuen", "toimeentulotukea"),
    ("päihde", "päihteiden", "päihteitä"),
    ("lapsi", "lasten", "lapsia"),
    ("kouluakäymättömyys", "kouluakäymättömyyteen", "kouluakäymättömyyttä"),
    ("yksinäisyys", "yksinäisyyttä", "yksinäisyydestä"),
    ("velka", "velkojen", "velkaa"),
    ("häätö", "häädön", "häätöjä"),
    ("asunto", "asunnon", "asuntoja"),
    ("asunnottomuus", "asunnottomuutta", "asunnottomuuden"),
    ("perhe", "perheiden", "perheitä"),
    ("nuori", "nuorten", "nuoria"),
    ("palvelu", "palveluja", "palveluihin"),
    ("työttömyys", "työttömyyden", "työttömyyttä"),
    ("jono", "jonossa", "jonot"),
    ("huoltaja", "huoltajien", "huoltajia"),
    ("mielenterveyspalvelu", "mielenterveyspalvelujen", "mielenterveyspalveluihin"),
    ("sosiaalityöntekijä", "sosiaalityöntekijän", "sosiaalityöntekijöitä"),
    ("koulu", "koulussa", "kouluun"),
    ("riippuvuus", "riippuvuuden", "riippuvuutta"),
    ("syrjäytyminen", "syrjäytymisen", "syrjäytymistä"),
    ("toimeentulo", "toimeentulon", "toimeentuloa"),
    ("vuokra", "vuokran", "vuokria"),
    ("lastensuojelu", "lastensuojelun", "lastensuojeluun"),
    ("omainen", "omaisten", "omaisia"),
    ("kuntoutus", "kuntoutukseen", "kuntoutusta"),
    ("väkivalta", "väkivallan", "väkivaltaa"),
    ("yksinhuoltaja", "yksinhuoltajien", "yksinhuoltajia"),
    ("sairaus", "sairauden", "sairauksia"),
    ("ajanvaraus", "ajanvarausta", "ajanvaraukseen"),
    ("vammainen", "vammaisten", "vammaisia"),
    ("opiskelija", "opiskelijoiden", "opiskelijoita"),
    ("terveys", "terveyden", "terveyttä"),
]
LONG_WORD = "ä" * 19_990 + "asumisen"  # 20 000 characters, one word
HEADER = [
    "raportin_tunniste",
    "pvm",
    "hyvinvointialue",
    "palvelutehtava",
    "alue",
    "kohderyhma",
    "teema",
    "havainnon_tyyppi",
    "havainto",
    "asiakkaan_aani",
    "ratkaisuehdotus",
    "julkaistava",
]


def planted_rows() -> list[list[str]]:
    def row(report_id: str, text: str, publishable: str = "kyllä", voice: str = "") -> list[str]:
        return [
            report_id,
            "2.1.2026",
            "Päijät-Häme",
            "Työikäisten sosiaalipalvelut",
            "Lahti",
            "Työikäiset",
            "Asuminen",
            "kielteinen",
            text,
            voice,
            "",
            publishable,
        ]

    rows = [
        row(f"HAKU-{i:02d}", f"Havainto: {planted.capitalize()} näkyy arjessa.")
        for i, (*_, planted) in enumerate(PAIRS)
    ]
    # A text holds at most 20 000 characters (the import's cap): this one is one word.
    rows.append(row("HAKU-PITKA", LONG_WORD, voice="Velkojen kanssa on vaikeaa, ja asumisen kulut nousevat."))
    rows.append(row("HAKU-SALAINEN", "Zorbulaatio on salainen sana.", publishable="ei"))
    rows.append(row("HAKU-SV", "Barnen i familjen behöver stöd.", voice="Vi väntade länge."))
    return rows


@pytest.fixture(scope="module", params=["simplemma", "voikko"])
def analyser(request):
    """The lemmatiser as a machine without (or with) Voikko has it. Module-scoped: pytest runs the
    module's tests with one, then with the other, and the words' caches are cleared only between."""
    if request.param == "voikko" and not lemmas.has_voikko():
        pytest.skip("Voikko is not installed (Debian: python3-libvoikko voikko-fi)")
    with pytest.MonkeyPatch.context() as mp:
        if request.param == "simplemma":
            mp.setattr(lemmas, "_voikko", lambda: None)
        search.clear_caches()
        yield request.param
    search.clear_caches()


@pytest.fixture(scope="module")
def planted(analyser, demo_db, tmp_path_factory) -> Path:
    """The demo database plus planted reports, loaded through the import (which writes the index),
    once per lemmatiser. The tests only read it."""
    tmp_path = tmp_path_factory.mktemp("planted")
    path = tmp_path / "planted.duckdb"
    shutil.copyfile(demo_db, path)
    source = tmp_path / "haku.csv"
    with open(source, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(planted_rows())

    def work(con):
        parsed = read_reports_file(source, Resolver.from_database(con))
        assert parsed.rejected_count == 0, parsed.rejected
        store_reports(con, parsed)

    write_new_version(path, work)
    return path


def found(con, query: str) -> set[str]:
    frame, total = q.reading_pane(con, ReportFilter.from_query({"q": [query]}, vocabulary(con)), limit=100_000)
    assert len(frame) == total
    return set(frame["report_id"])


@pytest.mark.parametrize(("base", "inflected", "other"), PAIRS, ids=[p[0] for p in PAIRS])
def test_every_form_finds_the_same_demo_reports(con, analyser, base, inflected, other):
    assert found(con, base) == found(con, inflected) == found(con, other)


def test_the_forms_the_issue_names_find_reports_in_the_demo(con, analyser):
    for base, inflected in (
        ("asuminen", "asumisen"),
        ("mielenterveys", "mielenterveyden"),
        ("ikääntynyt", "ikääntyneet"),
        ("asumistuki", "asumistuen"),
    ):
        reports = found(con, base)
        assert reports and reports == found(con, inflected), base


def test_every_form_finds_the_planted_report(planted):
    with duckdb.connect(str(planted), read_only=True) as con:
        for i, (base, inflected, other) in enumerate(PAIRS):
            reports = found(con, base)
            assert f"HAKU-{i:02d}" in reports, base
            assert reports == found(con, inflected) == found(con, other), base


def test_a_word_finds_the_compounds_it_is_part_of(con, analyser):
    compounds = found(con, "mielenterveyspalvelujen")
    assert compounds and compounds <= found(con, "palvelu") and compounds <= found(con, "mielenterveys")


def test_ids_hidden_texts_swedish_and_several_words(planted):
    with duckdb.connect(str(planted), read_only=True) as con:
        assert found(con, "HAKU-SV") == {"HAKU-SV"} and "HAKU-01" in found(con, "haku-0")  # ids as before
        assert found(con, "zorbulaatio") == set()  # an unpublished text is never searched
        # Its id is searched (the report is counted; the reading pane shows only publishable texts).
        assert q.count_reports(con, ReportFilter.from_query("q=HAKU-SALAINEN", vocabulary(con))) == 1
        assert "HAKU-SV" in found(con, "barn") and "HAKU-SV" in found(con, "familj")
        both = found(con, "asuminen velka")
        assert both == found(con, "asuminen") & found(con, "velka") and "HAKU-PITKA" in both
        assert found(con, "asuminen zorbulaatio") == set()


def test_a_20000_character_word_is_searched_and_marked_as_a_word(planted):
    from dashboard.web.layouts.reading import highlight

    with duckdb.connect(str(planted), read_only=True) as con:
        assert "HAKU-PITKA" in found(con, LONG_WORD[:40])  # the start of a word no dictionary knows
        assert "HAKU-PITKA" in found(con, "velka")
        stored = con.execute("SELECT observation FROM reports WHERE report_id = 'HAKU-PITKA'").fetchone()[0]
    assert stored == LONG_WORD
    assert search.marked(LONG_WORD, "asuminen") == [(LONG_WORD, False)]  # no part of a word is marked
    assert search.marked(LONG_WORD, "ääää") == [(LONG_WORD, True)]  # the start of a word no dictionary knows
    text = f"Alku {LONG_WORD} loppu ja velkaa."
    for query in ("asuminen velka", "ääää", LONG_WORD, "a" * 199):
        pieces = search.marked(text, query)
        assert "".join(piece for piece, _ in pieces) == text
    assert [piece for piece, hit in search.marked(text, "velka")] == [f"Alku {LONG_WORD} loppu ja ", "velkaa", "."]
    assert [hit for _, hit in search.marked(text, "ääää")] == [False, True, False]
    marked = highlight(text, "velka asuminen")  # the reading pane's HTML (one string per card)
    assert re.findall(r"<mark>(.*?)</mark>", marked) == ["velkaa"]
    assert re.sub(r"</?mark>", "", marked) == text


def test_the_reading_pane_marks_the_inflected_forms(analyser):
    text = "Mielenterveyspalvelujen jonot ovat pitkiä, ja asumisen tuki puuttuu; jonossa odotetaan."
    hits = [piece for piece, hit in search.marked(text, "jono asuminen palvelu") if hit]
    assert hits == ["Mielenterveyspalvelujen", "jonot", "asumisen", "jonossa"]
    assert [piece for piece, hit in search.marked("Sirkkulanpuistossa oli väkeä", "sirkkulan") if hit] == [
        "Sirkkulanpuistossa"
    ]
    assert search.marked_id("PH-2024-017", "2024-01") == [("PH-", False), ("2024-01", True), ("7", False)]


def test_reindex_gives_an_older_database_the_forms(db_copy, capsys):
    """A database indexed before base forms were (words as written) finds every
    form once ``python -m dashboard reindex-search`` has rewritten its index."""
    from dashboard.__main__ import main
    from queries.db import write_new_version

    def as_before(con):
        for key, texts in con.execute(
            "SELECT report_key, observation || ' ' || coalesce(proposal, '') FROM reports"
        ).fetchall():
            words = search.TOKEN.findall(search.normalise(texts))
            con.execute(
                "UPDATE reports SET search_text = $t WHERE report_key = $k", {"t": " " + " ".join(words), "k": key}
            )

    write_new_version(db_copy, as_before)
    with duckdb.connect(str(db_copy), read_only=True) as con:
        assert found(con, "jono") != found(con, "jonot")
    assert main(["reindex-search"]) == 0
    assert "raporttia" in capsys.readouterr().out
    with duckdb.connect(str(db_copy), read_only=True) as con:
        assert found(con, "jono") == found(con, "jonot") != set()
        assert found(con, "asuminen") == found(con, "asumisen") != set()
