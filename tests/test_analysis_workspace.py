"""The workspace store: concurrent edits from threads and processes all survive,
a conflicting edit is told exactly what changed, submissions are durable and
never duplicated."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from dashboard.analysis.workspace import EditConflict, Period, Workspace, WorkspaceError, workspace_path

PERIOD = Period.of("09", "2024-09-01", "2024-12-31")


@pytest.fixture()
def store(tmp_path):
    ws = Workspace(tmp_path / "db.workspace.sqlite")
    yield ws
    ws.close()


def test_file_sits_beside_the_database_in_wal_mode_with_full_sync(tmp_path, store):
    assert workspace_path(tmp_path / "dashboard.duckdb") == tmp_path / "dashboard.workspace.sqlite"
    store.ensure_analysis(PERIOD, "anna")
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with store.read() as own:
        assert own.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_phenomenon_needs_a_title_and_a_report(store):
    with pytest.raises(WorkspaceError, match="at least one"):
        store.create_phenomenon(PERIOD, "observation", "Jonot", [], "anna")
    with pytest.raises(WorkspaceError, match="title"):
        store.create_phenomenon(PERIOD, "observation", "  ", ["PH-1"], "anna")
    pid = store.create_phenomenon(PERIOD, "observation", "Jonot", ["PH-1"], "anna")
    with pytest.raises(WorkspaceError, match="at least one"):
        store.remove_report(pid, "PH-1", "anna")
    assert store.phenomenon(pid).report_ids == ["PH-1"]


def test_creating_with_the_same_id_twice_makes_one(store):
    first = store.create_phenomenon(PERIOD, "proposal", "Lähipalvelut", ["PH-1"], "anna", phenomenon_id="abc")
    again = store.create_phenomenon(PERIOD, "proposal", "Lähipalvelut", ["PH-1"], "anna", phenomenon_id="abc")
    assert first == again == "abc"
    assert [p.phenomenon_id for p in store.phenomena(PERIOD)] == ["abc"]


def test_two_coordinators_edit_different_fields_and_both_survive(store):
    pid = store.create_phenomenon(PERIOD, "observation", "Jonot", ["PH-1"], "anna")
    seen = store.phenomenon(pid).version
    store.update_phenomenon(pid, {"title": "Mielenterveyspalvelujen jonot"}, seen, "anna")
    store.update_phenomenon(pid, {"body": "Avun saanti kestää."}, seen, "ben")  # saw the same version
    got = store.phenomenon(pid)
    assert (got.title, got.body) == ("Mielenterveyspalvelujen jonot", "Avun saanti kestää.")
    assert got.version == seen + 2


def test_the_second_edit_of_the_same_field_is_told_what_changed(store):
    pid = store.create_phenomenon(PERIOD, "observation", "Jonot", ["PH-1"], "anna")
    seen = store.phenomenon(pid).version
    store.update_phenomenon(pid, {"title": "Jonot pitenevät"}, seen, "anna")
    with pytest.raises(EditConflict) as caught:
        store.update_phenomenon(pid, {"title": "Jonot lyhenevät", "body": "x"}, seen, "ben")
    conflict = caught.value
    assert [(c.field, c.yours, c.theirs, c.changed_by) for c in conflict.conflicts] == [
        ("title", "Jonot lyhenevät", "Jonot pitenevät", "anna")
    ]
    got = store.phenomenon(pid)
    assert got.title == "Jonot pitenevät" and got.body == ""  # nothing of ben's request was applied
    # With the version he has now been shown, ben's edit goes through.
    store.update_phenomenon(pid, {"title": "Jonot lyhenevät"}, conflict.version, "ben")
    assert store.phenomenon(pid).title == "Jonot lyhenevät"
    # Writing the value somebody else already wrote is no conflict.
    store.update_phenomenon(pid, {"title": "Jonot lyhenevät"}, seen, "anna")


def test_concurrent_threads_lose_no_edit(store):
    pid = store.create_phenomenon(PERIOD, "observation", "Jonot", ["PH-0"], "anna")
    base = store.phenomenon(pid).version

    def work(i: int):
        store.add_report(pid, f"PH-{i + 1}", f"user{i % 3}")
        store.decide_label("09", f"PH-{i}", "theme", "mental_health", "accepted", f"user{i % 3}")
        store.set_phenomenon_label(pid, "theme", f"theme{i % 7}", True, f"user{i % 3}")
        if i < 3:  # three coordinators each change a different field from the same version
            field = ("title", "body", "position")[i]
            store.update_phenomenon(pid, {field: 10.0 if field == "position" else f"{field} {i}"}, base, f"user{i}")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(60)))
    got = store.phenomenon(pid)
    assert sorted(got.report_ids) == sorted(f"PH-{i}" for i in range(61))
    assert sorted(got.themes) == sorted(f"theme{i}" for i in range(7))
    assert (got.title, got.body, got.position) == ("title 0", "body 1", 10.0)
    reviews = store.reviews("09")
    assert all(reviews[f"PH-{i}"].labels["theme"]["mental_health"][0] == "accepted" for i in range(60))


def _process_edits(path: str, worker: int, pid: str, n: int) -> None:
    store = Workspace(path)
    for i in range(n):
        store.add_report(pid, f"W{worker}-{i}", f"worker{worker}")
        store.decide_label("09", f"W{worker}-{i}", "theme", "housing", "accepted", f"worker{worker}")
    store.close()


def test_concurrent_processes_lose_no_edit(store):
    pid = store.create_phenomenon(PERIOD, "observation", "Asuminen", ["PH-0"], "anna")
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_process_edits, args=(str(store.path), w, pid, 40)) for w in range(4)]
    for p in procs:
        p.start()
    store.update_phenomenon(pid, {"body": "Häädöt lisääntyvät."}, None, "anna")  # while they write
    for p in procs:
        p.join()
        assert p.exitcode == 0
    got = store.phenomenon(pid)
    assert len(got.report_ids) == 1 + 4 * 40 and got.body == "Häädöt lisääntyvät."
    assert len(store.reviews("09")) == 4 * 40
    journal = store.edits("09", limit=10_000)
    assert sum(e["entity"] == "phenomenon_report" for e in journal) == 4 * 40


def test_label_decisions_on_different_codes_both_stand(store):
    store.decide_label("09", "PH-1", "theme", "housing", "accepted", "anna", source="suggestion", reason="häätö")
    store.decide_label("09", "PH-1", "theme", "livelihood", "rejected", "ben")
    review = store.review("09", "PH-1")
    assert review.effective("theme", ["livelihood", "mental_health"]) == ["mental_health", "housing"]
    assert review.labels["theme"]["housing"][1:3] == ("suggestion", "häätö")


def test_review_flags_and_override_are_recorded_with_who_and_why(store):
    version = store.update_review("09", "PH-7", {"reviewed": True}, 0, "anna")
    store.record_publishable(
        "09", "PH-7", True, version, "anna", override_reason="Nimi on palvelun nimi", override_hits=["h1"]
    )
    review = store.review("09", "PH-7")
    assert review.reviewed and review.reviewed_by == "anna" and review.publishable is True
    assert (review.override_reason, review.override_hits, review.override_by) == (
        "Nimi on palvelun nimi",
        ["h1"],
        "anna",
    )
    assert review.override_at and review.publishable_at


def test_200_concurrent_submissions_lose_none_and_duplicate_none(store):
    def send(i: int):
        key = f"form-load-{i % 200}"  # each form load sends twice (a double click)
        return store.submit(key, "09", {"havainto": f"Havainto {i % 200}", "n": i % 200})

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(send, range(400)))
    assert store.submission_count() == 200
    by_key: dict[str, set[int]] = {}
    for r in results:
        by_key.setdefault(r.idempotency_key, set()).add(r.submission_id)
    assert len(by_key) == 200 and all(len(ids) == 1 for ids in by_key.values())
    assert sum(r.created for r in results) == 200
    pending = store.pending_submissions()
    assert sorted(s.payload["n"] for s in pending) == list(range(200))
    store.mark_submissions({pending[0].submission_id: ("stored", "PH-2025-0001", None)})
    assert len(store.pending_submissions()) == 199


def _submit_then_die(path: str, conn) -> None:
    store = Workspace(path)
    got = store.submit("kill-me", "09", {"havainto": "Kiitos-sivu näytettiin"})
    conn.send(got.submission_id)  # the reporter now sees "kiitos"
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_submission_survives_its_worker_killed_right_after(store):
    ctx = multiprocessing.get_context("fork")
    ours, theirs = ctx.Pipe()
    proc = ctx.Process(target=_submit_then_die, args=(str(store.path), theirs))
    proc.start()
    assert ours.poll(60)
    sid = ours.recv()
    proc.join()
    assert proc.exitcode == -signal.SIGKILL
    again = store.submit("kill-me", "09", {"havainto": "toinen yritys"})
    assert (again.submission_id, again.created, again.payload["havainto"]) == (sid, False, "Kiitos-sivu näytettiin")


def test_readers_are_not_blocked_by_an_open_write(store):
    store.ensure_analysis(PERIOD, "anna")
    started, release = threading.Event(), threading.Event()

    def long_write():
        with store._write() as con:
            con.execute("UPDATE analyses SET title = 'kesken'")
            started.set()
            release.wait(30)

    writer = threading.Thread(target=long_write)
    writer.start()
    started.wait(30)
    try:
        draft = store.draft(PERIOD)  # reads the last committed state while the write is open
        assert draft is not None and draft.title == ""
    finally:
        release.set()
        writer.join()
    assert store.draft(PERIOD).title == "kesken"
