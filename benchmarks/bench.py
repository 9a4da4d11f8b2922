"""Timing of the hot paths on a demo-sized or scaled-up database.

    .venv/bin/python benchmarks/bench.py            # the demo database (built to a temp dir)
    .venv/bin/python benchmarks/bench.py --scale 50 # reports copied 50x under new ids (~31k reports)

Prints the median of repeated runs for each query and figure builder. Measure
here, not in tests: timings on shared 2-core machines are noisy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402
from dashboard.filters import ReportFilter  # noqa: E402

from dashboard import figures  # noqa: E402
from dashboard.demo import build_demo  # noqa: E402
from queries import codes, indicators  # noqa: E402
from queries import reports as q  # noqa: E402


def scale_up(path: Path, factor: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("BEGIN")
    for table in ("report_areas", "report_target_groups", "report_themes", "reports"):
        con.execute(f"CREATE TEMP TABLE base_{table} AS SELECT * FROM {table}")
    for k in range(1, factor):
        con.execute(f"INSERT INTO reports SELECT * REPLACE (report_id || '-x{k}' AS report_id) FROM base_reports")
        for table in ("report_areas", "report_target_groups", "report_themes"):
            con.execute(f"INSERT INTO {table} SELECT * REPLACE (report_id || '-x{k}' AS report_id) FROM base_{table}")
    con.execute("COMMIT")
    con.close()


def timed(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tk-bench-"))
    db = folder / "bench.duckdb"
    start = time.perf_counter()
    build_demo(db, folder / "files")
    build_ms = (time.perf_counter() - start) * 1000
    if args.scale > 1:
        scale_up(db, args.scale)
    con = duckdb.connect(str(db), read_only=True)
    vocab = codes.vocabulary(con)
    n_reports = con.execute("SELECT count(*) FROM reports").fetchone()[0]
    n_values = con.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
    flt = ReportFilter.from_query("county=09&from=2024-09-01&to=2024-12-31", vocab)
    everything = ReportFilter()
    themes = q.counts_by(con, everything, "theme", vocab)
    trend_df = q.trend_by_half_year(con, everything, vocab)
    rows = [
        ("build-demo (generate + import)", build_ms, 1),
        ("vocabulary", timed(lambda: codes.vocabulary(con), args.repeat), args.repeat),
        ("count, one county and period", timed(lambda: q.count_reports(con, flt), args.repeat), args.repeat),
        ("counts by theme, all reports", timed(lambda: q.counts_by(con, everything, "theme", vocab), args.repeat), args.repeat),
        ("counts by area, all reports", timed(lambda: q.counts_by(con, everything, "area", vocab), args.repeat), args.repeat),
        ("trend by half-year, all reports", timed(lambda: q.trend_by_half_year(con, everything, vocab), args.repeat), args.repeat),
        ("report table, all reports", timed(lambda: q.report_table(con, everything, vocab), max(3, args.repeat // 5)), max(3, args.repeat // 5)),
        ("reading pane with text search", timed(lambda: q.reading_pane(con, everything.with_values(text="jono"), vocab), args.repeat), args.repeat),
        ("indicator series (3 regions)", timed(lambda: indicators.series(con, "demo-toimeentulotuki", ["398", "09", "FI"], "total", 5), args.repeat), args.repeat),
        ("indicator ranking", timed(lambda: indicators.ranking(con, "demo-toimeentulotuki", "09", 2024, "total", 5), args.repeat), args.repeat),
        ("figure: theme bars", timed(lambda: figures.bar_counts(themes, "t", "c", "s"), args.repeat), args.repeat),
        ("figure: trend", timed(lambda: figures.trend(trend_df, "t", "c", "s"), args.repeat), args.repeat),
    ]
    print(f"reports {n_reports:,}, indicator values {n_values:,} (scale {args.scale})")
    for name, ms, n in rows:
        print(f"{name:40s} {ms:9.1f} ms  (median of {n})")


if __name__ == "__main__":
    main()
