"""200 reports from 20 threads against gunicorn on loopback while readers browse, the intake
moves reports into the database every second, and every worker is killed (SIGKILL) right after
a report was acknowledged: every acknowledged report is in the database exactly once, and the
readers saw no error.

Bounded: 200 sends, 20 senders, 4 readers, one kill; about half a minute on two busy cores.
A sender whose connection the kill cut sends the same form again (its form id makes it the same
report), as a browser's retry would; a reader whose connection it cut asks again once, as a
browser does for an idempotent GET on a dropped connection. Both are counted and printed."""

from __future__ import annotations

import csv
import http.client
import http.cookiejar
import io
import os
import re
import shutil
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import duckdb
import pytest

from dashboard.analysis.workspace import Workspace, workspace_path

from .browser import Server

# A connection the kill cut: refused, reset, or closed in the middle of an answer (IncompleteRead).
CUT = (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException)
SENDERS = 20
PER_SENDER = 10
READERS = 4
KILL_AFTER = 60  # acknowledged reports before the workers are killed


def opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, name
    return found[1]


def workers_of(master: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                out.append(int(entry.name))
    return out


@pytest.mark.load
def test_two_hundred_reports_while_readers_browse_and_the_workers_are_killed(demo_db, tmp_path):
    db = tmp_path / "served.duckdb"
    shutil.copyfile(demo_db, db)
    server = Server(
        db,
        {
            "DASHBOARD_REPORT_RATE": "100000 per minute",  # one address sends them all
            "DASHBOARD_REPORT_INTAKE_SECONDS": "1",  # moved into DuckDB while they arrive
        },
    )
    lock = threading.Lock()
    acknowledged: dict[str, str] = {}  # form id -> the observation sent
    resent: list[str] = []
    reader_errors: list[str] = []
    reader_retries: list[str] = []
    reads = [0]
    latencies: list[float] = []
    killed = threading.Event()
    done = threading.Event()
    failures: list[str] = []

    def kill_workers():
        pids = workers_of(server.process.pid)
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        killed.set()

    def sender(n: int):
        try:
            send_all(n)
        except Exception as exc:  # a thread that dies must fail the test, not just stop sending
            with lock:
                failures.append(f"sender {n}: {exc!r}")

    def send_all(n: int):
        web = opener()
        for i in range(PER_SENDER):
            text = f"Kuormitustesti {n}-{i}: jonot kasvavat."
            page = form_id = None
            for attempt in range(8):  # a page that did not come is asked again
                try:
                    with web.open(f"{server.url}/report?county=09", timeout=60) as response:
                        page = response.read().decode()
                    break
                except CUT:
                    time.sleep(0.2 * (attempt + 1))
            assert page, "the form never came"
            csrf = hidden(page, "csrf_token")
            form_id = hidden(page, "form_id")
            data = urllib.parse.urlencode(
                {
                    "csrf_token": csrf,
                    "form_id": form_id,
                    "pvm": "2024-10-01",
                    "palvelutehtava": "family_services",
                    "alue": "398",
                    "kohderyhma": "working_age",
                    "havainnon_tyyppi": "negative",
                    "havainto": text,
                },
                doseq=True,
            ).encode()
            for attempt in range(8):  # the same form again: one report however many times it is sent
                started = time.perf_counter()
                try:
                    with web.open(f"{server.url}/report?county=09", data=data, timeout=60) as response:
                        body = response.read().decode()
                    status = response.status
                except urllib.error.HTTPError as exc:
                    status, body = exc.code, exc.read().decode()
                except CUT as exc:
                    with lock:
                        resent.append(f"{form_id[:8]}: {exc}")
                    time.sleep(0.2 * (attempt + 1))
                    continue
                if status != 200 or "report-thanks" not in body:
                    with lock:
                        failures.append(f"{status} {body[:200]}")
                    return
                with lock:
                    latencies.append(time.perf_counter() - started)
                    acknowledged[form_id] = text
                    if len(acknowledged) == KILL_AFTER and not killed.is_set():
                        kill_workers()  # right after this one was acknowledged
                break
            else:
                with lock:
                    failures.append(f"{form_id[:8]} never acknowledged")

    def reader(n: int):
        try:
            read_until_done()
        except Exception as exc:  # a reader that dies must fail the test, not just stop reading
            with lock:
                reader_errors.append(f"reader {n}: {exc!r}")

    def read_until_done():
        urls = [
            f"{server.url}/download/summary.csv?county=09&from=2024-09-01&to=2024-12-31",
            f"{server.url}/download/reports.csv?county=09&from=2024-10-01&to=2024-10-01",
            f"{server.url}/report?county=09",
        ]
        web = opener()
        k = 0
        while not done.is_set():
            url = urls[k % len(urls)]
            k += 1
            for attempt in range(2):
                try:
                    with web.open(url, timeout=60) as response:
                        body = response.read().decode("utf-8-sig")
                        if response.status != 200:
                            raise AssertionError(f"{response.status} {url}")
                        if url.endswith(".csv") or ".csv?" in url:
                            list(csv.reader(io.StringIO(body), delimiter=";"))
                        with lock:
                            reads[0] += 1
                    break
                except urllib.error.HTTPError as exc:
                    with lock:
                        reader_errors.append(f"{exc.code} {url}")
                    break
                except CUT as exc:
                    if attempt == 0:
                        with lock:
                            reader_retries.append(f"{url}: {exc}")
                        continue
                    with lock:
                        reader_errors.append(f"{url}: {exc}")

    try:
        started = time.perf_counter()
        readers = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
        senders = [threading.Thread(target=sender, args=(n,)) for n in range(SENDERS)]
        for thread in readers + senders:
            thread.start()
        for thread in senders:
            thread.join(600)
        sending_time = time.perf_counter() - started
        done.set()
        for thread in readers:
            thread.join(120)
        store = Workspace(workspace_path(db))
        deadline = time.time() + 120
        while store.pending_count() and time.time() < deadline:  # the intake's timer moves the rest
            time.sleep(0.2)
        assert store.pending_count() == 0, "the intake did not move every report"
    finally:
        server.stop()

    assert not failures, failures[:5]
    assert killed.is_set() and len(acknowledged) == SENDERS * PER_SENDER
    assert not reader_errors, reader_errors[:5]
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT observation, count(*) FROM reports WHERE report_id LIKE 'lomake-%' GROUP BY observation"
        ).fetchall()
        batches = con.execute("SELECT count(*) FROM loads WHERE origin = 'lomake'").fetchone()[0]
    stored = dict(rows)
    assert sorted(stored) == sorted(acknowledged.values())  # every acknowledged report, nothing else
    assert set(stored.values()) == {1}  # exactly once
    assert store.submission_count() == SENDERS * PER_SENDER
    latencies.sort()
    print(
        f"\n{len(acknowledged)} reports from {SENDERS} threads in {sending_time:.1f} s "
        f"(send p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms), "
        f"{len(resent)} sends repeated after the kill, {reads[0]} reads with {len(reader_retries)} retried "
        f"after the kill and 0 errors, {batches} batches into the database"
    )
