"""Nothing a file can do: the files an attacker or a broken export would
upload (shared-string amplification, noncharacters, a deeply nested mapping,
a flood of unknown names, mixed encodings), each built here, and what a
re-import without some columns keeps. Each ends in a clear message and a
database that is as it was, or in exactly the rows the file holds."""

from __future__ import annotations

import errno
import io
import os
import shutil
import signal
import stat
import subprocess
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook, load_workbook

from dashboard.core.i18n import lazy_t
from dashboard.imports import tables
from dashboard.imports.budget import Budget, ImportStopped, run_job
from dashboard.imports.tables import ImportFileError, read_table
from queries.db import write_new_version

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


# ---- amplification: what a few kilobytes can ask for -------------------------------------------


def amplified_xlsx(rows: int, size: int, columns: tuple[str, ...] = ("havainto", "kasitelty")) -> bytes:
    """A real XLSX whose every row points at one shared string of ``size``
    characters in ``columns``: a few kilobytes that name gigabytes of text."""
    strings = [*HEADER, "kasitelty", "X", "2.1.2026", "09", "Työikäisten sosiaalipalvelut", "Lahti", "Työikäiset"]
    strings += ["kielteinen", "kyllä", "a" * size]
    index = {s: i for i, s in enumerate(strings)}
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>{s}</t></si>" for s in strings)
        + "</sst>"
    ).encode()
    header = [*HEADER, "kasitelty"]
    values = dict(zip(header, ["X", "2.1.2026", "09", "Työikäisten sosiaalipalvelut", "Lahti", "Työikäiset"]))
    values.update({"havainnon_tyyppi": "kielteinen", "julkaistava": "kyllä"})
    values.update({c: "a" * size for c in columns})

    def row(cells):
        return "<row>" + "".join(f'<c t="s"><v>{index[v]}</v></c>' if v else "<c/>" for v in cells) + "</row>"

    body = row(header) + row([values.get(h, "") for h in header]) * rows
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData>' + body + "</sheetData></worksheet>"
    ).encode()
    book = Workbook()
    buffer, out = io.BytesIO(), io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as small, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as big:
        for name in small.namelist():
            data = sheet if name == "xl/worksheets/sheet1.xml" else small.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            if name == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            big.writestr(name, data)
        big.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def reason(error: ImportFileError) -> tuple[str, dict]:
    """The message key of a refusal and its values."""
    lazy = error.args[0]
    return lazy.key, dict(lazy.values)


def test_a_shared_string_used_on_every_row_is_counted_every_time_and_refused_early():
    data = amplified_xlsx(rows=150_000, size=19_000)
    assert len(data) < 200_000  # a small upload ...
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # ... that passes the zip's own size check ...
        assert sum(m.file_size for m in archive.infolist()) < tables.MAX_UNPACKED
    # ... and names 5.7 billion characters: refused once the file's text passes the limit, row by row.
    with pytest.raises(ImportFileError) as refused:
        read_table("vahvistin.xlsx", data=data)
    key, values = reason(refused.value)
    assert key == "import.file.too_many_chars"
    row = values["row"]
    assert (row - 2) * 2 * 19_000 < tables.MAX_CHARS < (row - 1) * (2 * 19_000 + 100)  # row 1 is the header
    assert "merkkiä tekstiä" in refused.value.message("fi") and "tecken text" in refused.value.message("sv")


def test_a_cell_of_ten_megabytes_is_refused_where_it_is_read_in_any_column(tmp_path):
    data = amplified_xlsx(rows=3, size=10_000_000, columns=("kasitelty",))
    assert len(data) < 100_000
    with pytest.raises(ImportFileError) as refused:
        read_table("seuranta.xlsx", data=data)
    key, values = reason(refused.value)
    assert key == "import.file.cell_too_long" and (values["row"], values["column"]) == (2, "kasitelty")
    assert values["max"]["fi"] == "100\u00a0000" and values["max"]["en"] == "100,000"
    # The same in a CSV, in the last column.
    path = write_csv(tmp_path / "x.csv", [GOOD[0][:-1] + ["k" * (tables.MAX_CELL_CHARS + 1)]])
    with pytest.raises(ImportFileError, match="rivin 2 sarakkeessa julkaistava on yli 100\u00a0000 merkkiä"):
        read_table(path)


