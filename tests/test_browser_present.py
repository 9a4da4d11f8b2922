"""Presentation mode in Chromium: the keys a clicker sends move between slides
and the URL follows; every slide fits a Teams screen without scrolling and
nothing overflows it; type is big enough for a shared screen; printing gives
one page per slide; every view has its Present button."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser
AUTUMN = "county=09&from=2024-09-01&to=2024-12-31"

# Every text element of the visible slide that pokes out of the slide's box.
OVERFLOW = """() => {
  const slide = document.querySelector('.slide:not([hidden])');
  const box = slide.getBoundingClientRect();
  const out = [];
  slide.querySelectorAll('h1, h2, p, li, blockquote, .kpi-value, .kpi-label, .slide-number, svg text').forEach(el => {
    if (el.closest('.visually-hidden')) return;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) return;
    if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
      out.push(el.tagName + ': ' + (el.textContent || '').slice(0, 40));
  });
  return out;
}"""


def visible(page) -> int:
    return int(page.locator(".slide:not([hidden])").get_attribute("data-slide"))


def test_keys_move_between_slides_and_the_url_follows(page, demo_server):
    page.goto(f"{demo_server.url}/present?{AUTUMN}")
    page.locator("body[data-ready='1']").wait_for()
    assert visible(page) == 1
    assert "40 raporttia" in page.locator("#slide-1").inner_text()
    page.keyboard.press("ArrowRight")
    assert visible(page) == 2 and re.search(r"[?&]slide=2\b", page.url)
    page.keyboard.press("PageDown")
    page.keyboard.press("PageDown")
    assert visible(page) == 4
    page.keyboard.press("PageUp")
    assert visible(page) == 3
    page.keyboard.press("End")
    last = page.locator(".slide").count()
    assert visible(page) == last
    page.keyboard.press("Home")
    assert visible(page) == 1
    # Back goes to the previous slide; a link opens that slide.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.go_back()
    page.wait_for_function("document.querySelector('.slide:not([hidden])').dataset.slide === '2'")
    page.goto(f"{demo_server.url}/present?{AUTUMN}&slide=5")
    page.locator("body[data-ready='1']").wait_for()
    assert visible(page) == 5
    # Esc goes back to the view it came from, with the same filters.
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"/reports\?county=09&from=2024-09-01&to=2024-12-31$"))
    from playwright.sync_api import expect

    expect(page.locator("#caption")).to_have_text("Päijät-Häme · syksy 2024 (1.9.–31.12.2024) · 40 raporttia")


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_every_slide_fits_without_scrolling_and_nothing_overflows(browser, demo_server, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(f"{demo_server.url}/present?{AUTUMN}")
    page.locator("body[data-ready='1']").wait_for()
    total = page.locator(".slide").count()
    assert total >= 12
    for n in range(1, total + 1):
        if n > 1:
            page.keyboard.press("ArrowRight")
        assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1"), n
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), n
        problems = page.evaluate(OVERFLOW)
        assert not problems, (n, problems)
        if size == (1280, 720):
            title = page.locator(".slide:not([hidden]) h1, .slide:not([hidden]) h2").first
            assert float(title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 32, n
            sizes = page.evaluate("""() => [...document.querySelectorAll('.slide:not([hidden]) svg text')]
                .map(t => parseFloat(t.style.fontSize || getComputedStyle(t).fontSize)).filter(x => x)""")
            assert all(s >= 18 for s in sizes), (n, sorted(sizes)[:3])
    assert page.locator(".modebar").count() == 0  # no chart toolbar on slides
    context.close()


@pytest.mark.parametrize("path", [f"/present?{AUTUMN}", "/present/indicators?indicator=demo-toimeentulotuki&region=09"])
def test_printing_gives_each_slide_on_its_own_page(browser, demo_server, path):
    """The PDF Chromium prints, read with pypdf: one page per slide, each page holding its own
    slide's title (no blank page: a hidden slide must print too)."""
    import io

    from pypdf import PdfReader

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(demo_server.url + path)
    page.locator("body[data-ready='1']").wait_for()
    titles = page.eval_on_selector_all(".slide", "ss => ss.map(s => s.querySelector('h1, h2').textContent)")
    pages = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True))).pages
    assert len(pages) == len(titles) >= 3

    def words(text: str) -> str:
        return " ".join(text.split())  # the PDF breaks a long title over lines

    texts = [words(p.extract_text() or "") for p in pages]
    for number, (title, text) in enumerate(zip(titles, texts), start=1):
        assert words(title) in text, (number, title, text[:200])
        assert f"{number} / {len(titles)}" in text, number
        others = [t for t in titles if t != title and words(t) not in words(title)]
        assert not any(words(t) in text for t in others if len(t) > 12), number
    context.close()


