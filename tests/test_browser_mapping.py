"""A Microsoft Forms export mapped in Chromium: the suggestions shown, one choice changed and
back, the county chosen, the preview read, the mapping saved under a name; the next upload of a
file with the same headers (in another order) is loaded with it at once, with no TOML."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect

from .browser import Server

pytestmark = pytest.mark.browser
FORMS = Path(__file__).parent / "fixtures" / "forms" / "forms_export_syksy2024.csv"


@pytest.fixture(scope="module")
def db(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("mapping") / "db.duckdb"
    shutil.copyfile(demo_db, path)
    return path


@pytest.fixture(scope="module")
def server(db):
    srv = Server(db, {"DASHBOARD_COORDINATOR_PASSWORD": "testisalasana"}, workers=1)
    yield srv
    srv.stop()


def test_a_forms_export_is_mapped_saved_and_reused(page, server, db, tmp_path):
    page.goto(f"{server.url}/login?next=/coordinator")
    page.get_by_label("Salasana").fill("testisalasana")
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_url(f"{server.url}/coordinator")
    page.get_by_label("Tiedosto (CSV tai Excel)").set_input_files(str(FORMS))
    page.get_by_role("button", name="Tuo raportit").click()

    # The file's own headers with their first rows, each with the field suggested.
    table = page.locator("#mapping-table")
    table.wait_for()
    expect(page.locator("#mapping-lead")).to_contain_text("forms_export_syksy2024.csv (8 riviä)")
    area = page.get_by_label("Kenttä sarakkeelle Mitä kuntaa tai aluetta havainto koskee?")
    expect(area).to_have_value("alue")
    expect(page.get_by_label("Kenttä sarakkeelle Completion time")).to_have_value("pvm")
    expect(page.get_by_label("Kenttä sarakkeelle Start time")).to_have_value("")
    expect(page.get_by_label("Kenttä sarakkeelle Email")).to_have_value("")
    row = table.locator("tr", has=page.locator("th", has_text="Mitä kuntaa tai aluetta havainto koskee?"))
    expect(row.locator(".mapping-samples li").first).to_have_text("Lahti;Heinola;")
    # The coordinator may choose otherwise: the choice is kept through the preview.
    page.get_by_label("Kenttä sarakkeelle Saako havainnon julkaista yhteenvedossa?").select_option("")
    page.get_by_label("Hyvinvointialue").select_option("09")
    page.get_by_label("Tallenna vastaavuus nimellä").fill("Forms-raportointilomake")
    page.get_by_role("button", name="Esikatsele").click()
    summary = page.locator("#preview-summary")
    expect(summary).to_have_text(
        "8 riviä luettu: 7 uutta tuotaisiin, 0 olemassa olevaa päivitettäisiin, 1 hylättäisiin. "
        "Mitään ei ole vielä tallennettu."
    )
    expect(page.get_by_label("Kenttä sarakkeelle Saako havainnon julkaista yhteenvedossa?")).to_have_value("")
    expect(page.locator("#preview-rejected")).to_contain_text("erota arvot puolipisteellä: Lahti; Heinola")
    expect(page.locator("#preview-warnings")).to_contain_text("alue Tampere ei kuulu hyvinvointialueeseen Päijät-Häme")
    expect(page.locator("#preview-loaded tbody tr")).to_have_count(7)
    expect(page.locator("#preview-loaded tbody tr").first).to_contain_text("9.10.2024")
    with duckdb.connect(str(db), read_only=True) as con:
        assert (
            con.execute("SELECT count(*) FROM reports WHERE report_id = '1' AND county_code = '09'").fetchone()[0] == 0
        )
    page.get_by_label("Kenttä sarakkeelle Saako havainnon julkaista yhteenvedossa?").select_option("julkaistava")
    page.get_by_role("button", name="Esikatsele").click()
    expect(page.locator("#import-button")).to_be_visible()
    page.locator("#import-button").click()
    expect(page.locator("#import-result")).to_have_text(
        "forms_export_syksy2024.csv: 8 riviä luettu: 7 tuotu, 1 hylätty."
    )
    expect(page.locator("#import-mapping")).to_contain_text("nimellä ”Forms-raportointilomake”")
    with duckdb.connect(str(db), read_only=True) as con:
        got = con.execute(
            "SELECT submitted_on::VARCHAR, publishable FROM reports WHERE report_id = '1' AND county_code = '09'"
        ).fetchone()
    assert got == ("2024-10-09", True)

    # The next period: the same form, columns in another order, no mapping file, no county chosen.
    with FORMS.open(encoding="utf-8-sig", newline="") as handle:
        rows = [list(reversed(r)) for r in csv.reader(handle)]
    rows[1][-1] = "101"  # new answers get new ids
    rows = rows[:2]
    path = tmp_path / "forms_export_kevat2025.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    page.goto(f"{server.url}/coordinator?lang=sv")
    page.get_by_label("Fil (CSV eller Excel)").set_input_files(str(path))
    page.get_by_role("button", name="Importera rapporterna").click()
    expect(page.locator("#import-result")).to_have_text(
        "forms_export_kevat2025.csv: 1 rad läst: 1 importerad, 0 avvisade."
    )
    expect(page.locator("#import-mapping")).to_have_text(
        "Kolumnerna lästes med den sparade motsvarigheten ”Forms-raportointilomake”."
    )
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT county_code FROM reports WHERE report_id = '101'").fetchone() == ("09",)


def test_the_mapping_page_and_its_preview_have_no_wcag_violations(page, server, db, tmp_path):
    """A form whose questions changed (one column less) opens the mapping page with the saved choices."""
    from dashboard.imports.mapping import mapping_toml, save_mapping
    from dashboard.imports.tables import read_table

    from .test_accessibility import RULES, axe_source
    from .test_import_mapping import EXPECTED

    header = read_table(FORMS).header
    choices = {i: EXPECTED[h] for i, h in enumerate(header)}
    name = "Forms-raportointilomake"
    save_mapping(db.parent / "mappings", name, mapping_toml(header, choices, name, "09"))

    with FORMS.open(encoding="utf-8-sig", newline="") as handle:
        rows = [r[:5] + r[6:] for r in csv.reader(handle)]  # without "Last modified time"
    path = tmp_path / "forms_uusi_lomake.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)

    page.goto(f"{server.url}/login?next=/coordinator&lang=sv")
    page.get_by_label("Lösenord").fill("testisalasana")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{server.url}/coordinator?lang=sv")
    page.get_by_label("Fil (CSV eller Excel)").set_input_files(str(path))
    page.get_by_role("button", name="Importera rapporterna").click()
    expect(page.locator("#mapping-saved-hint")).to_contain_text("”Forms-raportointilomake”")
    expect(page.get_by_label("Fält för kolumnen Saako havainnon julkaista yhteenvedossa?")).to_have_value("julkaistava")
    page.get_by_label("Välfärdsområde").select_option("09")
    page.get_by_role("button", name="Förhandsgranska").click()
    page.locator("#preview-rejected").wait_for()
    page.add_script_tag(content=axe_source())
    result = page.evaluate("rules => axe.run(document, rules)", RULES)
    problems = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert not problems, problems
