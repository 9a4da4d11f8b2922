"""The half-year analysis end to end below the pages: the demo's published
analysis as leadership reads it, review state, suggestions, groups, the
national backbone, and publishing (drafts never leak, revisions, refusals,
publishing under load)."""

from __future__ import annotations

import csv
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from dashboard.analysis import phenomena, publish, review, suggest
from dashboard.analysis.workspace import Period, Workspace, workspace_path
from dashboard.core.config import CODES_DIR
from dashboard.core.lemmas import has_voikko
from dashboard.demo import autumn2024
from queries import analysis as q
from queries.db import ReadOnlyDatabase

ROOT = Path(__file__).resolve().parents[1]
AUTUMN = Period.of("09", "2024-09-01", "2024-12-31")
SPRING = Period.of("09", "2024-01-01", "2024-06-30")
SEED_KEY_THEMES = [
    "Perheiden tuen tarpeet ja niihin vastaaminen",
    "Taloudellinen tilanne ja toimeentulo",
    "Palvelujen saatavuus ja saavutettavuus",
    "Mielenterveys",
]


@pytest.fixture()
def copy(demo_db, tmp_path):
    path = tmp_path / "db.duckdb"
    shutil.copyfile(demo_db, path)
    store = Workspace(workspace_path(path))
    yield path, store
    store.close()


def read(path):
    return duckdb.connect(str(path), read_only=True)


# ---- what leadership reads -------------------------------------------------------------------


def test_the_demo_period_carries_the_published_summarys_analysis(con):
    a = q.published(con, "09", "2024-09-01", "2024-12-31")
    assert a is not None and a.revision == 1 and a.published_by == autumn2024.PUBLISHED_BY
    assert [k.title for k in a.key_themes] == SEED_KEY_THEMES
    assert a.key_themes[0].bullets == [
        "Vauvaperheiden lisääntyneet tuen tarpeet.",
        "Kouluakäymättömyys ja eri toimijoiden puutteelliset auttamiskeinot.",
    ]
    sections = {s.code: s for s in a.sections}
    assert list(sections) == ["working_age", "children_families", "disabled", "older_people", "outreach"]
    counts = {c: (len(s.observations), len(s.good_practices), len(s.proposals)) for c, s in sections.items()}
    assert counts == {
        "working_age": (15, 4, 11),
        "children_families": (13, 1, 8),
        "disabled": (6, 4, 4),
        "older_people": (10, 0, 4),
        "outreach": (9, 0, 6),
    }
    titles = {i.title for s in a.sections for i in s.items()}
    assert "Matalan kynnyksen ja lähipalvelujen tarve Heinolassa." in titles
    assert "Kouluakäymättömyys ja keinojen puute eri palveluissa." in titles
    # A phenomenon of two target groups is in both sections (seed 001 lists it under both).
    shared = "Palveluiden joustavuuden tarve monipalveluasiakkaiden kohdalla."
    assert shared in {i.title for i in sections["working_age"].observations}
    assert shared in {i.title for i in sections["disabled"].observations}


def test_n_reports_opens_exactly_the_publishable_cleared_reports(con):
    a = q.published(con, "09", "2024-09-01", "2024-12-31")
    period = q.period_reports(con, *AUTUMN.key).set_index("report_key")
    secret = period[~period["publishable"]]
    assert len(secret) == 6
    for item in a.items():
        assert item.n_supporting >= 1
        shown = q.reports_for(con, item.report_keys)
        assert list(shown["report_key"]) == sorted(item.report_keys)
        assert all(period.loc[k, "publishable"] for k in item.report_keys)
        assert not set(item.report_keys) & set(secret.index)
    # Asking for a non-publishable report gets nothing.
    assert q.reports_for(con, secret.index.tolist()).empty
    # The report with the planted name is never offered, nor its text.
    planted = period[period["observation"].str.contains("Matti")].index[0]
    assert planted not in a.report_keys()
    assert all("Matti" not in quote.text for s in a.sections for quote in s.quotes)