def test_a_follow_up_note_longer_than_a_report_text_rejects_its_row(db, tmp_path):
    header = [*HEADER, "kasitelty"]
    row = [*GOOD[0], "k" * 20_001]
    parsed = run_import(write_csv(tmp_path / "pitka.csv", [row, [*GOOD[1], "HYTE-ryhmä"]], header=header), db)
    assert (parsed.loaded, parsed.rejected_count) == (1, 1)
    assert "liian pitkä teksti sarakkeessa kasitelty (yli 20000 merkkiä)" in parsed.rejected.iloc[0]["virheet"]


def test_opening_a_workbook_without_a_dimension_does_not_read_every_row_first():
    # Rows, then broken XML far down the sheet: opening must not get there (openpyxl's own
    # look for the dimension parsed the whole sheet: a million rows took a minute before row 1).
    data = amplified_xlsx(rows=2_000, size=10, columns=())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", b"<row><c><broken></row></sheetData>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, member in members.items():
            archive.writestr(name, member)
    workbook = load_workbook(io.BytesIO(out.getvalue()), read_only=True)
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    assert [next(rows)[0] for _ in range(3)] == ["raportin_tunniste", "X", "X"]
    with pytest.raises(Exception, match="mismatched tag"):
        list(rows)
    workbook.close()
    # A sheet that has its dimension keeps it.
    book = Workbook()
    book.active["C7"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = load_workbook(buffer, read_only=True).worksheets[0]
    assert (sheet.max_row, sheet.max_column) == (7, 3)


def with_shared_strings(data: bytes, extra: str, tail: str = "") -> bytes:
    """``data`` (an XLSX of amplified_xlsx) with ``extra`` <si> elements appended to its shared strings."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as small, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as big:
        for name in small.namelist():
            member = small.read(name)
            if name == "xl/sharedStrings.xml":
                member = member.replace(b"</sst>", extra.encode() + b"</sst>" + tail.encode())
            big.writestr(name, member)
    return out.getvalue()


def test_millions_of_shared_strings_are_read_within_the_read_deadline(monkeypatch):
    # 2 million shared strings in 100 kB: openpyxl read them all (about a minute) before the first row.
    # Broken XML after them tells whether opening stopped at the deadline or read to the end.
    data = with_shared_strings(amplified_xlsx(rows=2, size=10, columns=()), "<si><t>a</t></si>" * 2_000_000, "<x>")
    assert len(data) < 150_000
    monkeypatch.setattr(tables, "MAX_SECONDS", 0)  # the deadline has passed when the first strings are read
    with pytest.raises(ImportFileError) as refused:
        read_table("jouset.xlsx", data=data)
    assert reason(refused.value) == ("import.file.too_slow", {"seconds": 0})
    assert "tiedoston lukeminen kesti yli 0 s" in refused.value.message("fi"), refused.value.message("fi")


def test_shared_strings_are_read_as_openpyxl_reads_them():
    from openpyxl.reader.strings import read_string_table

    extra = (
        "<si><t>plain ä</t></si><si><t/></si><si/>"
        '<si><r><rPr><b/></rPr><t xml:space="preserve">bold </t></r><r><t>and not</t></r></si>'
        '<si><t>\u30c6\u30b9\u30c8</t><rPh sb="0" eb="1"><t>phonetic</t></rPh></si>'
        "<si><t>a_x005F_x000D_b</t></si>"
    )
    data = with_shared_strings(amplified_xlsx(rows=1, size=10, columns=()), extra)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        expected = read_string_table(archive.open("xl/sharedStrings.xml"))
        read = tables._shared_strings(archive.open("xl/sharedStrings.xml"))
    assert read == expected and read[-6:] == ["plain ä", "", "", "bold and not", "\u30c6\u30b9\u30c8", "a_x000D_b"]
    assert read_table("x.xlsx", data=data).rows[0][1][0] == "X"  # a workbook opens and reads as before


# ---- the import's memory and time budget --------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """What run_job needs of a job (the jobs below stand in for an import that goes wrong)."""

    db_path: Path
    name: str = "testi.csv"
    marker: Path | None = None


def greedy_job(job: Job) -> None:
    kept = []
    while True:
        kept.append(b"x" * (16 * 2**20))  # written, so resident


def hanging_write_job(job: Job) -> None:
    def work(con):
        con.execute("DELETE FROM reports")
        job.marker.write_text("inside the write")
        time.sleep(3600)

    write_new_version(job.db_path, work)


def full_disk_job(job: Job) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def duckdb_out_of_memory_job(job: Job) -> None:
    con = duckdb.connect(config={"memory_limit": "16MB", "temp_directory": ""})
    con.execute("SELECT list(range(20000000)) FROM range(4)").fetchall()


def dying_job(job: Job) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def refusing_job(job: Job) -> None:
    raise ImportFileError(lazy_t("import.file.too_large", max=20))


def finished_job(job: Job) -> dict:
    return {"name": job.name, "pid": os.getpid()}


def test_a_job_runs_in_a_child_process_and_returns_its_result(db):
    result = run_job(finished_job, Job(db), Budget(512, 30))
    assert result["name"] == "testi.csv" and result["pid"] != os.getpid()
    with pytest.raises(ImportFileError) as refused:
        run_job(refusing_job, Job(db), Budget(512, 30))
    assert refused.value.message("sv") == "filen är för stor (högst 20 MB)"  # in the user's language, after the trip


@pytest.mark.parametrize(
    "job, reason, words",
    [
        (greedy_job, "memory", "tuonti tarvitsi enemmän muistia kuin sille on varattu (300 Mt)"),
        (full_disk_job, "disk", "levytila loppui"),
        (duckdb_out_of_memory_job, "memory", "enemmän muistia"),
        (dying_job, "crashed", "odottamattomaan virheeseen"),
    ],
)
def test_an_import_that_asks_too_much_stops_cleanly_and_changes_nothing(db, job, reason, words):
    before = db.read_bytes()
    with pytest.raises(ImportStopped) as stopped:
        run_job(job, Job(db), Budget(300, 60))
    assert stopped.value.reason == reason and not stopped.value.changed
    assert words in stopped.value.message("fi")
    assert db.read_bytes() == before


@pytest.mark.load  # a child killed at its 5 s budget (a loaded machine can spend that starting it): make test runs it
def test_a_killed_write_leaves_neither_a_change_nor_its_copy(db, tmp_path):
    before = db.read_bytes()
    marker = tmp_path / "kirjoittaa"
    with pytest.raises(ImportStopped) as stopped:
        run_job(hanging_write_job, Job(db, marker=marker), Budget(2048, 5))
    assert marker.exists()  # it was killed in the middle of its write ...
    assert stopped.value.reason == "time" and "tuonti kesti yli 5 s" in stopped.value.message("fi")
    assert db.read_bytes() == before  # ... and the database is as it was
    assert not [p.name for p in db.parent.iterdir() if ".tmp" in p.name]  # no copy left behind


def test_an_orphaned_copy_is_removed_by_the_next_writer_and_never_while_one_writes(db):
    from queries.db import remove_orphans

    orphan = db.parent / f"{db.name}.k1ll3d.tmp"  # a killed writer's folder, its copy and WAL inside
    orphan.mkdir(mode=0o700)
    (orphan / db.name).write_bytes(b"\0" * 1024)
    (orphan / f"{db.name}.wal").write_bytes(b"\0")
    older = db.parent / f"{db.name}.vanha.tmp"  # a copy as versions before this one left it
    older.write_bytes(b"\0")
    seen = []

    def work(con):
        seen.extend(p.name for p in db.parent.iterdir() if "k1ll3d" in p.name or "vanha" in p.name)
        assert remove_orphans(db) == 0  # a writer holds the lock: nothing is touched

    write_new_version(db, work)
    assert not seen and not orphan.exists() and not older.exists()
    orphan.mkdir()
    assert remove_orphans(db) == 1 and not orphan.exists()


def test_the_copies_a_killed_import_left_are_removed_when_the_app_starts(db, make_client, caplog):
    killed = db.parent / f"{db.name}.k1ll3d.tmp"  # what a write killed with its process (kill -9) leaves
    killed.mkdir(mode=0o700)
    (killed / db.name).write_bytes(db.read_bytes())
    older = db.parent / f"{db.name}.vanha.tmp"  # a copy as versions before this one left it (0644)
    older.write_bytes(b"\0")
    (db.parent / f"{db.name}.lock").touch()  # every writer made the lock file
    with caplog.at_level("WARNING"):
        client = make_client(db)
    assert not killed.exists() and not older.exists()
    assert "removed 2 copies" in caplog.text
    assert client.get("/").status_code == 200
    # A database no writer ever worked on: looking for copies makes no lock file beside it.
    fresh = db.parent / "uusi"
    fresh.mkdir()
    make_client(fresh / "dashboard.duckdb")
    assert not [p.name for p in fresh.iterdir() if p.name.startswith("dashboard.duckdb")]


@pytest.mark.parametrize("setting, mode", [(None, 0o600), ("0640", 0o640)])
def test_the_database_and_its_copies_are_private(db, monkeypatch, setting, mode):
    if setting:
        monkeypatch.setenv("DASHBOARD_DB_MODE", setting)
    os.chmod(db, 0o644)  # as every version before this one was made
    folders, inside = {}, []

    def work(con):
        con.execute("UPDATE reports SET observation = observation || '.'")
        for path in db.parent.iterdir():
            if ".tmp" in path.name:
                folders[path.name] = (path.is_dir(), stat.S_IMODE(path.stat().st_mode))
                inside.extend(p.name for p in path.iterdir())

    write_new_version(db, work)
    # While it is written, the copy is in a folder only this user may enter.
    assert list(folders.values()) == [(True, 0o700)] and inside == [db.name]  # (DuckDB puts its WAL beside it)
    assert stat.S_IMODE(db.stat().st_mode) == mode
    fresh = db.parent / "uusi" / "tyhja.duckdb"
    write_new_version(fresh, lambda con: None, start_from_existing=False)
    assert stat.S_IMODE(fresh.stat().st_mode) == mode
    assert stat.S_IMODE(os.stat(str(fresh) + ".lock").st_mode) & 0o077 == 0
    # The coordinator's drafts (hidden texts too) beside it, and SQLite's WAL of them.
    from dashboard.analysis.workspace import Workspace

    drafts = Workspace(db.parent / "luonnokset.sqlite")
    drafts.update_review("09", "PH-1", {"reviewed": True}, 0, "anna")
    files = [p for p in db.parent.iterdir() if p.name.startswith("luonnokset.sqlite")]
    assert len(files) >= 2 and {stat.S_IMODE(p.stat().st_mode) for p in files} == {mode}, files


# ---- through the coordinator's page and the command line ----------------------------------------


@pytest.fixture()
def coordinator(db, monkeypatch):
    from dashboard.web.app_factory import create_app

    from .test_coordinator import login

    monkeypatch.setenv("DASHBOARD_COORDINATOR_PASSWORD", "oikea-salasana")
    client = create_app().server.test_client()
    login(client)
    return client


def test_the_page_says_in_the_users_language_why_a_file_was_refused_and_that_nothing_changed(coordinator, db):
    from .test_coordinator import upload

    before = db.read_bytes()
    response = upload(coordinator, "/coordinator/upload?lang=sv", amplified_xlsx(150_000, 19_000), "x.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "filen har över 64\u00a0000\u00a0000 tecken text" in page and "Databasen ändrades inte." in page
    nested = b"[values.alue]\nx = " + b"[" * 5000 + b"]" * 5000 + b"\n"
    response = upload(
        coordinator, "/coordinator/upload?lang=en", CSV_OK, "x.csv", county="09", mapping=(io.BytesIO(nested), "m.toml")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:500]
    assert "the mapping file m.toml nests tables or arrays too deep" in page and "The database was not changed." in page
    for mapping in (b"columns = [1, 2]", b"[values]\nhavainto = 5"):
        response = upload(
            coordinator, "/coordinator/upload", CSV_OK, "x.csv", county="09", mapping=(io.BytesIO(mapping), "m.toml")
        )
        assert response.status_code == 400 and "pitää olla nimiä ja niiden arvoja" in response.get_data(as_text=True)
    assert db.read_bytes() == before


def test_an_import_over_its_budget_gets_the_page_that_says_nothing_was_changed(coordinator, db, monkeypatch):
    from .test_coordinator import upload

    before = db.read_bytes()
    monkeypatch.setenv("DASHBOARD_IMPORT_MEMORY", "40")  # less than the import code itself takes
    response = upload(coordinator, "/coordinator/upload?lang=sv", CSV_OK, "x.csv", county="09")
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "importen behövde mer minne än den tilldelats (40 MB)" in page and "Databasen ändrades inte." in page
    monkeypatch.setenv("DASHBOARD_IMPORT_MEMORY", "2048")
    monkeypatch.setenv("DASHBOARD_IMPORT_SECONDS", "0.01")
    response = upload(coordinator, "/coordinator/followup", CSV_OK, "x.csv")
    assert response.status_code == 413 and "tuonti kesti yli 0.01 s" in response.get_data(as_text=True)
    assert db.read_bytes() == before
    assert not [p.name for p in db.parent.iterdir() if ".tmp" in p.name]


class FullDisk(io.BytesIO):
    """A temporary file on a full disk: the first write that would need the disk fails."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_before_or_after_the_import_gets_the_apps_page(coordinator, db, monkeypatch):
    from dashboard.web.routes import coordinator as routes

    from .test_coordinator import upload

    before = db.read_bytes()
    # The upload itself (werkzeug spools a large body to a temporary file before any route runs).
    large = CSV_OK + b"\n" * 600_000
    with monkeypatch.context() as patch:
        patch.setattr("werkzeug.formparser.SpooledTemporaryFile", FullDisk)
        response = upload(coordinator, "/coordinator/upload?lang=sv", large, "x.csv", county="09")
    page = response.get_data(as_text=True)
    assert response.status_code == 507, page[-500:]
    assert "Serverns diskutrymme är slut" in page and "Databasen ändrades inte." in page
    # Starting the import's process: out of disk, or any other failure of the machine.
    for error, status, words in (
        (OSError(errno.ENOSPC, "No space left on device"), 507, "palvelimen levytila loppui"),
        (
            OSError(errno.EAGAIN, "Resource temporarily unavailable"),
            500,
            "odottamattomaan virheeseen (BlockingIOError)",
        ),
    ):
        with monkeypatch.context() as patch:
            patch.setattr(routes, "run_job", lambda *a, error=error, **k: (_ for _ in ()).throw(error))
            response = upload(coordinator, "/coordinator/upload", CSV_OK, "x.csv", county="09")
        page = response.get_data(as_text=True)
        assert response.status_code == status and words in page and "Tietokantaa ei muutettu." in page
    assert db.read_bytes() == before
    # After the import was stored, the rejected rows' file cannot be written: the result all the same.
    with monkeypatch.context() as patch:
        patch.setattr(routes, "_save_rejected", lambda *a: FullDisk().write(b""))
        good = CSV_OK.replace(b"Lahti, Heinola", b"Lahti")
        two = good + good.split(b"\n")[1].replace(b"T-1", b"T-9").replace("kyllä".encode(), "ehkä".encode()) + b"\n"
        response = upload(coordinator, "/coordinator/upload?lang=en", two, "x.csv", county="09")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-500:]
    assert (
        "2 rows read: 1 loaded, 1 rejected." in page
        and "The rejected rows could not be saved as a file to download; the first of them are shown below. "
        "The server has run out of disk space"
        in page
    )
    assert 'id="rejected-table"' in page and 'id="rejected-link"' not in page
    assert db.read_bytes() != before


