"""The coordinator's pages behind the login, with Flask's test client."""

from __future__ import annotations

import csv
import io
import re

import duckdb
import pytest
from openpyxl import Workbook, load_workbook

CSV = (
    "raportin_tunniste;pvm;palvelutehtava;alue;kohderyhma;teema;havainnon_tyyppi;havainto;julkaistava\n"
    "U-1;2.1.2026;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;Asuminen;kielteinen;Testi;kyllä\n"
    'U-2;32.1.2026;Työikäisten sosiaalipalvelut;Lahtti;Nuoret;;kielteinen;=HYPERLINK("http://x");kyllä\n'
).encode()


PASSWORD = "oikea-salasana"


@pytest.fixture()
def db(db_copy):
    return db_copy


@pytest.fixture()
def app_db(db):
    return db


@pytest.fixture()
def app_settings():
    return {"DASHBOARD_COORDINATOR_PASSWORD": PASSWORD}


def token(client, path="/login") -> str:
    """The CSRF token of the form on ``path``, as a browser would read it."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert found, path
    return found[1]


def login(client, password=PASSWORD, user="anna", next_="/coordinator"):
    return client.post("/login", data={"user": user, "password": password, "next": next_, "csrf_token": token(client)})


def upload(client, path, data: bytes, name: str, **fields):
    fields = {"csrf_token": token(client, "/coordinator"), **fields, "file": (io.BytesIO(data), name)}
    return client.post(path, data=fields, content_type="multipart/form-data")


def test_coordinator_pages_need_a_login(client):
    response = client.get("/coordinator?lang=sv")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fcoordinator%3Flang%3Dsv&lang=sv"
    assert client.post("/coordinator/upload").status_code == 401
    assert client.get("/coordinator/followup.xlsx").status_code == 302
    assert login(client, "väärä").status_code == 401
    response = login(client)
    assert response.status_code == 302 and response.headers["Location"] == "/coordinator"
    assert client.get("/coordinator").status_code == 200


def test_leadership_views_are_open_by_default_and_closable(client, monkeypatch):
    assert client.get("/").status_code == 200
    assert client.get("/download/reports.csv?county=09").status_code == 200
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    assert client.get("/").status_code == 302
    assert client.get("/download/reports.csv?county=09").status_code == 401
    login(client)
    assert client.get("/download/reports.csv?county=09").status_code == 200


def test_logout_is_a_form_that_ends_the_session(client):
    login(client)
    page = client.get("/coordinator").get_data(as_text=True)
    assert '<form method="post" action="/logout"' in page
    client.get("/logout")  # a link (or an image on another site) cannot log anyone out
    assert client.get("/coordinator").status_code == 200
    response = client.post("/logout", data={"csrf_token": token(client, "/coordinator"), "lang": "sv"})
    assert response.status_code == 302 and response.headers["Location"] == "/?lang=sv"
    assert client.get("/coordinator").status_code == 302


def test_the_login_and_coordinator_pages_speak_the_language_the_user_came_with(client):
    page = client.get("/login?next=%2Fcoordinator%3Flang%3Dsv&lang=sv").get_data(as_text=True)
    assert '<html lang="sv">' in page and "Lösenord" in page
    switch = re.findall(r'<a class="lang-link[^"]*" href="([^"]+)" lang="(\w\w)"', page)
    assert switch == [
        ("/login?next=%2Fcoordinator%3Flang%3Dsv", "fi"),
        ("/login?next=%2Fcoordinator%3Flang%3Dsv&amp;lang=sv", "sv"),
        ("/login?next=%2Fcoordinator%3Flang%3Dsv&amp;lang=en", "en"),
    ]
    # Logging in from the English login page leads to the English coordinator page.
    response = client.post(
        "/login?lang=en",
        data={"password": PASSWORD, "next": "/coordinator?lang=sv", "lang": "en", "csrf_token": token(client)},
    )
    assert response.headers["Location"] == "/coordinator?lang=en"
    page = client.get("/coordinator?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page and "Import the reports" in page
    assert 'action="/coordinator/upload?lang=en"' in page
    assert re.search(r'href="/reports\?lang=en"', page)


def test_upload_reports_loaded_and_rejected_with_suggestions(client, db):
    login(client)
    response = upload(client, "/coordinator/upload", CSV, "syksy.csv", county="09")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "syksy.csv: 2 riviä luettu: 1 tuotu, 1 hylätty." in page
    assert "virheellinen päivämäärä: 32.1.2026" in page
    assert "tuntematon alue: Lahtti (tarkoititko: Lahti?)" in page
    assert "tuntematon kohderyhmä: Nuoret (tarkoititko: Lapset, nuoret ja perheet?)" in page
    link = page.split('id="rejected-link" href="')[1].split('"')[0]
    assert link.endswith(".csv")
    response = client.get(link)
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "3"
    assert rows[1][-2] == '\'=HYPERLINK("http://x")'  # the rejected row cannot run as a formula either
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reports WHERE report_id = 'U-1'").fetchone()[0] == 1
        assert con.execute(
            "SELECT loaded_by, rows_read, rows_loaded, rows_rejected FROM loads ORDER BY load_id DESC LIMIT 1"
        ).fetchone() == ("anna", 2, 1, 1)


def test_an_xlsx_upload_gets_its_rejected_rows_back_as_xlsx(client):
    login(client)
    book = Workbook()
    for line in CSV.decode().splitlines():
        book.active.append(line.split(";"))
    book.active["H3"].data_type = "s"  # the text '=HYPERLINK(...)', as a form tool exports it, not a formula
    buffer = io.BytesIO()
    book.save(buffer)
    page = upload(client, "/coordinator/upload", buffer.getvalue(), "syksy.xlsx", county="09").get_data(as_text=True)
    assert "Lataa hylätyt rivit korjattavaksi (Excel)" in page
    link = page.split('id="rejected-link" href="')[1].split('"')[0]
    response = client.get(link)
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["rivi", "virheet", "raportin_tunniste"]
    row = {h: c for h, c in zip(header, sheet[2])}
    assert row["rivi"].value == 3 and row["raportin_tunniste"].value == "U-2"
    assert row["havainto"].value == '=HYPERLINK("http://x")' and row["havainto"].data_type == "s"


def test_unreadable_upload_changes_nothing(client, db):
    login(client)
    before = db.read_bytes()
    response = upload(client, "/coordinator/upload", b"", "tyhja.csv")
    assert response.status_code == 400
    assert "Tietokantaa ei muutettu" in response.get_data(as_text=True)
    assert db.read_bytes() == before


def test_followup_round_trip_says_what_changed(client, db):
    login(client)
    book = load_workbook(io.BytesIO(client.get("/coordinator/followup.xlsx").data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert {"hyvinvointialue", "nosto"} <= set(header)
    report_id = sheet.cell(row=2, column=header.index("raportin_tunniste") + 1).value
    sheet.cell(row=2, column=header.index("seurannan_tila") + 1, value="päättynyt")
    sheet.cell(row=2, column=header.index("valitetty") + 1, value="Lahden kaupungin HYTE-ryhmä")
    sheet.cell(row=3, column=header.index("valitetty") + 1, value="Sosiaalihuollon johtoryhmä")
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, "/coordinator/followup", buffer.getvalue(), "seuranta.xlsx")
    page = response.get_data(as_text=True)
    assert "0 hylätty" in page
    assert re.search(r'id="followup-changes">Muuttui: Seurannan tila 1, Välitetty 2\.<', page), page
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(
            "SELECT followup_status, forwarded_to FROM reports WHERE report_id = $i", {"i": report_id}
        ).fetchone() == ("closed", "Lahden kaupungin HYTE-ryhmä")
    # The same file again changes nothing, and says so.
    page = upload(client, "/coordinator/followup", buffer.getvalue(), "seuranta.xlsx").get_data(as_text=True)
    assert "ei muuttanut yhdenkään raportin seurantatietoja" in page


def test_htpasswd_users(client, tmp_path, monkeypatch):
    import bcrypt

    monkeypatch.delenv("DASHBOARD_COORDINATOR_PASSWORD")
    hashed = bcrypt.hashpw(b"kissa123", bcrypt.gensalt(rounds=4)).decode().replace("$2b$", "$2y$")
    (tmp_path / "htpasswd").write_text(f"ville:{hashed}\nsha:{{SHA}}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n")
    monkeypatch.setenv("DASHBOARD_HTPASSWD", str(tmp_path / "htpasswd"))
    assert login(client, "koira", user="ville").status_code == 401
    assert login(client, "kissa123", user="ville").status_code == 302
    assert client.get("/coordinator").status_code == 200
    # Removing the user from the file ends the session at once.
    (tmp_path / "htpasswd").write_text("sha:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n")
    assert client.get("/coordinator").status_code == 302
    assert login(client, "password", user="sha").status_code == 401  # unsalted SHA-1 is refused (test_sessions.py)


def test_changing_the_password_ends_the_sessions(client, monkeypatch):
    login(client)
    assert client.get("/coordinator").status_code == 200
    monkeypatch.setenv("DASHBOARD_COORDINATOR_PASSWORD", "uusi-salasana")
    assert client.get("/coordinator").status_code == 302


def test_template_has_drop_down_lists_of_the_valid_names(client):
    book = load_workbook(io.BytesIO(client.get("/download/template.xlsx").data))
    sheet = book["Raportit"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["raportin_tunniste", "pvm", "hyvinvointialue"]
    lists = book["Listat"]
    assert lists.sheet_state == "hidden"
    named = {
        lists.cell(row=1, column=c).value: [
            lists.cell(row=r, column=c).value for r in range(2, lists.max_row + 1) if lists.cell(row=r, column=c).value
        ]
        for c in range(1, lists.max_column + 1)
    }
    assert named["kohderyhma"][:2] == ["Työikäiset", "Lapset, nuoret ja perheet"]
    assert named["havainnon_tyyppi"] == ["Kielteinen", "Myönteinen", "Neutraali"]
    assert named["julkaistava"] == named["nosto"] == ["kyllä", "ei"]
    assert named["alue"][:2] == ["Koko hyvinvointialue", "Valtakunnallinen ilmiö"] and "Lahti" in named["alue"]
    assert {"Asuminen", "Sosiaalinen syrjäytyminen"} <= set(named["teema"])
    validations = {str(v.sqref).split(":")[0].rstrip("0123456789"): v for v in sheet.data_validations.dataValidation}
    for column in ("alue", "kohderyhma", "teema", "havainnon_tyyppi", "julkaistava", "nosto"):
        letter = chr(ord("A") + header.index(column))
        validation = validations[letter]
        assert validation.type == "list"
        list_column = chr(ord("A") + list(named).index(column))
        assert validation.formula1 == f"'Listat'!${list_column}$2:${list_column}${len(named[column]) + 1}"
        # Several areas, groups or themes go in one cell, so there the list only suggests.
        assert bool(validation.showErrorMessage) == (column not in ("alue", "kohderyhma", "teema"))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_name_on_the_template_lists_imports(client, db, lang):
    from dashboard.imports.reports import NO, YES, Resolver, norm

    book = load_workbook(io.BytesIO(client.get(f"/download/template.xlsx?lang={lang}").data))
    lists = book.worksheets[1]
    dimensions = {
        "hyvinvointialue": "county",
        "palvelutehtava": "service_unit",
        "kohderyhma": "target_group",
        "teema": "theme",
        "havainnon_tyyppi": "observation_type",
        "seurannan_tila": "followup_status",
    }
    with duckdb.connect(str(db), read_only=True) as con:
        resolver = Resolver.from_database(con)
    checked = 0
    for column in lists.iter_cols(values_only=True):
        name, values = column[0], [v for v in column[1:] if v]
        for value in values:
            if name in dimensions:
                assert resolver.one(dimensions[name], value), (name, value)
            elif name == "alue":
                assert resolver.area(value, "09"), value
            else:
                assert norm(value) in YES | NO, value
            checked += 1
    assert checked > 60
