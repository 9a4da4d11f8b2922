"""The coordinator's workbench through its HTTP routes (Flask's test client): behind the login and
CSRF on every change, review decisions, the privacy refusal and its recorded override, two
coordinators' concurrent edits both surviving (or the second told exactly what changed), drafts
that never reach leadership, and publishing under load losing no request."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pytest

from dashboard.analysis.workspace import Period, Workspace, workspace_path
from dashboard.demo import autumn2024
from queries import analysis as q

from .test_coordinator import login, token

BASE = "/coordinator/analysis"
AUTUMN = "county=09&from=2024-09-01&to=2024-12-31"
SPRING = "county=09&from=2024-01-01&to=2024-06-30"
AUTUMN_PERIOD = Period.of("09", "2024-09-01", "2024-12-31")
SPRING_PERIOD = Period.of("09", "2024-01-01", "2024-06-30")
JSON = {"Accept": "application/json"}


@pytest.fixture()
def db(db_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_COORDINATOR_PASSWORD", "oikea-salasana")
    return db_copy


@pytest.fixture()
def app(db):
    from dashboard.web.app_factory import create_app

    return create_app().server


@pytest.fixture()
def client(app):
    return app.test_client()


def coordinator(app, user: str):
    """A logged-in coordinator's own session."""
    c = app.test_client()
    assert login(c, user=user).status_code == 302
    return c


def post(c, route: str, data: dict, query: str = AUTUMN):
    """A change as the page's script sends it: the form with the session's CSRF token (read once
    from a page, as the page's forms carry it), JSON back."""
    if not getattr(c, "csrf", None):
        c.csrf = token(c, "/coordinator")
    body = {"csrf_token": c.csrf, **data}
    return c.post(f"{BASE}{route}?{query}", data=body, headers=JSON)


def store(db) -> Workspace:
    return Workspace(workspace_path(db))


def published(db, period: Period):
    with duckdb.connect(str(db), read_only=True) as con:
        return q.published(con, *period.key)


def period_ids(db, period: Period) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return q.period_reports(con, *period.key)["report_id"].tolist()


def change_routes(app) -> list[str]:
    return sorted(
        rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith(BASE) and "POST" in rule.methods
    )


# ---- where it is and who may use it ------------------------------------------------------------