CSV_OK = (";".join(HEADER) + "\n" + ";".join(v.replace(";", ",").replace("\n", " ") for v in GOOD[0]) + "\n").encode()


def test_the_command_line_exits_with_a_code_for_each_outcome(db, tmp_path, monkeypatch, capsys):
    from dashboard.__main__ import main

    good = write_csv(tmp_path / "hyva.csv", [GOOD[0]])
    assert main(["import-reports", str(good)]) == 0
    assert "Merkistö: UTF-8 (BOM)." in capsys.readouterr().out
    assert main(["import-reports", str(write_csv(tmp_path / "osin.csv", [GOOD[0], ["", *GOOD[0][1:]]]))]) == 3
    bomb = tmp_path / "vahvistin.xlsx"
    bomb.write_bytes(amplified_xlsx(150_000, 19_000))
    assert main(["import-reports", str(bomb)]) == 4
    assert "merkkiä tekstiä" in capsys.readouterr().err
    nested = tmp_path / "syva.toml"
    nested.write_text("x = " + "{a=" * 5000 + "1" + "}" * 5000)
    assert main(["import-reports", str(good), "--mapping", str(nested)]) == 4
    assert "liian syvällä sisäkkäin" in capsys.readouterr().err
    monkeypatch.setenv("DASHBOARD_IMPORT_MEMORY", "40")
    assert main(["import-reports", str(good)]) == 5
    assert "enemmän muistia" in capsys.readouterr().err
    monkeypatch.setenv("DASHBOARD_IMPORT_MEMORY", "2048")
    monkeypatch.setattr("dashboard.imports.budget.run_job", lambda *a, **k: 1 / 0)  # a bug
    assert main(["import-reports", str(good)]) == 1
    assert "ZeroDivisionError" in capsys.readouterr().err
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "ei-ole.duckdb"))
    assert main(["import-reports", str(good)]) == 2
    with pytest.raises(SystemExit) as usage:
        main(["import-reports"])
    assert usage.value.code == 2


