"""The reporting form (/report) with Flask's test client: the form and its choices, errors
beside their fields with the text kept, the privacy warning, durable and idempotent
submissions, the receipt, access modes, limits and hostile input."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import bcrypt
import duckdb
import pytest
from openpyxl import load_workbook

from dashboard.analysis.workspace import Workspace, workspace_path
from dashboard.reporting import intake, links, tokens
from queries.db import write_new_version

from .support import run_cli

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date.today()
GOOD = {
    "pvm": TODAY.isoformat(),
    "palvelutehtava": "family_services",
    "alue": ["398", "111"],  # Lahti, Heinola
    "kohderyhma": ["children_families"],
    "havainnon_tyyppi": "negative",
    "havainto": "Vauvaperheiden tuen tarve on kasvanut, ja kotipalveluun jonotetaan kuukausia.",
    "asiakkaan_aani": "Apua saa vasta, kun on jo liian myöhä.",
    "ratkaisuehdotus": "Lisää kotipalvelun resursseja ja matalan kynnyksen tukea.",
}


@pytest.fixture()
def db(db_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REPORT_INTAKE_SECONDS", "0")  # the tests move submissions themselves
    for name in ("DASHBOARD_REPORT_ACCESS", "DASHBOARD_REPORT_COUNTY", "DASHBOARD_REPORT_RATE"):
        monkeypatch.delenv(name, raising=False)
    return db_copy


@pytest.fixture()
def app_db(db):
    """``client`` (the shared fixture) serves this test's own copy of the demo."""
    return db


def store_of(db) -> Workspace:
    return Workspace(workspace_path(db))


def form_of(client, url="/report?county=09"):
    """The form page: (html, its csrf token, its form id)."""
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    html = response.get_data(as_text=True)
    return html, hidden(html, "csrf_token"), hidden(html, "form_id")


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*? value="([^"]*)"', html)
    assert found, name
    return found[1]


def send(client, url="/report?county=09", form_id=None, csrf=None, headers=None, **fields):
    if csrf is None or form_id is None:
        _html, page_csrf, page_form = form_of(client, url)
        csrf = page_csrf if csrf is None else csrf
        form_id = page_form if form_id is None else form_id
    data = {"csrf_token": csrf, "form_id": form_id, **GOOD, **fields}
    return client.post(url, data={k: v for k, v in data.items() if v is not None}, headers=headers or {})


def receipt_path(html: str) -> str:
    found = re.search(r'id="receipt-open" href="(/report/receipt/[A-Za-z0-9_-]{43})', html)
    assert found, html[:2000]
    return found[1]


def field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="(\w+)-error"><span[^>]*>[^<]*</span>([^<]*)</p>', html))


# ---- the form --------------------------------------------------------------------------------


def test_the_demo_form_is_open_and_asks_the_county_first(client):
    page = client.get("/report").get_data(as_text=True)
    assert 'id="county-form"' in page and "demon avoin lomake" in page
    assert '<option value="09">Päijät-Häme</option>' in page
    html, _, form_id = form_of(client)
    assert tokens.valid(form_id)
    assert "Tämä on demon avoin lomake" in html  # said on the page
    # The county's own municipalities, the whole county and a national phenomenon; no other county's.
    areas = re.findall(r'name="alue" id="alue-\d+" value="([^"]+)"', html)
    assert areas[:2] == ["09", "national"] and {"398", "111", "016"} <= set(areas) and "205" not in areas
    labels = re.findall(r'<label class="form-check-label" for="alue-\d+">([^<]+)</label>', html)
    assert labels[:3] == ["Koko hyvinvointialue", "Valtakunnallinen ilmiö", "Asikkala"]
    # The date defaults to today, as a Finnish-format text a reporter types (a native date input
    # would follow the browser's locale: 12/01/2026 in a US browser).
    assert f'type="text" id="pvm" name="pvm" value="{TODAY.day}.{TODAY.month}.{TODAY.year}"' in html
    assert "Älä kirjoita mitään, mistä asiakkaan voi tunnistaa" in html
    for name in ("pvm", "palvelutehtava", "havainto", "asiakkaan_aani", "ratkaisuehdotus"):
        assert re.search(rf'<label class="form-label fw-semibold" for="{name}">', html), name
    assert "<script>" not in html and 'src="/assets/report.js"' in html  # no inline script: the CSP holds


