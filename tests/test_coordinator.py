"""The coordinator's pages behind the login, with Flask's test client."""

from __future__ import annotations

import io

import duckdb
import pytest
from openpyxl import load_workbook

CSV = ("raportin_tunniste;pvm;palvelutehtava;alue;kohderyhma;teema;havainnon_tyyppi;havainto;julkaistava\n"
       "U-1;2.1.2026;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;Asuminen;kielteinen;Testi;kyllä\n"
       "U-2;32.1.2026;Työikäisten sosiaalipalvelut;Lahtti;Työikäiset;;kielteinen;Testi;kyllä\n").encode()


@pytest.fixture()
def db(db_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_COORDINATOR_PASSWORD", "oikea-salasana")
    return db_copy


@pytest.fixture()
def client(db):
    from dashboard.web.app_factory import create_app

    return create_app().server.test_client()


def login(client, password="oikea-salasana"):
    return client.post("/login", data={"user": "anna", "password": password, "next": "/coordinator"})


def test_coordinator_pages_need_a_login(client):
    response = client.get("/coordinator")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/coordinator/upload").status_code == 302
    assert client.get("/coordinator/followup.xlsx").status_code == 302
    assert login(client, "väärä").status_code == 401
    assert login(client).status_code == 302
    assert client.get("/coordinator").status_code == 200


def test_leadership_views_are_open_by_default_and_closable(client, monkeypatch):
    assert client.get("/").status_code == 200
    assert client.get("/download/reports.csv?county=09").status_code == 200
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    assert client.get("/").status_code == 302
    assert client.get("/download/reports.csv?county=09").status_code == 401
    login(client)
    assert client.get("/download/reports.csv?county=09").status_code == 200


def test_open_redirect_is_refused(client):
    response = client.post("/login", data={"user": "a", "password": "oikea-salasana", "next": "//evil.example/"})
    assert response.headers["Location"] == "/coordinator"


def test_upload_reports_loaded_and_rejected(client, db):
    login(client)
    response = client.post("/coordinator/upload", data={"file": (io.BytesIO(CSV), "syksy.csv"), "county": "09"},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "syksy.csv: 2 riviä luettu: 1 tuotu, 1 hylätty." in page
    assert "virheellinen päivämäärä: 32.1.2026" in page
    link = page.split('id="rejected-link" href="')[1].split('"')[0]
    rejected = client.get(link).data.decode("utf-8-sig")
    assert rejected.splitlines()[1].startswith("3;")
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reports WHERE report_id = 'U-1'").fetchone()[0] == 1
        assert con.execute("SELECT loaded_by, rows_read, rows_loaded, rows_rejected FROM loads "
                           "ORDER BY load_id DESC LIMIT 1").fetchone() == ("anna", 2, 1, 1)


def test_unreadable_upload_changes_nothing(client, db):
    login(client)
    before = db.read_bytes()
    response = client.post("/coordinator/upload", data={"file": (io.BytesIO(b""), "tyhja.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Tietokantaa ei muutettu" in response.get_data(as_text=True)
    assert db.read_bytes() == before


def test_followup_round_trip_through_the_pages(client, db):
    login(client)
    book = load_workbook(io.BytesIO(client.get("/coordinator/followup.xlsx").data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    report_id = sheet.cell(row=2, column=header.index("raportin_tunniste") + 1).value
    sheet.cell(row=2, column=header.index("seurannan_tila") + 1, value="päättynyt")
    sheet.cell(row=2, column=header.index("valitetty") + 1, value="Lahden kaupungin HYTE-ryhmä")
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post("/coordinator/followup", data={"file": (io.BytesIO(buffer.getvalue()), "seuranta.xlsx")},
                           content_type="multipart/form-data")
    assert "0 hylätty" in response.get_data(as_text=True)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT followup_status, forwarded_to FROM reports WHERE report_id = $i",
                           {"i": report_id}).fetchone() == ("closed", "Lahden kaupungin HYTE-ryhmä")


def test_htpasswd_users(client, tmp_path, monkeypatch):
    import bcrypt

    monkeypatch.delenv("DASHBOARD_COORDINATOR_PASSWORD")
    hashed = bcrypt.hashpw(b"kissa123", bcrypt.gensalt(rounds=4)).decode().replace("$2b$", "$2y$")
    (tmp_path / "htpasswd").write_text(f"ville:{hashed}\nsha:{{SHA}}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n")
    monkeypatch.setenv("DASHBOARD_HTPASSWD", str(tmp_path / "htpasswd"))
    assert client.post("/login", data={"user": "ville", "password": "kissa123"}).status_code == 302
    assert client.post("/login", data={"user": "ville", "password": "koira"}).status_code == 401
    assert client.post("/login", data={"user": "sha", "password": "password"}).status_code == 302
