"""Nothing a file can do: the files an attacker or a broken export would
upload (shared-string amplification, noncharacters, a deeply nested mapping,
a flood of unknown names, mixed encodings), each built here, and what a
re-import without some columns keeps. Each ends in a clear message and a
database that is as it was, or in exactly the rows the file holds."""

from __future__ import annotations

import io

import duckdb
import pytest
from openpyxl import load_workbook

from .test_imports import GOOD, HEADER, run_import, write_csv


@pytest.fixture()
def db(db_copy):
    return db_copy


def stored(db, report_id: str, columns: str):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"SELECT {columns} FROM reports WHERE report_id = $id", {"id": report_id}).fetchone()


# ---- a re-import keeps what the file does not carry ---------------------------------------------


def test_a_reimport_without_voice_proposal_or_themes_keeps_them_and_their_search(db, tmp_path):
    row = list(GOOD[0])
    row[HEADER.index("asiakkaan_aani")] = "Minulla ei ole kotia, sanoi asiakas."
    run_import(write_csv(tmp_path / "eka.csv", [row]), db)
    themes_before = stored(
        db, "T-1", "(SELECT list_sort(list(theme)) FROM report_themes t WHERE t.report_key = reports.report_key)"
    )
    assert themes_before[0] == ["housing"]
    # The next export lacks the client's voice, the proposal and the themes: they stay.
    lean = [h for h in HEADER if h not in ("asiakkaan_aani", "ratkaisuehdotus", "teema")]
    corrected = [v for h, v in zip(HEADER, row) if h in lean]
    corrected[lean.index("havainto")] = "Korjattu havainto häädöistä."
    parsed = run_import(write_csv(tmp_path / "toka.csv", [corrected], header=lean), db)
    assert (parsed.loaded, parsed.rejected_count) == (1, 0)
    observation, voice, proposal, search = stored(db, "T-1", "observation, client_voice, proposal, search_text")
    assert observation == "Korjattu havainto häädöistä."
    assert voice == "Minulla ei ole kotia, sanoi asiakas."
    assert proposal == "Asumisneuvontaa lisää."
    assert " kotia" in search and " korjattu" in search and " asumisneuvontaa" in search
    assert (
        stored(
            db, "T-1", "(SELECT list_sort(list(theme)) FROM report_themes t WHERE t.report_key = reports.report_key)"
        )
        == themes_before
    )
    # A file that has the columns, empty, empties them: that is what it says.
    parsed = run_import(write_csv(tmp_path / "kolmas.csv", [[*row[:6], "", *row[7:9], "", "", row[11]]]), db)
    assert parsed.loaded == 1
    assert stored(db, "T-1", "client_voice, proposal") == (None, None)
    assert stored(db, "T-1", "(SELECT count(*) FROM report_themes t WHERE t.report_key = reports.report_key)") == (0,)


# ---- characters no XML file can hold ------------------------------------------------------------


NONCHARACTERS = "Asunto\uffff puuttuu\ufffe ja\x01 tuki \U0010ffff loppui."
CLEANED = "Asunto puuttuu ja tuki  loppui."


def test_noncharacters_are_cleaned_at_import(db, tmp_path):
    row = list(GOOD[0])
    row[HEADER.index("havainto")] = NONCHARACTERS
    row[HEADER.index("asiakkaan_aani")] = "\ufffeKiitos\uffff"
    run_import(write_csv(tmp_path / "r.csv", [row]), db)
    assert stored(db, "T-1", "observation, client_voice") == (CLEANED, "Kiitos")


@pytest.fixture()
def noncharacter_db(db_copy):
    """Texts stored before the import cleaned them: every output must still write."""
    with duckdb.connect(str(db_copy)) as con:
        con.execute(
            "UPDATE reports SET observation = $t, client_voice = $t, proposal = $t, handled_in = $t, highlight = true "
            "WHERE county_code = '09' AND publishable",
            {"t": NONCHARACTERS},
        )
    return db_copy


def test_every_output_writes_a_report_with_noncharacters(noncharacter_db, monkeypatch):
    from pptx import Presentation

    from dashboard.web.app_factory import create_app

    from .test_coordinator import login

    monkeypatch.setenv("DASHBOARD_COORDINATOR_PASSWORD", "oikea-salasana")
    client = create_app().server.test_client()
    # A search word with U+FFFF lands in the caption of every file too.
    query = "county=09&from=2024-09-01&to=2024-12-31"
    response = client.get(f"/download/reports.xlsx?{query}")
    assert response.status_code == 200
    texts = [
        c for row in load_workbook(io.BytesIO(response.data)).worksheets[0].iter_rows(values_only=True) for c in row
    ]
    assert CLEANED in texts and not any(isinstance(c, str) and "\uffff" in c for c in texts)
    response = client.get(f"/download/deck.pptx?{query}")
    assert response.status_code == 200
    deck = Presentation(io.BytesIO(response.data))
    words = " ".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)
    assert "Asunto puuttuu" in words and "\uffff" not in words
    response = client.get(f"/download/deck.pptx?{query}&q=%EF%BF%BFasunto")
    assert response.status_code in (200, 400)  # written, or refused with a reason: never a 500
    login(client)
    response = client.get("/coordinator/followup.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert CLEANED in [c for row in sheet.iter_rows(values_only=True) for c in row]


def test_the_writers_drop_every_character_xml_cannot_hold():
    from pptx import Presentation

    from dashboard.core.xml_text import scrub, xml_safe
    from dashboard.export.tables import Sheet, xlsx_bytes

    nasty = "a\x00\x08\x0b\x1f\ud800\udfff\ufdd0\ufffe\uffff\U0001fffe\U0010ffffb\t\nc"
    assert xml_safe(nasty) == "ab\t\nc"
    assert xml_safe("Tavallinen teksti – €") == "Tavallinen teksti – €"
    data = xlsx_bytes([Sheet(nasty, [nasty], [[nasty, 1]])], [(nasty, nasty)], nasty)
    book = load_workbook(io.BytesIO(data))
    assert book.worksheets[0]["A2"].value == "ab\t\nc" and book.worksheets[0]["B2"].value == 1
    prs = Presentation()
    box = prs.slides.add_slide(prs.slide_layouts[6]).shapes.add_textbox(0, 0, 10, 10)
    with pytest.raises(ValueError):
        box.text_frame.text = nasty  # what python-pptx does with it
    box.text_frame.text = scrub((nasty,))[0]