def test_swedish_labels_and_choices_come_from_the_code_tables(client, db):
    html = client.get("/report?county=09&lang=sv").get_data(as_text=True)
    assert '<html lang="sv">' in html and "Barn, unga och familjer" in html and "Hela välfärdsområdet" in html
    assert "Rapportera en observation" in html
    # A county's own theme shows up on the form without a line of code.
    write_new_version(
        db,
        lambda con: con.execute(
            "INSERT INTO themes VALUES ('school_meals', 'Kouluruokailu', 'Skolmåltider', 'School meals', 99, '', '', '')"
        ),
    )
    html = client.get("/report?county=09&lang=sv").get_data(as_text=True)
    assert re.search(r'value="school_meals"[^>]*>\s*<label[^>]*>Skolmåltider</label>', html)


def test_an_error_is_beside_its_field_and_what_was_typed_is_kept(client, db):
    response = send(client, havainto="   ", kohderyhma=None, pvm="31.2.2025")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = field_errors(html)
    assert errors == {
        "pvm": "Anna päivämäärä, esim. 1.9.2024.",
        "kohderyhma": "Valitse vähintään yksi.",
        "havainto": "Täytä tämä kohta.",
    }
    assert re.search(r'<textarea[^>]*id="havainto"[^>]*aria-invalid="true"', html)
    assert 'aria-describedby="havainto-help havainto-error"' in html
    assert "Apua saa vasta, kun on jo liian myöhä.</textarea>" in html  # the other texts kept
    assert re.search(r'value="398" checked', html) and re.search(r'value="family_services" selected', html)
    assert 'value="31.2.2025"' in html
    assert '<a href="#havainto">Havainto: Täytä tämä kohta.</a>' in html  # the summary links to the field
    assert "<title>Virhe: Raportoi havainto" in html
    assert store_of(db).submission_count() == 0
    # The same in Swedish.
    html = send(client, "/report?county=09&lang=sv", havainto="").get_data(as_text=True)
    assert field_errors(html) == {"havainto": "Fyll i det här fältet."}


def test_the_import_checks_the_form_choices_and_lengths(client, db):
    long = "ä" * 20_001
    html = send(client, havainto=long, alue=["205"], palvelutehtava="nope", havainnon_tyyppi="x").get_data(as_text=True)
    errors = field_errors(html)
    assert errors["havainto"] == "Teksti on liian pitkä: 20\u00a0001 merkkiä, enintään 20\u00a0000. Lyhennä sitä."
    assert (
        errors["alue"] == errors["palvelutehtava"] == errors["havainnon_tyyppi"] == "Valitse lomakkeen vaihtoehdoista."
    )
    assert long + "</textarea>" in html  # kept, not cut
    html = send(client, pvm=(TODAY + dt.timedelta(days=5)).isoformat()).get_data(as_text=True)
    assert field_errors(html) == {"pvm": "Päivämäärä voi olla vuoden 2000 alusta tähän päivään."}
    assert store_of(db).submission_count() == 0


# ---- storing ---------------------------------------------------------------------------------------


def test_a_sent_report_is_committed_before_the_thanks_and_gets_a_private_receipt(client, db):
    response = send(client)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Kiitos! Raporttisi on tallennettu." in html and response.headers["Cache-Control"] == "no-store"
    path = receipt_path(html)
    token = path.rsplit("/", 1)[1]
    assert f'value="http://localhost{path}"' in html and f'href="{path}/kuitti.txt"' in html
    # Another process sees it at once: committed before the page was made.
    script = (
        "import sqlite3, sys; con = sqlite3.connect(sys.argv[1]);"
        'print(con.execute("SELECT count(*), max(county), max(receipt_hash) FROM submissions").fetchone())'
    )
    seen = subprocess.run([sys.executable, "-c", script, str(workspace_path(db))], capture_output=True, text=True)
    assert seen.stdout.strip() == str((1, "09", hashlib.sha256(token.encode()).hexdigest()))
    # Only the token's hash is kept: the token is nowhere in the workspace's files.
    for file in workspace_path(db).parent.glob(workspace_path(db).name + "*"):
        assert token.encode() not in file.read_bytes()
    (sub,) = store_of(db).pending_submissions()
    assert sub.payload["row"]["havainto"] == GOOD["havainto"] and sub.payload["row"]["julkaistava"] == "ei"
    assert sub.payload["row"]["alue"] == "398;111" and sub.payload["meta"]["via"] == "open"


