"""The app as an attacker meets it: a forged cookie, a cross-site POST, a
thousand passwords, a redirect off-site, a zip bomb, an over-large body.
Each is refused with the app's own words, and nothing changes."""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import struct
import threading
import time
import zlib
from pathlib import Path

import duckdb
import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from openpyxl import Workbook

from .test_coordinator import CSV, login, token

PASSWORD = "oikea-salasana"


@pytest.fixture()
def app_db(db_copy):
    return db_copy


@pytest.fixture()
def app_settings():
    return {"DASHBOARD_COORDINATOR_PASSWORD": PASSWORD}


@pytest.fixture()
def open_client(make_client, db_copy):
    """The app as `make run` serves it: no password, no htpasswd."""
    return make_client(db_copy)


def forged_cookie(key: bytes | str, data: dict) -> str:
    """A session cookie signed with ``key``, as Flask would sign it."""
    forger = Flask("forger")
    forger.secret_key = key
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    assert serializer is not None
    return serializer.dumps(data)


def table_digest(db: Path) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return (
            con.execute("SELECT count(*), max(load_id) FROM reports").fetchone(),
            con.execute("SELECT count(*) FROM loads").fetchone(),
        )


# ---- no credentials: no coordinator ------------------------------------------------------


def test_without_credentials_the_coordinator_only_says_how_to_configure_a_login(open_client, db_copy):
    before = table_digest(db_copy)
    # The old public key (sha256 of a constant) and even the real key file: a cookie opens nothing.
    old_key = hashlib.sha256(b"tilannekuva-session|").digest()
    open_client.get("/")  # the first request makes the key file
    real_key = (db_copy.parent / ".tilannekuva-session-key").read_text().strip()
    cookies = [
        forged_cookie(old_key, {"user": "koordinaattori"}),
        forged_cookie(
            real_key, {"user": "koordinaattori", "via": "password", "since": int(time.time()), "stamp": "0" * 64}
        ),
    ]
    for cookie in cookies:
        open_client.set_cookie("session", cookie)
        response = open_client.get("/coordinator")
        assert response.status_code == 403
        page = response.get_data(as_text=True)
        assert "DASHBOARD_COORDINATOR_PASSWORD" in page and "DASHBOARD_HTPASSWD" in page
        assert "upload-form" not in page
        response = open_client.post(
            "/coordinator/upload",
            data={"file": (io.BytesIO(CSV), "x.csv"), "county": "09"},
            content_type="multipart/form-data",
        )
        assert response.status_code == 403 and "DASHBOARD_HTPASSWD" in response.get_data(as_text=True)
        followup = open_client.get("/coordinator/followup.xlsx")
        assert followup.status_code == 403 and not followup.data.startswith(b"PK")
        assert open_client.get("/coordinator/rejected/" + "a" * 24 + ".csv").status_code == 403
    assert table_digest(db_copy) == before
    # The login page says the same and has no form to try passwords in.
    page = open_client.get("/login?lang=sv").get_data(as_text=True)
    assert "DASHBOARD_HTPASSWD" in page and "<form" not in page.split("</header>")[1]
    # No form, so no token to send: a password cannot even be tried.
    assert open_client.post("/login", data={"password": "", "csrf_token": "x"}).status_code == 400


