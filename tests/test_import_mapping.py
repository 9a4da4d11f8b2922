"""A form tool's own export: its columns suggested and mapped, the mapping saved and reused, the
preview; dates converted and said; areas outside the county warned; commas hinted; a re-import
counted as updated; the follow-up result naming the reports it changed, and its sheet's lists."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from dashboard.core.i18n import render
from dashboard.imports.jobs import ReportsJob, import_reports
from dashboard.imports.mapping import inspect_table, mapping_of, mapping_toml, save_mapping, saved_mappings
from dashboard.imports.reports import Resolver, _parse_report_date, parse_reports, slash_order
from dashboard.imports.tables import ImportFileError, read_table

from .test_coordinator import login, token, upload

FORMS = Path(__file__).parent / "fixtures" / "forms" / "forms_export_syksy2024.csv"
EXPECTED = {
    "ID": "raportin_tunniste",
    "Start time": "",
    "Completion time": "pvm",
    "Email": "",
    "Name": "",
    "Last modified time": "",
    "Mihin teemoihin havainto liittyy?": "teema",
    "Palvelutehtävä, jossa havainto tehtiin": "palvelutehtava",
    "Mitä kuntaa tai aluetta havainto koskee?": "alue",
    "Keitä havainto koskee?": "kohderyhma",
    "Havainnon luonne": "havainnon_tyyppi",
    "Kuvaa havaintosi": "havainto",
    "Asiakkaan ääni (vapaaehtoinen)": "asiakkaan_aani",
    "Ratkaisuehdotus tai kehittämisidea": "ratkaisuehdotus",
    "Saako havainnon julkaista yhteenvedossa?": "julkaistava",
}


@pytest.fixture(scope="module")
def resolver(con):
    return Resolver.from_database(con)


def test_every_column_of_a_forms_export_gets_the_right_suggestion(resolver):
    inspection = inspect_table(read_table(FORMS), resolver, "09")
    assert {c.header: c.target for c in inspection.columns} == EXPECTED
    assert inspection.missing == []
    assert inspection.rows == 8
    # The first rows are shown under each header; multi-choice answers as Forms wrote them.
    area = next(c for c in inspection.columns if c.target == "alue")
    assert area.samples == ["Lahti;Heinola;", "Koko hyvinvointialue;", "Hollola;"]
    assert area.basis == "header_values"


def test_the_suggestions_do_not_depend_on_the_column_order(resolver):
    table = read_table(FORMS)
    order = list(reversed(range(len(table.header))))
    table.header = [table.header[i] for i in order]
    table.rows = [(n, [cells[i] for i in order]) for n, cells in table.rows]
    assert {c.header: c.target for c in inspect_table(table, resolver, "09").columns} == EXPECTED


def test_a_forms_export_mapped_loads_with_its_dates_warnings_and_hints(resolver):
    table = read_table(FORMS)
    mapping = mapping_of(table.header, {i: EXPECTED[h] for i, h in enumerate(table.header)})
    parsed = parse_reports(table, resolver, county="09", mapping=mapping)
    assert (parsed.loaded, parsed.rejected_count) == (7, 1)
    dates = dict(zip(parsed.reports["report_id"], parsed.reports["submitted_on"]))
    assert dates["1"] == dt.date(2024, 10, 9)  # "10/9/2024 11:02": month first, as Forms writes
    assert dates["8"] == dt.date(2024, 12, 16)
    # Forms' trailing ';' leaves no empty value behind.
    areas = parsed.areas[parsed.areas["report_id"] == "1"]["area_code"].tolist()
    assert areas == ["398", "111"]
    # Row 5 (line 6) names Tampere on a Päijät-Häme report: loaded, and warned.
    assert parsed.warnings == [
        (6, "alue Tampere ei kuulu hyvinvointialueeseen Päijät-Häme; rivi tuotiin, tarkista alue")
    ]
    # Row 4 (line 5) writes "Lahti, Heinola": rejected with the hint to use ';'.
    assert parsed.rejected["rivi"].tolist() == [5]
    assert parsed.rejected["virheet"].iloc[0] == (
        "alue: ”Lahti, Heinola” on useampi arvo pilkulla erotettuna; erota arvot puolipisteellä: Lahti; Heinola"
    )
    # Which rule read the dates is said: here the file settles it (12/16/2024 has 16 second).
    assert [render(n, "fi") for n in parsed.notes] == [
        "Päivämäärät kuten 10/9/2024 11:02 luettiin kuukausi/päivä/vuosi, koska tiedostossa on "
        "päivämääriä, joiden toinen luku on yli 12: 10/9/2024 11:02 = 9.10.2024."
    ]


def test_the_rule_for_slash_dates():
    # The order is decided for the whole file, by the dates that show it.
    assert slash_order(["10/9/2024", "25/9/2024"]).order == "dmy"
    assert slash_order(["10/9/2024", "9/25/2024"]).order == "mdy"
    guess = slash_order(["10/9/2024 11:02", "3/4/2024"])
    assert (guess.order, guess.decided, guess.ambiguous) == ("mdy", False, 2)
    assert _parse_report_date("10/9/2024", "mdy") == dt.date(2024, 10, 9)
    assert _parse_report_date("10/9/2024", "dmy") == dt.date(2024, 9, 10)
    assert _parse_report_date("25/9/2024", "mdy") is None  # the chosen order cannot read it: rejected
    # Excel's day numbers: 45570 is 5.10.2024 (45292 is 1.1.2024).
    assert _parse_report_date("45292") == dt.date(2024, 1, 1)
    assert _parse_report_date("45570") == dt.date(2024, 10, 5)
    assert _parse_report_date("45570.4583") == dt.date(2024, 10, 5)


def template_csv(rows: list[str]) -> str:
    return "raportin_tunniste;pvm;palvelutehtava;alue;kohderyhma;havainnon_tyyppi;havainto\n" + "\n".join(rows) + "\n"


def test_excel_serial_dates_are_converted_and_said(resolver, tmp_path):
    path = tmp_path / "sarjanumerot.csv"
    path.write_text(
        template_csv(
            [
                "S-1;45570;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;kielteinen;Testi",
                "S-2;45571;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;kielteinen;Testi",
            ]
        ),
        encoding="utf-8",
    )
    parsed = parse_reports(read_table(path), resolver, county="09")
    assert parsed.reports["submitted_on"].tolist() == [dt.date(2024, 10, 5), dt.date(2024, 10, 6)]
    assert [render(n, "sv") for n in parsed.notes] == [
        "2 datum var dagnummer i Excel och omvandlades: t.ex. 45570 = 5.10.2024."
    ]


def test_a_whole_county_named_as_the_area_of_another_county_is_warned(resolver, tmp_path):
    path = tmp_path / "kainuu.csv"
    path.write_text(
        template_csv(["K-1;1.10.2024;Työikäisten sosiaalipalvelut;Kainuu;Työikäiset;kielteinen;Testi"]),
        encoding="utf-8",
    )
    parsed = parse_reports(read_table(path), resolver, county="09", lang="en")
    assert parsed.loaded == 1
    assert parsed.warnings == [
        (2, "area Kainuu is not in the wellbeing services county Päijät-Häme; the row was loaded, check the area")
    ]


def test_a_reimport_counts_the_reports_it_updates(db_copy, tmp_path):
    path = tmp_path / "uudelleen.csv"
    path.write_text(
        template_csv(
            [
                "R-1;1.10.2024;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;kielteinen;Eka",
                "R-2;1.10.2024;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;kielteinen;Toka",
            ]
        ),
        encoding="utf-8",
    )
    first = import_reports(ReportsJob(db_path=db_copy, name=path.name, path=path, county="09"))
    assert (first.added, first.updated) == (2, 0)
    path.write_text(
        template_csv(
            [
                "R-1;1.10.2024;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;kielteinen;Korjattu",
                "R-3;1.10.2024;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;kielteinen;Kolmas",
            ]
        ),
        encoding="utf-8",
    )
    again = import_reports(ReportsJob(db_path=db_copy, name=path.name, path=path, county="09"))
    assert (again.added, again.updated) == (1, 1)


def test_a_saved_mapping_is_picked_by_the_headers_in_any_order(db_copy, tmp_path, resolver):
    folder = tmp_path / "mappings"
    table = read_table(FORMS)
    choices = {i: EXPECTED[h] for i, h in enumerate(table.header)}
    save_mapping(folder, "Forms-lomake", mapping_toml(table.header, choices, "Forms-lomake", "09", "anna"))
    [saved] = saved_mappings(folder)
    assert (saved.name, saved.county) == ("Forms-lomake", "09")
    assert (folder.stat().st_mode & 0o777, saved.path.stat().st_mode & 0o777) == (0o700, 0o600)
    # The next period's file: the same questions, another column order (semicolons this time).
    with FORMS.open(encoding="utf-8-sig", newline="") as handle:
        rows = [list(reversed(row)) for row in csv.reader(handle)]
    path = tmp_path / "forms_kevat2025.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    job = ReportsJob(db_path=db_copy, name=path.name, path=path, mappings_dir=folder, ask_mapping=True)
    outcome = import_reports(job)
    assert outcome.inspection is None and outcome.mapping_used == "Forms-lomake"
    assert (outcome.loaded, outcome.rejected_count) == (7, 1)  # the saved county (09) was used
    # Without a saved mapping, the same file is inspected, not refused; on the command line it is refused.
    job = ReportsJob(db_path=db_copy, name=path.name, path=path, mappings_dir=tmp_path / "none", ask_mapping=True)
    assert import_reports(job).inspection is not None
    with pytest.raises(ImportFileError):
        import_reports(ReportsJob(db_path=db_copy, name=path.name, path=path, county="09"))


# ---- the pages ------------------------------------------------------------------------


@pytest.fixture()
def client(db_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_COORDINATOR_PASSWORD", "oikea-salasana")
    from dashboard.web.app_factory import create_app

    return create_app().server.test_client()


def _form(page: str) -> dict[str, str]:
    """The mapping form's fields as a browser would send them (the selected option of each select)."""
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    fields.update(
        re.findall(r'<input class="form-control" type="text" id="[^"]+" name="([^"]+)"[^>]*value="([^"]*)"', page)
    )
    for name, body in re.findall(r'<select[^>]*name="([^"]+)">(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        fields[name] = chosen[1] if chosen else ""
    return {k: v.replace("&amp;", "&").replace("&#34;", '"').replace("&#39;", "'") for k, v in fields.items()}


def test_the_mapping_page_previews_imports_and_saves(client, db_copy):
    login(client)
    response = upload(client, "/coordinator/upload", FORMS.read_bytes(), FORMS.name)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="mapping-table"' in page
    action = re.search(r'action="(/coordinator/map/[0-9a-f]{24})', page)[1]
    fields = _form(page)
    assert fields["col-2"] == "pvm" and fields["col-8"] == "alue" and fields["col-3"] == ""
    # Without a county the page says what is missing and shows no preview.
    response = client.post(action, data={**fields, "action": "preview"})
    assert "Vielä valitsematta: Hyvinvointialue." in response.get_data(as_text=True)
    fields.update(county="09", mapping_name="Forms syksy")
    # An import without a preview of the same choices is a preview.
    page = client.post(action, data={**fields, "action": "import"}).get_data(as_text=True)
    assert 'id="preview-summary"' in page
    summary = re.search(r'id="preview-summary" role="status">([^<]+)<', page)[1]
    assert summary == (
        "8 riviä luettu: 7 uutta tuotaisiin, 0 olemassa olevaa päivitettäisiin, 1 hylättäisiin. "
        "Mitään ei ole vielä tallennettu."
    )
    with duckdb.connect(str(db_copy), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reports WHERE report_id = '8'").fetchone()[0] == 0
    fields = _form(page)
    response = client.post(action, data={**fields, "action": "import"})
    page = response.get_data(as_text=True)
    result = re.search(r'id="import-result" role="status">([^<]+)<', page)[1]
    assert result == "forms_export_syksy2024.csv: 8 riviä luettu: 7 tuotu, 1 hylätty."
    assert "tallennettiin nimellä ”Forms syksy”" in page
    assert "Tampere" in re.search(r'id="import-warnings".*?</table>', page, re.S)[0]
    # The same file again: the saved mapping is used at once, and the reports are updated.
    response = upload(client, "/coordinator/upload", FORMS.read_bytes(), FORMS.name, lang="sv")
    page = response.get_data(as_text=True)
    result = re.search(r'id="import-result" role="status">([^<]+)<', page)[1]
    assert result == "forms_export_syksy2024.csv: 8 rader lästa: 0 importerade, 7 uppdaterade, 1 avvisad."
    assert "sparade motsvarigheten ”Forms syksy”" in page


def test_the_mapping_step_needs_the_login_and_the_token(client):
    response = client.post("/coordinator/map/" + "0" * 24, data={"action": "preview"})
    assert response.status_code in (302, 401)
    login(client)
    response = client.post(
        "/coordinator/map/" + "0" * 24, data={"action": "preview", "csrf_token": token(client, "/coordinator")}
    )
    assert response.status_code == 404
    assert client.post("/coordinator/map/" + "0" * 24, data={"action": "preview"}).status_code == 400  # no CSRF


def test_the_followup_names_the_reports_it_changed_and_its_sheet_has_lists(client, db_copy):
    login(client)
    book = load_workbook(io.BytesIO(client.get("/coordinator/followup.xlsx").data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    lists = {str(v.sqref).split(":")[0][:-1]: v.formula1 for v in sheet.data_validations.dataValidation}
    letter = {name: chr(ord("A") + header.index(name)) for name in ("julkaistava", "nosto", "seurannan_tila")}
    assert lists[letter["julkaistava"]] == '"kyllä,ei"'
    assert lists[letter["seurannan_tila"]] == (
        '"Käsittelemättä,Käsitelty työryhmässä,Välitetty eteenpäin,Toimenpide käynnistetty,Päättynyt"'
    )
    ids = [sheet.cell(row=r, column=header.index("raportin_tunniste") + 1).value for r in (2, 3)]
    sheet.cell(row=2, column=header.index("toimenpide") + 1, value="Selvitys käynnistetty")
    sheet.cell(row=3, column=header.index("seurannan_tila") + 1, value="Päättynyt")
    sheet.cell(row=3, column=header.index("valitetty") + 1, value="HYTE-ryhmä")
    buffer = io.BytesIO()
    book.save(buffer)
    page = upload(client, "/coordinator/followup", buffer.getvalue(), "seuranta.xlsx").get_data(as_text=True)
    table = re.search(r'id="followup-changed".*?</table>', page, re.S)[0]
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", table)
    assert [(r[1], r[2]) for r in rows] == [(ids[0], "Toimenpide"), (ids[1], "Seurannan tila, Välitetty")]


def test_indicator_files_are_previewed_then_loaded_on_the_page(client, db_copy, tmp_path):
    login(client)
    meta = (
        "indicator_id,source,name_fi,name_sv,name_en,unit,decimals\n"
        "oma-1,Essote,Pitkäaikaisasiakkaat,Långvariga klienter,Long-term clients,%,0\n"
    ).encode()
    values = b"indicator_id,region_code,year,sex,value,n\noma-1,09,2021,total,57,675\noma-1,XX,2021,total,5,7\n"
    fields = {
        "csrf_token": token(client, "/coordinator"),
        "kind": "local",
        "files": [(io.BytesIO(values), "indicator_values.csv"), (io.BytesIO(meta), "indicators.csv")],
    }
    page = client.post("/coordinator/indicators", data=fields, content_type="multipart/form-data")
    text = page.get_data(as_text=True)
    assert re.search(r'id="indicator-preview" role="status">([^<]+)<', text)[1] == (
        "indicators.csv + indicator_values.csv: 2 riviä luettu: 1 arvo tuotaisiin, 1 hylättäisiin. "
        "Mitään ei ole vielä tallennettu."
    )
    assert "<li>oma-1 Pitkäaikaisasiakkaat: 1 arvo</li>" in text
    with duckdb.connect(str(db_copy), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM indicators WHERE indicator_id = 'oma-1'").fetchone()[0] == 0
    action = re.search(r'action="(/coordinator/indicators/[0-9a-f]{24})"', text)[1]
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', text))
    page = client.post(action, data=form)
    text = page.get_data(as_text=True)
    assert re.search(r'id="import-result" role="status">([^<]+)<', text)[1] == (
        "indicators.csv + indicator_values.csv: 2 riviä luettu: 1 tuotu, 1 hylätty."
    )
    with duckdb.connect(str(db_copy), read_only=True) as con:
        assert con.execute("SELECT value, n FROM indicator_values WHERE indicator_id = 'oma-1'").fetchall() == [
            (57.0, 675)
        ]
    # The kept files are gone: the same link does nothing twice.
    assert client.post(action, data=form).status_code == 404


def test_saved_sotkanet_responses_are_previewed_then_loaded_on_the_page(client, db_copy):
    login(client)
    folder = Path(__file__).parent / "fixtures" / "sotkanet"
    files = [(io.BytesIO(p.read_bytes()), p.name) for p in sorted(folder.iterdir())]
    fields = {"csrf_token": token(client, "/coordinator"), "kind": "sotkanet", "files": files}
    text = client.post("/coordinator/indicators", data=fields, content_type="multipart/form-data").get_data(
        as_text=True
    )
    lines = re.findall(r"<li>([^<]+)</li>", re.search(r'<ul id="indicator-lines">.*?</ul>', text, re.S)[0])
    assert lines[:2] == [
        "sotkanet-181 (Nuorisotyöttömät, % 18–24-vuotiaasta työvoimasta): 4 arvoa; "
        "ohitettu 0 muun alueluokan arvoa ja 0 tuntemattoman alue-id:n arvoa",
        "sotkanet-3225 (Toimeentulotukea saaneet henkilöt, % asukkaista): 32 arvoa; "
        "ohitettu 4 muun alueluokan arvoa ja 4 tuntemattoman alue-id:n arvoa",
    ]
    action = re.search(r'action="(/coordinator/indicators/[0-9a-f]{24})"', text)[1]
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', text))
    text = client.post(action, data=form).get_data(as_text=True)
    assert 'id="import-result"' in text
    with duckdb.connect(str(db_copy), read_only=True) as con:
        assert (
            con.execute("SELECT count(*) FROM indicator_values WHERE indicator_id = 'sotkanet-3225'").fetchone()[0] > 0
        )


def test_a_forms_export_as_xlsx_with_real_date_cells_gets_the_same_suggestions(resolver, tmp_path):
    from openpyxl import Workbook

    with FORMS.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    book = Workbook()
    sheet = book.active
    sheet.append(rows[0])
    for row in rows[1:]:
        cells: list[object] = list(row)
        for i in (1, 2):  # Forms writes Start time and Completion time as date cells
            month, day, rest = row[i].split("/")
            year, clock = rest.split(" ")
            hour, minute = clock.split(":")
            cells[i] = dt.datetime(int(year), int(month), int(day), int(hour), int(minute))
        cells[0] = int(row[0])
        sheet.append(cells)
    path = tmp_path / "forms.xlsx"
    book.save(path)
    table = read_table(path)
    assert {c.header: c.target for c in inspect_table(table, resolver, "09").columns} == EXPECTED
    parsed = parse_reports(
        table,
        resolver,
        county="09",
        mapping=mapping_of(table.header, {i: EXPECTED[h] for i, h in enumerate(table.header)}),
    )
    assert dict(zip(parsed.reports["report_id"], parsed.reports["submitted_on"]))["1"] == dt.date(2024, 10, 9)
    assert parsed.notes == []  # real dates: nothing converted, nothing to say
