"""The coordinator's upload page, driven in Chromium."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from .browser import Server

pytestmark = pytest.mark.browser
CSV = ("raportin_tunniste;pvm;palvelutehtava;alue;kohderyhma;teema;havainnon_tyyppi;havainto;julkaistava\n"
       "B-1;2.1.2026;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;Asuminen;kielteinen;Testi;kyllä\n"
       "B-2;3.1.2026;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;Asuminen;kielteinen;Testi 2;kyllä\n"
       "B-3;x;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;;kielteinen;Testi;kyllä\n")


@pytest.fixture(scope="module")
def db(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("coord") / "db.duckdb"
    shutil.copyfile(demo_db, path)
    return path


@pytest.fixture(scope="module")
def server(db):
    srv = Server(db, {"DASHBOARD_COORDINATOR_PASSWORD": "testisalasana"})
    yield srv
    srv.stop()


def test_upload_page_in_the_browser(page, server, db, tmp_path):
    page.goto(f"{server.url}/coordinator")
    assert "/login" in page.url
    page.get_by_label("Käyttäjätunnus").fill("koordinaattori")
    page.get_by_label("Salasana").fill("testisalasana")
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_url(f"{server.url}/coordinator")
    path = tmp_path / "kevat.csv"
    path.write_text(CSV, encoding="utf-8")
    page.get_by_label("Tiedosto (CSV tai Excel)").set_input_files(str(path))
    page.get_by_label("Hyvinvointialue").select_option("09")
    page.get_by_role("button", name="Tuo raportit").click()
    result = page.locator("#import-result")
    result.wait_for()
    assert result.inner_text() == "kevat.csv: 3 riviä luettu: 2 tuotu, 1 hylätty."
    assert "virheellinen päivämäärä: x" in page.locator("#rejected-table").inner_text()
    with page.expect_download() as info:
        page.locator("#rejected-link").click()
    rejected = tmp_path / "hylatyt.csv"
    info.value.save_as(rejected)
    assert rejected.read_text(encoding="utf-8-sig").splitlines()[1].startswith("4;")
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reports WHERE report_id IN ('B-1', 'B-2')").fetchone()[0] == 2
    # The new reports are in the leadership view at once, without a restart.
    page.goto(f"{server.url}/reports?county=09&from=2026-01-01&to=2026-01-31")
    page.locator("#caption").get_by_text("Päijät-Häme · 1.1.–31.1.2026 · 2 raporttia").wait_for()
