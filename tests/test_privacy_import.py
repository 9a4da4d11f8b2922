"""The privacy screen at import (issue 19): before a period's first publication the county's
`julkaistava` flag alone used to decide what leadership reads. Now a text marked publishable that
carries an identity code (or a phone number, an e-mail, a name the workbench's screen finds) is
held back from every leadership output — the reports view, CSV, XLSX, /present, the deck and the
chapter — until the coordinator dismisses or overrides the hit in the workbench; the import says
how many reports wait for the check. Read back with real readers (openpyxl, python-pptx,
python-docx)."""

from __future__ import annotations

import io
import re

import duckdb
import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from dashboard.analysis import privacy
from dashboard.analysis.workspace import Workspace, workspace_path
from dashboard.imports.jobs import ReportsJob, import_reports

from .test_coordinator import PASSWORD, login, token, upload

SPRING = "county=09&from=2024-01-01&to=2024-06-30"
WORKBENCH = "/coordinator/analysis"
JSON = {"Accept": "application/json"}
# 131052-308T: a valid identity code (the check character matches); the sentence is otherwise plain.
SECRET = "Asiakkaan henkilötunnus 131052-308T kirjattiin lomakkeeseen vahingossa"
PHONE_TEXT = "Perhe pyysi soittamaan numeroon 040 123 4567 iltaisin"
HEADER = (
    "raportin_tunniste;pvm;hyvinvointialue;palvelutehtava;alue;kohderyhma;teema;havainnon_tyyppi;havainto;"
    "asiakkaan_aani;ratkaisuehdotus;julkaistava;nosto\n"
)


def row(report_id: str, observation: str, voice: str = "", publishable: str = "kyllä") -> str:
    return (
        f"{report_id};15.3.2024;Päijät-Häme;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;Mielenterveys;kielteinen;"
        f"{observation};{voice};;{publishable};kyllä\n"
    )


FILE = (
    HEADER + row("PRIV-1", SECRET + ".") + row("PRIV-2", PHONE_TEXT + ".") + row("PRIV-3", SECRET, publishable="ei")
).encode()


@pytest.fixture()
def app_db(db_copy):
    return db_copy


@pytest.fixture()
def app_settings():
    return {"DASHBOARD_COORDINATOR_PASSWORD": PASSWORD}


