"""Loads replace the served database atomically: gunicorn with several
workers keeps answering, every answer is a whole version (old or new, never
half), and the new data shows without a restart."""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from .browser import ROOT, free_port
from .support import run_cli, wait_until

QUERY = "/download/reports.csv?county=20&from=2026-02-01&to=2026-02-28"


def rows(url: str) -> tuple[int, int]:
    with urllib.request.urlopen(url, timeout=20) as response:
        text = response.read().decode("utf-8-sig")
        return response.status, len(list(csv.reader(io.StringIO(text), delimiter=";"))) - 1


def batch(path, k: int) -> None:
    lines = [
        "raportin_tunniste;pvm;hyvinvointialue;palvelutehtava;alue;kohderyhma;havainnon_tyyppi;havainto;julkaistava"
    ]
    lines += [
        f"G-{k}-{i};{i + 1}.2.2026;Kainuu;Ikääntyneiden palvelut;Kajaani;Ikääntyneet;neutraali;Erä {k};kyllä"
        for i in range(5)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.load  # gunicorn and five imports at once: make test runs it, make test-fast leaves it out
def test_imports_swap_the_database_while_gunicorn_serves(demo_db, tmp_path):
    db = tmp_path / "served.duckdb"
    shutil.copyfile(demo_db, db)
    port = free_port()
    env = {**os.environ, "DASHBOARD_DB": str(db)}
    log = open(tmp_path / "gunicorn.log", "w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "--threads",
            "2",
            "--no-control-socket",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "app:server",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        process_group=0,
    )
    url = f"http://127.0.0.1:{port}"

    def started() -> bool:
        try:
            return rows(url + QUERY) == (200, 0)
        except OSError:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            return False

    try:
        wait_until(started, timeout=60, what="gunicorn")
        results: list[tuple[int, int]] = []
        errors: list[str] = []
        stop = threading.Event()

        def hammer():
            end = time.time() + 120
            for _ in range(2000):  # bounded in count and time; stopped when the imports are done
                if stop.is_set() or time.time() > end:
                    return
                try:
                    results.append(rows(url + QUERY))
                except Exception as exc:  # a failed request is what this test looks for
                    errors.append(repr(exc))
                # Paced (~20 requests a second from the four threads): enough to meet every swap, and
                # the imports' child processes keep a core (unpaced, the readers took both for ~75 s).
                stop.wait(0.2)

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for thread in threads:
            thread.start()
        for k in range(1, 4):
            batch(tmp_path / f"erä{k}.csv", k)
            # The first import as the coordinator runs it (a process of its own); the next two in
            # this process (the same command's main: the swap is the same, without ~2 s of imports).
            done = run_cli("import-reports", tmp_path / f"erä{k}.csv", env={"DASHBOARD_DB": str(db)}, child=k == 1)
            assert done.returncode == 0, done.stdout + done.stderr
            # The running server answers with the new version before the next import starts.
            wait_until(lambda n=5 * k: rows(url + QUERY) == (200, n), timeout=60, what=f"version {k} served")
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors[:5]
        assert len(results) >= 10
        assert {status for status, _ in results} == {200}
        assert {n for _, n in results} <= {0, 5, 10, 15}
        assert len({n for _, n in results}) >= 2  # the swap happened while requests ran
        assert rows(url + QUERY) == (200, 15)
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # at once: a graceful stop is seconds of teardown (tests/browser.py)
        server.wait(20)
        log.close()