def test_a_double_click_or_a_replay_is_one_report_and_shows_the_same_receipt(client, db):
    _html, csrf, form_id = form_of(client)
    first = send(client, form_id=form_id, csrf=csrf).get_data(as_text=True)
    again = send(client, form_id=form_id, csrf=csrf, havainto="Toinen teksti").get_data(as_text=True)
    assert receipt_path(first) == receipt_path(again)
    assert "Tämä raportti oli jo lähetetty" in again
    assert store_of(db).submission_count() == 1
    assert store_of(db).pending_submissions()[0].payload["row"]["havainto"] == GOOD["havainto"]
    # A new form load is a new report.
    send(client)
    assert store_of(db).submission_count() == 2


def test_a_submission_that_cannot_be_stored_says_so_and_keeps_the_text(client, db):
    workspace_path(db).mkdir()  # the workspace file cannot be opened: a real failure, not a stub
    response = send(client, havainto="Tämä teksti ei saa kadota.")
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    html = response.get_data(as_text=True)
    assert "Raporttia ei voitu tallentaa juuri nyt" in html
    assert "Tämä teksti ei saa kadota.</textarea>" in html
    form_id = hidden(html, "form_id")
    workspace_path(db).rmdir()
    html = send(client, form_id=form_id, havainto="Tämä teksti ei saa kadota.").get_data(as_text=True)
    assert "Kiitos!" in html and store_of(db).submission_count() == 1


def test_csrf_is_needed_and_an_expired_form_keeps_its_text(client, db):
    _html, _csrf, form_id = form_of(client)
    response = client.post("/report?county=09", data={**GOOD, "form_id": form_id})
    assert response.status_code == 400 and GOOD["havainto"] not in response.get_data(as_text=True)
    # Left open overnight (its token is no longer valid), sent from the form's own page: shown again.
    own = {"Origin": "http://localhost"}
    response = send(client, csrf="vanhentunut", form_id=form_id, headers=own)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "istunto vanheni" in html and GOOD["havainto"] + "</textarea>" in html
    assert hidden(html, "form_id") == form_id  # the same form: sending it again is still one report
    # The same post from another site only gets the refusal: it cannot put text into a victim's form.
    response = send(client, csrf="vanhentunut", form_id=form_id, headers={"Origin": "http://evil.example"})
    assert response.status_code == 400 and GOOD["havainto"] not in response.get_data(as_text=True)
    assert store_of(db).submission_count() == 0


# ---- privacy --------------------------------------------------------------------------------------


def test_the_privacy_screen_warns_in_place_and_asks_for_a_confirmation(client, db):
    text = "Asiakas Matti Virtanen (131052-308T) soitti numerosta 040 123 4567."
    _html, csrf, form_id = form_of(client)
    response = send(client, form_id=form_id, csrf=csrf, havainto=text)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    box = html.split('id="havainto-privacy"')[1].split("</div>")[0]
    assert "henkilötunnus: ”131052-308T”" in box and "puhelinnumero: ”040 123 4567”" in box
    assert "mahdollinen nimi: ”Virtanen”" in box
    assert text + "</textarea>" in html and "Poista ne, tai jos kyse ei ole tunnistetiedoista" in html
    digest = hidden(html, "privacy_ack")
    assert store_of(db).submission_count() == 0
    # A confirmation of other findings does not count: the text changed since.
    html = send(client, form_id=form_id, csrf=csrf, havainto=text + " Sähköposti maija@example.fi.",
                privacy_ack=digest).get_data(as_text=True)  # fmt: skip
    assert "sähköpostiosoite: ”maija@example.fi”" in html and store_of(db).submission_count() == 0
    html = send(client, form_id=form_id, csrf=csrf, havainto=text, privacy_ack=digest).get_data(as_text=True)
    assert "Kiitos!" in html and "Vahvistit, ettei teksteissä ole" in html
    assert store_of(db).pending_submissions()[0].payload["meta"]["privacy_warnings"] == 4