def test_esc_returns_focus_to_the_present_button(page, demo_server):
    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    page.get_by_role("link", name="Esitä").click()
    page.locator("body[data-ready='1']").wait_for()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"/reports\?county=09&from=2024-09-01&to=2024-12-31$"))
    page.wait_for_function("document.activeElement && document.activeElement.id === 'present-link'")
    # The keyboard user goes on from there: Enter presents again.
    page.keyboard.press("Enter")
    page.locator("body[data-ready='1']").wait_for()
    assert "/present?" in page.url


@pytest.mark.parametrize(
    "path, present",
    [
        (f"/reports?{AUTUMN}", f"/present?{AUTUMN}"),
        (f"/?{AUTUMN}", f"/present?{AUTUMN}"),
        (f"/phenomena?theme=housing&{AUTUMN}", f"/present/phenomena?theme=housing&{AUTUMN}"),
        (
            "/indicators?indicator=demo-toimeentulotuki&region=09",
            "/present/indicators?indicator=demo-toimeentulotuki&region=09",
        ),
    ],
)
def test_every_view_has_a_present_button(page, demo_server, path, present):
    page.goto(demo_server.url + path)
    button = page.get_by_role("link", name="Esitä")
    button.wait_for()
    href = button.get_attribute("href")
    assert href.split("?")[0] == present.split("?")[0]
    # The same filters (the indicator view adds the year and sex it shows).
    assert set(present.split("?")[1].split("&")) <= set(href.split("?")[1].split("&"))
    button.click()
    page.locator("body[data-ready='1']").wait_for()
    assert page.locator(".slide").count() >= 3


def test_the_slides_speak_the_chosen_language(page, demo_server):
    # With the period's published analysis, slide 2 says what social reporting is; 3 has the key figures.
    page.goto(f"{demo_server.url}/present?{AUTUMN}&lang=sv&slide=3")
    page.locator("body[data-ready='1']").wait_for()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert "Vad är social rapportering?" in page.locator("#slide-2").text_content()
    assert "Rapporter och typer av observationer" in page.locator("#slide-3").inner_text()
    assert page.locator("#slide-3 .kpi-total .kpi-value").inner_text() == "40"


def test_the_camera_png_is_slide_ready_and_named_after_its_own_caption(page, demo_server, tmp_path):
    from PIL import Image

    page.goto(f"{demo_server.url}/reports?{AUTUMN}")
    chart = page.locator('[id=\'{"name":"trend","type":"chart"}\']')
    chart.locator(".main-svg").first.wait_for()
    chart.hover()
    button = chart.get_by_role("button", name="Tallenna kuvana (PNG)")
    with page.expect_download() as info:
        button.click()
    # The trend shows every half-year: its file says so (322 reports), not the period's 40.
    assert info.value.suggested_filename == "raportit-puolivuosittain-paijat-hame-koko-aika-322-raporttia.png"
    path = tmp_path / "kaavio.png"
    info.value.save_as(path)
    assert Image.open(path).size == (1920, 1080)
    # The toolbar offers nothing else (no cloud, no editor, no zoom tools).
    assert chart.locator(".modebar-btn").count() == 1
