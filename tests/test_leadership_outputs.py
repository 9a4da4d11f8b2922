"""What leadership gets of the published half-year analysis, read back with real
readers: the deck (python-pptx), the wellbeing-report chapter (python-docx), the
chart-data workbook (openpyxl) and the reports behind a bullet. Planted drafts,
non-publishable texts and unresolved privacy hits appear in none of them; an
unanalysed period falls back to today's slides; every slide has a title placeholder;
the indicator deck ranks largest first and highlights what the filter chose."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import subprocess
import sys

import duckdb
import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from dashboard.analysis.workspace import Period, Workspace, workspace_path
from dashboard.core.i18n import t, tn
from queries import analysis as q
from queries.db import write_new_version

from .support import app_client

AUTUMN = "county=09&from=2024-09-01&to=2024-12-31"
SPRING = "county=09&from=2024-01-01&to=2024-06-30"
PERIOD = Period.of("09", "2024-09-01", "2024-12-31")
KEY_THEMES = [
    "Perheiden tuen tarpeet ja niihin vastaaminen",
    "Taloudellinen tilanne ja toimeentulo",
    "Palvelujen saatavuus ja saavutettavuus",
    "Mielenterveys",
]
# Planted: a publishable report whose privacy hits are unresolved (quoted by a published bullet),
# a draft the coordinator has not published, and the text of a report that is not publishable.
HIT = "Henkilötunnus 131052-308T kuului Maija Meikäläiselle"
DRAFT_TITLE = "LUONNOS: julkaisematon ilmiö"
DRAFT_INTRO = "Luonnoksen johdanto, jota johto ei saa nähdä"
UNPUBLISHABLE = "Terapiaan pääsyä pitää odottaa niin kauan"  # a client voice of a non-publishable report


@pytest.fixture()
def planted(db_copy, make_client):
    """The demo (copy) with the three plants, and the app on it."""
    from dashboard.imports.reports import Resolver, read_reports_file, store_reports

    path = db_copy.parent / "plant.csv"
    path.write_text(
        "raportin_tunniste;pvm;hyvinvointialue;palvelutehtava;alue;kohderyhma;teema;havainnon_tyyppi;havainto;"
        "asiakkaan_aani;ratkaisuehdotus;julkaistava\n"
        f"PLANT-1;15.10.2024;Päijät-Häme;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;Mielenterveys;kielteinen;"
        f"{HIT} (havainto);{HIT} (ääni);{HIT} (ehdotus);kyllä\n",
        encoding="utf-8",
    )

    def work(con):
        store_reports(con, read_reports_file(path, Resolver.from_database(con)))
        key = con.execute("SELECT report_key FROM reports WHERE report_id = 'PLANT-1'").fetchone()[0]
        con.execute(
            "INSERT INTO report_reviews (report_key, reviewed, privacy_hits, privacy_unresolved, screened_hash) "
            f"SELECT report_key, TRUE, 2, 2, {q.text_hash_sql('r')} FROM reports r WHERE report_key = $k",
            {"k": key},
        )
        con.execute("INSERT INTO analysis_phenomenon_reports VALUES ('demo-2024-autumn-wa_o1', $k, TRUE)", {"k": key})

    write_new_version(db_copy, work)
    store = Workspace(workspace_path(db_copy))
    with duckdb.connect(str(db_copy), read_only=True) as con:
        store.open_from_published(PERIOD, q.published_draft(con, *PERIOD.key), "anna")
        some = q.period_reports(con, *PERIOD.key)["report_id"].iloc[0]
    store.create_phenomenon(PERIOD, "observation", DRAFT_TITLE, [some], "anna", target_groups=["working_age"])
    store.update_analysis(PERIOD, {"intro": DRAFT_INTRO}, None, "anna")
    store.close()
    return make_client(db_copy)


class Fetched:
    """The app on the demo for the module's tests that only read: an address is fetched once (the
    app answers the same bytes to the same address; the demo database is read-only), so the decks,
    chapters and pages several tests read back are built once."""

    def __init__(self, client) -> None:
        self.client = client
        self.answers: dict[str, object] = {}

    def get(self, url: str):
        if url not in self.answers:
            self.answers[url] = self.client.get(url)
        return self.answers[url]


@pytest.fixture(scope="module")
def client(demo_db):
    with app_client(demo_db) as app:
        yield Fetched(app)


def get(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.data


def pptx_of(client, query: str = AUTUMN, deck: str = "deck"):
    return Presentation(io.BytesIO(get(client, f"/download/{deck}.pptx?{query}")))


def docx_of(client, query: str = AUTUMN):
    return Document(io.BytesIO(get(client, f"/download/chapter.docx?{query}")))


def slide_text(slide) -> str:
    parts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    return "\n".join(parts + [slide.notes_slide.notes_text_frame.text])


def deck_text(prs) -> str:
    out = []
    for slide in prs.slides:
        out.append(slide_text(slide))
        for shape in slide.shapes:
            out.append(shape._element.xml)  # charts' alt text, tables
    return "\n".join(out)


def docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def published(con):
    return q.published(con, "09", "2024-09-01", "2024-12-31")


# ---- the deck ---------------------------------------------------------------------------------------


def test_the_deck_follows_the_published_summary(client, con, vocab):
    prs = pptx_of(client)
    analysis = published(con)
    titles = [slide.shapes.title.text for slide in prs.slides]
    # The title, what social reporting is, the figures, then the analysis.
    assert titles[0].startswith("Sosiaalisen raportoinnin tuloksia, syksy 2024")
    assert titles[1] == "Mitä sosiaalinen raportointi on?" and analysis.intro in slide_text(prs.slides[1])
    assert "Kohderyhmät" in titles and titles.index("Kohderyhmät") < titles.index("Raporttien keskeisiä teemoja")
    themes = slide_text(prs.slides[titles.index("Raporttien keskeisiä teemoja")])
    for theme in analysis.key_themes:
        assert theme.title in themes and all(bullet in themes for bullet in theme.bullets)
        assert tn("analysis.n_reports", len(theme.report_keys), "fi") in themes
    assert [k.title for k in analysis.key_themes] == KEY_THEMES
    # Each target group's section: its slides' titles, the three kinds' headings and every bullet.
    for section in analysis.sections:
        title = t("analysis.section_title", "fi", group=vocab.label(section.dimension, section.code, "fi"))
        mine = [slide for slide, text in zip(prs.slides, titles) if text.startswith(title)]
        assert mine, title
        text = "\n".join(slide_text(s) for s in mine)
        for kind, items in (
            ("observation", section.observations),
            ("good_practice", section.good_practices),
            ("proposal", section.proposals),
        ):
            if items:
                assert t(f"analysis.kind.{kind}", "fi") in text
            for item in items:
                assert item.title in text, item.title
    # Quotes: one or two per section, from its supporting reports, never the same twice.
    quotes = [
        s.placeholders[1].text_frame.text for s, text in zip(prs.slides, titles) if text.endswith(": asiakkaiden ääni")
    ]
    assert len(quotes) == len(analysis.sections)
    every = [line for block in quotes for line in block.splitlines() if line.startswith("”")]
    assert len(every) == len(set(every)) >= len(analysis.sections)
    # Positive findings and where the information was taken.
    assert "Myönteiset havainnot ja hyvät käytännöt" in titles[-3] or any(
        x.startswith("Myönteiset havainnot") for x in titles
    )
    where = slide_text(prs.slides[titles.index("Mihin tieto on viety")])
    assert "Sosiaalityön kehittäjät -ryhmä" in where and "Alueellinen HYTE-ryhmä" in where and "14.2.2025" in where
    # The sample texts of the fallback are gone: no slide per target group of random report texts.
    assert not any(x.startswith(t("slides.group", "fi", group="Työikäiset")) for x in titles)


def test_every_slide_has_a_title_placeholder_with_text(client):
    for query, deck in (
        (AUTUMN, "deck"),
        (SPRING, "deck"),
        ("county=09&theme=mental_health&from=2024-09-01&to=2024-12-31", "deck-phenomena"),
        ("region=398", "deck-indicators"),
    ):
        prs = pptx_of(client, query, deck)
        for number, slide in enumerate(prs.slides, start=1):
            title = slide.shapes.title
            assert title is not None and title.is_placeholder, (deck, number)
            assert title.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
            assert title.text_frame.text.strip(), (deck, number)
        # Text slides put their bullets in the body placeholder: the outline is not empty.
        bodies = [
            p.text_frame.text
            for s in prs.slides
            for p in s.placeholders
            if p.placeholder_format.idx == 1 and p.has_text_frame
        ]
        assert any(text.strip() for text in bodies), deck


def test_an_unanalysed_period_falls_back_to_todays_slides(client, con):
    assert q.published(con, "09", "2024-01-01", "2024-06-30") is None
    prs = pptx_of(client, SPRING)
    titles = [slide.shapes.title.text for slide in prs.slides]
    assert "Raporttien keskeisiä teemoja" not in titles and "Mihin tieto on viety" not in titles
    assert any(x.startswith("Työikäiset") for x in titles)  # the per-group sample texts
    assert titles[0].startswith(t("slides.title", "fi", county="Päijät-Häme")[:20])
    text = docx_text(docx_of(client, SPRING))
    assert t("analysis.none", "fi") in text and "Raporttien keskeisiä teemoja" not in text


def present_titles(client, query: str) -> list[str]:
    page = get(client, f"/present?{query}").decode()
    labels = re.findall(r'<section class="slide[^"]*"[^>]*aria-label="\d+ / \d+: ([^"]*)"', page)
    return [html.unescape(label) for label in labels]


def test_present_shows_the_slides_the_deck_has(client):
    # /present and the deck are one slide sequence: with the analysis and in the fallback alike.
    for query in (AUTUMN, SPRING):
        deck = [slide.shapes.title.text for slide in pptx_of(client, query).slides]
        assert present_titles(client, query) == deck, query
    assert "Raporttien keskeisiä teemoja" in present_titles(client, AUTUMN)
    assert "Raporttien keskeisiä teemoja" not in present_titles(client, SPRING)


def test_the_deck_speaks_the_chosen_language(client, con):
    for lang in ("sv", "en"):
        prs = pptx_of(client, AUTUMN + f"&lang={lang}")
        titles = [slide.shapes.title.text for slide in prs.slides]
        assert t("analysis.kind.key_theme", lang) in titles
        assert t("analysis.where_title", lang) in titles
        label = con.execute(f"SELECT name_{lang} FROM target_groups WHERE code = 'working_age'").fetchone()[0]
        assert any(x.startswith(t("analysis.section_title", lang, group=label)) for x in titles)


# ---- the wellbeing-report chapter ----------------------------------------------------------------


def test_the_chapter_carries_the_analysis_tables_and_charts(client, con, vocab):
    document = docx_of(client)
    analysis = published(con)
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Sosiaalinen raportointi: Päijät-Häme 1.9.–31.12.2024")
    names = [text for _, text in headings]
    assert "Raporttien keskeisiä teemoja" in names and "Mihin tieto on viety" in names
    for section in analysis.sections:
        assert t("analysis.section_title", "fi", group=vocab.label(section.dimension, section.code, "fi")) in names
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    for item in analysis.items():
        if item.kind == "key_theme":
            assert all(b in bullets for b in item.bullets)
            assert any(p.text.startswith(item.title) for p in document.paragraphs)
        else:
            assert any(b.startswith(item.title) for b in bullets), item.title
    # The key figures as a native table; each chart as an image with alt text, a numbered caption and source.
    first = document.tables[0]
    assert [c.text for c in first.rows[1].cells][:2] == ["Raportteja", "40"]
    assert [c.text for c in first.rows[2].cells][:3] == ["Kielteisiä havaintoja", "31", "77,5 %"]
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    figures = [c for c in captions if c.startswith("Kuvio ")]
    assert figures[0].startswith("Kuvio 1. Havaintojen tyypit.") and all("Lähde:" in c for c in figures)
    pictures = document.inline_shapes
    assert len(pictures) == len(figures) >= 7
    for shape in pictures:
        assert shape._inline.docPr.get("descr")
    groups = next(tb for tb in document.tables if tb.rows[0].cells[0].text == "Kohderyhmä")
    assert {r.cells[0].text: r.cells[1].text for r in groups.rows[1:]} == {
        "Työikäiset": "21",
        "Lapset, nuoret ja perheet": "20",
        "Vammaiset": "10",
        "Ikääntyneet": "7",
        "Päihde- ja riippuvuustyö": "7",
    }
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert len(quotes) == len(set(quotes)) >= len(analysis.sections)


def test_the_command_line_writes_the_chapter(db_copy, tmp_path):
    out = tmp_path / "luku.docx"
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "chapter", "--county", "09", "--from", "2024-09-01", "--to",
         "2024-12-31", "--lang", "sv", "-o", str(out)],
        capture_output=True, text=True, env={**os.environ, "DASHBOARD_DB": str(db_copy)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    document = Document(str(out))
    with duckdb.connect(str(db_copy), read_only=True) as con:
        county = con.execute("SELECT name_sv FROM regions WHERE code = '09'").fetchone()[0]
    assert document.paragraphs[0].text == f"Social rapportering: {county} 1.9.–31.12.2024"
    assert t("analysis.kind.key_theme", "sv") in [p.text for p in document.paragraphs]


# ---- the chart-data workbook and the reports behind a bullet ------------------------------------------


def test_the_chart_data_workbook_has_the_analysis(client, con):
    workbook = load_workbook(io.BytesIO(get(client, f"/download/summary.xlsx?{AUTUMN}")), read_only=True)
    rows = list(workbook["Analyysi"].iter_rows(values_only=True))
    assert rows[0] == ("Ilmiö", "Laji", "Kohderyhmä tai osio", "Teemat", "Tukevat raportit", "Raportteja")
    heinola = next(r for r in rows if r[0] == "Matalan kynnyksen ja lähipalvelujen tarve Heinolassa.")
    assert heinola[1] == "Havaintoja ja ilmiöitä" and heinola[2] == "Työikäiset"
    assert heinola[5] == len(heinola[4].split("; ")) == 2
    analysis = published(con)
    assert len(rows) - 1 == len(analysis.key_themes) + sum(len(s.items()) for s in analysis.sections)
    assert all(r[5] >= 1 for r in rows[1:])  # every bullet rests on a report leadership may open


def test_n_reports_opens_exactly_the_reports_behind_a_bullet(client, con):
    analysis = published(con)
    item = next(i for i in analysis.items() if i.title.startswith("Matalan kynnyksen ja lähipalvelujen tarve"))
    expected = set(q.reports_for(con, item.report_keys)["report_id"])
    text = get(client, f"/download/reports.csv?{AUTUMN}&evidence={item.phenomenon_id}").decode("utf-8-sig")
    got = {row["Raportin tunniste"] for row in csv.DictReader(io.StringIO(text), delimiter=";")}
    assert got == expected and len(got) == len(item.report_keys) == 2
    # A link to no published phenomenon is refused with a reason, never widened.
    response = client.get(f"/download/reports.csv?{AUTUMN}&evidence=no-such-bullet")
    assert response.status_code == 400


# ---- nothing leaks -------------------------------------------------------------------------------------


def test_no_draft_no_unpublishable_text_and_no_unresolved_hit_reaches_leadership(planted):
    client = planted
    outputs = {
        "deck": deck_text(pptx_of(client)),
        "chapter": docx_text(docx_of(client)),
        "present": get(client, f"/present?{AUTUMN}").decode(),
        "reports.csv": get(client, f"/download/reports.csv?{AUTUMN}").decode("utf-8-sig"),
        "evidence": get(client, f"/download/reports.csv?{AUTUMN}&evidence=demo-2024-autumn-wa_o1").decode("utf-8-sig"),
    }
    workbook = load_workbook(io.BytesIO(get(client, f"/download/summary.xlsx?{AUTUMN}")), read_only=True)
    outputs["summary.xlsx"] = "\n".join(
        str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v
    )
    for name, text in outputs.items():
        for secret in (HIT, "131052-308T", DRAFT_TITLE, DRAFT_INTRO, UNPUBLISHABLE):
            assert secret not in text, (name, secret)
    # The planted report is counted (41 reports), its texts hidden; the bullet it was added to still
    # opens only its cleared reports.
    assert "PLANT-1" in outputs["reports.csv"] and "41 raporttia" in outputs["deck"]
    assert "PLANT-1" not in outputs["evidence"]
    # The search does not find it by its words either.
    search = get(client, f"/download/reports.csv?{AUTUMN}&q=Meikäläiselle").decode("utf-8-sig")
    assert "PLANT-1" not in search


# ---- the deck's charts as the screen draws them (issue 18) ------------------------------------------


def chart_on(prs, title_end: str):
    slide = next(
        s for s in prs.slides if s.shapes.title.text.endswith(title_end) and any(x.has_chart for x in s.shapes)
    )
    return slide, next(shape.chart for shape in slide.shapes if shape.has_chart)


def fill_of(point) -> str:
    return str(point.format.fill.fore_color.rgb)


def test_the_indicator_deck_ranks_largest_first_and_highlights_the_choice(client):
    from dashboard.charts.indicators import REFERENCE_COLOURS
    from dashboard.charts.style import BAR_SELECTED

    prs = pptx_of(client, "region=398", "deck-indicators")
    _, ranking = chart_on(prs, ": kunnat")
    plot = ranking.plots[0]
    categories, values = list(plot.categories), list(plot.series[0].values)
    assert values == sorted(values, reverse=True) and ranking.category_axis.reverse_order  # the largest on top
    points = plot.series[0].points
    assert fill_of(points[categories.index("Lahti")]) == BAR_SELECTED.lstrip("#").upper()
    assert fill_of(points[categories.index("Päijät-Häme")]) == REFERENCE_COLOURS["county"].lstrip("#").upper()
    assert fill_of(points[categories.index("Koko maa")]) == REFERENCE_COLOURS["country"].lstrip("#").upper()
    # The counties: the ten largest and the chosen county drawn, every county in the data and the notes.
    slide, counties = chart_on(prs, ": hyvinvointialueet")
    drawn = list(counties.plots[0].categories)
    assert len(drawn) in (10, 11) and "Päijät-Häme" in drawn
    notes = slide.notes_slide.notes_text_frame.text
    assert len([line for line in notes.splitlines() if " · " in line]) >= 23
    assert "kaavion tiedoissa" in slide_text(slide) and "taulukossa" not in slide_text(slide)
    # Every value axis starts at zero, as on the screen (the line chart's and the rankings').
    for chart in (chart_on(prs, "asukkaista")[1], ranking, counties):
        assert chart.value_axis.minimum_scale == 0


def test_bar_labels_say_count_and_share_as_the_screen(client):
    _, groups = chart_on(pptx_of(client), "Kohderyhmät")
    points = groups.plots[0].series[0].points
    labels = [points[k].data_label.text_frame.text for k in range(5)]
    assert labels == ["21 (53 %)", "20 (50 %)", "10 (25 %)", "7 (18 %)", "7 (18 %)"]  # whole percent on slides


def test_the_phenomenon_decks_time_slide_has_half_years_and_its_indicator(client):
    prs = pptx_of(client, "county=09&theme=mental_health&from=2024-09-01&to=2024-12-31", "deck-phenomena")
    slide = prs.slides[1]
    charts = [shape.chart for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 2
    reports, indicator = charts
    categories = list(reports.plots[0].categories)
    # Half-years by their names, from the first report's (not years from 2018).
    assert categories[0] == "tammi–kesäkuu 2021" and all(
        c.split()[0] in ("tammi–kesäkuu", "heinä–joulukuu") for c in categories
    )
    assert {s.name for s in reports.plots[0].series} == {"Kielteinen", "Myönteinen", "Neutraali"}
    assert indicator.plots[0].series and list(indicator.plots[0].categories)[0].isdigit()


@pytest.mark.parametrize(
    "deck, present, query",
    [
        ("deck", "/present", AUTUMN),
        ("deck", "/present", SPRING),
        ("deck-phenomena", "/present/phenomena", "county=09&theme=mental_health&from=2024-09-01&to=2024-12-31"),
        ("deck-indicators", "/present/indicators", "region=398"),
    ],
)
def test_no_output_draws_a_chart_twice(client, deck, present, query):
    # The deck: every native chart named by its title once (the phenomenon deck's time slide draws the
    # first indicator beside the reports, so that indicator has no slide of its own in the deck).
    prs = pptx_of(client, query, deck)
    titles = [
        shape._element.nvGraphicFramePr.cNvPr.get("title")
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_chart
    ]
    assert titles and len(titles) == len(set(titles)), titles
    # /present: every figure once.
    page = get(client, f"{present}?{query}").decode()
    data = re.search(r'<script type="application/json" id="deck-data">(.*?)</script>', page, re.S)
    figures = [json.dumps(figure, sort_keys=True) for figure in json.loads(data.group(1))["figures"].values()]
    assert figures and len(figures) == len(set(figures))
    if deck == "deck":  # the chapter: every chart one numbered figure
        captions = [p.text for p in docx_of(client, query).paragraphs if p.style.name == "Caption"]
        charts = [re.sub(r"^Kuvio \d+\. ", "", c).split(". ")[0] for c in captions if c.startswith("Kuvio ")]
        assert charts and len(charts) == len(set(charts)), charts
