"""The generated deck, read back with python-pptx: native charts whose data
holds the published figures of seed 001, alt text on every chart, caption and
source in the footer and notes, and never a text of a non-publishable report."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest
from pptx import Presentation
from pptx.util import Emu

from queries.db import write_new_version

AUTUMN = "county=09&from=2024-09-01&to=2024-12-31"
SECRET = "Tämä havainto on merkitty ei-julkaistavaksi ja nostoksi"


@pytest.fixture()
def app_db(db_copy):
    """A copy of the demo with one more Päijät-Häme report: highlighted by the
    coordinator but not publishable, with texts that must never reach a slide."""
    from dashboard.imports.reports import Resolver, read_reports_file, store_reports

    path = db_copy.parent / "extra.csv"
    path.write_text(
        "raportin_tunniste;pvm;hyvinvointialue;palvelutehtava;alue;kohderyhma;teema;havainnon_tyyppi;havainto;"
        "asiakkaan_aani;ratkaisuehdotus;julkaistava;nosto\n"
        f"SALAINEN-1;1.1.2025;Päijät-Häme;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;Asuminen;kielteinen;"
        f"{SECRET} (havainto);{SECRET} (ääni);{SECRET} (ehdotus);ei;kyllä\n",
        encoding="utf-8",
    )

    def work(con):
        store_reports(con, read_reports_file(path, Resolver.from_database(con)))

    write_new_version(db_copy, work)
    return db_copy


def charts_of(prs) -> dict[str, tuple[list, dict[str, list]]]:
    """title -> (categories, series name -> values) of every native chart."""
    found = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                plot = shape.chart.plots[0]
                title = shape._element.nvGraphicFramePr.cNvPr.get("title")
                found[title] = (list(plot.categories), {s.name: list(s.values) for s in plot.series})
    return found


def key_figures(prs, title: str) -> dict[str, tuple[str, ...]]:
    """label -> (number, share) of every key-figure box on the slide with that title."""
    (slide,) = [s for s in prs.slides if any(x.has_text_frame and x.text_frame.text == title for x in s.shapes)]
    found = {}
    for shape in slide.shapes:
        lines = [p.text for p in shape.text_frame.paragraphs] if shape.has_text_frame else []
        if len(lines) >= 2 and re.fullmatch(r"\d[\d\u00a0 ]*", lines[0]):  # a box: the number first, then its label
            number, label, *share = lines
            found[label] = (number, *share)
    return found


def all_text(prs) -> str:
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                plot = shape.chart.plots[0]
                parts += [str(c) for c in plot.categories] + [s.name for s in plot.series]
            parts.append(shape._element.xml)
        parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def deck(client, query: str = AUTUMN):
    response = client.get(f"/download/deck.pptx?{query}")
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Content-Disposition"].endswith('.pptx"')
    return Presentation(io.BytesIO(response.data))


def test_the_deck_carries_the_published_figures_in_native_charts(client):
    prs = deck(client)
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000)) or abs(
        prs.slide_width / prs.slide_height - 16 / 9
    ) < 0.01
    charts = charts_of(prs)

    def counts(title: str) -> dict:
        categories, series = charts[title]
        (values,) = series.values()
        return dict(zip(categories, values))

    assert counts("Havaintojen tyypit") == {"Kielteinen": 31, "Neutraali": 5, "Myönteinen": 4}
    assert sorted(counts("Kunta tai alue, jota raportti koskee").values(), reverse=True) == [
        16,
        13,
        8,
        2,
        2,
        2,
        2,
        1,
        1,
    ]
    assert counts("Kohderyhmät") == {
        "Työikäiset": 21,
        "Lapset, nuoret ja perheet": 20,
        "Vammaiset": 10,
        "Ikääntyneet": 7,
        "Päihde- ja riippuvuustyö": 7,
    }
    themes = counts("Teemat")
    published = (
        "Puuttuvat palvelut",
        "Lapsen tasapainoinen",
        "Toimintakyky",
        "Toimivat työmenetelmät",
        "Sosiaalinen syrjäytyminen",
        "Viranomaisten välinen yhteistyö",
    )
    assert [next(v for k, v in themes.items() if k.startswith(name)) for name in published] == [6, 5, 4, 6, 3, 3]
    # The trend: every half-year, split by type; the follow-up counts all 40 reports.
    categories, series = charts["Raportit puolivuosittain"]
    assert "heinä–joulukuu 2024" in categories and set(series) == {"Kielteinen", "Myönteinen", "Neutraali"}
    assert sum(counts("Mitä raporteista seurasi").values()) == 40
    # The key figures slide: each box's number, label and share as a reader sees them, in whole
    # percent as the published summaries (the county's rule for slides, README "Configuration"),
    # and the slide says so.
    assert key_figures(prs, "Raportit ja havaintojen tyypit") == {
        "Raportteja": ("40",),
        "Kielteisiä havaintoja": ("31", "78 %"),
        "Myönteisiä havaintoja": ("4", "10 %"),
        "Neutraaleja havaintoja": ("5", "13 %"),
    }
    assert "osuudet kokonaisina prosentteina" in all_text(prs)


def test_every_chart_has_alt_text_and_every_slide_a_footer_and_notes(client):
    prs = deck(client)
    for number, slide in enumerate(prs.slides, start=1):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert any(f"{number}/{len(prs.slides)}" == x for x in texts), number
        assert "Lähde" in "\n".join(texts) + slide.notes_slide.notes_text_frame.text
        for shape in slide.shapes:
            if shape.has_chart:
                assert shape._element.nvGraphicFramePr.cNvPr.get("descr"), number


def test_no_text_of_a_non_publishable_report_reaches_the_deck(client):
    text = all_text(deck(client, "county=09&from=2024-09-01&to=2025-06-30"))
    assert SECRET not in text
    # The report is counted, though: the deck's numbers include it.
    response = client.get("/download/summary.csv?county=09&from=2025-01-01&to=2025-01-01")
    assert "Asuminen;;1;" in response.get_data(as_text=True)


def test_highlights_come_first(client):
    prs = deck(client, "county=09")  # no published analysis: the fallback's sample texts
    text = all_text(prs)
    assert "★" in text  # the coordinator's picks are marked on the text slides


def test_a_county_template_replaces_the_built_in_look(client, tmp_path, monkeypatch):
    template = Presentation()
    template.slide_width, template.slide_height = Emu(12192000), Emu(6858000)
    # The county's look lives in its layouts: a logo on the "Title Only" layout (a shape
    # drawn on a scratch slide and moved onto the layout).
    layout = next(x for x in template.slide_layouts if x.name == "Title Only")
    scratch = template.slides.add_slide(layout)
    logo = scratch.shapes.add_textbox(Emu(100000), Emu(100000), Emu(3000000), Emu(400000))
    logo.text_frame.text = "PHHYKY logo"
    layout.shapes._spTree.append(logo._element)
    slides = template.slides._sldIdLst
    template.part.drop_rel(slides[0].rId)
    slides.remove(slides[0])
    path = tmp_path / "pohja.pptx"
    template.save(path)
    monkeypatch.setenv("DASHBOARD_DECK_TEMPLATE", str(path))
    prs = deck(client)
    kpis = next(s for s in prs.slides if s.shapes.title.text == "Raportit ja havaintojen tyypit")
    assert kpis.slide_layout.name == "Title Only"
    assert any(s.has_text_frame and s.text_frame.text == "PHHYKY logo" for s in kpis.slide_layout.shapes)
    # Text slides take the template's "Title and Content" layout, their bullets in its body placeholder.
    themes = next(s for s in prs.slides if s.shapes.title.text == "Raporttien keskeisiä teemoja")
    assert themes.slide_layout.name == "Title and Content"
    assert "Mielenterveys" in themes.placeholders[1].text_frame.text
    assert charts_of(prs)["Kohderyhmät"][1]  # still native charts


def test_bad_links_get_a_reason_not_a_deck(client):
    response = client.get("/download/deck.pptx?county=99&theme=x")
    assert response.status_code == 400 and "ei voitu käyttää" in response.get_data(as_text=True)


def test_the_command_line_writes_the_same_deck(db_copy, tmp_path):
    out = tmp_path / "esitys.pptx"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "deck",
            "--county",
            "09",
            "--from",
            "2024-09-01",
            "--to",
            "2024-12-31",
            "--lang",
            "sv",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "DASHBOARD_DB": str(db_copy)},
    )
    assert done.returncode == 0, done.stderr
    charts = charts_of(Presentation(str(out)))
    categories, series = charts["Målgrupper"]
    assert sorted(next(iter(series.values())), reverse=True) == [21, 20, 10, 7, 7]


def test_a_text_slide_of_long_items_gets_smaller_type_and_short_items_keep_theirs():
    # Three long observations with their proposals overflowed the footer at 18 pt (seen in the
    # phenomenon deck's proposals): such a slide is set smaller, a slide of short items is not.
    from dashboard.export.deck import deck_bytes
    from dashboard.views.slides import Deck, Slide, TextItem

    long = TextItem("Pitkä havainto, jossa on monta lausetta ja paljon sanoja. " * 5, "Ehdotus, " * 25, "1.9.2024")
    short = TextItem("Lyhyt havainto.", "Lyhyt ehdotus.", "1.9.2024")
    deck = Deck("Testi", "", "fi", False)
    for items in ((long, long, long), (short, short, short)):
        deck.slides.append(Slide(kind="texts", title="Ratkaisuehdotukset", items=items))
    prs = Presentation(io.BytesIO(deck_bytes(deck)))
    sizes = []
    for slide in prs.slides:
        body = next(p for p in slide.placeholders if p.placeholder_format.idx == 1)
        sizes.append(body.text_frame.paragraphs[0].runs[0].font.size.pt)
    assert sizes[0] < 18 and sizes[1] == 18


def test_a_hidden_value_on_a_slide_says_how_many_people_at_most(client):
    """Sirkkulanpuisto 2021: 2 of 27 respondents in upper secondary is hidden; the deck says
    'alle 5 henkilöä' in the deck's language, never '< 5' (read as 'under five percent')."""
    for lang, said in (("fi", "alle 5 henkilöä"), ("sv", "färre än 5 personer"), ("en", "fewer than 5 people")):
        response = client.get(
            f"/download/deck-indicators.pptx?indicator=local-sirkkula-2021-upper-secondary&lang={lang}"
        )
        assert response.status_code == 200
        text = all_text(Presentation(io.BytesIO(response.data)))
        assert said in text and "< 5" not in text, lang
