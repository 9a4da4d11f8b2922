"""The reporting form in Chromium, with the keyboard only, in Finnish and Swedish: a field
error keeps the text, the report is sent, its receipt opens; the coordinator classifies and
publishes it (with the review functions until the workbench pages exist), leadership finds
it in the reports view, and the receipt shows the coordinator's follow-up. axe finds nothing
on the form, its errors, the answer and the receipt."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from dashboard.analysis import publish, review
from dashboard.analysis.workspace import Period, Workspace, workspace_path
from dashboard.reporting import intake

from .browser import Server
from .test_accessibility import RULES, axe_source

pytestmark = pytest.mark.browser
TODAY = dt.date.today()
HALF_YEAR = Period.of("09", dt.date(TODAY.year, 1 if TODAY.month <= 6 else 7, 1), TODAY)
PASSWORD = "koordinaattori-testi"


@pytest.fixture(scope="module")
def db(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "db.duckdb"
    shutil.copyfile(demo_db, path)
    return path


@pytest.fixture(scope="module")
def server(db):
    # The intake's timer is off: the test moves the reports itself, at the step it means to.
    with Server(
        db, {"DASHBOARD_COORDINATOR_PASSWORD": PASSWORD, "DASHBOARD_REPORT_INTAKE_SECONDS": "0"}, workers=1
    ) as srv:
        yield srv


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user moves through the page."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def axe(page) -> list:
    page.add_script_tag(content=axe_source())
    result = page.evaluate("rules => axe.run(document, rules)", RULES)
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


TEXTS = {
    "fi": {
        "voice": "Kukaan ei ehdi kuunnella meitä.",
        "observation": "Iltapäiväkerhojen jonot venyvät ja yksinhuoltajat jäävät ilman tukea Sysmässä.",
        "error": "Täytä tämä kohta.",
        "thanks": "Kiitos! Raporttisi on tallennettu.",
        "new": "Käsittelemättä",
        "word": "iltapäiväkerhojen",
    },
    "sv": {
        "voice": "Ingen hinner lyssna på oss.",
        "observation": "Köerna till eftermiddagsklubbarna blir längre och ensamförsörjare blir utan stöd i Sysmä.",
        "error": "Fyll i det här fältet.",
        "thanks": "Tack! Din rapport har sparats.",
        "new": "Obehandlad",
        "word": "eftermiddagsklubbarna",
    },
}


def report_with_the_keyboard(page, server, lang: str, scan: bool) -> str:
    """Fill and send the form with the keyboard only; returns the receipt page's address. With
    ``scan``, axe checks the form with its errors, the answer and the receipt on the way (one
    language is enough: the markup is the same in each, only the text differs)."""
    texts = TEXTS[lang]
    page.goto(f"{server.url}/report?county=09&lang={lang}")
    page.locator("body").focus()
    tab_to(page, "#palvelutehtava")
    page.keyboard.press("ArrowDown")  # the first service unit
    tab_to(page, "#alue-0")
    page.keyboard.press("Space")  # the whole county
    tab_to(page, "#kohderyhma-1")
    page.keyboard.press("Space")  # children, young people and families
    tab_to(page, "#havainnon_tyyppi-0")
    page.keyboard.press("Space")  # negative
    tab_to(page, "#asiakkaan_aani")  # the observation is left empty: a field error
    page.keyboard.type(texts["voice"])
    tab_to(page, "#report-send")
    page.keyboard.press("Enter")
    expect(page.locator("#havainto-error")).to_contain_text(texts["error"])
    expect(page.locator("#asiakkaan_aani")).to_have_value(texts["voice"])  # the text is kept
    expect(page.locator("#alue-0")).to_be_checked()
    # The reader is told at once: the summary of errors takes the focus (the form's script, deferred).
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    if scan:
        assert not axe(page), "the form with its errors"
    tab_to(page, "#havainto")
    page.keyboard.type(texts["observation"])
    tab_to(page, "#report-send")
    page.keyboard.press("Enter")
    expect(page.locator("#report-thanks")).to_contain_text(texts["thanks"])
    if scan:
        assert not axe(page), "the answer"
    url = page.locator("#receipt-url").input_value()
    assert re.fullmatch(re.escape(server.url) + r"/report/receipt/[A-Za-z0-9_-]{43}", url)
    tab_to(page, "#receipt-open")
    page.keyboard.press("Enter")
    expect(page.locator("#receipt-status")).to_have_text(texts["new"])
    expect(page.locator("#report-heading")).to_be_visible()
    assert texts["observation"][:30] in page.locator("main").inner_text()
    if scan:
        assert not axe(page), "the receipt"
    return page.url


def test_report_with_the_keyboard_to_leadership_and_back_to_the_receipt(page, server, db):
    receipts = {lang: report_with_the_keyboard(page, server, lang, scan=lang == "fi") for lang in ("fi", "sv")}
    store = Workspace(workspace_path(db))
    # The coordinator's review queue sees both at once, new, unclassified and not publishable.
    with duckdb.connect(str(db), read_only=True) as con:
        mine = [i for i in review.review_queue(con, store, HALF_YEAR) if i.from_form]
    assert len(mine) == 2 and all(i.pending and not i.reviewed and not i.publishable for i in mine)
    assert all(i.imported_themes == [] and i.target_groups == ["children_families"] for i in mine)
    # ... and so does the coordinator's workbench, marked as coming from the form.
    page.goto(f"{server.url}/login")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_url(f"{server.url}/coordinator")
    page.goto(f"{server.url}/coordinator/analysis?county=09&from={HALF_YEAR.date_from}&to={HALF_YEAR.date_to}")
    for item in mine:
        row = page.locator(".wb-queue-list li", has_text=item.report_id)
        expect(row).to_contain_text("raportointilomakkeelta")
        expect(row).to_contain_text(item.observation[:20])
    # The coordinator classifies them, marks them publishable and builds a phenomenon, then publishes
    # (through the review functions the workbench calls; its own clicks are test_browser_workbench's).
    with duckdb.connect(str(db), read_only=True) as con:
        for item in mine:
            store.update_review("09", item.report_id, {"reviewed": True}, None, "koordinaattori")
            suggested = review.suggestions_for(con, store, HALF_YEAR, item)["theme"]
            if item.observation.startswith("Iltapäiväkerhojen"):  # 'jonot' -> jono: availability of services
                (chosen,) = [x for x in suggested if x.code == "service_availability"]
                review.accept_suggestion(store, "09", item.report_id, "theme", chosen, "koordinaattori")
            else:
                store.decide_label("09", item.report_id, "theme", "service_availability", "accepted", "koordinaattori")
            review.set_publishable(con, store, HALF_YEAR, item.report_id, True, "koordinaattori")
    store.create_phenomenon(
        HALF_YEAR, "observation", "Iltapäiväkerhojen jonot jättävät yksinhuoltajat ilman tukea",
        [i.report_id for i in mine], "koordinaattori", target_groups=["children_families"],
    )  # fmt: skip
    publish.publish(db, store, HALF_YEAR, "koordinaattori")
    assert store.pending_count() == 0
    # Leadership finds the reports in the reports view (publishable now, so their texts show).
    period = f"county=09&from={HALF_YEAR.date_from}&to={HALF_YEAR.date_to}"
    for lang, texts in TEXTS.items():
        page.goto(f"{server.url}/reports?{period}&q={texts['word']}&lang={lang}")
        expect(page.locator("#reading-list")).to_contain_text(texts["observation"][:40], timeout=20_000)
    # The receipt shows the phenomenon.
    page.goto(receipts["fi"])
    expect(page.locator("#receipt-phenomena")).to_contain_text("Iltapäiväkerhojen jonot jättävät")
    # The coordinator's follow-up, through the follow-up sheet in the browser (still logged in).
    with page.expect_download() as download:
        page.goto(f"{server.url}/coordinator")
        page.get_by_role("link", name="Lataa seurantataulukko").click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    ids = {i.report_id for i in mine}
    rows = [r for r in sheet.iter_rows(min_row=2) if r[header.index("raportin_tunniste")].value in ids]
    assert len(rows) == 2
    for row in rows:
        row[header.index("seurannan_tila")].value = "Käsitelty työryhmässä"
        row[header.index("kasitelty")].value = "Sosiaalityön kehittäjäryhmä"
    buffer = io.BytesIO()
    book.save(buffer)
    page.locator("#followup-file").set_input_files(
        files=[{"name": "seuranta.xlsx", "mimeType": "application/octet-stream", "buffer": buffer.getvalue()}]
    )
    page.locator("#followup-form button[type=submit]").click()
    expect(page.locator("#import-result")).to_contain_text("0 hylätty")
    page.goto(receipts["sv"])
    expect(page.locator("#receipt-status")).to_have_text("Behandlad i arbetsgrupp")
    expect(page.locator("#followup-steps")).to_contain_text("Behandlad: Sosiaalityön kehittäjäryhmä")
    page.goto(receipts["fi"])
    expect(page.locator("#receipt-status")).to_have_text("Käsitelty työryhmässä")
    today = f"{TODAY.day}.{TODAY.month}.{TODAY.year}"
    expect(page.locator("li.step.current")).to_contain_text(f"(nyt, {today})")


def test_the_live_privacy_warning_and_its_confirmation(page, server, db):
    page.goto(f"{server.url}/report?county=09")
    page.locator("#havainto").fill("Asiakas Matti Virtanen kertoi jonoista, puhelin 040 123 4567.")
    warning = page.locator("#havainto-privacy")
    expect(warning).to_contain_text("puhelinnumero: ”040 123 4567”")
    expect(warning).to_contain_text("mahdollinen nimi: ”Virtanen”")
    assert "havainto-privacy" in page.locator("#havainto").get_attribute("aria-describedby")
    expect(page.locator("#privacy-ack")).to_be_visible()
    page.locator("#havainto").fill("Jonot ovat pitkiä.")
    expect(warning).to_be_hidden()
    expect(page.locator("#privacy-ack")).to_be_hidden()


def test_the_draft_survives_a_reload_and_a_resend_is_still_one_report(page, server, db):
    store = Workspace(workspace_path(db))
    before = store.submission_count()
    page.goto(f"{server.url}/report?county=09&lang=sv")
    form_id = page.locator("input[name=form_id]").input_value()
    page.locator("#havainto").fill("Ett utkast som inte får försvinna.")
    page.locator("#kohderyhma-0").check()
    page.goto(f"{server.url}/report?county=09")  # another language: a new page
    expect(page.locator("#draft-restored")).to_be_visible()
    expect(page.locator("#havainto")).to_have_value("Ett utkast som inte får försvinna.")
    expect(page.locator("#kohderyhma-0")).to_be_checked()
    assert page.locator("input[name=form_id]").input_value() == form_id  # still the same report
    page.select_option("#palvelutehtava", "family_services")
    page.locator("#alue-0").check()
    page.locator("#havainnon_tyyppi-2").check()
    page.locator("#report-send").dblclick()
    expect(page.locator("#report-thanks")).to_be_visible()
    # The thank-you page's (deferred) script forgets the draft; wait for it as the reporter would not
    # leave the page before it has loaded.
    page.wait_for_function("() => !Object.keys(sessionStorage).some((k) => k.startsWith('tilannekuva-report-draft:'))")
    assert store.submission_count() == before + 1
    page.goto(f"{server.url}/report?county=09")
    expect(page.locator("#havainto")).to_have_value("")  # sent: the draft is gone
    assert intake.move_pending(db, store).stored >= 1


# The form of a county is scanned in test_accessibility.py and, with its errors, above.
@pytest.mark.parametrize("path", ["/report", "/report?county=20&lang=sv"])
def test_the_report_pages_have_no_wcag_violations(page, server, path):
    page.goto(server.url + path)
    page.locator("main form").first.wait_for()
    assert not axe(page)


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 720)])
def test_the_form_fits_a_phone_and_a_laptop(page, server, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{server.url}/report?county=09")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    send = page.locator("#report-send").bounding_box()
    assert send["width"] >= (width - 60 if width < 576 else 100)
