"""The download routes, read back with real readers (csv, openpyxl)."""

import csv
import io

import pytest
from openpyxl import load_workbook

AUTUMN = "county=09&from=2024-09-01&to=2024-12-31"


@pytest.fixture()
def client(app_env):
    from dashboard.web.app_factory import create_app
    from queries import access

    access.reset()
    app = create_app()
    return app.server.test_client()


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
    types = {r["Arvo"]: (r["Raportteja"], r["Osuus raporteista"]) for r in rows if r["Luokittelu"] == "Havaintojen tyypit"}
    assert types["Kielteinen"] == ("31", "0,775")
    workbook = load_workbook(io.BytesIO(client.get(f"/download/summary.xlsx?{AUTUMN}").data))
    assert workbook.worksheets[0].max_row == len(rows) + 1


@pytest.mark.parametrize("query", [
    "county=99",
    "county=09%27%20OR%20%271%27%3D%271",
    "from=2024-12-31&to=2024-01-01",
    "theme=" + "&theme=".join(["housing"] * 1000),
    "from=not-a-date",
])
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


def test_missing_database_is_a_clear_503_not_a_crash(tmp_path, monkeypatch):
    from dashboard.web.app_factory import create_app
    from queries import access

    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "none.duckdb"))
    access.reset()
    client = create_app().server.test_client()  # importing and building the app opens nothing
    assert client.get("/").status_code == 200
    response = client.get("/download/reports.csv")
    assert response.status_code == 503
    assert "build-demo" in response.get_data(as_text=True)
    access.reset()
