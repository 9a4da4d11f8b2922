"""Sotkanet import against recorded fixtures, from files and from a local HTTP server."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest

from dashboard.__main__ import main

FIXTURES = Path(__file__).parent / "fixtures" / "sotkanet"


@pytest.fixture()
def db(db_copy):
    return db_copy


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fixture_value(region_id: int, year: int, gender: str = "total") -> float:
    rows = json.loads((FIXTURES / "data-3225.json").read_text())
    return next(r["value"] for r in rows if r["region"] == region_id and r["year"] == year and r["gender"] == gender)


def values(path: Path, indicator: str) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            (r, y, s): v
            for r, y, s, v in con.execute(
                "SELECT region_code, year, sex, value FROM indicator_values WHERE indicator_id = $i", {"i": indicator}
            ).fetchall()
        }


def test_import_from_saved_files_maps_regions_to_official_codes(db, capsys):
    assert main(["import-sotkanet", "--indicator", "3225", "--years", "2020-2023", "--from-dir", str(FIXTURES)]) == 0
    got = values(db, "sotkanet-3225")
    assert got[("398", 2023, "total")] == fixture_value(52, 2023)  # Lahti, Sotkanet id 52
    assert got[("09", 2021, "total")] == fixture_value(1021, 2021)  # county code '9' -> '09'
    assert got[("FI", 2020, "total")] == fixture_value(658, 2020)  # MAA -> 'FI'
    assert got[("091", 2022, "total")] == fixture_value(377, 2022)  # Helsinki '91' -> '091'
    assert len(got) == 32
    out = capsys.readouterr().out
    assert "4 muun alueluokan arvoa" in out and "4 tuntemattoman alue-id:n arvoa" in out
    assert "MAAKUNTA 1" in out
    with duckdb.connect(str(db), read_only=True) as con:
        source, licence, updated = con.execute(
            "SELECT source, licence, data_updated FROM indicators WHERE indicator_id = 'sotkanet-3225'"
        ).fetchone()
        assert source.startswith("THL, Sotkanet") and licence == "CC BY 4.0" and str(updated) == "2024-05-15"
        assert con.execute("SELECT name_fi, level FROM regions WHERE code = '091'").fetchone() == (
            "Helsinki",
            "municipality",
        )


def test_semicolon_csv_with_decimal_comma(db):
    assert main(["import-sotkanet", "--indicator", "181", "--years", "2023", "--from-dir", str(FIXTURES)]) == 0
    assert values(db, "sotkanet-181")[("09", 2023, "total")] == 13.0


def test_reimport_replaces_values_and_records_each_load(db):
    args = ["import-sotkanet", "--indicator", "3225", "--years", "2020-2023", "--from-dir", str(FIXTURES)]
    assert main(args) == 0 and main(args) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert (
            con.execute("SELECT count(*) FROM indicator_values WHERE indicator_id = 'sotkanet-3225'").fetchone()[0]
            == 32
        )
        assert con.execute("SELECT count(*) FROM loads WHERE kind = 'sotkanet'").fetchone()[0] == 2


class FakeSotkanet(http.server.BaseHTTPRequestHandler):
    mode = "ok"

    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urlparse(self.path)
        if self.mode == "error":
            return self._send(500, b"internal error")
        if url.path.endswith("/regions"):
            return self._send(200, (FIXTURES / "regions.json").read_bytes())
        if url.path.startswith("/rest/1.1/indicators/"):
            ident = url.path.rsplit("/", 1)[1]
            path = FIXTURES / f"indicator-{ident}.json"
            return self._send(200, path.read_bytes()) if path.exists() else self._send(404, b"not found")
        if url.path.endswith("/json"):
            query = parse_qs(url.query)
            assert query["genders"] == ["total", "male", "female"]
            if self.mode == "malformed":
                return self._send(200, b"{not json")
            return self._send(200, (FIXTURES / f"data-{query['indicator'][0]}.json").read_bytes())
        return self._send(404, b"?")

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def fake_api(monkeypatch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeSotkanet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("SOTKANET_BASE_URL", f"http://127.0.0.1:{server.server_port}/rest/1.1")
    yield FakeSotkanet
    FakeSotkanet.mode = "ok"
    server.shutdown()


def test_import_over_http(db, fake_api):
    assert main(["import-sotkanet", "--indicator", "3225", "--years", "2022-2023"]) == 0
    got = values(db, "sotkanet-3225")
    assert got[("398", 2023, "male")] == fixture_value(52, 2023, "male")
    assert {y for (_, y, _) in got} == {2022, 2023}


@pytest.mark.parametrize(
    "mode, indicator, message",
    [
        ("ok", "4040", "Indikaattoria 4040 ei löydy"),
        ("error", "3225", "HTTP 500"),
        ("malformed", "3225", "ei ole kelvollista JSONia"),
    ],
)
def test_api_errors_leave_the_database_as_it_was(db, fake_api, capsys, mode, indicator, message):
    before = digest(db)
    fake_api.mode = mode
    assert main(["import-sotkanet", "--indicator", indicator]) == 4  # refused, nothing changed
    assert message in capsys.readouterr().err
    assert digest(db) == before


def test_network_error_is_clear(db, monkeypatch, capsys):
    from .browser import free_port

    monkeypatch.setenv("SOTKANET_BASE_URL", f"http://127.0.0.1:{free_port()}/rest/1.1")
    before = digest(db)
    assert main(["import-sotkanet", "--indicator", "3225"]) == 4
    assert "ei saatu yhteyttä" in capsys.readouterr().err
    assert digest(db) == before


def test_missing_saved_file_is_clear(db, tmp_path, capsys):
    (tmp_path / "regions.json").write_text("[]")
    assert main(["import-sotkanet", "--indicator", "3225", "--from-dir", str(tmp_path)]) == 4
    assert "indicator-3225.json" in capsys.readouterr().err


def test_a_duplicated_row_is_a_clear_error_and_changes_nothing(db, tmp_path, capsys):
    saved = tmp_path / "saved"
    saved.mkdir()
    for path in FIXTURES.iterdir():
        (saved / path.name).write_bytes(path.read_bytes())
    rows = json.loads((FIXTURES / "data-3225.json").read_text())
    (saved / "data-3225.json").write_text(json.dumps(rows + rows[:1]))
    before = digest(db)
    assert main(["import-sotkanet", "--indicator", "3225", "--years", "2020-2023", "--from-dir", str(saved)]) != 0
    assert digest(db) == before
    out = capsys.readouterr()
    assert "Traceback" not in out.err and str(rows[0]["year"]) in out.out + out.err