def get(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    return response.data


def leadership_outputs(client) -> dict[str, str]:
    """Every output leadership reads for the period, as text."""
    from dashboard.views.reports import ReportContext
    from queries import access

    access.reset()  # the served file was replaced: as a new request would, read the new version
    ctx = ReportContext.from_query(SPRING)
    reading, _ = ctx.reading(200, highlights_first=True)
    table = ctx.table_page(0, 500)
    workbook = load_workbook(io.BytesIO(get(client, f"/download/reports.xlsx?{SPRING}")), read_only=True)
    deck = Presentation(io.BytesIO(get(client, f"/download/deck.pptx?{SPRING}")))
    chapter = Document(io.BytesIO(get(client, f"/download/chapter.docx?{SPRING}")))
    return {
        "reports view (reading pane)": reading.to_csv(),
        "reports view (table)": table.to_csv(),
        "reports.csv": get(client, f"/download/reports.csv?{SPRING}").decode("utf-8-sig"),
        "reports.xlsx": "\n".join(
            str(v) for sheet in workbook.worksheets for r in sheet.iter_rows(values_only=True) for v in r if v
        ),
        "deck.pptx": "\n".join(
            shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
        ),
        "chapter.docx": "\n".join(
            [p.text for p in chapter.paragraphs] + [c.text for t in chapter.tables for r in t.rows for c in r.cells]
        ),
        "/present": get(client, f"/present?{SPRING}").decode(),
    }


def post(client, route: str, data: dict):
    body = {"csrf_token": token(client, "/coordinator"), **data}
    return client.post(f"{WORKBENCH}{route}?{SPRING}", data=body, headers=JSON)


def test_a_publishable_text_with_an_identity_code_waits_for_the_coordinator_in_every_output(client, db_copy):
    login(client)
    page = upload(client, "/coordinator/upload", FILE, "kevat.csv", county="09").get_data(as_text=True)
    # PRIV-1 and PRIV-2 are marked publishable and carry a hit; PRIV-3 is not publishable anyway.
    assert "3 riviä luettu: 3 tuotu, 0 hylätty." in page
    held = re.search(r'<div class="alert alert-warning" id="import-held">(.*?)</div>', page, re.S)[1]
    assert held.startswith("2 raporttia odottaa tietosuojatarkistusta") and 'href="/coordinator/analysis"' in held

    outputs = leadership_outputs(client)
    for name, text in outputs.items():
        assert "131052-308T" not in text and SECRET not in text, name
        assert "040 123 4567" not in text, name
    # The reports are counted, their texts withheld (as for a report the file marks not publishable).
    assert "PRIV-1" in outputs["reports.csv"] and "PRIV-2" in outputs["reports.xlsx"]

    # The workbench's period chooser says where they wait; the report shows the hit, marked in the text.
    chooser = get(client, WORKBENCH).decode()
    spring = re.search(
        r'<li class="mb-1"><a href="[^"]*county=09&amp;from=2024-01-01&amp;to=2024-06-30">.*?</li>', chooser
    )[0]
    assert "2 odottaa tietosuojatarkistusta" in spring
    review = get(client, f"{WORKBENCH}?{SPRING}&report=PRIV-1").decode()
    assert re.search(r'<mark class="hit hit-open"[^>]*>131052-308T<sup', review)
    hit = re.search(r'name="hit" value="([0-9a-f]+)">', review)[1]

    # Dismissed ("Ei henkilötieto"): leadership reads PRIV-1 at once; PRIV-2 still waits.
    assert post(client, "/hit", {"report": "PRIV-1", "hit": hit, "action": "dismiss"}).status_code == 200
    outputs = leadership_outputs(client)
    # (The chapter of a period without a published analysis quotes no report texts.)
    for name in ("reports view (reading pane)", "reports view (table)", "reports.csv", "reports.xlsx"):
        assert SECRET in outputs[name], name
        assert "040 123 4567" not in outputs[name], name
    assert SECRET in outputs["deck.pptx"] and SECRET in outputs["/present"]  # a highlight: the text slides show it

    # PRIV-2 through the override with a reason (recorded in the workbench).
    refused = post(client, "/publishable", {"report": "PRIV-2", "publishable": "1", "base_version": "0"})
    assert refused.status_code == 422
    done = post(
        client,
        "/publishable",
        {"report": "PRIV-2", "publishable": "1", "base_version": "0", "override_reason": "Yhdistyksen yleisnumero"},
    )
    assert done.status_code == 200, done.get_data(as_text=True)
    assert PHONE_TEXT in leadership_outputs(client)["reports.csv"]

    # Restored, the identity code is held back again.
    assert post(client, "/hit", {"report": "PRIV-1", "hit": hit, "action": "restore"}).status_code == 200
    assert SECRET not in leadership_outputs(client)["reports.csv"]
    # The text the file marks not publishable stays hidden whatever the screen says.
    assert "PRIV-3" in outputs["reports.csv"] and outputs["reports.csv"].count(SECRET) == 1


def test_a_reimport_keeps_the_decisions_and_screens_a_changed_text(db_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(db_copy))
    job = ReportsJob(db_path=db_copy, name="kevat.csv", data=FILE, county="09")
    assert import_reports(job).held == 2
    # The coordinator dismisses PRIV-1's hit (as the workbench records it).
    with duckdb.connect(str(db_copy), read_only=True) as con:
        text = con.execute("SELECT observation FROM reports WHERE report_id = 'PRIV-1'").fetchone()[0]
    found = privacy.screen_text(text, "observation")
    assert [h.kind for h in found] == ["personal_id"]
    store = Workspace(workspace_path(db_copy))
    store.dismiss_hit("09", "PRIV-1", found[0].hit_id, "personal_id", found[0].text, "anna")
    store.close()
    # The same file again: the decision holds (only PRIV-2 waits); the texts are not screened again.
    assert import_reports(job).held == 1
    # A changed text with a new e-mail address waits again.
    changed = FILE.replace(b"vahingossa.", b"vahingossa, anna.asiakas@example.fi.")
    assert import_reports(ReportsJob(db_path=db_copy, name="kevat.csv", data=changed, county="09")).held == 2


def test_the_screen_reads_every_report_the_reporting_form_sends(db_copy):
    """The form's intake stores through the same import: its reports are screened too (they are not
    publishable until the coordinator says so, so the screen's hold matters once they are)."""
    from dashboard.reporting import intake

    store = Workspace(workspace_path(db_copy))
    cells = row("x", SECRET, publishable="ei").strip().split(";")
    fields = dict(zip(HEADER.strip().split(";"), cells))
    submission = store.submit("avain-1", "09", {"row": {k: v for k, v in fields.items() if k != "raportin_tunniste"}})
    assert intake.move_pending(db_copy, store).stored == 1
    store.close()
    with duckdb.connect(str(db_copy), read_only=True) as con:
        (unresolved,) = con.execute(
            "SELECT s.unresolved FROM report_screening s JOIN reports USING (report_key) WHERE report_id = $id",
            {"id": intake.report_id_for(submission)},
        ).fetchone()
    assert unresolved == 1


def test_a_database_from_before_the_screen_is_screened_when_the_app_starts(db_copy, make_client):
    from dashboard.imports.reports import Mapping, Resolver, parse_reports, store_reports
    from dashboard.imports.tables import read_table
    from queries.db import write_new_version

    def older_version(con):
        table = read_table("kevat.csv", data=FILE)
        store_reports(con, parse_reports(table, Resolver.from_database(con), county="09", mapping=Mapping()))
        con.execute("DROP TABLE report_screening")  # as a database written before the screen existed

    write_new_version(db_copy, older_version)
    client = make_client(db_copy)  # the app starts: the reports nobody has screened are screened now
    text = get(client, f"/download/reports.csv?{SPRING}").decode("utf-8-sig")
    assert "PRIV-1" in text and "131052-308T" not in text and "040 123 4567" not in text
    with duckdb.connect(str(db_copy), read_only=True) as con:
        assert con.execute(
            "SELECT count(*) FROM reports WHERE report_key NOT IN (SELECT report_key FROM report_screening)"
        ).fetchall() == [(0,)]