def test_quotes_come_from_supporting_reports_and_never_repeat(con):
    a = q.published(con, "09", "2024-09-01", "2024-12-31")
    quotes = [quote.text for s in a.sections for quote in s.quotes]
    assert len(quotes) == len(set(quotes)) and all(1 <= len(s.quotes) <= 2 for s in a.sections)
    assert any(t.startswith("Tukea tarvitsevat vauvaperheet") for t in quotes)
    for s in a.sections:
        keys = {k for i in s.items() for k in i.report_keys}
        assert {quote.report_key for quote in s.quotes} <= keys


def test_another_period_is_left_unanalysed(con):
    assert q.published(con, "09", "2024-01-01", "2024-06-30") is None
    periods = q.analysed_periods(con)
    assert len(periods) == 1 and periods.iloc[0]["county_code"] == "09"


# ---- the national backbone -----------------------------------------------------------------


def test_support_needs_are_the_ten_of_the_law_with_their_source():
    with open(CODES_DIR / "support_needs.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 10
    assert [r["law_fi"].split(")")[0] for r in rows] == [str(i) for i in range(1, 11)]
    assert [r["law_sv"].split(")")[0] for r in rows] == [str(i) for i in range(1, 11)]
    assert all("1301/2014 11 §" in r["source"] and "Finlex" in r["source"] for r in rows)
    assert "riippuvuuskäyttäytymisestä" in rows[7]["law_fi"]  # the wording in force since 1.1.2023
    with open(CODES_DIR / "themes.csv", encoding="utf-8") as f:
        themes = list(csv.DictReader(f))
    codes = {r["code"] for r in rows}
    assert all(r["keywords"] for r in themes)
    assert all(set(filter(None, r["support_needs"].split("|"))) <= codes for r in themes)


def test_every_report_carries_the_national_classification_beside_the_countys(con):
    counts = q.support_need_counts(con, "09", "2024-09-01", "2024-12-31").set_index("code")
    assert len(counts) == 10
    # Mapped from the themes: livelihood (7 reports) -> financial support.
    assert counts.loc["financial", "count"] == 7
    assert counts.loc["child_development", "count"] >= 5


# ---- review state ---------------------------------------------------------------------------


def test_review_queue_unreviewed_first_with_progress(con, tmp_path):
    store = Workspace(tmp_path / "ws.sqlite")
    items = review.review_queue(con, store, SPRING)
    done, total = review.progress(items)
    assert done == 0 and total > 20
    assert review.progress_text(done, total) == f"0 / {total} käsitelty"
    assert review.progress_text(3, 4, "sv") == "3 / 4 behandlade"
    first = items[0]
    store.update_review("09", first.report_id, {"reviewed": True}, first.review.version, "anna")
    again = review.review_queue(con, store, SPRING)
    assert again[-1].report_id == first.report_id and again[-1].review.reviewed_by == "anna"
    assert not any(i.reviewed for i in again[:-1])
    assert review.progress(again) == (1, total)


def test_a_published_analysis_opens_as_a_draft_with_its_reviews(con, tmp_path):
    store = Workspace(tmp_path / "ws.sqlite")
    assert store.open_from_published(AUTUMN, q.published_draft(con, *AUTUMN.key), "anna")
    assert not store.open_from_published(AUTUMN, q.published_draft(con, *AUTUMN.key), "anna")  # once
    draft = store.draft(AUTUMN)
    assert draft.based_on_revision == 1 and len(draft.phenomena) == len(autumn2024.ANALYSIS)
    items = review.review_queue(con, store, AUTUMN)
    assert review.progress_text(*review.progress(items)) == "40 / 40 käsitelty"
    assert sum(i.publishable for i in items) == 34


def test_publishable_is_refused_while_a_privacy_hit_is_unresolved_and_the_override_is_recorded(con, tmp_path):
    store = Workspace(tmp_path / "ws.sqlite")
    item = next(i for i in review.items_for(con, store, AUTUMN) if "Matti" in i.observation)
    assert [h.text for h in item.unresolved] == ["Matti"]
    with pytest.raises(review.PrivacyUnresolved) as caught:
        review.set_publishable(con, store, AUTUMN, item.report_id, True, "anna")
    assert [h.kind for h in caught.value.hits] == ["name"]
    assert store.review("09", item.report_id).publishable is None  # nothing recorded
    review.set_publishable(con, store, AUTUMN, item.report_id, True, "anna", override_reason="Nimi on muutettu")
    recorded = store.review("09", item.report_id)
    assert (recorded.publishable, recorded.override_by, recorded.override_reason) == (True, "anna", "Nimi on muutettu")
    assert recorded.override_hits == [caught.value.hits[0].hit_id] and recorded.override_at
    # Dismissing the hit instead resolves it without an override.
    other = Workspace(tmp_path / "other.sqlite")
    review.dismiss_hit(other, "09", item.report_id, item.unresolved[0], "ben")
    review.set_publishable(con, other, AUTUMN, item.report_id, True, "ben")
    assert other.review("09", item.report_id).override_reason is None


# ---- suggestions and groups --------------------------------------------------------------------


def test_theme_suggestions_say_why(con, tmp_path):
    store = Workspace(tmp_path / "ws.sqlite")
    items = {i.report_id: i for i in review.items_for(con, store, SPRING)}
    item = next(iter(items.values()))
    item.observation = "Kouluakäymättömyyteen ei ole keinoja, ja perheen vuokravelka johtaa häätöön."
    item.client_voice = item.proposal = None
    item.themes = []
    got = review.suggestions_for(con, store, SPRING, item)
    by_code = {s.code: s for s in got["theme"]}
    assert {"child_wellbeing", "housing"} <= set(by_code)
    # The word of the text, with the lemmas that matched: Voikko (optional) also names the compound's first part.
    lemmas = "koulu, kouluakäymättömyys" if has_voikko() else "kouluakäymättömyys"
    assert f"kouluakäymättömyyteen ({lemmas})" in by_code["child_wellbeing"].why()
    assert any(w.startswith("häätöön") for w in by_code["housing"].why())
    assert by_code["housing"].similar  # the nearest confirmed reports that carry it
    # Each word of the text is said once, though a compound's parts are several lemmas.
    for suggestion in [*got["theme"], *got["support_need"]]:
        words = [w.split(" (")[0] for w in suggestion.why()]
        assert len(words) == len(set(words)), suggestion.why()
    assert "housing" in {s.code for s in got["support_need"]}
    review.accept_suggestion(store, "09", item.report_id, "theme", by_code["housing"], "anna")
    decision = store.review("09", item.report_id).labels["theme"]["housing"]
    assert decision[:2] == ("accepted", "suggestion") and "häätöön" in decision[2]


def test_suggestions_learn_from_confirmed_labels():
    docs = [
        suggest.Document("a", ("ruokajakelu", "jono", "kuukausi"), frozenset({"livelihood"})),
        suggest.Document("b", ("ruokajakelu", "kävijä", "nousta"), frozenset({"livelihood"})),
        suggest.Document("c", ("koulu", "lapsi", "kiusaaminen"), frozenset({"child_wellbeing"})),
    ]
    s = suggest.Suggester.build({"livelihood": [], "child_wellbeing": []}, docs)
    (first, *_) = s.suggest_lemmas(("ruokajakelu", "kävijä"))
    assert first.code == "livelihood" and first.similar[0] == "b" and "ruokajakelu" in first.shared


def test_leave_one_out_reports_precision_and_recall():
    docs = [
        suggest.document(str(i), [text], [theme], "fi")
        for i, (text, theme) in enumerate(
            [("Asunnosta häätö uhkaa", "housing"), ("Vuokra-asunto ja häätö", "housing"),
             ("Koulu ja kiusaaminen", "child_wellbeing"), ("Koulussa kiusataan", "child_wellbeing")]
        )
    ]  # fmt: skip
    result = suggest.evaluate_leave_one_out(docs, {"housing": ["häätö"], "child_wellbeing": ["koulu"]}, "combined")
    assert result.n == 4 and result.recall_at_3 == 1.0 and result.precision_at_3 == pytest.approx(1 / 3)


def test_groups_of_similar_reports_with_a_sentence_to_start_from(con):
    frame = q.period_reports(con, *AUTUMN.key)
    groups = phenomena.suggest_groups(phenomena.report_texts(frame), "children_families", "proposal", threshold=0.2)
    ids = dict(zip(frame["report_id"], frame["proposal"]))
    family_work = next(g for g in groups if any("perhetyö" in (ids[r] or "") for r in g.report_ids))
    assert len(family_work.report_ids) >= 2
    assert "pikkulapsivaiheessa" in family_work.sentence and family_work.sentence_report in family_work.report_ids
    texts = [
        phenomena.ReportText("1", "negative", "Mediankäyttö aiheuttaa univaikeuksia.", target_groups=("x",)),
        phenomena.ReportText("2", "negative", "Lasten mediankäyttö aiheuttaa univaikeuksia ja riitoja.",
                             target_groups=("x",)),
        phenomena.ReportText("3", "negative", "Vuokravelat johtavat häätöihin.", target_groups=("x",)),
        phenomena.ReportText("4", "positive", "Mediankäyttö puheeksi koulussa.", target_groups=("x",)),
    ]  # fmt: skip
    (group,) = phenomena.suggest_groups(texts, "x", "observation")
    assert group.report_ids == ("1", "2") and "mediankäyttö" in group.words


# ---- publishing ---------------------------------------------------------------------------------


def test_a_draft_never_reaches_leadership_until_published(copy):
    path, store = copy
    with read(path) as con:
        store.open_from_published(AUTUMN, q.published_draft(con, *AUTUMN.key), "anna")
        report_id = q.period_reports(con, *AUTUMN.key)["report_id"].iloc[0]
    pid = store.create_phenomenon(AUTUMN, "observation", "Luonnos: uusi ilmiö", [report_id], "anna",
                                  target_groups=["working_age"])  # fmt: skip
    store.update_analysis(AUTUMN, {"intro": "Luonnoksen johdanto"}, None, "anna")
    with read(path) as con:
        before = q.published(con, *AUTUMN.key)
        assert "Luonnos: uusi ilmiö" not in {i.title for i in before.items()} and before.intro == autumn2024.INTRO
    done = publish.publish(path, store, AUTUMN, "anna")
    assert (done.revision, done.published_by) == (2, "anna")
    with read(path) as con:
        after = q.published(con, *AUTUMN.key)
        assert after.revision == 2 and after.intro == "Luonnoksen johdanto" and after.published_by == "anna"
        assert pid in {i.phenomenon_id for i in after.items()}
        history = con.execute("SELECT revision, published_by FROM analysis_publications ORDER BY revision").fetchall()
        assert history == [(1, autumn2024.PUBLISHED_BY), (2, "anna")]
        # The published figures are still the published ones.
        assert (
            con.execute(
                "SELECT count(*) FROM report_themes t JOIN reports r USING (report_key) WHERE r.county_code = '09' "
                "AND r.submitted_on BETWEEN DATE '2024-09-01' AND DATE '2024-12-31' AND t.theme = 'service_availability'"
            ).fetchone()[0]
            == 6
        )


def test_publishing_refuses_an_unresolved_hit_and_changes_nothing(copy):
    path, store = copy
    with read(path) as con:
        store.open_from_published(AUTUMN, q.published_draft(con, *AUTUMN.key), "anna")
        frame = q.period_reports(con, *AUTUMN.key)
    planted = frame[frame["observation"].str.contains("Matti")]["report_id"].iloc[0]
    store.record_publishable("09", planted, True, None, "anna")  # past the check: publishing checks again
    before = path.read_bytes()
    with pytest.raises(publish.PublishRefused) as caught:
        publish.publish(path, store, AUTUMN, "anna")
    assert [(p.code, p.report_id) for p in caught.value.problems] == [("privacy_unresolved", planted)]
    assert "Matti" in caught.value.problems[0].text("fi")
    assert path.read_bytes() == before


def test_republishing_re_codes_themes_and_records_support_needs(copy):
    path, store = copy
    with read(path) as con:
        frame = q.period_reports(con, *AUTUMN.key)
    row = frame[frame["publishable"]].iloc[0]
    store.open_from_published(AUTUMN, q.PublishedDraft(1, "", "", [], []), "anna")
    store.decide_label("09", row.report_id, "theme", "digital_exclusion", "accepted", "anna")
    store.decide_label("09", row.report_id, "support_need", "crisis", "accepted", "anna")
    publish.publish(path, store, AUTUMN, "anna")
    with read(path) as con:
        themes = {
            t
            for (t,) in con.execute(
                "SELECT theme FROM report_themes WHERE report_key = ?", [int(row.report_key)]
            ).fetchall()
        }
        needs = {
            n
            for (n,) in con.execute(
                "SELECT support_need FROM report_support_needs WHERE report_key = ?", [int(row.report_key)]
            ).fetchall()
        }
    assert themes == set(row.themes) | {"digital_exclusion"}
    assert "crisis" in needs and "inclusion" in needs  # decided, and mapped from digital_exclusion


@pytest.mark.load  # editors, publishers and readers at once: make test runs it, make test-fast leaves it out
def test_publishing_under_load_loses_no_request(copy):
    """Editors keep editing, readers keep reading, four coordinators publish three
    times each: every publication gets its own revision, readers never see an error
    or a half-written analysis, and the last publication holds every edit."""
    path, store = copy
    with read(path) as con:
        store.open_from_published(AUTUMN, q.published_draft(con, *AUTUMN.key), "anna")
        report_ids = q.period_reports(con, *AUTUMN.key)["report_id"].tolist()
    stop = threading.Event()
    errors: list[BaseException] = []
    seen: set[tuple[int, int]] = set()

    def reader():
        db = ReadOnlyDatabase(path)
        while not stop.is_set():
            try:
                cur = db.cursor()
                rev, n = cur.execute(
                    "SELECT a.revision, (SELECT count(*) FROM analysis_phenomena p WHERE p.county_code = a.county_code "
                    "AND p.period_from = a.period_from AND p.period_to = a.period_to) FROM analyses a "
                    "WHERE a.county_code = '09'"
                ).fetchone()
                seen.add((rev, n))
            except BaseException as e:  # noqa: BLE001 - any error is a failure
                errors.append(e)

    def editor(worker: int):
        for i in range(8):
            store.create_phenomenon(AUTUMN, "proposal", f"Ehdotus {worker}-{i}", [report_ids[i]], f"editor{worker}",
                                    target_groups=["working_age"])  # fmt: skip

    def publisher(who: int):
        return [publish.publish(path, store, AUTUMN, f"coordinator{who}").revision for _ in range(3)]

    readers = [threading.Thread(target=reader) for _ in range(2)]
    for t in readers:
        t.start()
    with ThreadPoolExecutor(8) as pool:
        edits = [pool.submit(editor, w) for w in range(4)]
        publications = [pool.submit(publisher, c) for c in range(4)]
        revisions = sorted(r for f in publications for r in f.result())
        for f in edits:
            f.result()
    final = publish.publish(path, store, AUTUMN, "anna")
    stop.set()
    for t in readers:
        t.join()
    assert not errors, errors[:3]
    assert revisions == list(range(2, 14)) and final.revision == 14
    with read(path) as con:
        recorded = dict(con.execute("SELECT revision, phenomena FROM analysis_publications").fetchall())
        published_now = q.published(con, *AUTUMN.key)
    assert sorted(recorded) == list(range(1, 15))
    # Every state a reader saw is one that was published, whole.
    assert all(recorded[rev] == n for rev, n in seen)
    titles = {i.title for i in published_now.items()}
    assert {f"Ehdotus {w}-{i}" for w in range(4) for i in range(8)} <= titles
    assert recorded[14] == len(store.draft(AUTUMN).phenomena) == len(autumn2024.ANALYSIS) + 4 * 8


def test_phenomenon_texts_are_screened_before_publishing(copy):
    path, store = copy
    with read(path) as con:
        report_id = q.period_reports(con, *AUTUMN.key)["report_id"].iloc[0]
    store.create_phenomenon(AUTUMN, "observation", "Asiakas soitti numerosta 040 123 4567", [report_id], "anna")
    with pytest.raises(publish.PublishRefused) as caught:
        publish.publish(path, store, AUTUMN, "anna")
    assert [(p.code, p.detail) for p in caught.value.problems] == [("privacy_in_text", "040 123 4567")]


def test_the_suggestion_benchmark_prints_its_figures_and_says_the_demo_flatters(demo_db, capsys):
    import importlib.util  # the benchmark is a script, not a package module

    spec = importlib.util.spec_from_file_location("bench_suggestions", ROOT / "benchmarks" / "suggestions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--db", str(demo_db), "--county", "12"]) == 0
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines() if line.startswith("12 ")]
    assert [r[1] for r in rows] == ["keywords", "neighbours", "combined"]
    assert all(int(r[2]) == 114 and 0 < float(r[3]) <= 1 and 0 < float(r[4]) <= 1 for r in rows)
    assert "flatter" in out and "pools" in out