# ---- a flood of unknown names --------------------------------------------------------------------


def test_unknown_names_are_looked_up_once_each_within_a_budget(db, monkeypatch):
    from dashboard.imports.reports import Resolver, parse_reports
    from dashboard.imports.tables import Table

    with duckdb.connect(str(db), read_only=True) as con:
        resolver = Resolver.from_database(con)
    resolver.suggest_seconds = 0.5
    calls: list[tuple[str, str]] = []
    original = Resolver._targets
    monkeypatch.setattr(Resolver, "_targets", lambda self, d, k, limit=3: calls.append((d, k)) or original(self, d, k))
    # 4 000 rows: the same misspelt group on every row, and a different unknown area on each.
    rows = []
    for i in range(4_000):
        cells = list(GOOD[0])
        cells[HEADER.index("raportin_tunniste")] = f"R-{i}"
        cells[HEADER.index("alue")] = f"Lahtti {i}x" if i else "Lahtti"
        cells[HEADER.index("kohderyhma")] = "Nuoret"
        rows.append((i + 2, cells))
    parsed = parse_reports(Table(HEADER, rows, "tulva.csv"), resolver)
    assert parsed.rejected_count == 4_000 and parsed.loaded == 0
    assert calls.count(("target_group", "nuoret")) == 1  # once, however many rows carry it
    assert len(calls) == len(set(calls)) < 4_001  # never the same value twice; stopped when the budget was spent
    assert resolver.skipped == 4_001 - len(calls) > 0 and resolver.looked_up == len(calls)
    from dashboard.imports.jobs import _notes

    (note,) = _notes(Table(HEADER, [], "tulva.csv"), resolver)
    assert note.message("fi").startswith(
        f"Tuntemattomia nimiä oli niin monta, että lähimmät oikeat nimet haettiin vain {tables.numbers(len(calls))['fi']} ensimmäiselle"
    )
    reasons = parsed.rejected["virheet"].tolist()
    assert "tuntematon alue: Lahtti (tarkoititko: Lahti?)" in reasons[0]
    assert "(tarkoititko: Lapset, nuoret ja perheet?)" in reasons[-1]  # remembered, not looked up again
    assert reasons[-1].startswith("tuntematon alue: Lahtti 3999x; ")  # past the budget: the reason, no guess