def test_the_live_privacy_screen_answers_the_forms_script(client):
    _html, csrf, _ = form_of(client)
    data = {"havainto": "Soita 040 123 4567", "asiakkaan_aani": "", "ratkaisuehdotus": "", "county": "09"}
    assert client.post("/report/screen", data=data).status_code == 400  # CSRF like every POST
    response = client.post("/report/screen", data=data, headers={"X-CSRFToken": csrf})
    result = response.get_json()
    assert result["warnings"]["havainto"] == [
        {"kind": "phone", "text": "040 123 4567", "message": "puhelinnumero: ”040 123 4567”"}
    ]
    assert result["digest"] and result["warnings"]["asiakkaan_aani"] == []


# ---- hostile input ------------------------------------------------------------------------------


def test_hostile_text_is_stored_inert(client, db, monkeypatch):
    text = '<script>alert(1)</script>\x00\x07 =HYPERLINK("http://x") \u202eevil\ufffe\r\nrivi'
    html = send(client, havainto=text, asiakkaan_aani="+SUM(A1)", ratkaisuehdotus="@cmd").get_data(as_text=True)
    assert "Kiitos!" in html
    row = store_of(db).pending_submissions()[0].payload["row"]
    assert row["havainto"] == '<script>alert(1)</script> =HYPERLINK("http://x") evil\nrivi'
    intake.move_pending(db, store_of(db))
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute(
            "SELECT observation, client_voice, proposal, publishable FROM reports WHERE report_id LIKE 'lomake-%'"
        ).fetchone()
    assert stored == ('<script>alert(1)</script> =HYPERLINK("http://x") evil\nrivi', "+SUM(A1)", "@cmd", False)
    # Shown back as text, never as markup.
    page = send(client, havainto=text).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    # The coordinator's follow-up sheet holds it as text, not as a formula.
    monkeypatch.setenv("DASHBOARD_COORDINATOR_PASSWORD", "salasana")
    login = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"password": "salasana", "csrf_token": hidden(login, "csrf_token")})
    sheet = load_workbook(io.BytesIO(client.get("/coordinator/followup.xlsx").data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    cells = [
        r for r in sheet.iter_rows(min_row=2) if str(r[header.index("raportin_tunniste")].value).startswith("lomake-")
    ]
    assert cells[0][header.index("asiakkaan_aani")].value == "+SUM(A1)"
    assert cells[0][header.index("asiakkaan_aani")].data_type == "s"


def test_a_huge_body_is_refused_with_a_message_and_nothing_is_stored(client, db):
    response = send(client, havainto="x" * 600_000)
    assert response.status_code == 413
    assert "Raportti on liian suuri (yli 512 kt)" in response.get_data(as_text=True)
    assert store_of(db).submission_count() == 0


def test_forged_form_ids_and_receipt_tokens(client, db, monkeypatch):
    html = send(client, form_id="../../etc/passwd").get_data(as_text=True)
    assert "Lomakkeesta puuttui sen tunniste" in html and GOOD["havainto"] + "</textarea>" in html
    assert store_of(db).submission_count() == 0
    path = receipt_path(send(client).get_data(as_text=True))
    assert client.get(path).status_code == 200
    for forged in ("A" * 43, path[-43:-1] + "x", "abc", "%00", path[-43:] + "x"):
        response = client.get("/report/receipt/" + forged)
        assert response.status_code == 404 and "Tällä linkillä ei löydy raporttia" in response.get_data(as_text=True)
    for _ in range(20):
        client.get("/report/receipt/" + "B" * 43)
    response = client.get(path)  # throttled now, even the right link, for this address
    assert response.status_code == 429 and response.headers["Retry-After"] == "900"
    other = client.get(path, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


def test_sending_is_limited_per_address_and_per_unit_link(client, db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REPORT_RATE", "2 per minute")
    assert send(client).status_code == 200 and send(client).status_code == 200
    response = send(client, havainto="Kolmas raportti")
    assert response.status_code == 429 and "Kolmas raportti</textarea>" in response.get_data(as_text=True)
    assert send(client, headers=None).status_code == 429
    assert store_of(db).submission_count() == 2
    # Per unit link: other addresses with the same link share its count.
    monkeypatch.setenv("DASHBOARD_REPORT_ACCESS", "link")
    _, token = links.issue(store_of(db), "09", None, "Perhepalvelut", "testi")
    for i, address in enumerate(("10.0.0.1", "10.0.0.2", "10.0.0.3")):
        client.environ_base["REMOTE_ADDR"] = address
        client.get(f"/report/u/{token}")
        status = send(client, "/report").status_code
        assert status == (200 if i < 2 else 429), (address, status)


# ---- access modes -----------------------------------------------------------------------------------


def test_closed_by_default_on_real_data_and_when_configured(client, db, monkeypatch):
    write_new_version(db, lambda con: con.execute("UPDATE loads SET synthetic = FALSE"))
    response = client.get("/report?county=09")
    assert response.status_code == 403 and "DASHBOARD_REPORT_ACCESS" in response.get_data(as_text=True)
    monkeypatch.setenv("DASHBOARD_REPORT_ACCESS", "open")
    html = client.get("/report?county=09").get_data(as_text=True)
    assert "Lomake on avoin: kuka tahansa" in html and "demo" not in html.split('id="report-access"')[1][:200]
    monkeypatch.setenv("DASHBOARD_REPORT_ACCESS", "closed")
    assert client.get("/report?county=09").status_code == 403
    assert client.post("/report?county=09", data=GOOD).status_code in (400, 403)
    monkeypatch.setenv("DASHBOARD_REPORT_ACCESS", "opne")  # a typo never opens it
    assert client.get("/report?county=09").status_code == 403


def test_the_county_of_a_one_county_installation(client, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REPORT_COUNTY", "20")
    html = client.get("/report").get_data(as_text=True)
    assert "Sosiaalinen raportointi, Kainuu" in html and 'value="205"' in html  # Kajaani


def test_the_reporter_login_is_separate_from_the_coordinators(client, db, monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_REPORT_ACCESS", "login")
    monkeypatch.setenv("DASHBOARD_REPORTER_PASSWORD", "raportoija-salasana")
    monkeypatch.setenv("DASHBOARD_COORDINATOR_PASSWORD", "koordinaattori")
    response = client.get("/report?county=09")
    assert response.status_code == 302 and response.headers["Location"].startswith("/report/login?next=")
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"password": "koordinaattori", "csrf_token": hidden(page, "csrf_token")})
    assert client.get("/coordinator").status_code == 200
    assert client.get("/report?county=09").status_code == 302  # a coordinator is not a reporter
    page = client.get("/report/login").get_data(as_text=True)
    wrong = {"user": "sari", "password": "väärä", "csrf_token": hidden(page, "csrf_token")}
    assert client.post("/report/login", data=wrong).status_code == 401
    right = {**wrong, "password": "raportoija-salasana", "next": "/report?county=09"}
    response = client.post("/report/login", data=right)
    assert response.headers["Location"] == "/report?county=09"
    html = client.get("/report?county=09").get_data(as_text=True)
    assert "Kirjautunut raportoijana: sari." in html and 'id="report-logout"' in html
    assert send(client).status_code == 200
    assert store_of(db).pending_submissions()[0].payload["meta"] == {
        "lang": "fi", "via": "login", "user": "sari", "privacy_warnings": 0,
    }  # fmt: skip
    # A changed password ends the reporter's session.
    monkeypatch.setenv("DASHBOARD_REPORTER_PASSWORD", "uusi")
    assert client.get("/report?county=09").status_code == 302
    # htpasswd users of their own (bcrypt).
    monkeypatch.delenv("DASHBOARD_REPORTER_PASSWORD")
    hashed = bcrypt.hashpw(b"kissa123", bcrypt.gensalt(rounds=4)).decode()
    (tmp_path / "reporters").write_text(f"ville:{hashed}\nsha:{{SHA}}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n")
    monkeypatch.setenv("DASHBOARD_REPORTER_HTPASSWD", str(tmp_path / "reporters"))
    page = client.get("/report/login").get_data(as_text=True)
    token = hidden(page, "csrf_token")
    assert (
        client.post("/report/login", data={"user": "sha", "password": "password", "csrf_token": token}).status_code
        == 401
    )
    assert (
        client.post("/report/login", data={"user": "ville", "password": "kissa123", "csrf_token": token}).status_code
        == 302
    )
    assert client.get("/report?county=09").status_code == 200


def test_failed_reporter_logins_are_throttled(client, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REPORT_ACCESS", "login")
    monkeypatch.setenv("DASHBOARD_REPORTER_PASSWORD", "oikea")
    token = hidden(client.get("/report/login").get_data(as_text=True), "csrf_token")
    for _ in range(10):
        assert client.post("/report/login", data={"password": "x", "csrf_token": token}).status_code == 401
    assert client.post("/report/login", data={"password": "oikea", "csrf_token": token}).status_code == 429


def test_unit_links_open_the_form_for_their_county_and_unit_until_revoked(client, db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REPORT_ACCESS", "link")
    assert client.get("/report?county=09").status_code == 403
    link_id, token = links.issue(store_of(db), "20", "family_services", "Kajaanin lapsiperhepalvelut", "testi")
    assert hashlib.sha256(token.encode()).hexdigest() == store_of(db).report_links()[0]["token_hash"]
    response = client.get(f"/report/u/{token}?lang=sv")
    assert response.status_code == 302 and response.headers["Location"] == "/report?lang=sv"  # the token leaves
    html = client.get("/report?county=09").get_data(as_text=True)  # the link's county wins
    assert "Kajaanin lapsiperhepalvelut" in html and 'value="205"' in html and 'value="398"' not in html
    assert re.search(r'value="family_services" selected', html)
    assert send(client, "/report", alue=["205"]).status_code == 200
    sub = store_of(db).pending_submissions()[0]
    assert sub.county == "20" and sub.payload["meta"]["link"] == link_id
    assert store_of(db).report_links()[0]["submissions"] == 1
    assert links.revoke(store_of(db), link_id, "testi")
    assert client.get("/report").status_code == 403  # the same browser, the next request
    assert client.get(f"/report/u/{token}").status_code == 404
    assert client.get("/report/u/" + "x" * 43).status_code == 404


def test_the_form_stays_open_when_leadership_views_need_a_login(client, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    monkeypatch.setenv("DASHBOARD_COORDINATOR_PASSWORD", "x")
    assert client.get("/report?county=09").status_code == 200
    assert client.get("/reports").status_code == 302  # /reports is a leadership view, not the form


# ---- into the database, the review queue and the receipt ----------------------------------------------


def test_submissions_reach_the_database_once_through_the_imports_checks(client, db):
    paths = [receipt_path(send(client).get_data(as_text=True)) for _ in range(3)]
    store = store_of(db)
    assert store.pending_count("09") == 3
    # A batch written but not marked (a worker killed between the two) is not written twice.
    write_new_version(db, lambda con: intake.store_pending(con, store))
    moved = intake.move_pending(db, store)
    assert moved.stored == 3 and store.pending_count() == 0
    assert intake.move_pending(db, store).stored == 0
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT report_id, county_code, followup_status, publishable, service_unit, "
            "(SELECT count(*) FROM report_themes t WHERE t.report_key = r.report_key), "
            "(SELECT list(area_code ORDER BY area_code) FROM report_areas a WHERE a.report_key = r.report_key) "
            "FROM reports r WHERE report_id LIKE 'lomake-%' ORDER BY report_id"
        ).fetchall()
        loads = con.execute("SELECT rows_loaded, loaded_by FROM loads WHERE origin = 'lomake'").fetchall()
    assert len(rows) == 3 and all(r[1:] == ("09", "new", False, "family_services", 0, ["111", "398"]) for r in rows)
    assert sorted(sum(n for n, _ in loads) for _ in [0]) == [3] and {b for _, b in loads} == {"lomake"}
    assert "Käsittelemättä" in client.get(paths[0]).get_data(as_text=True)


def test_a_submission_the_import_refuses_later_is_kept_with_its_reasons(client, db):
    path = receipt_path(send(client).get_data(as_text=True))
    # The county's code list changed between sending and moving: the unit is gone.
    write_new_version(db, lambda con: con.execute("DELETE FROM service_units WHERE code = 'family_services'"))
    moved = intake.move_pending(db, store_of(db))
    assert moved == intake.Moved(0, 1)
    html = client.get(path + "?lang=sv").get_data(as_text=True)
    assert "Rapporten kunde inte föras in i databasen" in html
    assert "okänt värde för serviceuppgift (palvelutehtava): family_services" in html


def test_the_review_queue_sees_a_submission_before_it_is_moved(client, db):
    from dashboard.analysis import review
    from dashboard.analysis.workspace import Period

    send(client, pvm="2024-10-15", havainto="Asiakas Matti Virtanen kertoi jonoista.", privacy_ack=None)
    # Typed the Finnish way (the form's date is a text field): it lands in the autumn 2024 queue.
    html = send(client, pvm="15.10.2024", havainto="Jonot ovat pitkiä ja kotipalvelua ei saa.").get_data(as_text=True)
    assert "Kiitos!" in html
    store = store_of(db)
    period = Period.of("09", "2024-09-01", "2024-12-31")
    with duckdb.connect(str(db), read_only=True) as con:
        queue = review.review_queue(con, store, period)
        (item,) = [i for i in queue if i.from_form]
        assert item.pending and not item.reviewed and not item.publishable and item.imported_themes == []
        assert item.target_groups == ["children_families"] and item.areas == ["111", "398"]
        assert queue.index(item) < sum(not i.reviewed for i in queue)  # among the unreviewed, first ones first
        done, total = review.progress(queue)
        assert total == 41  # the demo's 40 and this one
        store.update_review("09", item.report_id, {"reviewed": True}, None, "koordinaattori")
        store.decide_label("09", item.report_id, "theme", "service_availability", "accepted", "koordinaattori")
        review.set_publishable(con, store, period, item.report_id, True, "koordinaattori")
    intake.move_pending(db, store)
    with duckdb.connect(str(db), read_only=True) as con:
        (moved,) = [i for i in review.review_queue(con, store, period) if i.from_form]
    assert not moved.pending and moved.report_id == item.report_id and moved.report_key > 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT submitted_on FROM reports WHERE report_key = ?", [moved.report_key]).fetchone() == (
            dt.date(2024, 10, 15),
        )
    assert moved.reviewed and moved.publishable and moved.themes == ["service_availability"]


def test_publishing_takes_waiting_submissions_along_and_the_receipt_shows_the_phenomenon(client, db):
    from dashboard.analysis import publish, review
    from dashboard.analysis.workspace import Period

    path = receipt_path(send(client, pvm="2024-11-20").get_data(as_text=True))
    store = store_of(db)
    period = Period.of("09", "2024-09-01", "2024-12-31")
    with duckdb.connect(str(db), read_only=True) as con:
        (item,) = [i for i in review.review_queue(con, store, period) if i.from_form]
        review.set_publishable(con, store, period, item.report_id, True, "koordinaattori")
    store.update_review("09", item.report_id, {"reviewed": True}, None, "koordinaattori")
    store.create_phenomenon(
        period, "observation", "Vauvaperheiden kotipalvelu ei riitä", [item.report_id], "koordinaattori",
        target_groups=["children_families"],
    )  # fmt: skip
    assert store.pending_count() == 1
    publish.publish(db, store, period, "koordinaattori")
    assert store.pending_count() == 0
    html = client.get(path).get_data(as_text=True)
    assert "Vauvaperheiden kotipalvelu ei riitä" in html and "Puolivuotisanalyysi 1.9.–31.12.2024" in html


def test_the_receipt_shows_the_coordinators_follow_up(client, db, monkeypatch):
    path = receipt_path(send(client).get_data(as_text=True))
    html = client.get(path).get_data(as_text=True)
    assert re.search(r'id="receipt-status">Käsittelemättä<', html) and "odottaa koordinaattorin läpikäyntiä" in html
    assert "Raporttia ei ole vielä liitetty julkaistuun analyysiin" in html
    intake.move_pending(db, store_of(db))
    # The coordinator's follow-up round trip.
    monkeypatch.setenv("DASHBOARD_COORDINATOR_PASSWORD", "salasana")
    login = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"password": "salasana", "csrf_token": hidden(login, "csrf_token")})
    book = load_workbook(io.BytesIO(client.get("/coordinator/followup.xlsx").data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    (row,) = [
        r for r in sheet.iter_rows(min_row=2) if str(r[header.index("raportin_tunniste")].value).startswith("lomake-")
    ]
    row[header.index("seurannan_tila")].value = "Välitetty eteenpäin"
    row[header.index("kasitelty")].value = "Sosiaalityön kehittäjäryhmä"
    row[header.index("valitetty")].value = "Päijät-Hämeen HYTE-ryhmä"
    buffer = io.BytesIO()
    book.save(buffer)
    page = client.get("/coordinator").get_data(as_text=True)
    client.post(
        "/coordinator/followup",
        data={"csrf_token": hidden(page, "csrf_token"), "file": (io.BytesIO(buffer.getvalue()), "seuranta.xlsx")},
        content_type="multipart/form-data",
    )
    html = client.get(path).get_data(as_text=True)
    assert re.search(r'id="receipt-status">Välitetty eteenpäin<', html)
    steps = re.findall(r'<li class="step (\w+)"', html)
    assert steps == ["done", "done", "current", "todo", "todo"]  # the code list: ... toimenpide, päättynyt
    today = f"{TODAY.day}.{TODAY.month}.{TODAY.year}"
    assert f"(tehty, {today})" in html and f"(nyt, {today})" in html  # when each step was reached
    assert "Käsitelty: Sosiaalityön kehittäjäryhmä" in html and "Välitetty: Päijät-Hämeen HYTE-ryhmä" in html
    sv = client.get(path + "?lang=sv").get_data(as_text=True)
    assert "Vidarebefordrad" in sv and "Vidarebefordrad till: Päijät-Hämeen HYTE-ryhmä" in sv


def test_the_receipt_shows_that_one_report_only(client, db):
    first = receipt_path(send(client, havainto="Ensimmäinen raportti jonoista").get_data(as_text=True))
    send(client, havainto="Toinen raportti aivan muusta")
    html = client.get(first).get_data(as_text=True)
    assert "Ensimmäinen raportti jonoista" in html and "Toinen raportti" not in html
    assert client.get(first).headers["Referrer-Policy"] == "no-referrer"
    text = client.get(first + "/kuitti.txt").get_data(as_text=True)
    assert "http://localhost" + first in text and "Säilytä linkki" in text


def test_the_coordinator_page_says_where_the_form_is_and_what_waits(client, db, monkeypatch):
    send(client)
    monkeypatch.setenv("DASHBOARD_COORDINATOR_PASSWORD", "salasana")
    login = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"password": "salasana", "csrf_token": hidden(login, "csrf_token")})
    page = client.get("/coordinator").get_data(as_text=True)
    assert "http://localhost/report" in page and "1 lomakkeelta tullut raportti odottaa" in page
    response = client.post("/coordinator/report-intake", data={"csrf_token": hidden(page, "csrf_token")})
    assert "1 raportti siirretty tietokantaan" in response.get_data(as_text=True)
    assert store_of(db).pending_count() == 0


# ---- command line and logs -----------------------------------------------------------------------------


def test_unit_links_from_the_command_line(db):
    def run(*args, child=False):
        return run_cli(*args, env={"DASHBOARD_DB": str(db), "DASHBOARD_REPORT_ACCESS": "link"}, child=child)

    issued = run(
        "report-link", "issue", "--county", "09", "--unit", "family_services", "--label", "Perhepalvelut", child=True
    )
    assert issued.returncode == 0, issued.stderr
    url = re.search(r"http://\S+/report/u/([A-Za-z0-9_-]{43})", issued.stdout)
    assert url and links.find(store_of(db), url[1])["label"] == "Perhepalvelut"
    assert run("report-link", "issue", "--county", "99").returncode == 2
    listed = run("report-link", "list", "--lang", "en").stdout
    assert "Perhepalvelut" in listed and "open" in listed and "0 reports" in listed and url[1] not in listed
    assert run("report-link", "revoke", "1").returncode == 0
    assert links.find(store_of(db), url[1]) is None
    assert run("report-link", "revoke", "1").returncode == 1
    assert "Lomakkeelta: 0 raporttia siirretty" in run("report-intake").stdout


def test_the_access_log_never_holds_a_token():
    from dashboard.web.access_log import redact

    assert redact("GET /report/receipt/abcDEF_-123?lang=sv HTTP/1.1") == "GET /report/receipt/…?lang=sv HTTP/1.1"
    assert redact("/report/u/xyz") == "/report/u/…" and redact("/reports?county=09") == "/reports?county=09"


def test_a_workspace_file_of_the_first_version_gets_the_forms_tables(tmp_path):
    path = tmp_path / "old.workspace.sqlite"
    Workspace(path).submission_count()
    con = sqlite3.connect(path)
    con.executescript("DROP TABLE report_links; DROP INDEX submissions_receipt; PRAGMA user_version = 1;")
    con.close()
    store = Workspace(path)
    assert store.report_links() == [] and store.submission_by_receipt("x") is None