# ---- the county's file loaded again after publishing ---------------------------------------------

RELOAD_HEADER = (
    "raportin_tunniste;pvm;palvelutehtava;alue;kohderyhma;teema;havainnon_tyyppi;havainto;asiakkaan_aani;"
    "ratkaisuehdotus;julkaistava\n"
)
RELOAD_ROWS = {
    "RL-1": "RL-1;12.1.2026;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;Mielenterveys;kielteinen;"
    "Mielenterveyspalveluihin jonotetaan kuukausia.;;;kyllä\n",
    "RL-2": "RL-2;20.1.2026;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;Mielenterveys;kielteinen;"
    "Asiakas, jonka henkilötunnus on 131052-308T, jäi ilman apua.;;;kyllä\n",
    "RL-3": "RL-3;3.2.2026;Työikäisten sosiaalipalvelut;Heinola;Työikäiset;Mielenterveys;myönteinen;"
    "Matalan kynnyksen vastaanotto auttaa nuoria aikuisia.;;;ei\n",
}
RELOAD_PERIOD = Period.of("09", "2026-01-01", "2026-06-30")


def _load_reports(path: Path, db: Path, rows: dict[str, str]) -> None:
    from dashboard.imports.reports import Resolver, read_reports_file, store_reports
    from queries.db import write_new_version

    path.write_text(RELOAD_HEADER + "".join(rows.values()), encoding="utf-8")

    def work(con):
        parsed = read_reports_file(path, Resolver.from_database(con), county="09")
        assert parsed.rejected_count == 0, parsed.rejected
        store_reports(con, parsed, loaded_by="testi")

    write_new_version(db, work)


