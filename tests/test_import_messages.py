"""Why a row or a file was refused, in the language of whoever reads it: the coordinator's
page (fi/sv/en), the rejected-rows file it hands back, and the command line (--lang or
DASHBOARD_LANG)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from dashboard.__main__ import main
from dashboard.imports.indicators import parse_indicator_files
from dashboard.imports.tables import ImportFileError, read_table

from .test_coordinator import CSV, login, upload

REASONS = {
    "fi": [
        "virheellinen päivämäärä: 32.1.2026",
        "tuntematon alue: Lahtti (tarkoititko: Lahti?)",
        "tuntematon kohderyhmä: Nuoret (tarkoititko: Lapset, nuoret ja perheet?)",
    ],
    "sv": [
        "ogiltigt datum: 32.1.2026",
        "okänt värde för område (alue): Lahtti (menade du: Lahtis?)",
        "okänt värde för målgrupp (kohderyhma): Nuoret (menade du: Barn, unga och familjer?)",
    ],
    "en": [
        "invalid date: 32.1.2026",
        "unknown area (alue): Lahtti (did you mean: Lahti?)",
        "unknown target group (kohderyhma): Nuoret (did you mean: Children, young people and families?)",
    ],
}
RESULT = {
    "fi": "syksy.xlsx: 2 riviä luettu: 1 tuotu, 1 hylätty.",
    "sv": "syksy.xlsx: 2 rader lästa: 1 importerad, 1 avvisad.",
    "en": "syksy.xlsx: 2 rows read: 1 loaded, 1 rejected.",
}


@pytest.fixture()
def db(db_copy):
    return db_copy


@pytest.fixture()
def app_db(db):
    return db


@pytest.fixture()
def app_settings():
    return {"DASHBOARD_COORDINATOR_PASSWORD": "oikea-salasana"}


def xlsx(data: bytes) -> bytes:
    book = Workbook()
    for line in data.decode().splitlines():
        book.active.append(line.split(";"))
    book.active["H3"].data_type = "s"  # the text '=HYPERLINK(...)', as a form tool exports it
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_coordinator_reads_the_reasons_in_the_page_language_and_so_does_the_rejected_file(client, lang):
    login(client)
    response = upload(client, f"/coordinator/upload?lang={lang}", xlsx(CSV), "syksy.xlsx", county="09", lang=lang)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert RESULT[lang] in page
    for reason in REASONS[lang]:
        assert reason in page
    link = page.split('id="rejected-link" href="')[1].split('"')[0]
    sheet = load_workbook(io.BytesIO(client.get(link).data)).worksheets[0]
    reasons = sheet["B2"].value
    assert reasons == "; ".join(REASONS[lang]), reasons
    assert [c.value for c in sheet[1]][:2] == ["rivi", "virheet"]  # the columns the import ignores keep their names


@pytest.mark.parametrize(
    "lang, message",
    [
        ("fi", "Tiedostoa ei voitu tuoda: tiedosto on tyhjä. Tietokantaa ei muutettu."),
        ("sv", "Filen kunde inte importeras: filen är tom. Databasen ändrades inte."),
        ("en", "The file could not be imported: the file is empty. The database was not changed."),
    ],
)
def test_a_refused_file_says_why_in_the_page_language(client, db, lang, message):
    login(client)
    before = db.read_bytes()
    response = upload(client, f"/coordinator/upload?lang={lang}", b"", "tyhja.csv", lang=lang)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.read_bytes() == before


def test_the_followup_sheet_reasons_follow_the_page_language(client):
    login(client)
    sheet = "raportin_tunniste;julkaistava\nEI-OLE;kyllä\n".encode()
    page = upload(client, "/coordinator/followup?lang=sv", sheet, "seuranta.csv", lang="sv").get_data(as_text=True)
    assert "okänt raportin_tunniste: EI-OLE" in page
    assert "1 rad läst: 0 importerade, 1 avvisad." in page


def test_the_command_line_speaks_lang_or_the_configured_language(db, tmp_path, capsys, monkeypatch):
    path = tmp_path / "syksy.csv"
    path.write_bytes(CSV)
    assert main(["import-reports", str(path), "--county", "09", "--lang", "en"]) == 3  # rows rejected
    out = capsys.readouterr().out
    assert "syksy.csv: 2 rows read, 1 loaded, 1 rejected." in out
    assert "The rejected rows with their reasons:" in out and "  row 3: invalid date: 32.1.2026" in out
    rows = list(csv.reader(io.StringIO((tmp_path / "syksy_hylatyt.csv").read_text("utf-8-sig")), delimiter=";"))
    assert rows[1][1] == "; ".join(REASONS["en"])
    monkeypatch.setenv("DASHBOARD_LANG", "sv")
    assert main(["import-reports", str(tmp_path / "missing.csv")]) == 4  # the file refused
    assert "Filen missing.csv importerades inte: filen kunde inte läsas:" in capsys.readouterr().err
    monkeypatch.setenv("DASHBOARD_LANG", "fi")
    assert main(["import-reports", str(path), "--county", "09"]) == 3
    # The same file again: its report is there already, so it is updated, not added.
    assert "syksy.csv: 2 riviä luettu, 0 tuotu, 1 päivitetty, 1 hylätty." in capsys.readouterr().out


def test_a_file_error_is_finnish_as_text_and_translated_on_request(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(b"just one line without separators\n")
    with pytest.raises(ImportFileError) as caught:
        read_table(path)
    assert str(caught.value) == "otsikkoriviä ei löytynyt: sarakkeita ei ole erotettu puolipisteellä tai pilkulla"
    assert (
        caught.value.message("en") == "no header row was found: the columns are not separated by semicolons or commas"
    )


def test_indicator_value_reasons_in_another_language(tmp_path):
    (tmp_path / "meta.csv").write_text(
        "indicator_id;source;name_fi;name_sv;name_en;unit;decimals\nlocal-a;Oma;A;A;A;%;1\n", encoding="utf-8"
    )
    (tmp_path / "values.csv").write_text(
        "indicator_id;region_code;year;sex;value;abs_value;n\n"
        "local-x;999;20x4;other;abc;;\n"
        "local-a;09;2024;total;1;;\n"
        "local-a;09;2024;total;2;;\n",
        encoding="utf-8",
    )
    parsed = parse_indicator_files(tmp_path / "meta.csv", tmp_path / "values.csv", {"09"}, lang="sv")
    reasons = dict(zip(parsed.rejected["rivi"], parsed.rejected["virheet"]))
    assert reasons == {
        2: "okänd indikator: local-x; okänd områdeskod: 999; okänt kön: other; ogiltigt år: 20x4; "
        "ogiltigt tal i kolumnen value: abc",
        4: "samma indikator, område, år och kön en gång till",
    }


def test_sotkanet_errors_on_the_command_line_in_english(db, tmp_path, capsys):
    (tmp_path / "regions.json").write_text("[]")
    assert main(["import-sotkanet", "--indicator", "3225", "--from-dir", str(tmp_path), "--lang", "en"]) == 4
    err = capsys.readouterr().err
    assert "The Sotkanet import stopped: The description of indicator 3225: there is no file" in err
    assert "The database was not changed." in err


def test_the_pages_escape_what_users_typed(client):
    """The templates autoescape: a cell of the uploaded file and a user name never become markup."""
    login(client, user="<b>anna</b>")
    hostile = "raportin_tunniste;pvm;palvelutehtava;alue;kohderyhma;havainnon_tyyppi;havainto\n"
    hostile += "X-1;2.1.2026;Työikäisten sosiaalipalvelut;<img src=x onerror=alert(1)>;Työikäiset;kielteinen;t\n"
    page = upload(client, "/coordinator/upload", hostile.encode(), "x.csv", county="09").get_data(as_text=True)
    assert "tuntematon alue: &lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img" not in page
    assert "(&lt;b&gt;anna&lt;/b&gt;)</button>" in page and "<b>anna" not in page


def test_the_templates_notes_are_in_the_chosen_language(client):
    book = load_workbook(io.BytesIO(client.get("/download/template.xlsx?lang=sv").data))
    assert book.sheetnames[0] == "Rapporter" and book.worksheets[0]["A1"].value == "raportin_tunniste"
    notes = {row[0]: row[1] for row in book["Anvisningar"].iter_rows(values_only=True)}
    assert notes["raportin_tunniste"] == "obligatorisk. Rapportens unika id från formulärverktyget"
    assert notes["teema"] == "Teman; flera åtskilda med ; eller radbrytningar; kan vara tom"
    finnish = load_workbook(io.BytesIO(client.get("/download/template.xlsx").data))
    assert finnish.sheetnames[0] == "Raportit"
    assert finnish["Ohjeet"]["B1"].value == "pakollinen. Raportin yksilöivä tunniste lomaketyökalusta"
