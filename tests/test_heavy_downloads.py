"""Downloads that cannot take the server down: the report table written by DuckDB
(CSV) or streamed as XML (XLSX), built once per database version and filter,
heavy work bounded per host with a clear 503, a callback body capped however it
is sent, and Cache-Control on everything that carries data. Files are read back
with real readers (csv, openpyxl)."""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import http.client
import io
import json
import shutil

import duckdb
import pytest
from openpyxl import load_workbook

from dashboard.core.filters import ReportFilter
from dashboard.export.tables import csv_text

AUTUMN = "county=09&from=2024-09-01&to=2024-12-31"


@pytest.fixture()
def served(db_copy, monkeypatch):
    """The app on a private copy of the demo database, with a publishable report
    whose texts look like formulas."""
    from dashboard.web.app_factory import create_app
    from queries.db import write_new_version

    def plant(con):
        con.execute(
            "UPDATE reports SET observation = '=HYPERLINK(\"http://evil\")', client_voice = '@SUM(A1)', "
            "proposal = '-1+2' || chr(1) || ' & <b>', publishable = TRUE WHERE report_id = 'PH-2024-038'"
        )

    write_new_version(db_copy, plant)
    monkeypatch.delenv("DASHBOARD_REQUIRE_LOGIN", raising=False)
    return create_app().server.test_client(), db_copy


