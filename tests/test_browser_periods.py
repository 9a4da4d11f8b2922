"""Periods as counties write them, in Chromium: the free date range takes the Finnish
'1.9.2024' (whatever the browser's locale) and the view follows as soon as a date is
complete, with no error on the page; a malformed date is named, not applied."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .browser import caption, choose

pytestmark = pytest.mark.browser
WAIT = 60_000  # a filter change on a loaded machine


@pytest.fixture(scope="module")
def server(demo_server):
    return demo_server  # the session's demo server (conftest)


@pytest.fixture()
def us_page(browser):
    """A browser set to US English: a native date input would want 09/01/2024 here."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert not errors, errors


def test_typing_finnish_dates_applies_each_at_once(us_page, server):
    page = us_page
    page.goto(f"{server.url}/reports?county=09")
    caption(page, re.compile(r"^Päijät-Häme · koko aika · \d+ raporttia$"))
    start = page.locator("#date-from-text")
    expect(start).to_have_attribute("placeholder", "p.k.vvvv")
    assert "1.9.2024" in page.locator("#date-hint").inner_text()
    start.click()
    page.keyboard.type("1.9.2024")  # key by key, as a user types; no Enter, no leaving the field
    expect(page.locator("#caption")).to_have_text(
        re.compile(r"^Päijät-Häme · 1\.9\.2024 – · \d+ raporttia$"), timeout=WAIT
    )
    assert page.url.endswith("/reports?county=09&from=2024-09-01")
    expect(start).to_be_focused()
    end = page.locator("#date-to-text")
    end.click()
    page.keyboard.type("31.12.2024")
    expect(page.locator("#caption")).to_have_text(
        re.compile(r"Päijät-Häme · .*1\.9\.–31\.12\.2024.* · 40 raporttia"), timeout=WAIT
    )
    assert page.url.endswith("/reports?county=09&from=2024-09-01&to=2024-12-31")
    # What the user typed stays as typed; the period menu knows the period.
    expect(start).to_have_value("1.9.2024")
    expect(end).to_have_value("31.12.2024")
    # ISO works too.
    end.fill("")
    page.keyboard.type("2024-10-31")
    expect(page.locator("#caption")).to_contain_text("1.9.–31.10.2024", timeout=WAIT)


def test_a_date_that_is_not_one_is_named_and_not_applied(us_page, server):
    page = us_page
    page.goto(f"{server.url}/reports?county=09&from=2024-09-01&to=2024-12-31")
    end = page.locator("#date-to-text")
    expect(end).to_have_value("31.12.2024")
    end.fill("")
    page.keyboard.type("31.2.2024")
    page.keyboard.press("Enter")
    message = page.locator("#date-to-error")
    expect(message).to_have_text("”31.2.2024” ei ole päivämäärä. Kirjoita muodossa p.k.vvvv, esim. 1.9.2024.")
    expect(end).to_have_attribute("aria-invalid", "true")
    assert "date-to-error" in end.get_attribute("aria-describedby")
    assert page.url.endswith("to=2024-12-31")  # nothing applied
    # A year with five digits never gets in (the native input once made 62024-03-01 of it).
    end.fill("")
    page.keyboard.type("1.3.62024")
    end.press("Tab")
    expect(message).to_contain_text("1.3.62024")
    assert page.url.endswith("to=2024-12-31")
    # Correcting it clears the message and applies.
    end.fill("")
    page.keyboard.type("30.11.2024")
    page.wait_for_url(re.compile(r"to=2024-11-30$"), timeout=WAIT)
    expect(message).to_have_text("")
    expect(end).not_to_have_attribute("aria-invalid", "true")
    # Emptying the field and leaving it removes the limit.
    end.fill("")
    end.press("Tab")
    page.wait_for_url(re.compile(r"/reports\?county=09&from=2024-09-01$"), timeout=WAIT)


def test_choosing_a_period_fills_the_fields(us_page, server):
    page = us_page
    page.goto(f"{server.url}/reports?county=09&lang=sv")
    start, end = page.locator("#date-from-text"), page.locator("#date-to-text")
    expect(start).to_have_value("")
    expect(start).to_have_attribute("placeholder", "d.m.åååå")
    choose(page, "period", "Hösten 2024 (1.9–31.12)")
    expect(start).to_have_value("1.9.2024", timeout=WAIT)
    expect(end).to_have_value("31.12.2024")
    page.go_back()
    expect(start).to_have_value("", timeout=WAIT)
    expect(end).to_have_value("")


@pytest.mark.parametrize(
    "path, title",
    [
        (f"/reports?{'county=09&from=2024-09-01&to=2024-12-31'}", "Raportit · Päijät-Häme · syksy 2024 – Tilannekuva"),
        (
            "/?county=09&from=2024-01-01&to=2024-06-30&lang=sv",
            "Översikt · Päijänne-Tavastland · januari–juni 2024 – Lägesbild",
        ),
        (
            "/phenomena?theme=housing&lang=en",
            "Phenomena · All counties · Housing · all time – Tilannekuva",
        ),
        (
            "/indicators?indicator=demo-toimeentulotuki&region=398&year=2023",
            "Indikaattorit · Toimeentulotukea saaneet henkilöt, % asukkaista · Lahti · 2023 · Yhteensä – Tilannekuva",
        ),
        ("/no-such-page", "Tilannekuva"),
    ],
)
def test_every_view_names_itself_and_its_filter_in_the_title(page, server, path, title):
    page.goto(server.url + path)
    expect(page).to_have_title(title, timeout=WAIT)


def test_the_title_follows_the_filter(page, server):
    page.goto(f"{server.url}/reports?county=09&from=2024-09-01&to=2024-12-31")
    expect(page).to_have_title("Raportit · Päijät-Häme · syksy 2024 – Tilannekuva", timeout=WAIT)
    choose(page, "target_group", "Työikäiset")
    expect(page).to_have_title("Raportit · Päijät-Häme · työikäiset · syksy 2024 – Tilannekuva", timeout=WAIT)
    choose(page, "period", "Tammi–kesäkuu 2024")
    expect(page).to_have_title("Raportit · Päijät-Häme · työikäiset · tammi–kesäkuu 2024 – Tilannekuva", timeout=WAIT)
    # The menu keeps county and period; the next view names them too.
    page.get_by_role("link", name="Indikaattorit").click()
    expect(page).to_have_title(re.compile(r"^Indikaattorit · .+ – Tilannekuva$"), timeout=WAIT)
