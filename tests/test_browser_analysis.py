"""A leadership session in Chromium meets the published half-year analysis: it reads
the key themes and a target group's phenomena in the reports view, clicks a bullet's
"n raporttia" and reads exactly the reports behind it (the link survives a reload and
the back button), presents the period and downloads the deck and the chapter; axe finds
nothing on the view with the analysis open, on the overview nor on the evidence view (each in
one of fi, sv and en)."""

from __future__ import annotations

import re

import duckdb
import pytest
from docx import Document
from pptx import Presentation

from queries import analysis as q

from .browser import caption, click_largest_bar, settled
from .test_accessibility import RULES, axe_source

pytestmark = pytest.mark.browser
AUTUMN = "county=09&from=2024-09-01&to=2024-12-31"
BULLET = "Matalan kynnyksen ja lähipalvelujen tarve Heinolassa."
NOTE_OTHER_FILTERS = "näkymän muut rajaukset eivät koske sitä"


@pytest.fixture(scope="module")
def behind(demo_db):
    """The report ids behind the bullet, as the query layer gives them."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        analysis = q.published(con, "09", "2024-09-01", "2024-12-31")
        item = next(i for s in analysis.sections for i in s.observations if i.title == BULLET)
        return set(q.reports_for(con, item.report_keys)["report_id"])


def cards(page) -> set[str]:
    titles = page.locator("#reading-list .report-card h3").all_inner_texts()
    return {m[0] for m in (re.search(r"PH-\d{4}-\d{3}", h) for h in titles) if m}


def test_leadership_reads_the_analysis_opens_the_evidence_presents_and_downloads(page, demo_server, behind, tmp_path):
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    heading = page.locator("#analysis-heading")
    heading.wait_for()
    assert "Sosiaalisen raportoinnin tuloksia, syksy 2024" in heading.inner_text()
    themes = page.locator(".analysis-themes").inner_text()
    assert "Perheiden tuen tarpeet ja niihin vastaaminen" in themes and "Mielenterveys" in themes
    # Open the working-age section and the bullet's evidence.
    section = page.locator("details[data-section='working_age']")
    section.locator("summary").click()
    item = section.locator("li.analysis-item", has_text=BULLET)
    link = item.get_by_role("link", name=re.compile(r"2 raporttia"))
    link.click()
    page.wait_for_url(re.compile(r"evidence=demo-2024-autumn-wa_o10"))
    banner = page.locator(".evidence-banner")
    banner.wait_for()
    assert BULLET in banner.inner_text()
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('evidence-banner')")
    page.wait_for_function("document.querySelectorAll('#reading-list .report-card').length === 2")
    assert cards(page) == behind and len(behind) == 2
    # The caption says what the view shows; a reload keeps it (the link is the state).
    assert "ilmiön tukena olevat raportit" in page.locator("#caption").inner_text()
    page.reload()
    page.locator(".evidence-banner").wait_for()
    page.wait_for_function("document.querySelectorAll('#reading-list .report-card').length === 2")
    assert cards(page) == behind
    # Back: the whole period again.
    page.go_back()
    page.wait_for_url(re.compile(r"^(?!.*evidence=).*$"))
    page.wait_for_function("!document.querySelector('.evidence-banner')")
    page.wait_for_function("document.querySelectorAll('#reading-list .report-card').length >= 20")
    # Present it: the analysis' slides follow the figures.
    with page.expect_navigation():
        page.get_by_role("link", name="Esitä").click()
    page.locator("body[data-ready='1']").wait_for()
    titles = page.locator(".slide .slide-header h2").evaluate_all("els => els.map(e => e.textContent)")
    assert "Raporttien keskeisiä teemoja" in titles
    assert any(x.startswith("Työikäiset: havaintoja ja ratkaisuehdotuksia") for x in titles)
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"/reports\?"))
    page.locator("#analysis-heading").wait_for()
    # Download the deck and the chapter from the view's menu.
    page.get_by_role("button", name="Lataa").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Esitys (PowerPoint)").click()
    deck = tmp_path / "esitys.pptx"
    info.value.save_as(deck)
    slides = [s.shapes.title.text for s in Presentation(str(deck)).slides]
    assert "Raporttien keskeisiä teemoja" in slides
    page.get_by_role("button", name="Lataa").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Hyvinvointikertomuksen luku (Word)").click()
    chapter = tmp_path / "luku.docx"
    info.value.save_as(chapter)
    bullets = [p.text for p in Document(str(chapter)).paragraphs if p.style.name == "List Bullet"]
    assert any(b.startswith(BULLET) for b in bullets)


def test_the_overview_shows_the_analysis_and_a_partial_period_points_to_it(page, demo_server, behind):
    page.goto(f"{demo_server.url}/?{AUTUMN}")
    page.locator("#analysis-heading").wait_for()
    page.locator("details[data-section='working_age'] summary").click()
    page.locator("details[data-section='working_age'] li.analysis-item", has_text=BULLET).get_by_role("link").click()
    page.wait_for_url(re.compile(r"/reports\?.*evidence="))
    page.wait_for_function("document.querySelectorAll('#reading-list .report-card').length === 2")
    assert cards(page) == behind
    # A period that only overlaps the analysed one shows no analysis but offers it.
    page.goto(f"{demo_server.url}/?county=09&from=2024-07-01&to=2024-12-31")
    note = page.locator(".analysis-note")
    note.wait_for()
    assert page.locator("#analysis-heading").count() == 0
    note.get_by_role("link", name="Päijät-Häme 1.9.–31.12.2024").click()
    page.locator("#analysis-heading").wait_for()
    assert "from=2024-09-01" in page.url


def test_a_section_the_user_opened_stays_open_when_an_answer_draws_the_analysis_again(page, demo_server):
    """The user opens a section of the overview's analysis at once (an answer may still be on its
    way), then clicks a bar: the answer draws the analysis again (a note that other filters are
    on), and the section the user opened stays open."""
    page.goto(f"{demo_server.url}/?{AUTUMN}")
    section = page.locator("details[data-section='working_age']")
    section.locator("summary").click()
    assert section.get_attribute("open") is not None
    click_largest_bar(page, "theme")
    caption(page, "Päijät-Häme · mielenterveys · syksy 2024 (1.9.–31.12.2024) · 8 raporttia")
    settled(page)
    assert page.locator(".analysis-block p.small", has_text=NOTE_OTHER_FILTERS).count() == 1
    assert page.locator("details[data-section='working_age']").get_attribute("open") is not None
    assert page.locator("details.analysis-section[open]").count() == 1


# One scan per page state (axe's rules look at the markup, which is the same in every language; the
# text differs): each state in one language, every language once.
@pytest.mark.parametrize(
    "path, lang",
    [
        (f"/reports?{AUTUMN}", "fi"),  # the reports view with every analysis section open
        (f"/?{AUTUMN}", "sv"),  # the overview with every analysis section open
        (f"/reports?{AUTUMN}&evidence=demo-2024-autumn-wa_o10", "en"),  # a bullet's evidence view
    ],
)
def test_axe_finds_nothing_with_the_analysis_open(page, demo_server, path, lang):
    page.goto(f"{demo_server.url}{path}&lang={lang}")
    if "evidence=" in path:
        page.locator(".evidence-banner").wait_for()
    else:
        page.locator("#analysis-heading").wait_for()
        summaries = page.locator("details.analysis-section summary").all()
        assert summaries
        for summary in summaries:
            summary.click()
    page.add_script_tag(content=axe_source())
    result = page.evaluate("rules => axe.run(document, rules)", RULES)
    problems = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert not problems, (path, problems)