def test_the_nearest_names_are_looked_up_before_the_write_lock_is_taken(db, tmp_path, monkeypatch):
    import fcntl

    from dashboard.imports.jobs import ReportsJob, import_reports
    from dashboard.imports.reports import Resolver

    held = []
    original = Resolver._targets

    def targets(self, dimension, value, limit=3):
        with open(str(db) + ".lock", "a") as lock:  # another writer's try: free unless an import holds it
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(lock, fcntl.LOCK_UN)
            except BlockingIOError:
                held.append(value)
        return original(self, dimension, value, limit)

    monkeypatch.setattr(Resolver, "_targets", targets)
    row = list(GOOD[0])
    row[HEADER.index("kohderyhma")] = "Nuoret"
    path = write_csv(tmp_path / "r.csv", [row, GOOD[1]])
    outcome = import_reports(ReportsJob(db_path=db, name="r.csv", path=path))
    assert (outcome.loaded, outcome.rejected_count) == (1, 1) and not held


# ---- encodings ----------------------------------------------------------------------------------


def test_one_stray_windows_1252_byte_does_not_garble_a_utf8_file_and_is_reported(db, tmp_path, capsys):
    from dashboard.__main__ import main

    path = write_csv(tmp_path / "seka.csv", GOOD, encoding="utf-8")
    # One word pasted from an old file, on the fourth line (T-2's target groups span two lines).
    path.write_bytes(path.read_bytes().replace("Perhetyö".encode(), "Perhetyö".encode("cp1252")))
    table = read_table(path)
    assert table.encoding == "UTF-8 + Windows-1252"
    assert [(n.key, n.n, dict(n.values)) for n in table.notes] == [("import.note.mixed_utf8", 1, {"rows": "4"})]
    assert main(["import-reports", str(path)]) == 0
    captured = capsys.readouterr()
    assert "Merkistö: UTF-8 + Windows-1252." in captured.out
    assert "siinä on 1 tavu, joka ei ole UTF-8:aa; se luettiin Windows-1252-merkkinä" in captured.err
    assert "Tarkista ääkköset näiltä riveiltä: 4." in captured.err
    assert stored(db, "T-1", "observation") == ("Häätöuhat ovat lisääntyneet.",)  # not 'HÃ¤Ã¤tÃ¶uhat'
    assert stored(db, "T-2", "observation") == ("Perhetyö toimii.",)
    # A whole file in Windows-1252 is read as such, and says so.
    old = write_csv(tmp_path / "vanha.csv", GOOD, encoding="cp1252")
    table = read_table(old)
    assert table.encoding == "Windows-1252" and not table.notes
    assert table.rows[0][1][HEADER.index("havainto")] == "Häätöuhat ovat lisääntyneet."


