"""Click-to-chart of this checkout against another revision of the app, interleaved in one run.

    git archive main | tar -x -C /tmp/base          # the revision to compare with
    .venv/bin/python -m dashboard build-demo --db /tmp/demo.duckdb
    .venv/bin/python benchmarks/click_ab.py --base /tmp/base --db /tmp/demo.duckdb --rounds 2

Both are served by ``python -m dashboard serve --workers 2`` from their own directory on the
same database; each round opens /reports on a fresh Chromium profile and makes the three
changes of ``bench.py`` (see :func:`bench.click_to_chart`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (the benchmark's helpers, beside this file)

ROOT = Path(__file__).resolve().parents[1]


def serve(root: Path, db: Path) -> bench.Server:
    """``python -m dashboard serve`` run from ``root`` (its own code), on a free port."""
    server = bench.Server.__new__(bench.Server)
    server.name, server.port = str(root), bench.free_port()
    server.url = f"http://127.0.0.1:{server.port}"
    server.log = tempfile.NamedTemporaryFile(prefix="click-ab-", suffix=".log", delete=False)
    server.process = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "serve", "--workers", "2", "--port", str(server.port)],
        cwd=root,
        env={**os.environ, "DASHBOARD_DB": str(db), "PYTHONPATH": str(root)},
        stdout=server.log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            urllib.request.urlopen(server.url + "/_dash-layout", timeout=5)
            return server
        except OSError:
            if server.process.poll() is not None:
                raise RuntimeError(Path(server.log.name).read_text()) from None
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"{root} did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="a directory holding the other revision's tree")
    parser.add_argument("--db", required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--county", default="Päijät-Häme")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    servers = {"base": serve(Path(args.base), Path(args.db)), "this": serve(ROOT, Path(args.db))}
    clicks: dict[str, list[bench.Click]] = {kind: [] for kind in servers}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=bench.CHROMIUM, args=bench.CHROMIUM_ARGS)
            for r in range(args.rounds):
                for kind in ("base", "this") if r % 2 == 0 else ("this", "base"):
                    clicks[kind] += bench.click_to_chart(browser, "ours", servers[kind].url, args.county)
            browser.close()
    finally:
        for server in servers.values():
            server.stop()
    print(f"load average {os.getloadavg()[0]:.1f}")
    for kind, measured in clicks.items():
        seconds = [c.seconds * 1000 for c in measured]
        print(
            f"{kind}: click-to-chart p50 {bench.ms(bench.pct(seconds, 50))} ms, all "
            f"{[round(s) for s in seconds]}; chart draws {[c.plots for c in measured]}; long tasks ms "
            f"{[round(c.busy * 1000) for c in measured]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