def test_the_workbench_is_a_view_behind_the_login_outside_the_menu_linked_from_the_coordinator(client):
    from dashboard.views.registry import VIEWS

    view = VIEWS.at(BASE)
    assert view is not None and view.login and not view.menu
    response = client.get(f"{BASE}?{AUTUMN}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    login(client)
    assert f'href="{BASE}"' in client.get("/coordinator").get_data(as_text=True)
    page = client.get(BASE).get_data(as_text=True)  # the period chooser
    assert f'href="{BASE}?{AUTUMN.replace("&", "&amp;")}"' in page and "julkaistu (versio 1)" in page
    page = client.get(f"{BASE}?{AUTUMN}&lang=sv").get_data(as_text=True)
    assert '<html lang="sv">' in page and "40 / 40 behandlade" in page


def test_every_change_route_refuses_without_a_login_and_without_the_csrf_token(app, client, db):
    routes = change_routes(app)
    assert len(routes) >= 12, routes
    ws = store(db)
    before = ws.last_edit_id()
    database = db.read_bytes()
    report_id = period_ids(db, AUTUMN_PERIOD)[0]
    data = {"report": report_id, "reviewed": "1", "base_version": "0", "note": "x", "field": "title", "value": "x"}
    for route in routes:
        response = client.post(f"{route}?{AUTUMN}", data=data)
        assert response.status_code == 401, route
    login(client)
    for route in routes:
        response = client.post(f"{route}?{AUTUMN}", data=data)
        assert response.status_code == 400 and "tarkiste" in response.get_data(as_text=True), route
        response = client.post(f"{route}?{AUTUMN}", data={**data, "csrf_token": "väärä"}, headers=JSON)
        assert response.status_code == 400, route
    assert ws.last_edit_id() == before and db.read_bytes() == database


def test_a_bad_period_or_an_unknown_report_changes_nothing(client, db):
    login(client)
    client.get(f"{BASE}?{AUTUMN}")  # opens the period's draft from its published analysis
    ws = store(db)
    before = ws.last_edit_id()
    for query in ("county=99&from=2024-09-01&to=2024-12-31", "county=09&from=x&to=2024-12-31", "county=09"):
        response = post(client, "/reviewed", {"report": "PH-2024-038", "reviewed": "1", "base_version": "0"}, query)
        assert response.status_code == 400 and response.get_json()["ok"] is False
    response = post(client, "/reviewed", {"report": "PH-2021-001", "reviewed": "1", "base_version": "0"})
    assert response.status_code == 404  # a report of another period
    response = post(
        client, "/label", {"report": "PH-2024-038", "dimension": "theme", "code": "nope", "decision": "accepted"}
    )
    assert response.status_code == 400
    assert ws.last_edit_id() == before
    page = client.get(f"{BASE}?county=09&from=2024-12-31&to=2024-01-01")
    assert page.status_code == 400 and "päättyy ennen alkuaan" in page.get_data(as_text=True)


# ---- review -------------------------------------------------------------------------------------


def test_reviewing_a_report_accepting_a_suggested_theme_and_the_progress(client, db):
    login(client, user="anna")
    page = client.get(f"{BASE}?{SPRING}").get_data(as_text=True)
    total = len(period_ids(db, SPRING_PERIOD))
    assert f"0 / {total} käsitelty" in page
    first = re.search(r'id="report-heading"[^>]*>([^<]+)<', page)[1]
    suggestion = re.search(
        r'name="code" value="([a-z_]+)"><input type="hidden" name="source" value="suggestion"><input type="hidden" '
        r'name="reason" value="([^"]*)"',
        page,
    )
    code, reason = suggestion[1], suggestion[2]
    assert reason  # the words that made it
    response = post(
        client,
        "/label",
        {"report": first, "dimension": "theme", "code": code, "decision": "accepted", "source": "suggestion",
         "reason": reason},
        SPRING,
    )  # fmt: skip
    assert response.status_code == 200 and response.get_json()["ok"]
    decision = store(db).review("09", first).labels["theme"][code]
    assert decision[:2] == ("accepted", "suggestion") and decision[3] == "anna"
    version = int(re.search(r'id="accept-form">.*?name="base_version" value="(\d+)"', page, re.S)[1])
    response = post(client, "/reviewed", {"report": first, "reviewed": "1", "base_version": str(version)}, SPRING)
    assert response.get_json()["ok"] and store(db).review("09", first).reviewed_by == "anna"
    page = client.get(f"{BASE}?{SPRING}&report={first}").get_data(as_text=True)
    assert f"1 / {total} käsitelty" in page
    # A plain form (no script) gets the page back: a redirect to where the form said.
    response = client.post(
        f"{BASE}/reviewed?{SPRING}",
        data={"csrf_token": token(client, f"{BASE}?{SPRING}"), "report": first, "reviewed": "0",
              "base_version": str(store(db).review("09", first).version), "back": f"{BASE}?{SPRING}&report={first}"},
    )  # fmt: skip
    assert response.status_code == 303 and response.headers["Location"] == f"{BASE}?{SPRING}&report={first}"
    assert not store(db).review("09", first).reviewed


def test_marking_publishable_is_refused_while_a_hit_is_open_and_the_override_is_recorded(client, db):
    login(client, user="anna")
    with duckdb.connect(str(db), read_only=True) as con:
        frame = q.period_reports(con, *AUTUMN_PERIOD.key)
    planted = frame[frame["observation"].str.contains("Matti")]["report_id"].iloc[0]
    page = client.get(f"{BASE}?{AUTUMN}&report={planted}").get_data(as_text=True)
    assert re.search(r'<mark class="hit hit-open"[^>]*>Matti<sup', page)
    version = store(db).review("09", planted).version
    response = post(client, "/publishable", {"report": planted, "publishable": "1", "base_version": str(version)})
    assert response.status_code == 422
    body = response.get_json()
    assert body["privacy"] and "1 ratkaisematon mahdollinen henkilötieto" in body["message"]
    assert store(db).review("09", planted).publishable is False  # as published: not publishable, unchanged
    response = post(
        client,
        "/publishable",
        {"report": planted, "publishable": "1", "base_version": str(version), "override_reason": "Nimi on keksitty"},
    )
    assert response.status_code == 200
    review = store(db).review("09", planted)
    assert (review.publishable, review.override_reason, review.override_by) == (True, "Nimi on keksitty", "anna")
    assert review.override_hits and review.override_at
    page = client.get(f"{BASE}?{AUTUMN}&report={planted}").get_data(as_text=True)
    assert "Ohitus kirjattu: ”Nimi on keksitty” (anna," in page and "hit-overridden" in page


def test_dismissing_a_hit_resolves_it_and_is_recorded(client, db):
    login(client, user="ben")
    with duckdb.connect(str(db), read_only=True) as con:
        frame = q.period_reports(con, *AUTUMN_PERIOD.key)
    planted = frame[frame["observation"].str.contains("Matti")]["report_id"].iloc[0]
    page = client.get(f"{BASE}?{AUTUMN}&report={planted}").get_data(as_text=True)
    hit = re.search(r'name="hit" value="([0-9a-f]+)">', page)[1]
    assert post(client, "/hit", {"report": planted, "hit": hit, "action": "dismiss"}).status_code == 200
    journal = [e for e in store(db).edits("09") if e["field"] == "dismissed"]
    assert [(e["by"], e["new_value"]) for e in journal] == [("ben", "Matti")]
    version = store(db).review("09", planted).version
    response = post(client, "/publishable", {"report": planted, "publishable": "1", "base_version": str(version)})
    assert response.status_code == 200 and store(db).review("09", planted).override_reason is None
    assert post(client, "/hit", {"report": planted, "hit": "0" * 16, "action": "dismiss"}).status_code == 404


# ---- concurrent edits -------------------------------------------------------------------------------


def _new(c, title: str, reports: list[str], query: str = AUTUMN, **extra) -> str:
    data = {"kind": "observation", "title": title, "target_group": "working_age", "report": reports, **extra}
    response = post(c, "/phenomenon/new", data, query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["phenomenon"]


def _version_on_page(c, pid: str, field: str, query: str = AUTUMN) -> int:
    page = c.get(f"{BASE}/phenomena?{query}&edit={pid}").get_data(as_text=True)
    form = re.search(
        rf'name="base_version" value="(\d+)"><input type="hidden" name="phenomenon" value="{pid}"><input type="hidden" '
        rf'name="field" value="{field}">',
        page,
    )
    assert form is not None, page
    return int(form[1])


def test_two_coordinators_edits_both_survive_or_the_second_is_told_what_changed(app, db):
    anna, ben = coordinator(app, "anna"), coordinator(app, "ben")
    ids = period_ids(db, AUTUMN_PERIOD)
    pid = _new(anna, "Jonot", ids[:2])
    seen_by_anna, seen_by_ben = _version_on_page(anna, pid, "title"), _version_on_page(ben, pid, "body")
    assert seen_by_anna == seen_by_ben
    edit = "/phenomenon/edit"
    first = post(
        anna, edit, {"phenomenon": pid, "field": "title", "value": "Jonot pitenevät", "base_version": seen_by_anna}
    )
    second = post(
        ben, edit, {"phenomenon": pid, "field": "body", "value": "Avun saanti kestää.", "base_version": seen_by_ben}
    )
    assert first.status_code == second.status_code == 200
    got = store(db).phenomenon(pid)
    assert (got.title, got.body) == ("Jonot pitenevät", "Avun saanti kestää.")
    # Ben changes the title too, from the version he saw: refused, told who changed what, nothing applied.
    third = post(
        ben, edit, {"phenomenon": pid, "field": "title", "value": "Jonot lyhenevät", "base_version": seen_by_ben}
    )
    assert third.status_code == 409
    body = third.get_json()
    assert body["conflict"] and body["message"].startswith("anna muutti samaa kohtaa (Otsikko) sillä välin.")
    assert [(f["field"], f["yours"], f["theirs"], f["by"]) for f in body["fields"]] == [
        ("title", "Jonot lyhenevät", "Jonot pitenevät", "anna")
    ]
    assert store(db).phenomenon(pid).title == "Jonot pitenevät"
    # Keeping his own text after seeing theirs: saved with the version he was told.
    fourth = post(
        ben, edit, {"phenomenon": pid, "field": "title", "value": "Jonot lyhenevät", "base_version": body["version"]}
    )
    assert fourth.status_code == 200 and store(db).phenomenon(pid).title == "Jonot lyhenevät"


def test_concurrent_edits_from_many_sessions_all_survive(app, db):
    ids = period_ids(db, AUTUMN_PERIOD)
    anna = coordinator(app, "anna")
    pid = _new(anna, "Yhteinen ilmiö", ids[:1])
    themes = ["housing", "livelihood", "mental_health", "family_support", "digital_exclusion", "social_exclusion"]
    sessions = [coordinator(app, f"k{i}") for i in range(6)]
    barrier = threading.Barrier(len(sessions))

    def work(i: int):
        c = sessions[i]
        barrier.wait()
        results = [
            post(c, "/phenomenon/label", {"phenomenon": pid, "dimension": "theme", "code": themes[i], "present": "1"})
        ]
        results.append(post(c, "/support", {"phenomenon": pid, "report": ids[i + 1], "present": "1"}))
        results.append(post(c, "/note", {"report": ids[i], "note": f"muistiinpano {i}", "base_version": "0"}))
        return [r.status_code for r in results]

    with ThreadPoolExecutor(len(sessions)) as pool:
        statuses = list(pool.map(work, range(len(sessions))))
    assert statuses == [[200, 200, 200]] * len(sessions)
    got = store(db).phenomenon(pid)
    assert set(got.themes) == set(themes) and set(got.report_ids) == set(ids[:7])
    reviews = store(db).reviews("09", ids[:6])
    assert {r: reviews[r].note for r in ids[:6]} == {ids[i]: f"muistiinpano {i}" for i in range(6)}


# ---- drafts and publishing ---------------------------------------------------------------------------


def test_a_draft_never_reaches_leadership_until_it_is_published(client, db):
    login(client, user="anna")
    ids = period_ids(db, AUTUMN_PERIOD)
    pid = _new(client, "Luonnos: ruokajonot pitenevät", ids[:3], body="Luonnoksen teksti")
    version = store(db).draft(AUTUMN_PERIOD).version
    assert (
        post(client, "/text", {"field": "intro", "value": "Luonnoksen johdanto", "base_version": version}).status_code
        == 200
    )
    before = published(db, AUTUMN_PERIOD)
    assert before.revision == 1 and before.intro == autumn2024.INTRO
    assert "Luonnos: ruokajonot pitenevät" not in {i.title for i in before.items()}
    for path in (f"/present?{AUTUMN}", f"/download/reports.csv?{AUTUMN}", f"/download/summary.csv?{AUTUMN}"):
        text = client.get(path).get_data(as_text=True)
        assert "Luonnos" not in text, path
    response = post(client, "/publish", {})
    assert response.status_code == 200 and response.get_json()["revision"] == 2
    after = published(db, AUTUMN_PERIOD)
    assert after.revision == 2 and after.published_by == "anna" and after.intro == "Luonnoksen johdanto"
    item = next(i for i in after.items() if i.phenomenon_id == pid)
    assert item.title == "Luonnos: ruokajonot pitenevät" and item.n_supporting == 3
    page = client.get(f"{BASE}/publish?{AUTUMN}&published=2").get_data(as_text=True)
    assert "Julkaistu: versio 2, " in page and ", anna." in page


def test_the_county_intro_is_used_when_the_period_has_none_of_its_own(client, db):
    login(client, user="anna")
    ids = period_ids(db, SPRING_PERIOD)
    _new(client, "Kevään ilmiö", ids[:1], query=SPRING)
    assert (
        post(client, "/county-intro", {"value": "Päijät-Hämeen oma johdanto.", "base_version": "0"}, SPRING).status_code
        == 200
    )
    response = post(client, "/publish", {}, SPRING)
    assert response.status_code == 200
    assert published(db, SPRING_PERIOD).intro == "Päijät-Hämeen oma johdanto."
    # Its own text replaces the county's for that period only.
    version = store(db).draft(SPRING_PERIOD).version
    post(client, "/text", {"field": "intro", "value": "Kevään oma johdanto.", "base_version": version}, SPRING)
    post(client, "/publish", {}, SPRING)
    assert published(db, SPRING_PERIOD).intro == "Kevään oma johdanto."
    assert store(db).county_intro("09").intro == "Päijät-Hämeen oma johdanto."


def test_publishing_refuses_an_empty_draft_and_an_open_hit_and_changes_nothing(client, db):
    login(client)
    database = db.read_bytes()
    response = post(client, "/publish", {}, SPRING)
    assert response.status_code == 422 and "ei ole yhtään ilmiötä" in response.get_json()["message"]
    # A phenomenon whose text names a phone number is refused at publishing.
    _new(client, "Soita numeroon 040 123 4567", period_ids(db, SPRING_PERIOD)[:1], query=SPRING)
    response = post(client, "/publish", {}, SPRING)
    assert response.status_code == 422 and "040 123 4567" in response.get_json()["message"]
    assert db.read_bytes() == database


@pytest.mark.load  # editors, publishers and readers at once: make test runs it, make test-fast leaves it out
def test_publishing_under_load_loses_no_request(app, db):
    """Editors add phenomena, publishers publish, readers read leadership's pages, all at once
    through the routes: every request answered, every publication its own revision, and the last
    one holds every edit."""
    ids = period_ids(db, AUTUMN_PERIOD)
    editors = [coordinator(app, f"editor{w}") for w in range(3)]
    publishers = [coordinator(app, f"publisher{w}") for w in range(2)]
    readers = [app.test_client()]
    stop = threading.Event()
    seen: list[int] = []

    def edit(w: int):
        return [
            post(editors[w], "/phenomenon/new", {"kind": "proposal", "title": f"Ehdotus {w}-{i}", "target_group": "working_age",
                                                 "report": ids[i], "phenomenon_id": f"{w:016x}{i:016x}"}).status_code
            for i in range(5)
        ]  # fmt: skip

    def publish(w: int):
        return [post(publishers[w], "/publish", {}).get_json()["revision"] for _ in range(2)]

    def read(w: int):
        statuses = []
        while not stop.is_set():
            with duckdb.connect(str(db), read_only=True) as con:
                analysis = q.published(con, *AUTUMN_PERIOD.key)
                ((recorded,),) = con.execute(
                    "SELECT phenomena FROM analysis_publications WHERE county_code = '09' AND revision = ?",
                    [analysis.revision],
                ).fetchall()
            seen.append(analysis.revision)
            assert len({i.phenomenon_id for i in analysis.items()}) == recorded  # a whole publication, never half
            if len(seen) % 5 == 0:
                statuses.append(readers[w].get(f"/present?{AUTUMN}").status_code)
        return statuses

    with ThreadPoolExecutor(8) as pool:
        reading = [pool.submit(read, 0)]
        edits = [pool.submit(edit, w) for w in range(3)]
        publications = [pool.submit(publish, w) for w in range(2)]
        assert [f.result() for f in edits] == [[200] * 5] * 3
        revisions = sorted(r for f in publications for r in f.result())
        stop.set()
        assert all(set(f.result()) == {200} for f in reading)
    assert revisions == [2, 3, 4, 5]
    final = post(editors[0], "/publish", {}).get_json()["revision"]
    assert final == 6 and set(seen) <= set(range(1, 7))
    titles = {i.title for i in published(db, AUTUMN_PERIOD).items()}
    assert {f"Ehdotus {w}-{i}" for w in range(3) for i in range(5)} <= titles
    with duckdb.connect(str(db), read_only=True) as con:
        assert [
            r for (r,) in con.execute("SELECT revision FROM analysis_publications ORDER BY revision").fetchall()
        ] == list(range(1, 7))


# ---- every word in fi, sv and en ------------------------------------------------------------------

KEY_LIKE = re.compile(r"\b(?:workbench|analysis|coord|error|security|col|caption|label)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*")
FILES = (".js", ".css", ".html", ".py", ".duckdb")


def raw_keys(text: str) -> set[str]:
    """Message keys shown as they are (``t`` gives the key itself for a message that is missing)."""
    return {k for k in KEY_LIKE.findall(text) if not k.endswith(FILES)}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fi", ("käsitelty", "2. Ilmiöt", "3. Julkaisu", "Ei henkilötieto")),
        ("sv", ("behandlade", "2. Fenomen", "3. Publicering", "Ingen personuppgift")),
        ("en", ("reviewed", "2. Phenomena", "3. Publishing", "Not personal data")),
    ],
)
def test_every_page_and_refusal_of_the_workbench_speaks_the_language(client, db, lang, words):
    """Each page (the chooser, a report with its privacy hit, the phenomena with a card open and the
    suggested groups, publishing) and each refusal the script shows (privacy, conflict, bad input,
    not found, bad period, empty publication) comes in the reader's language, no message missing."""
    login(client, user="anna")
    with duckdb.connect(str(db), read_only=True) as con:
        frame = q.period_reports(con, *AUTUMN_PERIOD.key)
    planted = frame[frame["observation"].str.contains("Matti")]["report_id"].iloc[0]
    pages = [
        f"{BASE}?lang={lang}",
        f"{BASE}?{AUTUMN}&report={planted}&lang={lang}",
        f"{BASE}/phenomena?{AUTUMN}&edit=demo-2024-autumn-kt_families&lang={lang}",
        f"{BASE}/phenomena?{SPRING}&lang={lang}",
        f"{BASE}/publish?{AUTUMN}&lang={lang}",
        f"{BASE}/publish?{SPRING}&lang={lang}",
        f"{BASE}?county=09&from=2024-12-31&to=2024-01-01&lang={lang}",
    ]
    seen = ""
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 400), path
        text = response.get_data(as_text=True)
        assert f'<html lang="{lang}">' in text, path
        assert not raw_keys(text), (path, raw_keys(text))
        seen += text
    for word in words:
        assert word in seen, word
    version = str(store(db).review("09", planted).version)
    q_lang = f"{AUTUMN}&lang={lang}"
    refusals = [
        post(client, "/publishable", {"report": planted, "publishable": "1", "base_version": version}, q_lang),
        post(client, "/reviewed", {"report": "PH-2021-001", "reviewed": "1", "base_version": "0"}, q_lang),
        post(
            client, "/label", {"report": planted, "dimension": "theme", "code": "nope", "decision": "accepted"}, q_lang
        ),
        post(client, "/reviewed", {"report": planted, "reviewed": "1", "base_version": "0"}, f"county=99&lang={lang}"),
        post(client, "/publish", {}, f"{SPRING}&lang={lang}"),
        post(client, "/phenomenon/new", {"kind": "observation", "title": "x", "report": planted}, q_lang),
    ]
    pid = _new(client, "Jonot", [planted])
    seen_version = str(_version_on_page(client, pid, "title"))
    assert (
        post(
            client,
            "/phenomenon/edit",
            {"phenomenon": pid, "field": "title", "value": "A", "base_version": seen_version},
        ).status_code
        == 200
    )
    refusals.append(
        post(
            client,
            "/phenomenon/edit",
            {"phenomenon": pid, "field": "title", "value": "B", "base_version": seen_version},
            q_lang,
        )
    )
    assert [r.status_code for r in refusals] == [422, 404, 400, 400, 422, 400, 409]
    for response in refusals:
        message = response.get_json()["message"]
        assert message and not raw_keys(message), message
    if lang != "fi":  # not the Finnish fallback
        assert not any("henkilötieto" in r.get_json()["message"] for r in refusals)
        assert not any("muutti samaa kohtaa" in r.get_json()["message"] for r in refusals)
