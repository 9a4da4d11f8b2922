"""The demo generator is deterministic and writes the real import format."""

import hashlib

from dashboard.demo import texts, write_demo_files
from dashboard.imports.reports import TEMPLATE_COLUMNS
from dashboard.imports.tables import read_table


def digest(paths):
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in paths.items()}


def test_same_output_every_run(tmp_path):
    first = digest(write_demo_files(tmp_path / "a"))
    second = digest(write_demo_files(tmp_path / "b"))
    assert first == second


def test_report_files_use_the_template_headers(tmp_path):
    paths = write_demo_files(tmp_path)
    table = read_table(paths["reports_09"])
    assert table.header == list(TEMPLATE_COLUMNS)
    # Finnish dates and names, as a coordinator's export has them.
    first = dict(zip(table.header, table.rows[0][1]))
    assert first["pvm"].count(".") == 2
    assert first["havainnon_tyyppi"] in {"kielteinen", "myönteinen", "neutraali"}


def labelled_reports(con):
    return con.execute("""
        SELECT r.report_id, r.observation_type, r.observation, r.client_voice, r.proposal,
               (SELECT list(theme) FROM report_themes t WHERE t.report_key = r.report_key) AS themes,
               (SELECT list(target_group) FROM report_target_groups g WHERE g.report_key = r.report_key) AS groups
        FROM reports r""").fetchall()


def test_every_text_agrees_with_its_reports_labels(con):
    """A quote read out in a meeting fits its report: each observation, client voice
    and proposal comes from the pool of the report's type, one of its themes, and
    names no target group the report does not have."""
    pools = {"observation": texts.OBSERVATIONS, "client_voice": texts.CLIENT_VOICES, "proposal": texts.PROPOSALS}
    rows = labelled_reports(con)
    assert len(rows) > 600
    voices = proposals = 0
    for report_id, otype, observation, voice, proposal, themes, groups in rows:
        for pool, text in (("observation", observation), ("client_voice", voice), ("proposal", proposal)):
            if text is None:
                continue
            fits = [
                t
                for t in pools[pool]
                if t.text == text and otype in t.types and set(t.themes) & set(themes) and set(t.groups) <= set(groups)
            ]
            assert fits, (report_id, pool, text, otype, themes, groups)
        voices += voice is not None
        proposals += proposal is not None
    assert voices > 100 and proposals > 300  # the optional texts are there, not left out to pass


def test_the_quotes_that_did_not_fit_no_longer_appear_out_of_place(con):
    rows = labelled_reports(con)
    child = "Lapsi ei ole käynyt koulussa kuukauteen, eikä kukaan tiedä mitä tehdä."
    assert any(r[3] == child for r in rows)
    for report_id, otype, observation, voice, _, themes, groups in rows:
        if voice == child:
            assert otype == "negative" and "child_wellbeing" in themes and "children_families" in groups, report_id
        if "nuoret aikuiset" in observation.casefold() or "nuorilla aikuisilla" in observation.casefold():
            assert "working_age" in groups, (report_id, observation, groups)


def test_every_type_and_theme_has_an_observation_for_any_group():
    for otype in ("negative", "positive", "neutral"):
        for theme in texts.ALL_THEMES:
            assert texts.fitting("observation", otype, theme, ()), (otype, theme)


def test_national_scale_keeps_the_demo_counties_reports_unchanged():
    """The published figures reproduce inside the national data: the demo counties'
    rows are the same, and the whole country holds exactly 100 000 reports."""
    from dashboard.demo import generator

    demo = generator.generate_report_rows("demo")
    national = generator.generate_report_rows("national")
    assert {c: national[c] for c in demo} == demo
    assert sum(len(rows) for rows in national.values()) == generator.NATIONAL_REPORTS == 100_000
    counties = set(national)
    assert len(counties) == 22 and "90" in counties and "91" not in counties
    assert all(len({r["raportin_tunniste"] for r in rows}) == len(rows) for rows in national.values())


def test_national_indicator_values_are_deterministic_and_complete():
    from dashboard.demo import national

    regions, parents, residents = ["FI", "09", "398"], [None, "FI", "09"], [5_600_000, 206_000, 121_000]
    first = national.values_table(regions, parents, residents, seed=1)
    assert first.equals(national.values_table(regions, parents, residents, seed=1))
    per_indicator = len(regions) * len(national.YEARS) * len(national.SEXES)
    assert first.num_rows == per_indicator * len(national.indicator_ids()) == per_indicator * 200
    assert set(first.column("indicator_id").unique().to_pylist()) == set(national.indicator_ids())
    values = first.column("value").to_numpy()
    assert values.min() >= 0.1 and values.max() <= 100
    # At national size, every region of the code list: at least five million values.
    from dashboard.demo import generator

    assert len(generator._read_codes("regions")) * per_indicator * 200 >= 4_980_000