def _state(db: Path) -> dict[str, tuple[bool, set[str]]]:
    with read(db) as con:
        rows = con.execute(
            "SELECT r.report_id, r.publishable, list(t.theme) FILTER (WHERE t.theme IS NOT NULL) FROM reports r "
            "LEFT JOIN report_themes t USING (report_key) WHERE r.report_id LIKE 'RL-%' GROUP BY ALL"
        ).fetchall()
    return {rid: (flag, set(themes or [])) for rid, flag, themes in rows}


def test_a_reload_of_the_countys_file_keeps_what_was_published_and_hides_unresolved_hits(copy, tmp_path):
    path, store = copy
    upload = tmp_path / "kevat.csv"
    _load_reports(upload, path, RELOAD_ROWS)
    assert _state(path) == {
        "RL-1": (True, {"mental_health"}),
        "RL-2": (True, {"mental_health"}),  # the file says publishable, identity code and all
        "RL-3": (False, {"mental_health"}),
    }
    store.ensure_analysis(RELOAD_PERIOD, "anna")
    store.decide_label("09", "RL-1", "theme", "mental_health", "rejected", "anna")
    store.decide_label("09", "RL-1", "theme", "service_availability", "accepted", "anna")
    store.record_publishable("09", "RL-3", True, None, "anna")
    store.create_phenomenon(RELOAD_PERIOD, "observation", "Jonot", ["RL-1", "RL-3"], "anna",
                            target_groups=["working_age"])  # fmt: skip
    publish.publish(path, store, RELOAD_PERIOD, "anna")
    published = {
        "RL-1": (True, {"service_availability"}),  # re-coded
        "RL-2": (False, {"mental_health"}),  # its unresolved identity code keeps its text from leadership
        "RL-3": (True, {"mental_health"}),  # the coordinator's decision
    }
    assert _state(path) == published
    with read(path) as con:
        reviews = dict(
            con.execute(
                "SELECT r.report_id, rv.decided_labels FROM report_reviews rv JOIN reports r USING (report_key) "
                "WHERE r.report_id LIKE 'RL-%'"
            ).fetchall()
        )
    assert reviews == {"RL-1": "theme", "RL-2": None, "RL-3": None}

    # The same file again (the county's monthly load): nothing the coordinator published is undone.
    _load_reports(upload, path, RELOAD_ROWS)
    assert _state(path) == published

    # The follow-up sheet cannot make the report with the open identity code publishable (the
    # row is refused with the reason; the others go through).
    from dashboard.imports.followup import parse_followup, store_followup
    from dashboard.imports.reports import Resolver
    from dashboard.imports.tables import read_table
    from queries import loads
    from queries.db import write_new_version

    sheet = tmp_path / "seuranta.csv"
    sheet.write_text("raportin_tunniste;julkaistava\nRL-2;kyllä\nRL-1;kyllä\n", encoding="utf-8")

    def followup(con):
        parsed = parse_followup(
            read_table(sheet), Resolver.from_database(con), loads.report_keys(con), loads.followup_values(con), "sv"
        )
        store_followup(con, parsed, "testi")
        return parsed

    parsed = write_new_version(path, followup)
    assert len(parsed.updates) == 1 and list(parsed.rejected["raportin_tunniste"]) == ["RL-2"]
    assert "RL-2" in parsed.rejected.iloc[0]["virheet"] and "personuppgift" in parsed.rejected.iloc[0]["virheet"]
    assert _state(path) == published

    # Changed texts: shown only where both the publication and the file allow it.
    changed = {
        "RL-1": RELOAD_ROWS["RL-1"].replace("kuukausia.;;;kyllä", "kuukausia Lahdessa.;;;ei"),
        "RL-2": RELOAD_ROWS["RL-2"].replace("henkilötunnus on 131052-308T", "asia on kesken"),
        "RL-3": RELOAD_ROWS["RL-3"].replace("nuoria aikuisia.", "nuoria aikuisia Heinolassa."),
    }
    _load_reports(upload, path, changed)
    assert _state(path) == {
        "RL-1": (False, {"service_availability"}),  # the file now says no; the re-coded themes stay
        "RL-2": (False, {"mental_health"}),  # not screened since: stays hidden until the coordinator decides
        "RL-3": (False, {"mental_health"}),  # her "yes" was for the old text, and the file still says "ei"
    }
    # The same changed file once more: the flags hold (the texts are still not the ones screened).
    _load_reports(upload, path, changed)
    assert _state(path)["RL-3"] == (False, {"mental_health"})