def python_rows(db, query: str, lang: str = "fi") -> list[list]:
    """The same table through the slow, obviously right path: the report table by
    code (queries.reports.report_chunks), labelled as the grid labels it
    (views.reports.label_rows), one Python value per cell."""
    from dashboard.core.i18n import t
    from dashboard.views.reports import label_rows
    from dashboard.web.routes.downloads import REPORT_COLUMNS
    from queries.codes import vocabulary
    from queries.reports import report_chunks

    with duckdb.connect(str(db), read_only=True) as con:
        vocab = vocabulary(con)
        chunks = list(report_chunks(con, ReportFilter.from_query(query, vocab)))
    yes, no = t("value.yes", lang), t("value.no", lang)
    return [
        [(yes if record[c] else no) if c == "publishable" else record.get(c) for c, _ in REPORT_COLUMNS]
        for chunk in chunks
        for record in label_rows(chunk, vocab, lang).to_dict("records")
    ]


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_csv_holds_every_cell_as_the_python_writer_would(served, lang):
    client, db = served
    response = client.get(f"/download/reports.csv?lang={lang}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith("\ufeff".encode())
    assert b"\r\n" in response.data
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    expected = [[csv_text(v, lang) for v in row] for row in python_rows(db, f"lang={lang}", lang)]
    assert len(rows) - 1 == len(expected) == 617
    assert rows[1:] == expected
    planted = next(r for r in rows if r[0] == "PH-2024-038")
    assert planted[9] == '\'=HYPERLINK("http://evil")' and planted[10] == "'@SUM(A1)" and planted[11] == "'-1+2 & <b>"


def test_the_xlsx_is_a_real_table_with_every_cell(served):
    client, db = served
    response = client.get("/download/reports.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["Raportin tunniste", "Päivämäärä", "Hyvinvointialue"]
    table = next(iter(sheet.tables.values()))
    assert table.ref == "A1:P618"
    assert sheet.freeze_panes == "A2"
    got = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    expected = python_rows(db, "")
    for row in expected:
        row[1] = dt.datetime.combine(row[1], dt.time()) if isinstance(row[1], dt.date) else row[1]
        for i, value in enumerate(row):
            if value == "" or (isinstance(value, float) and value != value):
                row[i] = None
    planted = next(r for r in got if r[0] == "PH-2024-038")
    assert planted[9:12] == ['=HYPERLINK("http://evil")', "@SUM(A1)", "-1+2 & <b>"]  # strings, never formulas
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert got == [[("-1+2 & <b>" if v == "-1+2\x01 & <b>" else v) for v in row] for row in expected]
    observation = next(row[9] for row in sheet.iter_rows(min_row=2) if row[9].value)
    assert sheet["B2"].number_format == "d.m.yyyy" and observation.alignment.wrap_text
    notes = dict(book.worksheets[1].iter_rows(values_only=True))
    assert notes["Rajaukset"].startswith("Kaikki hyvinvointialueet") and "synteettisiä" in notes["Demoaineisto"]


@pytest.fixture()
def heavy_everything(monkeypatch):
    """Every report table counts as heavy (the demo is small)."""
    from dashboard.web.routes import downloads

    monkeypatch.setattr(downloads, "LIGHT_ROWS", 10)


def test_a_large_table_is_built_once_per_version_and_served_from_the_file(served, heavy_everything):
    from queries.db import write_new_version

    client, db = served
    exports = db.parent / "exports"
    first = client.get(f"/download/reports.xlsx?{AUTUMN}")
    assert first.status_code == 200
    files = sorted(p.name for p in exports.glob("*.xlsx"))
    assert len(files) == 1
    assert oct(exports.stat().st_mode & 0o777) == "0o700"
    again = client.get(f"/download/reports.xlsx?{AUTUMN}")
    assert again.data == first.data  # the same file, not built again
    assert sorted(p.name for p in exports.glob("*.xlsx")) == files
    assert (
        client.get(f"/download/reports.xlsx?{AUTUMN}", headers={"If-None-Match": again.headers["ETag"]}).status_code
        == 304
    )
    assert load_workbook(io.BytesIO(first.data)).worksheets[0].max_row == 41
    # A new version of the database: a new file, and the old one is gone.
    write_new_version(
        db, lambda con: con.execute("UPDATE reports SET publishable = FALSE WHERE report_id = 'PH-2024-038'")
    )
    newer = client.get(f"/download/reports.xlsx?{AUTUMN}")
    assert newer.status_code == 200
    assert sorted(p.name for p in exports.glob("*.xlsx")) != files and len(list(exports.glob("*.xlsx"))) == 1
    rows = list(load_workbook(io.BytesIO(newer.data)).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert next(r for r in rows if r[0] == "PH-2024-038")[9] is None


def test_beyond_the_host_limit_a_clear_503_in_the_users_language(served, heavy_everything, monkeypatch):
    client, db = served
    monkeypatch.setenv("DASHBOARD_HEAVY_SLOTS", "1")
    exports = db.parent / "exports"
    exports.mkdir(mode=0o700, exist_ok=True)
    # Another worker of the host holds the only slot (a lock on its own open file).
    with open(exports / "heavy-0.lock", "a+") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        for route in (f"reports.xlsx?{AUTUMN}&lang=sv", f"reports.csv?{AUTUMN}&lang=sv", f"deck.pptx?{AUTUMN}&lang=sv"):
            response = client.get(f"/download/{route}")
            assert response.status_code == 503, route
            assert response.headers["Retry-After"] == "10"
            assert response.data.decode().startswith("Servern gör andra stora nedladdningar just nu.")
        # A small table needs no slot.
        assert client.get("/download/reports.csv?q=PH-2024-038").status_code == 200
        assert client.get(f"/download/summary.xlsx?{AUTUMN}").status_code == 200
    assert client.get(f"/download/reports.xlsx?{AUTUMN}").status_code == 200
    assert client.get(f"/download/deck.pptx?{AUTUMN}").status_code == 200


def test_a_file_being_built_is_not_built_twice(served, heavy_everything):
    from dashboard.export import heavy
    from queries import access

    client, db = served
    vocab = access.vocabulary()
    flt = ReportFilter.from_query(AUTUMN, vocab)
    folder = heavy.folder_for(db)
    tag = heavy.version_tag(access.database().version())
    key = heavy.file_key("reports", "csv", "fi", flt.to_query())
    with open(folder / f"{tag}-{key}.lock", "a+") as building:
        fcntl.flock(building, fcntl.LOCK_EX | fcntl.LOCK_NB)
        response = client.get(f"/download/reports.csv?{AUTUMN}")
        assert response.status_code == 503
        assert response.data.decode().startswith("Tätä tiedostoa kootaan parhaillaan.")
    assert client.get(f"/download/reports.csv?{AUTUMN}").status_code == 200


# ---- headers -----------------------------------------------------------------------------


DATA_ROUTES = [
    f"/download/reports.csv?{AUTUMN}",
    f"/download/summary.xlsx?{AUTUMN}",
    f"/present/reports?{AUTUMN}",
    "/reports",
]


def test_anonymous_data_may_be_kept_only_if_asked_again(served):
    client, _ = served
    for route in DATA_ROUTES:
        response = client.get(route, follow_redirects=True)
        assert response.status_code == 200, route
        assert response.headers["Cache-Control"] == "no-cache", route
    callback = client.post("/_dash-update-component", json={})
    assert callback.headers["Cache-Control"] == "no-cache"


def test_behind_a_login_data_is_private_and_never_stored(served, monkeypatch):
    client, _ = served
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    monkeypatch.setenv("DASHBOARD_COORDINATOR_PASSWORD", "salainen-testi")
    from dashboard.web.app_factory import create_app

    client = create_app().server.test_client()
    page = client.get("/login").data.decode()
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"username": "koordinaattori", "password": "salainen-testi", "csrf_token": token})
    for route in DATA_ROUTES:
        response = client.get(route, follow_redirects=True)
        assert response.status_code == 200, route
        assert response.headers["Cache-Control"] == "private, no-store", route
    assert client.post("/_dash-update-component", json={}).headers["Cache-Control"] == "private, no-store"


# ---- the callback body cap, over a real server ------------------------------------------


@pytest.fixture(scope="module")
def gunicorn(demo_db, tmp_path_factory):
    from .browser import Server

    db = tmp_path_factory.mktemp("served") / "dashboard.duckdb"
    shutil.copyfile(demo_db, db)
    server = Server(db, workers=1)  # one request at a time: one worker is enough
    yield server
    server.stop()


def _chunked_post(server, path: str, body: bytes, piece: int = 64 * 1024) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders()
    try:
        for start in range(0, len(body), piece):
            part = body[start : start + piece]
            connection.send(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        connection.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server stopped reading at the cap
    response = connection.getresponse()
    status, data = response.status, response.read()
    connection.close()
    return status, data


def test_a_chunked_callback_body_is_capped_like_a_declared_one(gunicorn):
    big = json.dumps({"output": "x", "outputs": {"id": "x", "property": "y"}, "inputs": ["a" * 3_000_000]}).encode()
    status, data = _chunked_post(gunicorn, "/_dash-update-component", big)
    assert (status, data) == (413, b"callback request too large\n")
    # A small chunked body is read and judged as usual (this one does not fit any callback).
    status, data = _chunked_post(gunicorn, "/_dash-update-component", json.dumps({"output": "x"}).encode())
    assert status == 400 and b"bad callback request" in data


def test_a_large_csv_is_compressed_once_and_sent_as_gzip(served, heavy_everything):
    import gzip

    client, db = served
    light = client.get(f"/download/reports.csv?{AUTUMN}&lang=sv")  # no Accept-Encoding: unpacked
    assert light.status_code == 200 and "Content-Encoding" not in light.headers
    packed = client.get(f"/download/reports.csv?{AUTUMN}&lang=sv", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert packed.headers["Content-Disposition"].endswith(".csv")
    assert gzip.decompress(packed.data) == light.data
    assert light.data.startswith("\ufeff".encode()) and len(light.data.decode("utf-8-sig").splitlines()) == 41
    assert [p.suffixes for p in (db.parent / "exports").glob("*.gz")] == [[".csv", ".gz"]]