def test_the_session_key_is_random_private_shared_and_not_from_the_password(db_copy, monkeypatch):
    from dashboard.web.routes import auth

    monkeypatch.setenv("DASHBOARD_COORDINATOR_PASSWORD", PASSWORD)
    monkeypatch.delenv("DASHBOARD_SECRET_KEY", raising=False)
    path = db_copy.parent / auth.KEY_FILE
    keys: list[bytes] = []
    threads = [threading.Thread(target=lambda: keys.append(auth.key_from_file(path))) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1 and len(keys[0]) == 64  # every worker agrees on one key: 32 random bytes
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert not list(path.parent.glob("*.tmp"))
    assert auth.secret_key() == keys[0]
    monkeypatch.setenv("DASHBOARD_COORDINATOR_PASSWORD", "toinen")
    assert auth.secret_key() == keys[0]  # changing the password does not change the key
    monkeypatch.setenv("DASHBOARD_SECRET_KEY", "avain-ympäristöstä-" + "x" * 20)
    assert auth.secret_key() == ("avain-ympäristöstä-" + "x" * 20).encode()


def test_a_cookie_without_the_stamp_of_the_credential_is_refused(client, db_copy):
    client.get("/")
    key = (db_copy.parent / ".tilannekuva-session-key").read_text().strip()
    client.set_cookie(
        "session", forged_cookie(key, {"user": "x", "via": "password", "since": int(time.time()), "stamp": "f" * 64})
    )
    assert client.get("/coordinator").status_code == 302


def test_session_cookie_flags(db_copy, make_client):
    client = make_client(db_copy, DASHBOARD_COORDINATOR_PASSWORD=PASSWORD)
    cookies = {c.split("=", 1)[0]: c for c in login(client).headers.getlist("Set-Cookie")}
    cookie = cookies["session"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    device = cookies["tilannekuva_device"]  # the login throttle's: sent only to /login, never cross-site
    assert "HttpOnly" in device and "SameSite=Strict" in device and "Path=/login" in device
    client = make_client(db_copy, DASHBOARD_COORDINATOR_PASSWORD=PASSWORD, DASHBOARD_HTTPS="1")
    response = client.get("/login", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


# ---- CSRF --------------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(client, db_copy):
    login(client)
    before = table_digest(db_copy)
    for data in ({}, {"csrf_token": "väärä"}, {"csrf_token": token(client, "/login") + "x"}):
        for path in ("/coordinator/upload", "/coordinator/followup"):
            response = client.post(
                path,
                data={**data, "file": (io.BytesIO(CSV), "x.csv"), "county": "09"},
                content_type="multipart/form-data",
                headers={"Origin": "https://evil.example"},
            )
            assert response.status_code == 400, (path, data)
            assert "Lomakkeen tarkiste puuttui" in response.get_data(as_text=True)
    assert table_digest(db_copy) == before
    # Logging out needs the token too, and the session stays.
    assert client.post("/logout").status_code == 400
    assert client.get("/coordinator").status_code == 200
    # The same upload with the page's token goes through.
    response = client.post(
        "/coordinator/upload",
        data={"csrf_token": token(client, "/coordinator"), "file": (io.BytesIO(CSV), "x.csv"), "county": "09"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "1 tuotu" in response.get_data(as_text=True)


def test_login_needs_the_csrf_token(client):
    response = client.post("/login?lang=en", data={"password": PASSWORD})
    assert response.status_code == 400 and "check token was missing" in response.get_data(as_text=True)
    assert client.get("/coordinator").status_code == 302


def test_dash_callbacks_are_exempt_and_still_answer(client):
    payload = {
        "output": "..nav.children...page.children...app-footer.children...lang-store.data..",
        "outputs": [
            {"id": i, "property": p}
            for i, p in (("nav", "children"), ("page", "children"), ("app-footer", "children"), ("lang-store", "data"))
        ],
        "inputs": [{"id": "url", "property": "pathname", "value": "/"}],
        "changedPropIds": ["url.pathname"],
        "state": [{"id": "url", "property": "search", "value": ""}],
    }
    response = client.post("/_dash-update-component", json=payload, headers={"Origin": "http://localhost"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert "Kielteinen" in response.get_data(as_text=True)  # the overview, drawn


# ---- login throttling --------------------------------------------------------------------


def test_the_eleventh_wrong_login_from_one_address_gets_429(client):
    for attempt in range(10):
        assert login(client, f"väärä-{attempt}").status_code == 401
    response = login(client, "väärä-11")
    assert response.status_code == 429
    assert "Liian monta epäonnistunutta kirjautumista" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0
    assert login(client).status_code == 429  # even the right password, for a while
    # Another address is not affected.
    other = client.post(
        "/login", data={"password": PASSWORD, "csrf_token": token(client)}, environ_base={"REMOTE_ADDR": "127.0.0.2"}
    )
    assert other.status_code == 302


def test_successful_logins_are_not_counted(client):
    for _ in range(12):
        assert login(client).status_code == 302


# ---- open redirect -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example/x",
        "//evil.example/x",
        "\\\\evil.example",
        "/\\evil.example",
        "/\n",
        "/x\r\nSet-Cookie: a=b",
        "https://evil.example/",
        "javascript:alert(1)",
        " //evil.example",
        "/%0a",
        "\x00",
        "/" + "a" * 5000,
        "",
    ],
)
def test_next_never_leads_off_site_or_breaks(client, target):
    response = client.post("/login", data={"password": PASSWORD, "next": target, "csrf_token": token(client)})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")) and "\n" not in location
    assert location == "/coordinator" or target == "/%0a" and location == "/%0a"


def test_next_from_the_query_string_is_checked_too(client):
    response = client.get("/login?next=/%09/evil.example/x")
    assert response.status_code == 200
    assert 'name="next" value="/coordinator"' in response.get_data(as_text=True)
    response = client.get("/login?next=%0a")
    assert response.status_code == 200
    response = client.post(
        "/login", data={"password": PASSWORD, "next": "/reports?county=09&lang=sv", "csrf_token": token(client)}
    )
    assert response.headers["Location"] == "/reports?county=09"  # same-site paths are honoured (in Finnish here)


# ---- headers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/reports?county=09",
        "/_dash-layout",
        "/_dash-dependencies",
        "/download/reports.csv?county=09",
        "/download/reports.csv?county=99",
        "/login",
        "/coordinator",
        "/assets/app.css",
        "/vendor/bootstrap/css/bootstrap.min.css",
        "/download/nothing.pdf",
    ],
)
def test_every_response_has_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code < 500
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    policy = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert policy["frame-ancestors"] == "'self'" and policy["object-src"] == "'none'" and policy["base-uri"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]


def test_the_csp_hashes_cover_every_inline_script_of_the_page(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", response.get_data(as_text=True), re.S)
    executable = [body for attrs, body in scripts if "application/json" not in attrs and body.strip()]
    assert executable
    import base64

    for body in executable:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


# ---- over-large and hostile files --------------------------------------------------------


def test_an_over_large_upload_gets_the_apps_own_message_in_the_users_language(client, db_copy):
    login(client)
    before = table_digest(db_copy)
    big = b"x" * (22 * 1024 * 1024)
    response = client.post(
        "/coordinator/upload?lang=sv",
        data={"csrf_token": token(client, "/coordinator"), "file": (io.BytesIO(big), "iso.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "filen är för stor (högst 20 MB)" in page and '<html lang="sv">' in page
    assert "Request Entity Too Large" not in page
    assert table_digest(db_copy) == before


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of raw deflate members (name, compressed bytes, crc32, unpacked size)."""
    out, central = io.BytesIO(), []
    for name, data, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0))
        out.write(encoded + data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    for record in central:
        out.write(record)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def _deflate(data: bytes) -> tuple[bytes, int, int]:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def xlsx_bomb(size: int = 1024**3) -> bytes:
    """A real XLSX (it opens in openpyxl) whose sheet unpacks to ``size``
    bytes; 2.6 MB for 1 GB. Identical chunks compressed with full flushes
    give identical bytes, so it is built in well under a second."""
    book = Workbook()
    book.active.append(["raportin_tunniste"])
    buffer = io.BytesIO()
    book.save(buffer)
    import zipfile

    members = []
    with zipfile.ZipFile(buffer) as small:
        for name in small.namelist():
            if name != "xl/worksheets/sheet1.xml":
                members.append((name, *_deflate(small.read(name))))
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>'
    )
    tail = b"</sheetData></worksheet>"
    chunk = (b'<row><c t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c></row>") * 1000
    count = size // len(chunk)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    members.append(
        ("xl/worksheets/sheet1.xml", start + block * count + end, crc, len(head) + len(chunk) * count + len(tail))
    )
    return _zip(members)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, db_copy):
    from dashboard.imports.tables import ImportFileError, read_table

    bomb = xlsx_bomb()
    assert len(bomb) < 3 * 1024 * 1024
    began = time.perf_counter()
    with pytest.raises(ImportFileError, match="purkautuu 1023 megatavuun; enintään 64 Mt"):
        read_table("vastaukset.xlsx", data=bomb)
    assert time.perf_counter() - began < 1
    login(client)
    before = table_digest(db_copy)
    began = time.perf_counter()
    response = client.post(
        "/coordinator/upload",
        data={"csrf_token": token(client, "/coordinator"), "file": (io.BytesIO(bomb), "vastaukset.xlsx")},
        content_type="multipart/form-data",
    )
    assert time.perf_counter() - began < 3
    assert response.status_code == 400 and "purkautuu" in response.get_data(as_text=True)
    assert table_digest(db_copy) == before


def test_a_sheet_that_claims_a_million_rows_is_refused_fast(tmp_path):
    from dashboard.imports.tables import ImportFileError, read_table

    book = Workbook()
    book.active.append(["raportin_tunniste", "pvm"])
    book.active["A1048576"] = "viimeinen"
    path = tmp_path / "pitka.xlsx"
    book.save(path)
    began = time.perf_counter()
    with pytest.raises(ImportFileError, match="yli 200000 riviä"):
        read_table(path)
    assert time.perf_counter() - began < 2


def test_a_sheet_with_a_far_away_row_and_no_dimension_stops_at_the_row_cap(tmp_path):
    from dashboard.imports.tables import ImportFileError, read_table

    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>raportin_tunniste</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    book = Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    import zipfile

    with zipfile.ZipFile(buffer) as small:
        members = [
            (n, *_deflate(sheet if n == "xl/worksheets/sheet1.xml" else small.read(n))) for n in small.namelist()
        ]
    began = time.perf_counter()
    with pytest.raises(ImportFileError, match="yli 200000 riviä"):
        read_table("kaukana.xlsx", data=_zip(members))
    assert time.perf_counter() - began < 5


def test_xml_entities_in_a_sheet_are_refused_not_expanded():
    from dashboard.imports.tables import ImportFileError, read_table

    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
    )
    book = Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    import zipfile

    with zipfile.ZipFile(buffer) as small:
        members = [
            (n, *_deflate(sheet if n == "xl/worksheets/sheet1.xml" else small.read(n))) for n in small.namelist()
        ]
    with pytest.raises(ImportFileError, match="Excel-tiedostoa ei voitu"):
        read_table("entiteetit.xlsx", data=_zip(members))


# ---- rejected-row files ------------------------------------------------------------------


def test_rejected_rows_are_private_behind_the_login_and_removed_when_old(client, make_client, db_copy, monkeypatch):
    from dashboard.web.routes import coordinator

    monkeypatch.setattr(coordinator, "UPLOADS", db_copy.parent / "uploads")
    login(client)
    response = client.post(
        "/coordinator/upload",
        data={"csrf_token": token(client, "/coordinator"), "file": (io.BytesIO(CSV), "x.csv"), "county": "09"},
        content_type="multipart/form-data",
    )
    link = response.get_data(as_text=True).split('id="rejected-link" href="')[1].split('"')[0]
    files = list((db_copy.parent / "uploads").glob("hylatyt-*"))
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE((db_copy.parent / "uploads").stat().st_mode) == 0o700
    assert client.get(link).status_code == 200
    stranger = make_client(db_copy, DASHBOARD_COORDINATOR_PASSWORD=PASSWORD)
    assert stranger.get(link).status_code == 302  # to the login
    for name in ("..", "hylatyt-x.csv", "a" * 24 + ".exe", "A" * 24 + ".csv", "a" * 24 + ".csv.csv"):
        assert client.get("/coordinator/rejected/" + name).status_code == 404
    for name in ("../../db.duckdb", "..%2F..%2Fdb.duckdb", "..%2F" + link.rsplit("/", 1)[1]):
        data = client.get("/coordinator/rejected/" + name).data
        assert not data.startswith(b"\xef\xbb\xbf") and b"DUCK" not in data[:64]
    day_and_more = time.time() - 25 * 3600
    os.utime(files[0], (day_and_more, day_and_more))
    assert client.get(link).status_code == 404
    assert not files[0].exists()


def test_two_requests_restarting_the_rate_limits_expiry_at_once_get_no_error():
    """limits' in-memory storage restarts its expiry timer unlocked: two requests at once could
    start the same timer twice (a 500 for a reporter). The window is widened here (setting the new
    timer takes 50 ms) so that without ``security.serialise_expiry`` both threads fall in it."""
    import threading
    import time

    from limits.storage import memory

    from dashboard.web.security import serialise_expiry

    class SlowToSet(memory.MemoryStorage):
        @property
        def timer(self):
            return self.__dict__["_timer"]

        @timer.setter
        def timer(self, value):
            self.__dict__["_timer"] = value
            sets.append(value)
            time.sleep(0.05 * len(sets))  # the other request sets its own new timer meanwhile

    sets: list[object] = []

    storage = SlowToSet()
    sets.clear()
    storage.timer.join()  # the first expiry has run: the next hit restarts the timer
    serialise_expiry(storage)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def hit(key: str) -> None:
        start.wait()
        try:
            storage.acquire_entry(key, limit=5, expiry=60)
        except BaseException as exc:  # what the request would have turned into a 500
            errors.append(exc)

    threads = [threading.Thread(target=hit, args=(f"report/{n}",)) for n in range(2)]  # two reporters
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert not errors, errors
