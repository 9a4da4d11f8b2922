"""The download routes, read back with real readers (csv, openpyxl)."""

import csv
import io

import duckdb
import pytest
from openpyxl import load_workbook

AUTUMN = "county=09&from=2024-09-01&to=2024-12-31"


def read_csv(response):
    raw = response.data
    assert raw.startswith("\ufeff".encode()), "UTF-8 BOM for Finnish Excel"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def test_reports_csv_has_the_published_figures(client):
    response = client.get(f"/download/reports.csv?{AUTUMN}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    header, rows = read_csv(response)
    assert len(rows) == 40
    assert sum(r["Havainnon tyyppi"] == "Kielteinen" for r in rows) == 31
    assert sum("Työikäiset" in r["Kohderyhmät"].split("; ") for r in rows) == 21
    assert sum("Lahti" in r["Alueet"].split("; ") for r in rows) == 13
    assert rows[0]["Päivämäärä"].count(".") == 2  # 4.9.2024


def test_unpublished_texts_are_not_downloaded(client):
    _, rows = read_csv(client.get(f"/download/reports.csv?{AUTUMN}"))
    hidden = [r for r in rows if r["Julkaistava"] == "ei"]
    assert len(hidden) == 6
    assert all(r["Havainto"] == "" and r["Asiakkaan ääni"] == "" and r["Ratkaisuehdotus"] == "" for r in hidden)
    assert all(r["Havainto"] for r in rows if r["Julkaistava"] == "kyllä")


def test_reports_xlsx_is_a_real_table_with_a_caption_sheet(client):
    response = client.get(f"/download/reports.xlsx?{AUTUMN}&target_group=working_age")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook.worksheets[0]
    assert len(sheet.tables) == 1
    table = next(iter(sheet.tables.values()))
    assert table.ref == "A1:P22"  # header + 21 working-age reports
    assert sheet["A1"].value == "Raportin tunniste"
    assert sheet.column_dimensions["J"].width > 30  # the observation column is wide
    info = workbook.worksheets[1]
    values = {row[0].value: row[1].value for row in info.iter_rows()}
    assert values["Rajaukset"] == "Päijät-Häme · työikäiset · 1.9.–31.12.2024 · 21 raporttia"
    assert "synteettinen" in values["Lähde"]
    assert "Demoaineisto" in values


def test_summary_downloads_match_the_charts(client):
    _, rows = read_csv(client.get(f"/download/summary.csv?{AUTUMN}"))
    themes = {r["Arvo"]: r["Raportteja"] for r in rows if r["Luokittelu"] == "Teemat"}
    assert themes["Puuttuvat palvelut, palvelujen saatavuus ja saavutettavuus"] == "6"
    types = {
        r["Arvo"]: (r["Raportteja"], r["Osuus raporteista"]) for r in rows if r["Luokittelu"] == "Havaintojen tyypit"
    }
    assert types["Kielteinen"] == ("31", "0,775")
    workbook = load_workbook(io.BytesIO(client.get(f"/download/summary.xlsx?{AUTUMN}").data))
    assert workbook.worksheets[0].max_row == len(rows) + 1


@pytest.mark.parametrize(
    "query",
    [
        "county=99",
        "county=09%27%20OR%20%271%27%3D%271",
        "from=2024-12-31&to=2024-01-01",
        "theme=" + "&theme=".join(["housing"] * 1000),
        "from=not-a-date",
    ],
)
def test_hostile_query_strings_get_400_never_more_rows(client, query):
    for route in ("/download/reports.csv", "/download/reports.xlsx", "/download/summary.csv"):
        response = client.get(f"{route}?{query}")
        assert response.status_code == 400, (route, query)
        assert "ei voitu käyttää" in response.get_data(as_text=True)


def test_empty_result_is_a_valid_file(client):
    _, rows = read_csv(client.get("/download/reports.csv?county=09&from=2030-01-01"))
    assert rows == []
    workbook = load_workbook(io.BytesIO(client.get("/download/reports.xlsx?county=09&from=2030-01-01").data))
    assert workbook.worksheets[0]["A1"].value == "Raportin tunniste"


def test_unknown_page_and_bad_format_do_not_500(client):
    assert client.get("/download/reports.pdf").status_code == 404
    assert client.get("/no/such/page?county=%ZZ").status_code == 200  # Dash serves the shell; the router says not found


def test_missing_database_is_a_clear_503_not_a_crash(tmp_path, make_client):
    client = make_client(tmp_path / "none.duckdb")  # importing and building the app opens nothing
    assert client.get("/").status_code == 200
    response = client.get("/download/reports.csv")
    assert response.status_code == 503
    assert "build-demo" in response.get_data(as_text=True)


FORMULAS = [
    '=HYPERLINK("http://evil.example","klikkaa")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture()
def hostile_db(db_copy, tmp_path):
    """The demo plus publishable reports whose texts a spreadsheet would run as formulas."""
    from dashboard.imports.reports import Resolver, read_reports_file, store_reports
    from queries.db import write_new_version

    header = [
        "raportin_tunniste",
        "pvm",
        "hyvinvointialue",
        "palvelutehtava",
        "alue",
        "kohderyhma",
        "havainnon_tyyppi",
        "havainto",
        "asiakkaan_aani",
        "ratkaisuehdotus",
        "julkaistava",
        "kasitelty",
    ]
    path = tmp_path / "kaavat.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        for i, text in enumerate(FORMULAS):
            writer.writerow(
                [
                    f"K-{i}",
                    "2.1.2026",
                    "09",
                    "Työikäisten sosiaalipalvelut",
                    "Lahti",
                    "Työikäiset",
                    "kielteinen",
                    text,
                    text,
                    text,
                    "kyllä",
                    text,
                ]
            )
    write_new_version(db_copy, lambda con: store_reports(con, read_reports_file(path, Resolver.from_database(con))))
    # A text stored before import cleaning existed: control characters XML cannot hold.
    with duckdb.connect(str(db_copy)) as con:
        con.execute("UPDATE reports SET proposal = 'Ohjaus\x01 ja\x0b tuki\x1f.' WHERE report_id = 'K-0'")
    return db_copy


def expected_text(text: str) -> str:
    """How a text comes back from the files: the import trims a cell's leading and trailing space."""
    return text.strip()


def test_formula_cells_come_out_neutralised_in_csv_and_xlsx(hostile_db, make_client):
    client = make_client(hostile_db)
    query = "county=09&from=2026-01-01&to=2026-01-31"
    _, rows = read_csv(client.get(f"/download/reports.csv?{query}"))
    assert len(rows) == len(FORMULAS)
    by_id = {r["Raportin tunniste"]: r for r in rows}
    for i, text in enumerate(FORMULAS):
        for column in ("Havainto", "Asiakkaan ääni", "Käsitelty"):
            assert by_id[f"K-{i}"][column] == "'" + expected_text(text), (column, text)
    # Numbers and dates stay numbers and dates.
    assert by_id["K-0"]["Päivämäärä"] == "2.1.2026"

    book = load_workbook(io.BytesIO(client.get(f"/download/reports.xlsx?{query}").data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    cells = {row[0].value: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2)}
    for i, text in enumerate(FORMULAS):
        for column in ("Havainto", "Asiakkaan ääni", "Käsitelty"):
            cell = cells[f"K-{i}"][column]
            assert cell.data_type == "s" and cell.value == expected_text(text), (column, text, cell.value)
    assert cells["K-0"]["Päivämäärä"].is_date
    # No cell of the workbook is a formula.
    assert not [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]

    summary = load_workbook(io.BytesIO(client.get(f"/download/summary.xlsx?{query}").data)).worksheets[0]
    counts = [row[3].value for row in summary.iter_rows(min_row=2)]
    assert counts and all(isinstance(v, int) for v in counts)


def test_a_control_character_survives_an_xlsx_export(hostile_db, make_client):
    client = make_client(hostile_db)
    response = client.get("/download/reports.xlsx?county=09&from=2026-01-01")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "K-0")
    assert row[header.index("Ratkaisuehdotus")] == "Ohjaus ja tuki."
    _, rows = read_csv(client.get("/download/reports.csv?county=09&from=2026-01-01"))
    assert next(r for r in rows if r["Raportin tunniste"] == "K-0")["Ratkaisuehdotus"] == "Ohjaus ja tuki."


def test_followup_notes_of_unpublished_reports_are_not_downloaded(client, demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        hidden_notes = con.execute(
            "SELECT count(*) FROM reports WHERE county_code = '09' AND NOT publishable "
            "AND (handled_in IS NOT NULL OR forwarded_to IS NOT NULL)"
        ).fetchone()[0]
    assert hidden_notes > 10
    _, rows = read_csv(client.get("/download/reports.csv?county=09"))
    hidden = [r for r in rows if r["Julkaistava"] == "ei"]
    assert len(hidden) == 51
    assert all(r["Käsitelty"] == r["Välitetty"] == r["Toimenpide"] == "" for r in hidden)
    assert any(r["Välitetty"] for r in rows if r["Julkaistava"] == "kyllä")
    assert all(r["Seurannan tila"] for r in hidden)  # the status is not a text: it stays


def test_a_download_over_the_row_cap_is_refused_with_a_message(client, monkeypatch):
    from queries import reports

    monkeypatch.setattr(reports, "MAX_ROWS", 100)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/download/reports.{fmt}?lang=sv")
        assert response.status_code == 413
        assert "högst 100" in response.get_data(as_text=True)
    assert client.get(f"/download/reports.csv?{AUTUMN}").status_code == 200


@pytest.mark.parametrize("year", ["²", "2023²", "２０２３", "١٩٩٩", "abc"])
def test_a_year_that_is_not_ascii_digits_is_refused_with_a_reason(year):
    from dashboard.core.filters import parse_year

    assert parse_year(year) is None
    assert parse_year("2023") == 2023 and parse_year(" 2023 ") == 2023


def test_superscript_years_in_the_indicator_downloads_get_400(client):
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/download/indicators.{fmt}?year=%C2%B2")
        assert response.status_code == 400 and "Tuntematon arvo year=² ohitettiin." in response.get_data(as_text=True)


def test_the_writers_neutralise_text_and_leave_numbers_alone():
    from dashboard.export.tables import Sheet, csv_bytes, xlsx_bytes

    values = ["\t=1+1", "\r=1+1", "=A1", "-", -3, 2.5, "tavallinen", "väli\x01merkki"]
    rows = list(
        csv.reader(
            io.StringIO(csv_bytes(["a"] * len(values), [values], "fi").decode("utf-8-sig"), newline=""), delimiter=";"
        )
    )
    assert rows[1] == ["'\t=1+1", "'\r=1+1", "'=A1", "'-", "-3", "2,5", "tavallinen", "välimerkki"]
    book = load_workbook(
        io.BytesIO(xlsx_bytes([Sheet("=Kaava", ["=otsikko"] * len(values), [values])], [("=x", "@y")], "Tiedot"))
    )
    cells = list(book.worksheets[0].iter_rows(min_row=2, values_only=False))[0]
    assert [c.value for c in cells] == ["\t=1+1", "\r=1+1", "=A1", "-", -3, 2.5, "tavallinen", "välimerkki"]
    assert [c.data_type for c in cells] == ["s", "s", "s", "s", "n", "n", "s", "s"]
    assert book.worksheets[0]["A1"].value == "=otsikko" and book.worksheets[0]["A1"].data_type == "s"
    assert book.worksheets[1]["A1"].data_type == "s" and book.worksheets[1]["B1"].value == "@y"
