"""The coordinator's pages driven in Chromium: the forms work with their CSRF
tokens, a cross-site form is refused, the language travels, and no view
breaks the Content-Security-Policy."""

from __future__ import annotations

import http.server
import io
import threading

import duckdb
import pytest
from openpyxl import load_workbook

from .browser import LOGIN_PASSWORD, free_port, settled

pytestmark = pytest.mark.browser
CSV = (
    "raportin_tunniste;pvm;palvelutehtava;alue;kohderyhma;teema;havainnon_tyyppi;havainto;julkaistava\n"
    "B-1;2.1.2026;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;Asuminen;kielteinen;Testi;kyllä\n"
    "B-2;3.1.2026;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;Asuminen;kielteinen;Testi 2;kyllä\n"
    "B-3;x;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;;kielteinen;Testi;kyllä\n"
)
CSP_WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));"""


@pytest.fixture()
def server(login_server):
    """The session's server with a login configured; these tests upload into its database."""
    return login_server


@pytest.fixture()
def db(login_server):
    return login_server.db


def log_in(page, server, password=LOGIN_PASSWORD):
    page.get_by_label("Salasana").fill(password)
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_url(f"{server.url}/coordinator")


def test_upload_page_in_the_browser(page, server, db, tmp_path):
    page.goto(f"{server.url}/coordinator")
    assert "/login" in page.url
    page.get_by_label("Käyttäjätunnus").fill("koordinaattori")
    log_in(page, server)
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


def test_followup_round_trip_and_logout_in_the_browser(page, server, db, tmp_path):
    page.goto(f"{server.url}/login?next=/coordinator")
    log_in(page, server)
    with page.expect_download() as info:
        page.get_by_role("link", name="Lataa seurantataulukko (Excel)").click()
    book = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("toimenpide") + 1, value="Selvitys käynnistetty")
    path = tmp_path / "seuranta.xlsx"
    book.save(path)
    page.get_by_label("Täytetty seurantataulukko").set_input_files(str(path))
    page.get_by_role("button", name="Tuo seuranta").click()
    page.locator("#import-result").wait_for()
    assert page.locator("#followup-changes").inner_text() == "Muuttui: Toimenpide 1."
    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.wait_for_url(f"{server.url}/")
    page.goto(f"{server.url}/coordinator")
    assert "/login" in page.url


def test_a_form_on_another_origin_cannot_post_with_the_coordinators_cookie(page, server, db):
    """127.0.0.1 on another port is the same site, so SameSite=Lax still sends the cookie: the token stops it."""
    page.goto(f"{server.url}/login")
    log_in(page, server)
    evil = (
        f'<form id="f" method="post" action="{server.url}/coordinator/followup" enctype="multipart/form-data">'
        '<input name="raportin_tunniste" value="PH-2021-001"><input name="julkaistava" value="kyllä"></form>'
        "<script>document.getElementById('f').submit()</script>"
    ).encode()

    class Evil(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(evil)

        def log_message(self, *args):
            pass

    # Threads: Chromium opens a spare connection it never sends on, and a one-thread server waits on it
    # (its shutdown took ~60 s, until Chromium gave the idle socket up).
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Evil)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            loads_before = con.execute("SELECT count(*) FROM loads").fetchone()[0]
        with page.expect_response(f"{server.url}/coordinator/followup") as info:
            page.goto(f"http://127.0.0.1:{httpd.server_port}/")
        assert info.value.status == 400
        page.get_by_text("Lomakkeen tarkiste puuttui").wait_for()
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM loads").fetchone()[0] == loads_before
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_language_travels_to_the_login_and_the_coordinator(page, server):
    page.goto(f"{server.url}/reports?lang=sv&county=09")
    page.get_by_role("link", name="Koordinator").click()
    page.wait_for_url("**/login?**")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.get_by_label("Lösenord").fill(LOGIN_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{server.url}/coordinator?lang=sv")
    assert page.get_by_role("heading", level=1).inner_text() == "Koordinator"
    page.get_by_role("link", name="EN", exact=True).click()
    page.wait_for_url(f"{server.url}/coordinator?lang=en")
    assert page.get_by_role("button", name="Import the reports").is_visible()
    assert page.get_by_role("link", name="Reports").get_attribute("href") == "/reports?lang=en"


@pytest.fixture()
def open_server(sotkanet_server):
    """The app as `make run` serves it: no login configured."""
    return sotkanet_server


VIEWS = [
    ("/?county=09&from=2024-09-01&to=2024-12-31", "#kpis"),
    ("/reports?county=09&from=2024-09-01&to=2024-12-31", "#compare-table"),
    ("/indicators?indicator=sotkanet-3225&region=398&year=2023", "#ind-content .js-plotly-plot"),
    ("/phenomena?theme=livelihood&county=09", "#phen-indicators .js-plotly-plot"),
    ("/login", "main"),
    ("/coordinator?lang=en", "#page-message"),
]


def test_every_view_renders_under_the_content_security_policy(browser, open_server):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    try:
        for path, ready in VIEWS:
            response = page.goto(open_server.url + path)
            assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
            page.locator(ready).first.wait_for()
            settled(page)
            if "/reports" in path:
                page.locator(".js-plotly-plot").first.wait_for()
                page.locator("#report-grid").scroll_into_view_if_needed()  # its script loads near the screen
                page.locator(".ag-row").first.wait_for()  # the report grid drew its rows
            assert page.evaluate("window.__csp") == [], (path, page.evaluate("window.__csp"))
        assert not [m for m in console if "Content Security Policy" in m or "Refused" in m], console
        # Without a login configured, the coordinator says how to configure one, in the chosen language.
        assert "DASHBOARD_COORDINATOR_PASSWORD" in page.locator("#page-message").inner_text()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("#upload-form").count() == 0
    finally:
        context.close()


def test_a_chart_png_still_downloads_under_the_policy(browser, open_server, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    try:
        page.goto(open_server.url + "/reports?county=09&from=2024-09-01&to=2024-12-31")
        chart = page.locator(".js-plotly-plot").first
        chart.hover()
        with page.expect_download() as info:
            chart.locator(".modebar-btn[data-title]").first.click()
        target = tmp_path / "kaavio.png"
        info.value.save_as(target)
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()


def test_an_over_large_upload_gets_the_apps_own_page(page, server, tmp_path):
    page.goto(f"{server.url}/login?lang=sv")
    page.get_by_label("Lösenord").fill(LOGIN_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{server.url}/coordinator?lang=sv")
    big = tmp_path / "iso.csv"
    big.write_bytes(b"raportin_tunniste;pvm\n" + b"x;1.1.2025\n" * (2_300_000))
    page.get_by_label("Fil (CSV eller Excel)").set_input_files(str(big))
    page.get_by_role("button", name="Importera rapporterna").click()
    page.get_by_text("filen är för stor (högst 20 MB)").wait_for()
    assert "Request Entity Too Large" not in page.content()


def test_template_xlsx_from_the_coordinator_page_has_the_lists(page, server):
    page.goto(f"{server.url}/login")
    log_in(page, server)
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel", exact=True).click()
    book = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    assert book.sheetnames == ["Raportit", "Listat", "Ohjeet"]
    assert len(book["Raportit"].data_validations.dataValidation) >= 6
