"""What the import's privacy screen costs at national scale (issue 19).

Imports the national demo's report files (``python -m dashboard build-demo --scale national``
writes them to ``data/demo/national``) into a fresh database twice, without and with the screen,
and prints wall and CPU seconds. Every text is made unique first: the demo's texts come from
pools, which the screen's memo would screen once each.

    .venv/bin/python benchmarks/screening.py [data/demo/national]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from dashboard.analysis import screening
from dashboard.demo.generator import load_code_lists
from dashboard.imports.reports import Resolver, parse_reports, store_reports
from dashboard.imports.tables import read_table
from queries.db import create_schema

WORDS = "kotikäynti asiakas palvelu tuki jonotus perhe nuori talous asunto terveys".split()
TEXT_COLUMNS = ("havainto", "asiakkaan_aani", "ratkaisuehdotus")


def run(folder: Path, screen: bool) -> str:
    rng = random.Random(7)
    real = screening.screen_stored
    with tempfile.TemporaryDirectory(prefix="bench-screen-") as tmp:
        con = duckdb.connect(str(Path(tmp) / "db.duckdb"))
        create_schema(con)
        load_code_lists(con)
        resolver = Resolver.from_database(con)
        if not screen:
            screening.screen_stored = lambda *args, **kwargs: 0
        wall = {"screen": 0.0, "store": 0.0}
        cpu = {"screen": 0.0, "store": 0.0}
        rows = texts = 0
        try:
            con.execute("BEGIN")
            for i, path in enumerate(sorted(folder.glob("raportit_*.csv"))):
                table = read_table(path, max_rows=10**6)
                columns = [table.header.index(c) for c in TEXT_COLUMNS if c in table.header]
                for n, (_, cells) in enumerate(table.rows):
                    for c in columns:
                        if cells[c]:
                            cells[c] = f"{cells[c]} {rng.choice(WORDS)} {rng.choice(WORDS)} {i}-{n}-{c}"
                            texts += 1
                parsed = parse_reports(table, resolver)
                w0, c0 = time.perf_counter(), time.process_time()
                if screen:
                    parsed.screened = screening.prescreen(con, parsed.reports, screening.Resolutions())
                w1, c1 = time.perf_counter(), time.process_time()
                store_reports(con, parsed)
                w2, c2 = time.perf_counter(), time.process_time()
                wall["screen"] += w1 - w0
                wall["store"] += w2 - w1
                cpu["screen"] += c1 - c0
                cpu["store"] += c2 - c1
                rows += parsed.loaded
            con.execute("COMMIT")
        finally:
            screening.screen_stored = real
            con.close()
    return (
        f"screen={screen}: {rows} reports, {texts} texts; screening {wall['screen']:.1f} s (CPU {cpu['screen']:.1f} s), "
        f"store {wall['store']:.1f} s (CPU {cpu['store']:.1f} s); load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "data/demo/national")
    print(run(source, screen=False), flush=True)
    print(run(source, screen=True), flush=True)