def test_the_page_names_the_encoding_and_the_rows_to_check(coordinator):
    from .test_coordinator import upload

    data = CSV_OK.decode("utf-8").encode("cp1252")
    page = upload(coordinator, "/coordinator/upload?lang=en", data, "x.csv").get_data(as_text=True)
    assert 'id="import-encoding">Character encoding: Windows-1252.' in page
    data = CSV_OK.replace("Häätöuhat".encode(), "Häätöuhat".encode() + b"\xe4")
    page = upload(coordinator, "/coordinator/upload?lang=en", data, "x.csv").get_data(as_text=True)
    assert "Character encoding: UTF-8 + Windows-1252." in page
    assert "holds 1 byte that is not UTF-8; it was read as a Windows-1252 character" in page
    assert "Check the letters ä, ö and å on these lines: 2." in page


@pytest.fixture()
def small_disk(demo_db, tmp_path, monkeypatch):
    """The database on a 12 MB file system: room for it, not for the copy an import writes."""
    from queries import access

    folder = tmp_path / "pieni"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("mounting a small file system needs root: " + mounted.stderr.decode()[-200:])
    try:
        path = folder / "dashboard.duckdb"
        shutil.copyfile(demo_db, path)
        assert path.stat().st_size > 6 * 2**20
        monkeypatch.setenv("DASHBOARD_DB", str(path))
        access.reset()
        yield path
    finally:
        access.reset()
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_gets_the_page_that_says_nothing_was_changed(small_disk, monkeypatch):
    from dashboard.web.app_factory import create_app

    from .test_coordinator import login, upload

    monkeypatch.setenv("DASHBOARD_COORDINATOR_PASSWORD", "oikea-salasana")
    client = create_app().server.test_client()
    login(client)
    before = small_disk.read_bytes()
    response = upload(client, "/coordinator/upload?lang=sv", CSV_OK, "x.csv", county="09")
    page = response.get_data(as_text=True)
    assert response.status_code == 507, page[-800:]
    assert "serverns diskutrymme tog slut under importen" in page and "Databasen ändrades inte." in page
    assert small_disk.read_bytes() == before
    assert not [p.name for p in small_disk.parent.iterdir() if ".tmp" in p.name]  # the half copy is gone


def settings_job(job: Job) -> dict:
    return {"mode": os.environ.get("DASHBOARD_DB_MODE"), "memory": os.environ.get("DASHBOARD_IMPORT_MEMORY")}


def test_a_job_sees_the_settings_of_its_caller_now(db, monkeypatch):
    run_job(finished_job, Job(db), Budget(512, 30))  # the fork server is running by now
    monkeypatch.setenv("DASHBOARD_DB_MODE", "0640")
    monkeypatch.delenv("DASHBOARD_IMPORT_MEMORY", raising=False)
    assert run_job(settings_job, Job(db), Budget(512, 30)) == {"mode": "0640", "memory": None}
